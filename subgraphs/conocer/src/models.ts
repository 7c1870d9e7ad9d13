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
