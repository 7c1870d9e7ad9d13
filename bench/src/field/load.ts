import { Pool } from 'undici';

export interface LoadResult {
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Answers that were not 200, carried GraphQL errors, or were not the expected answer. */
  errors: number;
}

/**
 * `connections` clients each sending the same POST as soon as its previous answer arrived, for
 * `seconds` (a constant number of virtual users, as k6 runs it); every answer is checked.
 */
export async function constantLoad(origin: string, path: string, body: string, options: { connections: number; seconds: number; headers?: Record<string, string>; check(text: string): boolean }): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: options.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const end = started + options.seconds * 1000;
  const headers = { 'content-type': 'application/json', ...options.headers };
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < end) {
        const sent = performance.now();
        try {
          const response = await pool.request({ path, method: 'POST', headers, body });
          const text = await response.body.text();
          latencies.push(performance.now() - sent);
          if (response.statusCode !== 200 || !options.check(text)) errors += 1;
        } catch {
          latencies.push(performance.now() - sent);
          errors += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0) * 10) / 10;
  return { seconds: Math.round(seconds * 10) / 10, requests: latencies.length, rps: Math.round((latencies.length / seconds) * 10) / 10, p50: at(0.5), p95: at(0.95), p99: at(0.99), errors };
}
