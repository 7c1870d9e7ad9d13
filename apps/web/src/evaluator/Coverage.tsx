import { useI18n } from '../i18n';
import { criteriaOf, type PortfolioView } from './portfolio-model';

/** Criteria with accepted evidence over all criteria: a meter and its words. */
export function Coverage({ portfolio }: { portfolio: PortfolioView }) {
  const { t } = useI18n();
  const criteria = criteriaOf(portfolio);
  const accepted = criteria.filter((entry) => entry.accepted).length;
  const text = t('evaluate.coverageText', { accepted, total: criteria.length, count: criteria.length });
  return (
    <p className="evaluate-coverage">
      <span>{t('evaluate.coverage')}</span>
      <meter min={0} max={1} value={portfolio.coverage} aria-label={t('evaluate.coverage')} aria-valuetext={text} />
      <span>{text}</span>
    </p>
  );
}
