import type http from 'node:http';
import { sendJson } from '@academy/graphql-http';
import type { Logger } from '@academy/platform';

/** Where the payment provider sends its webhooks (public, no tenant, no token: the provider signs them). */
export const PAYMENT_WEBHOOK_PATH = '/webhooks/stripe';

const MAX_BODY_BYTES = 1024 * 1024;
const FORWARD_TIMEOUT_MS = 10_000;

/**
 * Passes a payment webhook to the commerce subgraph's route of the same path with its bytes and
 * its `Stripe-Signature` untouched: the signature covers the raw body, and the subgraph checks
 * it. Its answer is the provider's (2xx applied, 400 refused, 5xx send again); a subgraph that
 * cannot be reached answers 502, and the provider sends the event again later.
 */
export async function forwardPaymentWebhook(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  commerceGraphqlUrl: string | undefined,
  logger: Logger,
): Promise<void> {
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' }, { allow: 'POST' });
  if (!commerceGraphqlUrl) return sendJson(res, 503, { error: 'payments are not served here' });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return sendJson(res, 413, { error: 'body too large' });
    chunks.push(chunk as Buffer);
  }
  const signature = req.headers['stripe-signature'];
  try {
    const response = await fetch(new URL(PAYMENT_WEBHOOK_PATH, commerceGraphqlUrl), {
      method: 'POST',
      headers: {
        'content-type': req.headers['content-type'] ?? 'application/json',
        ...(typeof signature === 'string' ? { 'stripe-signature': signature } : {}),
        ...(typeof req.headers['x-request-id'] === 'string' ? { 'x-request-id': req.headers['x-request-id'] } : {}),
      },
      body: Buffer.concat(chunks),
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
    res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    logger.warn({ err: error }, 'payment webhook not passed on to the commerce subgraph');
    sendJson(res, 502, { error: 'payments are unavailable, send again' });
  }
}
