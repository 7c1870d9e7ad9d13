import type { TenantScope } from '@academy/platform';
import { AnalyticsRepository } from '../repositories/analytics-repository';
import { CourseAnalyticsService } from './course-analytics';
import { TenantAnalyticsService } from './tenant-analytics';
import { TenantTimezone } from './tenant-timezone';

/** Instructor and tenant analytics of one request (their loaders and the tenant's timezone live as long as it). */
export interface Analytics {
  courses: CourseAnalyticsService;
  tenant: TenantAnalyticsService;
}

export function analyticsFor(db: TenantScope): Analytics {
  const rows = new AnalyticsRepository(db);
  const timezone = new TenantTimezone(rows);
  return { courses: new CourseAnalyticsService(rows, timezone), tenant: new TenantAnalyticsService(rows, timezone, db.tenantId) };
}
