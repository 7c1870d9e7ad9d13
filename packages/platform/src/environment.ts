import { z } from 'zod';
import { parseRedisUrl } from './redis';

/**
 * Parses a service's environment once, at boot. An invalid value prints what is wrong, one
 * line per variable, and exits 1: a service never starts half-configured. Each service has
 * exactly one module calling this; nothing else reads `process.env`.
 */
export function parseEnvironment<Shape extends z.ZodRawShape>(
  service: string,
  shape: Shape,
  source: Record<string, string | undefined> = process.env,
  /** Checks across variables; each returned line is a problem. */
  check: (parsed: z.infer<z.ZodObject<Shape>>) => string[] = () => [],
): z.infer<z.ZodObject<Shape>> {
  const result = z.object(shape).safeParse(source);
  const lines = result.success
    ? check(result.data).map((line) => `  ${line}`)
    : result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  if (!result.success || lines.length > 0) {
    process.stderr.write(`${service}: invalid environment\n${lines.join('\n')}\n`);
    process.exit(1);
  }
  return result.data;
}

/** Reusable pieces of environment schemas. */
export const env = {
  url: (protocols: string[]) =>
    z.string().refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      },
      { message: `must be a ${protocols.join(' or ')} URL` },
    ),
  /** One Redis, a Redis Cluster or Sentinels (see parseRedisUrl). */
  redisUrl: () =>
    z.string().refine((value) => parseRedisUrl(value) !== null, {
      message: 'must be a redis://, rediss://, redis+cluster://host:port,… or redis+sentinel://host:port,…/<master> URL',
    }),
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'])
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1'),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  nodeEnv: () => z.enum(['development', 'test', 'production']).default('development'),
} as const;
