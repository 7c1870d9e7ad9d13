import path from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres';
import type { DevstackEnvironment } from './environment';
import { startLocalRedis } from './local-redis';
import { mailDirectory, startMailServer, type RunningMailServer } from './mail-server';
import { startObjectStore, type RunningObjectStore } from './object-store';

/** Where the services send email and keep files (npm start's; the tests bring their own). */
export interface StackMessaging {
  smtpUrl: string;
  /** MailDev's inbox, when the stack runs it. */
  inboxUrl: string | null;
  s3: { url: string | null; bucket: string; region: string; accessKeyId: string | null; secretAccessKey: string | null };
}

export interface Stack {
  /** Owner URL of the server (tests create their databases through it). */
  serverUrl: string;
  /** Owner URL of the platform's database. */
  databaseUrl: string;
  redisUrl: string;
  /** Present when prepared with `messaging: true`. */
  messaging: StackMessaging | null;
  /** One line per part, for the start banner. */
  describe(): string[];
  stop(): Promise<void>;
}

/**
 * The services behind everything: the developer's PostgreSQL and Redis when DATABASE_URL and
 * REDIS_URL say so, otherwise embedded PostgreSQL and a local redis-server; with `messaging`
 * (npm start), their SMTP server and object storage when SMTP_URL and S3_URL say so, otherwise
 * MailDev and s3rver.
 */
export async function prepareStack(
  environment: DevstackEnvironment,
  log: (line: string) => void,
  options: { messaging?: boolean } = {},
): Promise<Stack> {
  const started: { stop(): Promise<void>; owned: boolean }[] = [];
  const stopAll = async () => {
    for (const part of started.reverse()) if (part.owned) await part.stop();
  };
  try {
    const postgres = environment.DATABASE_URL
      ? null
      : await startEmbeddedPostgres({ dataDir: environment.ACADEMY_DATA_DIR, port: environment.EMBEDDED_POSTGRES_PORT, log });
    if (postgres) started.push(postgres);
    const redis = environment.REDIS_URL
      ? null
      : await startLocalRedis({ dataDir: environment.ACADEMY_DATA_DIR, port: environment.EMBEDDED_REDIS_PORT });
    if (redis) started.push(redis);
    let mail: RunningMailServer | null = null;
    let objects: RunningObjectStore | null = null;
    if (options.messaging) {
      mail = environment.SMTP_URL
        ? null
        : await startMailServer({
            smtpPort: environment.MAILDEV_SMTP_PORT,
            webPort: environment.MAILDEV_WEB_PORT,
            mailDirectory: mailDirectory(environment.ACADEMY_DATA_DIR),
          });
      if (mail) started.push(mail);
      objects = environment.S3_URL
        ? null
        : await startObjectStore({ port: environment.EMBEDDED_S3_PORT, directory: path.join(environment.ACADEMY_DATA_DIR, 's3') });
      if (objects) started.push(objects);
    }
    const serverUrl = environment.DATABASE_URL ?? postgres!.url;
    const databaseUrl = environment.DATABASE_URL ?? withDatabase(postgres!.url, 'academy');
    const redisUrl = environment.REDIS_URL ?? redis!.url;
    const messaging: StackMessaging | null = options.messaging
      ? {
          smtpUrl: environment.SMTP_URL ?? mail!.smtpUrl,
          inboxUrl: mail?.inboxUrl ?? null,
          s3: {
            url: environment.S3_URL ?? objects!.url,
            bucket: environment.S3_BUCKET,
            region: environment.S3_REGION,
            accessKeyId: environment.S3_ACCESS_KEY_ID ?? objects?.accessKeyId ?? null,
            secretAccessKey: environment.S3_SECRET_ACCESS_KEY ?? objects?.secretAccessKey ?? null,
          },
        }
      : null;
    const how = (part: { owned: boolean } | null, name: string, setting: string) =>
      part ? `${name}, ${part.owned ? 'started' : 'already running'}` : setting;
    return {
      serverUrl,
      databaseUrl,
      redisUrl,
      messaging,
      describe: () => [
        `PostgreSQL  ${redact(databaseUrl)} (${how(postgres, 'embedded', 'DATABASE_URL')})`,
        `Redis       ${redisUrl} (${how(redis, 'redis-server', 'REDIS_URL')})`,
        ...(messaging
          ? [
              mail
                ? `Mail inbox  ${mail.inboxUrl} (MailDev, ${mail.owned ? 'started' : 'already running'}; SMTP ${mail.smtpUrl})`
                : `Mail        ${redact(messaging.smtpUrl)} (SMTP_URL)`,
              `Files       ${messaging.s3.url} bucket ${messaging.s3.bucket} (${how(objects, `s3rver, data in ${path.join(environment.ACADEMY_DATA_DIR, 's3')}`, 'S3_URL')})`,
            ]
          : []),
      ],
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
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
