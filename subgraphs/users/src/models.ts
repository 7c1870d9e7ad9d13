// What resolvers of this subgraph receive for each GraphQL type (codegen `mappers`).
import type { Tenant } from '@academy/platform';

export type { Community as CommunityModel, User as UserModel } from '@academy/platform';
/** A tenant row; listed for a platform admin, it comes with its account count. */
export type TenantModel = Tenant & { userCount?: number };
