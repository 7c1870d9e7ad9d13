import type { IncomingMessage } from 'node:http';

/**
 * The address a request came from: the socket's peer, or, behind `trustedProxies` proxies (a
 * load balancer, an ingress), the address they recorded in X-Forwarded-For. Entries a client
 * wrote itself are to the left of those and never trusted.
 */
export function clientAddress(req: Pick<IncomingMessage, 'headers' | 'socket'>, trustedProxies = 0): string {
  const peer = req.socket?.remoteAddress ?? 'unknown';
  if (trustedProxies <= 0) return peer;
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return forwarded[forwarded.length - trustedProxies] ?? forwarded[0] ?? peer;
}
