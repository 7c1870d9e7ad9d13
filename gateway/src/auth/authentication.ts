import type { IncomingMessage } from 'node:http';
import { mayActIn } from '@academy/permissions';
import { TenantMismatchError, UnauthenticatedError, type TenantRef, type Viewer } from '@academy/platform';
import { API_KEY_PATTERN, type TokenVerifier } from '@academy/tokens';
import type { ApiKeyDirectory } from './api-key-directory';
import type { PrincipalDirectory } from './principal-directory';

/**
 * The viewer of a request: none without an Authorization header (or X-Api-Key: a tenant's
 * integration, see `integration`); otherwise the verified token's
 * user as they are now (their current persona; a suspended or not yet active account is refused,
 * whatever its token says; a token of an ended session is refused), who must belong to the request's tenant (a PLATFORM_ADMIN may act
 * on any tenant).
 */
export async function authenticate(
  req: Pick<IncomingMessage, 'headers'>,
  tenant: TenantRef,
  verifier: Pick<TokenVerifier, 'verify'>,
  principals: Pick<PrincipalDirectory, 'current' | 'sessionGoing'>,
  apiKeys?: Pick<ApiKeyDirectory, 'find'>,
): Promise<Viewer | null> {
  const header = req.headers.authorization;
  const apiKey = req.headers['x-api-key'];
  if (!header && apiKey !== undefined && apiKeys) return integration(Array.isArray(apiKey) ? apiKey[0]! : apiKey, tenant, apiKeys);
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new UnauthenticatedError('Authorization must be "Bearer <token>"');
  const claimed = await verifier.verify(match[1]!);
  const [principal, going] = await Promise.all([
    principals.current(claimed.tenantId, claimed.userId),
    claimed.sessionId ? principals.sessionGoing(claimed.tenantId, claimed.sessionId) : true,
  ]);
  // Not a user of ours (an external identity provider's): its token's claims are all there is.
  const viewer: Viewer = principal ? { ...claimed, persona: principal.persona } : { ...claimed, external: true };
  if (principal && principal.status !== 'ACTIVE')
    throw new UnauthenticatedError(principal.status === 'SUSPENDED' ? 'This account is suspended' : 'This account is not active');
  if (!going) throw new UnauthenticatedError('This session has ended; sign in again');
  if (!mayActIn(viewer, tenant.id)) throw new TenantMismatchError();
  return viewer;
}

/**
 * A tenant's own integration, by its X-Api-Key: the subgraphs see a TENANT_ADMIN of the key's
 * tenant, and the gateway's access plugin keeps it to the key's scopes.
 */
async function integration(secret: string, tenant: TenantRef, apiKeys: Pick<ApiKeyDirectory, 'find'>): Promise<Viewer> {
  const key = API_KEY_PATTERN.test(secret.trim()) ? await apiKeys.find(secret.trim()) : null;
  if (!key) throw new UnauthenticatedError('Invalid or revoked API key');
  if (key.tenantId !== tenant.id) throw new TenantMismatchError();
  return { userId: key.id, tenantId: key.tenantId, persona: 'TENANT_ADMIN', apiKey: { id: key.id, scopes: key.scopes } };
}
