import type { IncomingMessage } from 'node:http';
import { mayActIn } from '@academy/permissions';
import { TenantMismatchError, UnauthenticatedError, type TenantRef, type Viewer } from '@academy/platform';
import type { TokenVerifier } from '@academy/tokens';
import type { PrincipalDirectory } from './principal-directory';

/**
 * The viewer of a request: none without an Authorization header; otherwise the verified token's
 * user as they are now (their current persona; a suspended or not yet active account is refused,
 * whatever its token says; a token of an ended session is refused), who must belong to the request's tenant (a PLATFORM_ADMIN may act
 * on any tenant).
 */
export async function authenticate(
  req: Pick<IncomingMessage, 'headers'>,
  tenant: TenantRef,
  verifier: TokenVerifier,
  principals: Pick<PrincipalDirectory, 'current' | 'sessionGoing'>,
): Promise<Viewer | null> {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new UnauthenticatedError('Authorization must be "Bearer <token>"');
  const claimed = await verifier.verify(match[1]!);
  const [principal, going] = await Promise.all([
    principals.current(claimed.tenantId, claimed.userId),
    claimed.sessionId ? principals.sessionGoing(claimed.tenantId, claimed.sessionId) : true,
  ]);
  // Not a user of ours (an external identity provider's): its token's claims are all there is.
  const viewer = principal ? { ...claimed, persona: principal.persona } : claimed;
  if (principal && principal.status !== 'ACTIVE')
    throw new UnauthenticatedError(principal.status === 'SUSPENDED' ? 'This account is suspended' : 'This account is not active');
  if (!going) throw new UnauthenticatedError('This session has ended; sign in again');
  if (!mayActIn(viewer, tenant.id)) throw new TenantMismatchError();
  return viewer;
}
