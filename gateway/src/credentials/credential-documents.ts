import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import { CredentialIssuer } from '@academy/credentials';
import { HttpProblem } from '@academy/graphql-http';
import { PublicError, signForwardedContext } from '@academy/platform';
import type { GatewayContext } from '../gateway-context';

/** Where a did:web issuer's DID document is (on the tenant's host). */
export const DID_DOCUMENT_PATH = '/.well-known/did.json';
const STATUS_LIST_PATH = /^\/credentials\/status\/([1-9]\d{0,8})$/;
const STATUS_LIST_TIMEOUT_MS = 5_000;

/** What verifiers fetch on a tenant's host: its DID document, or one of its status lists (by number). */
export type CredentialDocument = { kind: 'did' } | { kind: 'status-list'; list: number };

export function credentialDocumentOf(pathname: string): CredentialDocument | null {
  if (pathname === DID_DOCUMENT_PATH) return { kind: 'did' };
  const list = STATUS_LIST_PATH.exec(pathname)?.[1];
  return list === undefined ? null : { kind: 'status-list', list: Number(list) };
}

/**
 * The documents that let anyone verify a tenant's Open Badges credentials without us: on
 * https://<slug>.<baseDomain> (the tenant from the Host, or X-Tenant), public, no token.
 * - /.well-known/did.json: the issuer's did:web document, the platform's credential keys as
 *   JsonWebKey2020 methods `<did>#<kid>` (`application/did+ld+json`, cached 5 minutes);
 * - /credentials/status/<n>: revocation list n, a BitstringStatusListCredential as a VC-JWT
 *   (`application/jwt`: the OB 3.0 VC-JWT encoding, credential in the `vc` claim). The
 *   certifications subgraph builds and signs it on each request from the certificates as they
 *   are (a revocation shows at once here); the gateway keeps no copy, and verifiers and CDNs may
 *   keep theirs for 60 s (`Cache-Control: public, max-age=60`, ETag, 304 when unchanged).
 * An unknown tenant or list is a 404.
 */
export class CredentialDocuments {
  constructor(
    private readonly baseDomain: string,
    /** The platform's credential keys (public JWKs). */
    private readonly keys: JWK[],
    private readonly gatewaySecret: string,
    /** The certifications subgraph's URL (once the supergraph is loaded). */
    private readonly certificationsUrl: () => string | undefined,
  ) {}

  async serve(
    req: IncomingMessage,
    res: ServerResponse,
    document: CredentialDocument,
    context: () => Promise<GatewayContext>,
  ): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpProblem(405, 'BAD_USER_INPUT', 'Use GET', { allow: 'GET, HEAD' });
    const { tenant, requestId } = await tenantContext(context);
    if (document.kind === 'did') {
      const body = JSON.stringify(new CredentialIssuer(tenant.slug, this.baseDomain).didDocument(this.keys));
      return send(req, res, body, { 'content-type': 'application/did+ld+json', 'cache-control': 'public, max-age=300' });
    }
    const jwt = await this.statusList({ tenant, requestId }, document.list);
    if (jwt === null) throw new HttpProblem(404, 'NOT_FOUND', 'No such status list');
    return send(req, res, jwt, { 'content-type': 'application/jwt', 'cache-control': 'public, max-age=60' });
  }

  /** Asks the certifications subgraph, as the tenant and nobody signed in, for the signed list (null: none). */
  private async statusList(context: Pick<GatewayContext, 'tenant' | 'requestId'>, list: number): Promise<string | null> {
    const url = this.certificationsUrl();
    const unavailable = new HttpProblem(503, 'UPSTREAM_UNAVAILABLE', 'Status lists are temporarily unavailable');
    if (!url) throw unavailable;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': context.requestId,
        ...signForwardedContext(this.gatewaySecret, { tenant: context.tenant, viewer: null }),
      },
      body: JSON.stringify({ query: 'query CredentialStatusList($list: Int!) { credentialStatusList(list: $list) }', variables: { list } }),
      signal: AbortSignal.timeout(STATUS_LIST_TIMEOUT_MS),
    }).catch(() => null);
    const body = (await response?.json().catch(() => null)) as { data?: { credentialStatusList?: string | null } } | null;
    const jwt = body?.data?.credentialStatusList;
    if (jwt === undefined) throw unavailable;
    return jwt;
  }
}

/** The request's tenant; an unknown one is a 404 like any missing document. */
async function tenantContext(context: () => Promise<GatewayContext>): Promise<GatewayContext> {
  try {
    return await context();
  } catch (error) {
    if (error instanceof PublicError && error.code === 'TENANT_NOT_FOUND') throw new HttpProblem(404, error.code, error.message);
    throw error;
  }
}

/** A public document with its ETag: 304 when the client has it already. */
function send(req: IncomingMessage, res: ServerResponse, body: string, headers: Record<string, string>): void {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  const common = { ...headers, etag, 'x-content-type-options': 'nosniff', 'access-control-allow-origin': '*' };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  res.writeHead(200, common);
  res.end(req.method === 'HEAD' ? undefined : body);
}
