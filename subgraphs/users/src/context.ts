import type DataLoader from 'dataloader';
import {
  entityLoader,
  keyedLoader,
  type Community,
  type Database,
  type ForwardedContext,
  type Logger,
  type Redis,
  type User,
} from '@academy/platform';
import type { SubgraphBaseContext, SubgraphOwnContext } from '@academy/graphql-http';
import type { TokenIssuer } from '@academy/tokens';
import { AccessChanges } from './accounts/access-changes';
import { AccountLinks } from './accounts/account-links';
import { AccountStatus } from './accounts/account-status';
import { AuthService } from './auth/auth-service';
import { LoginDecisions } from './auth/login-decisions';
import { LoginThrottle } from './auth/login-throttle';
import { AccountTokenRepository } from './repositories/account-token-repository';
import { CommunityRepository } from './repositories/community-repository';
import { TenantRepository } from './repositories/tenant-repository';
import { ApiKeys } from './integrations/api-keys';
import { ApiKeyRepository } from './repositories/api-key-repository';
import { PlatformTenantRepository } from './repositories/platform-tenant-repository';
import { SessionRepository } from './repositories/session-repository';
import { UserRepository } from './repositories/user-repository';
import { Sessions } from './sessions/sessions';
import { TenantAdministration } from './tenants/tenant-administration';

/** What every resolver of this subgraph receives: tenant, viewer, repositories and loaders built for this request. */
export interface SubgraphContext extends SubgraphBaseContext {
  users: UserRepository;
  communities: CommunityRepository;
  tenants: TenantRepository;
  auth: AuthService;
  links: AccountLinks;
  accounts: AccountStatus;
  sessions: Sessions;
  /** PLATFORM_ADMIN's: every tenant. */
  tenantAdministration: TenantAdministration;
  apiKeys: ApiKeys;
  loaders: {
    user: DataLoader<string, User | null>;
    community: DataLoader<string, Community | null>;
    memberCount: DataLoader<string, number>;
    communitiesOfUser: DataLoader<string, Community[]>;
  };
}

export interface UsersDependencies {
  database: Database;
  tokens: TokenIssuer;
  /** Where access changes are announced to the gateways. */
  redis: Redis;
  redisPrefix: string;
  logger: Logger;
  /** How long a refresh token works; 30 days unless set. */
  refreshTtlSeconds?: number;
  /** Where login decisions are logged and counted (createUsersSubgraph makes it). */
  loginDecisions?: LoginDecisions;
}

export function contextFactory(deps: UsersDependencies) {
  const changes = new AccessChanges(deps.redis, deps.redisPrefix);
  const throttle = new LoginThrottle(deps.redis, deps.redisPrefix);
  const decisions = deps.loginDecisions ?? new LoginDecisions(deps.logger);
  const tenantAdministration = new TenantAdministration(new PlatformTenantRepository(deps.database), changes);
  return (forwarded: ForwardedContext): SubgraphOwnContext<SubgraphContext> => {
    const db = deps.database.forTenant(forwarded.tenant.id);
    const users = new UserRepository(db);
    const communities = new CommunityRepository(db);
    const sessions = new Sessions(
      db,
      new SessionRepository(db),
      users,
      deps.tokens,
      changes,
      { refreshTtlSeconds: deps.refreshTtlSeconds ?? 30 * 86_400 },
      deps.logger,
    );
    const auth = new AuthService(users, sessions, forwarded.tenant.id, throttle, decisions);
    return {
      ...forwarded,
      users,
      communities,
      tenants: new TenantRepository(db),
      auth,
      links: new AccountLinks(db, users, new AccountTokenRepository(db), auth, sessions),
      accounts: new AccountStatus(db, users, changes, sessions),
      sessions,
      tenantAdministration,
      apiKeys: new ApiKeys(db, new ApiKeyRepository(db), deps.redis, deps.redisPrefix),
      loaders: {
        user: entityLoader((ids) => users.findByIds(ids)),
        community: entityLoader((ids) => communities.findByIds(ids)),
        memberCount: keyedLoader((ids) => communities.memberCounts(ids), 0),
        communitiesOfUser: keyedLoader((ids) => communities.communitiesOf(ids), [] as Community[]),
      },
    };
  };
}
