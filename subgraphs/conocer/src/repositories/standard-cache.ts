import { createHash } from 'node:crypto';
import { STANDARDS_VERSION_KEY, type CompetencyStandard, type Page, type Redis } from '@academy/platform';

/** Bumped by every sync: cached standards of an older version are never read again. */
export { STANDARDS_VERSION_KEY };
const TTL_SECONDS = 86_400;

type Wire<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] };

/**
 * The catalogue rarely changes: standards (and catalogue pages) are cached in Redis for 24 h
 * under the current version. With Redis down, everything is read from the database.
 */
export class StandardCache {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async byCodes(codes: readonly string[], load: (missing: string[]) => Promise<CompetencyStandard[]>): Promise<CompetencyStandard[]> {
    const version = await this.version();
    const keys = codes.map((code) => this.key(version, `code:${code}`));
    const cached = version === null ? codes.map(() => null) : await this.redis.mget(...keys).catch(() => codes.map(() => null));
    const found = cached
      .filter((value): value is string => value !== null)
      .map((value) => revive(JSON.parse(value) as Wire<CompetencyStandard>));
    const missing = codes.filter((_code, i) => cached[i] === null);
    if (missing.length === 0) return found;
    const loaded = await load(missing);
    if (version !== null && loaded.length > 0) {
      const pipeline = this.redis.pipeline();
      for (const standard of loaded) pipeline.set(this.key(version, `code:${standard.code}`), JSON.stringify(standard), 'EX', TTL_SECONDS);
      await pipeline.exec().catch(() => undefined);
    }
    return [...found, ...loaded];
  }

  async page(args: unknown, load: () => Promise<Page<CompetencyStandard>>): Promise<Page<CompetencyStandard>> {
    const version = await this.version();
    const key = this.key(version, `page:${createHash('sha1').update(JSON.stringify(args)).digest('hex')}`);
    const cached = version === null ? null : await this.redis.get(key).catch(() => null);
    if (cached) {
      const page = JSON.parse(cached) as Page<Wire<CompetencyStandard>>;
      return { ...page, edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: revive(edge.node) })) };
    }
    const page = await load();
    if (version !== null) await this.redis.set(key, JSON.stringify(page), 'EX', TTL_SECONDS).catch(() => undefined);
    return page;
  }

  /** The current version, or null when Redis cannot be reached (no caching then). */
  private async version(): Promise<string | null> {
    return this.redis.get(`${this.keyPrefix}${STANDARDS_VERSION_KEY}`).then(
      (value) => value ?? '0',
      () => null,
    );
  }

  /** Hash-tagged by version: one MGET (and one pipeline) reaches a single Redis Cluster slot. */
  private key(version: string | null, suffix: string): string {
    return `${this.keyPrefix}{standards:v${version}}:${suffix}`;
  }
}

function revive(standard: Wire<CompetencyStandard>): CompetencyStandard {
  return { ...standard, updatedAt: new Date(standard.updatedAt), syncedAt: new Date(standard.syncedAt) };
}
