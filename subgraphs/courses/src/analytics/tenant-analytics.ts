import DataLoader from 'dataloader';
import type { TenantAnalyticsModel } from '../models';
import type { AnalyticsRepository, PeriodUnit, TenantFigures } from '../repositories/analytics-repository';
import type { TenantTimezone } from './tenant-timezone';

type ReportPeriod = TenantAnalyticsModel['period'];

const UNITS: Record<ReportPeriod, PeriodUnit> = {
  DAY: 'day',
  // PostgreSQL's weeks are ISO weeks: from Monday.
  WEEK: 'week',
  MONTH: 'month',
  QUARTER: 'quarter',
  YEAR: 'year',
  ALL_TIME: null,
};

/**
 * The tenant's figures for a period, for its admins. A report covers [from, to): from the start
 * of the calendar period holding now in the tenant's timezone (ALL_TIME: 1970) to now, fixed when
 * it is asked; the certifications and conocer subgraphs count theirs over the same range (the
 * entity's key).
 */
export class TenantAnalyticsService {
  private readonly figures: DataLoader<TenantAnalyticsModel, TenantFigures, string>;

  constructor(
    private readonly rows: AnalyticsRepository,
    private readonly timezone: TenantTimezone,
    private readonly tenantId: string,
  ) {
    this.figures = new DataLoader((reports) => rows.tenantFigures(reports), {
      cacheKeyFn: (report) => `${report.from.toISOString()}/${report.to.toISOString()}`,
    });
  }

  async report(period: ReportPeriod): Promise<TenantAnalyticsModel> {
    const unit = UNITS[period];
    const { from, to } = await this.rows.periodBounds(unit, unit === null ? '' : await this.timezone.get());
    return { tenantId: this.tenantId, period, from, to };
  }

  figuresOf(report: TenantAnalyticsModel): Promise<TenantFigures> {
    return this.figures.load(report);
  }
}
