import { z } from 'zod';
import { env } from './environment';
import { appDatabaseUrl } from './db/app-role';

/** What every service of the supergraph reads: database, Redis, the gateway's shared secret. */
export const serviceEnvironmentShape = {
  NODE_ENV: env.nodeEnv(),
  LOG_LEVEL: env.logLevel(),
  /** The address the service listens on: 0.0.0.0 in containers (the image sets it). */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** The services' role; or derived from DATABASE_URL on a developer machine. */
  DATABASE_APP_URL: env.url(['postgres', 'postgresql']).optional(),
  DATABASE_URL: env.url(['postgres', 'postgresql']).optional(),
  DATABASE_APP_PASSWORD: z.string().min(1).default('academy-app-local'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * A streaming replica, as the services' role: reads that tolerate lag (catalogue, reports,
   * analytics) go there; unset, everything reads from the primary.
   */
  DATABASE_READ_URL: env.url(['postgres', 'postgresql']).optional(),
  /**
   * Reads without a transaction on read-only connections that keep their tenant as a session
   * setting (`TenantScope.query`). Set false behind a pooler in transaction mode (PgBouncer's
   * `pool_mode = transaction`), where a session setting does not stay with the connection.
   */
  DATABASE_READ_SESSIONS: env.boolean(true),
  /**
   * The hot reads and writes sent through node-postgres as named prepared statements (each
   * connection plans them once). Set false behind a pooler in transaction mode that does not
   * keep prepared statements (PgBouncer before 1.21, or without `max_prepared_statements`).
   */
  DATABASE_PREPARED_STATEMENTS: env.boolean(true),
  REDIS_URL: env.redisUrl(),
  /** Every key this deployment writes to Redis starts with it (BullMQ's included). */
  REDIS_PREFIX: z.string().default('academy:'),
  /** HMAC secret shared by the gateway and the subgraphs (at least 32 characters). */
  GATEWAY_SECRET: z.string().min(32, 'must be at least 32 characters'),
  /** Where traces go (OTLP over HTTP, e.g. http://otel-collector:4318); unset: trace context flows, nothing is exported. */
  OTEL_EXPORTER_OTLP_ENDPOINT: env.url(['http', 'https']).optional(),
};

export type ServiceEnvironment = z.infer<z.ZodObject<typeof serviceEnvironmentShape>>;

export function checkServiceEnvironment(parsed: ServiceEnvironment): string[] {
  return parsed.DATABASE_APP_URL || parsed.DATABASE_URL ? [] : ['DATABASE_APP_URL: required (or DATABASE_URL to derive it from)'];
}

export function serviceDatabaseUrl(parsed: ServiceEnvironment): string {
  return appDatabaseUrl({ appUrl: parsed.DATABASE_APP_URL, ownerUrl: parsed.DATABASE_URL!, appPassword: parsed.DATABASE_APP_PASSWORD });
}
