import {
  bucketStart,
  bucketsBetween,
  reportScores,
  DIMENSIONS,
  EPOCH,
  TREND_GRANULARITY,
  type DimensionMillipoints,
  type Granularity,
} from '@academy/impact-scoring';
import type { ImpactReport, ImpactScope, ImpactTrendPoint, ReportPeriod } from '../generated/resolvers-types';
import type { BucketQuery, BucketTotals, ScopeBuckets } from '../repositories/impact-aggregate-repository';

const NOTHING: DimensionMillipoints = Object.fromEntries(DIMENSIONS.map((dimension) => [dimension, 0])) as DimensionMillipoints;

/** The buckets a report of `period` needs at `now` (calendar periods in UTC, ending now). */
export function reportQuery(period: ReportPeriod, now: Date): BucketQuery {
  const trend = TREND_GRANULARITY[period];
  const periodStart = bucketStart(period, now);
  return { period, periodStart, trend, trendFrom: period === 'ALL_TIME' ? EPOCH : periodStart };
}

/**
 * A report from its buckets (docs/impact-scoring.md, "Reports"): the period's sums scored per
 * participant, and one trend point per sub-period from the period's start (ALL_TIME: from the
 * first year with impact) to now, zeros where nothing happened.
 */
export function impactReport(scope: ImpactScope, period: ReportPeriod, now: Date, buckets: ScopeBuckets): ImpactReport {
  const query = reportQuery(period, now);
  const total = buckets.total ?? empty(query.periodStart);
  const trendFrom = period === 'ALL_TIME' ? earliest(buckets.trend, bucketStart('YEAR', now)) : query.periodStart;
  const byStart = new Map(buckets.trend.map((bucket) => [bucket.start.getTime(), bucket]));
  const trend: ImpactTrendPoint[] = bucketsBetween(query.trend, trendFrom, now).map((start) => {
    const bucket = byStart.get(start.getTime()) ?? empty(start);
    const scored = reportScores(bucket.millipoints, bucket.participantCount, query.trend);
    return {
      periodStart: start,
      overall: scored.overall,
      scores: scored.scores,
      eventCount: bucket.eventCount,
      participantCount: bucket.participantCount,
    };
  });
  const scored = reportScores(total.millipoints, total.participantCount, period as Granularity);
  return {
    scope,
    period,
    from: period === 'ALL_TIME' ? null : query.periodStart,
    to: now,
    overall: scored.overall,
    scores: scored.scores,
    eventCount: total.eventCount,
    participantCount: total.participantCount,
    trend,
  };
}

function empty(start: Date): BucketTotals {
  return { start, eventCount: 0, participantCount: 0, millipoints: NOTHING };
}

function earliest(buckets: BucketTotals[], fallback: Date): Date {
  return buckets.reduce((first, bucket) => (bucket.start < first ? bucket.start : first), fallback);
}
