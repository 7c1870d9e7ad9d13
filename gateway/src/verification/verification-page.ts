import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpProblem } from '@academy/graphql-http';
import { PublicError } from '@academy/platform';
import type { ExecuteOperation } from '../exports/impact-report-export';
import type { GatewayContext } from '../gateway-context';
import { TENANT_PATH } from '../tenants/tenant-resolution';

/** `/verify/<code>` (or `/t/<tenant>/verify/<code>`): the code, or null for any other path. */
export function verificationCodeOf(pathname: string): string | null {
  const route = TENANT_PATH.exec(pathname)?.[2] ?? pathname;
  const code = /^\/verify\/([^/]{1,64})$/.exec(route)?.[1];
  return code === undefined ? null : decodeURIComponent(code);
}

const QUERY = `query VerificationPage($code: String!) {
  verifyCertificate(code: $code) {
    valid status learnerName courseTitle tenantName issuedAt revokedAt revocationReason competencyStandardCode
  }
}`;

interface Verification {
  valid: boolean;
  status: 'ISSUED' | 'REVOKED' | null;
  learnerName: string | null;
  courseTitle: string | null;
  tenantName: string | null;
  issuedAt: string | null;
  revokedAt: string | null;
  revocationReason: string | null;
  competencyStandardCode: string | null;
}

/**
 * The public page a certificate's QR code and printed code lead to: valid or revoked (with when
 * and why), and nothing personal beyond the learner's name, the course, the academy and the
 * dates, exactly what `verifyCertificate` tells anyone holding the code. Plain HTML (no script),
 * in Spanish, cached like the query (public, 60 s). An unknown code is a 404 page saying so.
 */
export async function serveVerificationPage(
  req: IncomingMessage,
  res: ServerResponse,
  code: string,
  context: () => Promise<GatewayContext>,
  execute: ExecuteOperation,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpProblem(405, 'BAD_USER_INPUT', 'Use GET', { allow: 'GET, HEAD' });
  let gatewayContext: GatewayContext;
  try {
    gatewayContext = await context();
  } catch (error) {
    if (error instanceof PublicError && error.code === 'TENANT_NOT_FOUND') throw new HttpProblem(404, error.code, error.message);
    throw error;
  }
  const result = await execute(QUERY, { code }, gatewayContext);
  const verification = result.data?.verifyCertificate as Verification | undefined;
  if (!verification) {
    const failure = result.errors?.[0];
    throw new HttpProblem(503, String(failure?.extensions?.code ?? 'UPSTREAM_UNAVAILABLE'), 'Verification is temporarily unavailable');
  }
  const found = verification.status !== null;
  const html = page(code, verification);
  res.writeHead(found ? 200 : 404, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'public, max-age=60',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : html);
}

const DATE = new Intl.DateTimeFormat('es-MX', { dateStyle: 'long', timeZone: 'America/Mexico_City' });

function page(code: string, v: Verification): string {
  const date = (iso: string | null) => (iso ? DATE.format(new Date(iso)) : '');
  const rows: [string, string | null][] = [
    ['Persona', v.learnerName],
    ['Curso', v.courseTitle],
    ['Academia', v.tenantName],
    ['Emitido', date(v.issuedAt)],
    ['Estándar de competencia', v.competencyStandardCode],
    ['Revocado', v.revokedAt ? date(v.revokedAt) : null],
    ['Motivo', v.revocationReason],
  ];
  const verdict = v.status === null ? 'Certificado no encontrado' : v.valid ? 'Certificado válido' : 'Certificado revocado';
  const details = rows
    .filter(([, value]) => value)
    .map(([label, value]) => `<dt>${escape(label)}</dt><dd>${escape(value!)}</dd>`)
    .join('');
  return `<!doctype html>
<html lang="es-MX"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(verdict)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}h1{font-size:1.5rem}.valid{color:#146c2e}.revoked,.missing{color:#a4161a}dt{font-weight:600}dd{margin:0 0 .5rem}</style>
</head><body>
<h1 class="${v.status === null ? 'missing' : v.valid ? 'valid' : 'revoked'}">${escape(verdict)}</h1>
<p>Código de verificación: <code>${escape(code)}</code></p>
${details ? `<dl>${details}</dl>` : '<p>Ningún certificado tiene este código.</p>'}
</body></html>
`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
