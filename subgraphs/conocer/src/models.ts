// What resolvers of this subgraph receive for each GraphQL type (codegen `mappers`).
export type { CompetencyStandard as CompetencyStandardModel, ConocerSubmission as ConocerSubmissionModel } from '@academy/platform';

/** A course as the gateway hands it over: its key and the field this subgraph @requires. */
export interface CourseReference {
  id: string;
  competencyStandardCode?: string | null;
}
export interface CertificateReference {
  id: string;
}
export interface EnrollmentReference {
  id: string;
}
export interface UserReference {
  id: string;
}
export interface FileReference {
  id: string;
}

export type { EvaluationCriterion as EvaluationCriterionModel, Evidence as EvidenceModel } from '@academy/platform';
export type { PortfolioModel } from './portfolio/portfolio-view';

/** A status change as the event type exposes it. */
export interface CertificationStatusEventModel {
  certificate: CertificateReference;
  submission: import('@academy/platform').ConocerSubmission;
  status: import('@academy/platform').ConocerStatus;
  previousStatus: import('@academy/platform').ConocerStatus | null;
  reason: string | null;
  occurredAt: Date;
}

/** The courses subgraph's tenant analytics, as its key names it: the tenant and the report's range [from, to). */
export interface TenantAnalyticsReference {
  tenantId: string;
  from: Date;
  to: Date;
}
