import { Navigate, Route, Routes } from 'react-router';
import { PortfolioQueue } from './PortfolioQueue';
import { PortfolioReview } from './PortfolioReview';
import './evaluator.css';

/** The evaluator's screens, under `#/evaluate`: the portfolios to review, and one portfolio's review and judgement. */
export function EvaluatorArea() {
  return (
    <Routes>
      <Route index element={<PortfolioQueue />} />
      <Route path="portfolios/:id" element={<PortfolioReview />} />
      <Route path="*" element={<Navigate to="/evaluate" replace />} />
    </Routes>
  );
}
