import type { ImpactDimension } from '@academy/platform';
import type { ImpactReport, ImpactScope, ReportPeriod } from '../generated/resolvers-types';
import { periodWindow } from './report-periods';

export const DIMENSIONS: ImpactDimension[] = ['SUSTAINABILITY', 'COMMUNITY', 'REGENERATIVE', 'SOCIAL_JUSTICE', 'CIRCULARITY'];

/**
 * Impact reports per scope and period. Until scoring and aggregation run (impact reporting
 * issue), reports carry their initial values: the right window, all five dimensions at 0.
 */
export class ImpactReports {
  report(scope: ImpactScope, period: ReportPeriod, now = new Date()): ImpactReport {
    const { from, to } = periodWindow(period, now);
    return {
      scope,
      period,
      from,
      to,
      overall: 0,
      scores: DIMENSIONS.map((dimension) => ({ dimension, score: 0 })),
      eventCount: 0,
      participantCount: 0,
      trend: [],
    };
  }
}
