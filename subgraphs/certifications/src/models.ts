// What resolvers of this subgraph receive for each GraphQL type (codegen `mappers`).
export type { Certificate as CertificateModel } from '@academy/platform';

/** Entities owned by other subgraphs: this subgraph only knows their ids. */
export interface UserReference {
  id: string;
}
export interface CourseReference {
  id: string;
}
