import type { ReportPeriod } from '../generated/resolvers-types';

/** The window a report covers, ending now: this day, week (from Monday), month, quarter, year, or everything. */
export function periodWindow(period: ReportPeriod, now: Date): { from: Date | null; to: Date } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  switch (period) {
    case 'DAY':
      return { from: new Date(Date.UTC(y, m, d)), to: now };
    case 'WEEK':
      return { from: new Date(Date.UTC(y, m, d - ((now.getUTCDay() + 6) % 7))), to: now };
    case 'MONTH':
      return { from: new Date(Date.UTC(y, m, 1)), to: now };
    case 'QUARTER':
      return { from: new Date(Date.UTC(y, m - (m % 3), 1)), to: now };
    case 'YEAR':
      return { from: new Date(Date.UTC(y, 0, 1)), to: now };
    case 'ALL_TIME':
      return { from: null, to: now };
  }
}
