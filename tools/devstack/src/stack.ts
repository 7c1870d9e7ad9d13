import { startEmbeddedPostgres } from './embedded-postgres';
import type { DevstackEnvironment } from './environment';
import { startLocalRedis } from './local-redis';

export interface Stack {
  /** Owner URL of the server (tests create their databases through it). */
  serverUrl: string;
  /** Owner URL of the platform's database. */
  databaseUrl: string;
  redisUrl: string;
  /** One line per part, for the start banner. */
  describe(): string[];
  stop(): Promise<void>;
}

/**
 * The services behind everything: the developer's PostgreSQL and Redis when DATABASE_URL and
 * REDIS_URL say so, otherwise embedded PostgreSQL and a local redis-server.
 */
export async function prepareStack(environment: DevstackEnvironment, log: (line: string) => void): Promise<Stack> {
  const postgres = environment.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: environment.ACADEMY_DATA_DIR, port: environment.EMBEDDED_POSTGRES_PORT, log });
  let redis;
  try {
    redis = environment.REDIS_URL
      ? null
      : await startLocalRedis({ dataDir: environment.ACADEMY_DATA_DIR, port: environment.EMBEDDED_REDIS_PORT });
  } catch (error) {
    if (postgres?.owned) await postgres.stop();
    throw error;
  }
  const serverUrl = environment.DATABASE_URL ?? postgres!.url;
  const databaseUrl = environment.DATABASE_URL ?? withDatabase(postgres!.url, 'academy');
  const redisUrl = environment.REDIS_URL ?? redis!.url;
  return {
    serverUrl,
    databaseUrl,
    redisUrl,
    describe: () => [
      `PostgreSQL  ${redact(databaseUrl)} (${postgres ? (postgres.owned ? 'embedded, started' : 'embedded, already running') : 'DATABASE_URL'})`,
      `Redis       ${redisUrl} (${redis ? (redis.owned ? 'redis-server, started' : 'redis-server, already running') : 'REDIS_URL'})`,
    ],
    async stop() {
      if (redis?.owned) await redis.stop();
      if (postgres?.owned) await postgres.stop();
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const target = new URL(url);
  target.pathname = `/${database}`;
  return target.toString();
}

export function redact(url: string): string {
  const target = new URL(url);
  if (target.password) target.password = '***';
  return target.toString();
}
