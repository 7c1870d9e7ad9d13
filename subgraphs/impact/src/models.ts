// What resolvers of this subgraph receive for each GraphQL type (codegen `mappers`).
export type { ImpactEvent as ImpactEventModel } from '@academy/platform';

/** Entities owned by the users subgraph: this subgraph only knows their ids. */
export interface UserReference {
  id: string;
}
export interface CommunityReference {
  id: string;
}
