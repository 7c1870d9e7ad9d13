// What resolvers of this subgraph receive for each GraphQL type (codegen `mappers`).
export type { Community as CommunityModel, Tenant as TenantModel, User as UserModel } from '@academy/platform';
