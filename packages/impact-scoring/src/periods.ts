import type { Granularity } from './model';

/** The start of ALL_TIME's single bucket. */
export const EPOCH = new Date(Date.UTC(1970, 0, 1));

/**
 * The UTC calendar bucket holding `at`: its day, ISO week (from Monday), month, quarter, year,
 * or ALL_TIME's single bucket. The SQL function app_impact_bucket computes the same.
 */
export function bucketStart(granularity: Granularity, at: Date): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  switch (granularity) {
    case 'DAY':
      return new Date(Date.UTC(y, m, d));
    case 'WEEK':
      return new Date(Date.UTC(y, m, d - ((at.getUTCDay() + 6) % 7)));
    case 'MONTH':
      return new Date(Date.UTC(y, m, 1));
    case 'QUARTER':
      return new Date(Date.UTC(y, m - (m % 3), 1));
    case 'YEAR':
      return new Date(Date.UTC(y, 0, 1));
    case 'ALL_TIME':
      return EPOCH;
  }
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucket(granularity: Granularity, start: Date): Date {
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth();
  const d = start.getUTCDate();
  switch (granularity) {
    case 'DAY':
      return new Date(Date.UTC(y, m, d + 1));
    case 'WEEK':
      return new Date(Date.UTC(y, m, d + 7));
    case 'MONTH':
      return new Date(Date.UTC(y, m + 1, 1));
    case 'QUARTER':
      return new Date(Date.UTC(y, m + 3, 1));
    case 'YEAR':
      return new Date(Date.UTC(y + 1, 0, 1));
    case 'ALL_TIME':
      return new Date(8.64e15);
  }
}

/** The sub-period a report's trend has one point per. A day is the finest grain: its trend is the day. */
export const TREND_GRANULARITY: Readonly<Record<Granularity, Granularity>> = {
  DAY: 'DAY',
  WEEK: 'DAY',
  MONTH: 'DAY',
  QUARTER: 'MONTH',
  YEAR: 'MONTH',
  ALL_TIME: 'YEAR',
};

/** Bucket starts of `granularity` from the one holding `from` to the one holding `to`, oldest first. */
export function bucketsBetween(granularity: Granularity, from: Date, to: Date): Date[] {
  const last = bucketStart(granularity, to).getTime();
  const starts: Date[] = [];
  for (let start = bucketStart(granularity, from); start.getTime() <= last; start = nextBucket(granularity, start)) starts.push(start);
  return starts;
}
