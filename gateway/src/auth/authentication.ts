import type { IncomingMessage } from 'node:http';
import { mayActIn } from '@academy/permissions';
import { TenantMismatchError, UnauthenticatedError, type TenantRef, type Viewer } from '@academy/platform';
import type { TokenVerifier } from '@academy/tokens';

/**
 * The viewer of a request: none without an Authorization header; otherwise the verified token's
 * user, who must belong to the request's tenant (a PLATFORM_ADMIN may act on any tenant).
 */
export async function authenticate(
  req: Pick<IncomingMessage, 'headers'>,
  tenant: TenantRef,
  verifier: TokenVerifier,
): Promise<Viewer | null> {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new UnauthenticatedError('Authorization must be "Bearer <token>"');
  const viewer = await verifier.verify(match[1]!);
  if (!mayActIn(viewer, tenant.id)) throw new TenantMismatchError();
  return viewer;
}
