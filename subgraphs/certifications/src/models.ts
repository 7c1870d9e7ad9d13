// What resolvers of this subgraph receive for each GraphQL type (codegen `mappers`).
export type { Certificate as CertificateModel } from '@academy/platform';
export type { Dc3 as Dc3Model } from '@academy/platform';

/** Entities owned by other subgraphs: this subgraph only knows their ids. */
export interface UserReference {
  id: string;
}
export interface CourseReference {
  id: string;
}
export interface EnrollmentReference {
  id: string;
}

/** The courses subgraph's tenant analytics, as its key names it: the tenant and the report's range [from, to). */
export interface TenantAnalyticsReference {
  tenantId: string;
  from: Date;
  to: Date;
}
