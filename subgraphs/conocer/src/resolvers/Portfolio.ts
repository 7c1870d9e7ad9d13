import { coverage, missingCriteria } from '../portfolio/portfolio-view';
import type { PortfolioResolvers } from '../generated/resolvers-types';

export const Portfolio: PortfolioResolvers = {
  learner: (portfolio) => ({ id: portfolio.learnerId }),
  course: (portfolio) => ({ id: portfolio.courseId }),
  standard: async (portfolio, _args, { loaders }) => (await loaders.standard.load(portfolio.standardCode))!,
  evidence: (portfolio, _args, { loaders }) => loaders.evidenceOfPortfolio.load(portfolio.id),
  coverage: async (portfolio, _args, { loaders }) =>
    coverage(await loaders.criteriaOfCourse.load(portfolio.courseId), await loaders.evidenceOfPortfolio.load(portfolio.id)),
  missingCriteria: async (portfolio, _args, { loaders }) =>
    missingCriteria(await loaders.criteriaOfCourse.load(portfolio.courseId), await loaders.evidenceOfPortfolio.load(portfolio.id)),
  judgedBy: (portfolio) => (portfolio.judgedById ? { id: portfolio.judgedById } : null),
};
