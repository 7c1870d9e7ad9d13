import type { Redis } from '@academy/platform';
import type { CircuitState } from './conocer-client';

const STALE_MS = 30_000;
const SEVERITY: Record<CircuitState, number> = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 };

/**
 * The breakers in front of CONOCER live in the workers (one per replica); each reports its
 * state here (a Redis hash, refreshed) and the conocer subgraph reads the worst live one.
 */
export class CircuitBoard {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private get key(): string {
    return `${this.keyPrefix}conocer:circuit`;
  }

  async report(workerId: string, state: CircuitState): Promise<void> {
    await this.redis.hset(this.key, workerId, JSON.stringify({ state, at: Date.now() }));
  }

  async leave(workerId: string): Promise<void> {
    await this.redis.hdel(this.key, workerId);
  }

  /** CLOSED when no worker reports (none running, or all healthy). */
  async state(): Promise<CircuitState> {
    const entries = await this.redis.hgetall(this.key).catch(() => ({}) as Record<string, string>);
    let worst: CircuitState = 'CLOSED';
    for (const value of Object.values(entries)) {
      const { state, at } = JSON.parse(value) as { state: CircuitState; at: number };
      if (Date.now() - at < STALE_MS && SEVERITY[state] > SEVERITY[worst]) worst = state;
    }
    return worst;
  }
}
