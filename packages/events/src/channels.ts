import { z } from 'zod';
import type { PayloadOf } from './define-event';
import { conocerStatusChanged } from './domain-events';

/** What publishing needs of a Redis client. */
interface Publisher {
  publish(channel: string, message: string): Promise<number>;
}

export interface ChannelDefinition<Payload> {
  readonly name: string;
  /** The channel of one tenant (`<prefix><name>:<tenantId>`). */
  key(prefix: string, tenantId: string): string;
  /** Every tenant's channel, for PSUBSCRIBE. */
  pattern(prefix: string): string;
  publish(redis: Publisher, prefix: string, tenantId: string, payload: Payload): Promise<number>;
  /** Reads a message; throws when it does not have the payload's shape. */
  decode(message: string): Payload;
}

/** What watching needs of a Redis client in subscriber mode. */
interface Subscriber {
  on(event: 'pmessage', listener: (pattern: string, channel: string, message: string) => void): unknown;
  psubscribe(pattern: string): Promise<unknown>;
}

/**
 * Hands every tenant's messages of a channel to `onMessage`. A message without the payload's
 * shape, or a channel Redis cannot give (it is down: the caches expire on their own), is told
 * to `onProblem` and skipped.
 */
export async function watchChannel<Payload>(
  subscriber: Subscriber,
  prefix: string,
  channel: ChannelDefinition<Payload>,
  onMessage: (payload: Payload) => void,
  onProblem: (problem: string, error: Error) => void,
): Promise<void> {
  const pattern = channel.pattern(prefix);
  subscriber.on('pmessage', (matched, _channel, message) => {
    if (matched !== pattern) return;
    let payload: Payload;
    try {
      payload = channel.decode(message);
    } catch (error) {
      return onProblem(`unreadable ${channel.name} message`, error as Error);
    }
    onMessage(payload);
  });
  await subscriber.psubscribe(pattern).catch((error: Error) => onProblem(`${channel.name} channel unavailable`, error));
}

/** A Redis pub/sub channel per tenant, defined once with its payload's shape. */
export function defineChannel<Payload>(name: string, schema: z.ZodType<Payload>): ChannelDefinition<Payload> {
  const key = (prefix: string, tenantId: string) => `${prefix}${name}:${tenantId}`;
  return {
    name,
    key,
    pattern: (prefix) => `${prefix}${name}:*`,
    publish: (redis, prefix, tenantId, payload) => redis.publish(key(prefix, tenantId), JSON.stringify(schema.parse(payload))),
    decode: (message) => schema.parse(JSON.parse(message)),
  };
}

/** Certification status changes of a tenant: the workers publish them, every gateway's live subscribers read them. */
export const certificationStatusChannel = defineChannel<PayloadOf<typeof conocerStatusChanged>>(
  'certification-status',
  conocerStatusChanged.schema,
);

/** Notifications as they are created (the workers publish them; each gateway hands them to the recipient's subscriptions). */
export const notificationReceivedChannel = defineChannel(
  'notification-received',
  z.object({ tenantId: z.string(), notificationId: z.string(), userId: z.string() }),
);

/** An order's status changed (paid, failed or expired, refunded): the workers publish it from the order's event; its buyer's subscriptions follow it. */
export const orderStatusChannel = defineChannel(
  'order-status',
  z.object({ tenantId: z.string(), orderId: z.string(), buyerId: z.string(), status: z.enum(['PAID', 'FAILED', 'REFUNDED']) }),
);

/**
 * A person's access changed (persona, suspension): the users subgraph publishes it after the
 * change commits (and drops the shared cache entry, `principalCacheKey`); every gateway forgets
 * its copy and closes that person's open subscriptions.
 */
export const principalChangedChannel = defineChannel(
  'principal-changed',
  z.object({
    tenantId: z.string(),
    userId: z.string(),
    /** Only these sessions of the person ended (logout, a reused refresh token); absent: their access as a whole changed. */
    sessionIds: z.array(z.string()).optional(),
  }),
);

/**
 * A tenant changed (suspended, reactivated, renamed): every gateway forgets its copy of it
 * (the message is the tenant's slug) and closes its open sockets. Not per tenant: one channel.
 */
export const tenantChangedChannel = (prefix: string) => `${prefix}tenants:invalidated`;

/** Where gateways share a tenant's directory entry, by slug (Redis, with a TTL). */
export const tenantCacheKey = (prefix: string, slug: string) => `${prefix}tenant:${slug}`;

/**
 * An API key was revoked: every gateway forgets it at once (the users subgraph has already
 * written "revoked" where the gateways share it, `apiKeyCacheKey`).
 */
export const apiKeyRevokedChannel = defineChannel(
  'api-key-revoked',
  z.object({ tenantId: z.string(), apiKeyId: z.string(), secretHash: z.string() }),
);

/** Where gateways share an API key's principal, by its secret's SHA-256 (Redis, with a TTL). */
export const apiKeyCacheKey = (prefix: string, secretHash: string) => `${prefix}api-key:${secretHash}`;

/** Where gateways share whether a session is still going (Redis, with a TTL). */
export const sessionCacheKey = (prefix: string, tenantId: string, sessionId: string) => `${prefix}session:${tenantId}:${sessionId}`;

/** Where gateways share a person's current persona and status (Redis, with a TTL). */
export const principalCacheKey = (prefix: string, tenantId: string, userId: string) => `${prefix}principal:${tenantId}:${userId}`;
