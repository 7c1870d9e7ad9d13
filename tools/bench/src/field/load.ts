import { Pool, type Dispatcher } from 'undici';
import { latency } from '../stats';

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

/** One request a virtual user sends: a label to report it under, its body and headers, and what makes its answer right. */
export interface LoadRequest {
  label: string;
  body: string;
  headers?: Record<string, string>;
  check(text: string): boolean;
}

/** What a virtual user learns of an answer: its text (null when it failed) and the Server-Timing subgraph wait. */
export interface LoadAnswer {
  ok: boolean;
  text: string;
  subgraphMs: number | null;
}

/** A virtual user's script: sends requests one after the other through `send`; runs again until the time is up. */
export type Script = (user: number, send: (request: LoadRequest) => Promise<LoadAnswer>) => Promise<void>;

export interface LabelResult extends LoadResult {
  /** Per answer: client latency minus the time the gateway waited on subgraphs (Server-Timing), ms. */
  gatewayShare?: { p50: number; p95: number; p99: number };
  subgraphWait?: { p50: number; p99: number };
}

const round = (value: number) => Math.round(value * 10) / 10;

function percentiles(values: number[]): { p50: number; p95: number; p99: number } {
  if (values.length === 0) return { p50: 0, p95: 0, p99: 0 };
  const { p50, p95, p99 } = latency(values);
  return { p50: round(p50), p95: round(p95), p99: round(p99) };
}

/**
 * `connections` virtual users, each running `script` (its requests one after the other, each
 * sent as soon as the previous answer arrived) for `seconds`; every answer is checked. Results
 * per label and in all.
 */
export async function virtualUsers(
  origin: string,
  path: string,
  options: { connections: number; seconds: number; script: Script },
): Promise<{ all: LoadResult; labels: Record<string, LabelResult> }> {
  const pool = new Pool(origin, { connections: options.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const samples = new Map<string, { latencies: number[]; shares: number[]; waits: number[]; errors: number }>();
  const started = performance.now();
  const end = started + options.seconds * 1000;
  const send = async (request: LoadRequest): Promise<LoadAnswer> => {
    const sample = samples.get(request.label) ?? { latencies: [], shares: [], waits: [], errors: 0 };
    samples.set(request.label, sample);
    const sent = performance.now();
    let response: Dispatcher.ResponseData | undefined;
    try {
      response = await pool.request({
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...request.headers },
        body: request.body,
      });
      const text = await response.body.text();
      const latency = performance.now() - sent;
      sample.latencies.push(latency);
      const ok = response.statusCode === 200 && request.check(text);
      if (!ok) sample.errors += 1;
      const timing = /subgraphs;dur=([\d.]+)/.exec(String(response.headers['server-timing'] ?? ''));
      const subgraphMs = timing ? Number(timing[1]) : null;
      if (subgraphMs !== null) {
        sample.waits.push(subgraphMs);
        sample.shares.push(Math.max(0, latency - subgraphMs));
      }
      return { ok, text, subgraphMs };
    } catch (error) {
      sample.latencies.push(performance.now() - sent);
      sample.errors += 1;
      return { ok: false, text: String(error), subgraphMs: null };
    }
  };
  await Promise.all(
    Array.from({ length: options.connections }, async (_, user) => {
      while (performance.now() < end) await options.script(user, send);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  const summarize = (latencies: number[], errors: number): LoadResult => ({
    seconds: round(seconds),
    requests: latencies.length,
    rps: round(latencies.length / seconds),
    ...percentiles(latencies),
    errors,
  });
  const labels: Record<string, LabelResult> = {};
  for (const [label, sample] of samples) {
    const share = sample.shares.length > 0 ? percentiles(sample.shares) : undefined;
    const wait = sample.waits.length > 0 ? percentiles(sample.waits) : undefined;
    labels[label] = {
      ...summarize(sample.latencies, sample.errors),
      ...(share ? { gatewayShare: share } : {}),
      ...(wait ? { subgraphWait: { p50: wait.p50, p99: wait.p99 } } : {}),
    };
  }
  const every = [...samples.values()];
  return {
    all: summarize(
      every.flatMap((sample) => sample.latencies),
      every.reduce((sum, sample) => sum + sample.errors, 0),
    ),
    labels,
  };
}

/**
 * `connections` clients each sending the same POST as soon as its previous answer arrived, for
 * `seconds` (a constant number of virtual users, as k6 runs it); every answer is checked.
 */
export async function constantLoad(
  origin: string,
  path: string,
  body: string,
  options: { connections: number; seconds: number; headers?: Record<string, string>; check(text: string): boolean },
): Promise<LoadResult> {
  const request: LoadRequest = { label: 'request', body, ...(options.headers ? { headers: options.headers } : {}), check: options.check };
  const { all } = await virtualUsers(origin, path, {
    connections: options.connections,
    seconds: options.seconds,
    script: async (_user, send) => void (await send(request)),
  });
  return all;
}

/** The text of the answer `pacedUsers` gives a request it did not send (the schedule was over). */
export const PACED_UNSENT = 'the schedule is over';

/** One request of an open-loop run: when it was due, sent and answered (performance.now(), ms) and whether its answer was right. */
export interface PacedAnswer {
  label: string;
  scheduledAt: number;
  sentAt: number;
  doneAt: number;
  ok: boolean;
}

/**
 * An open loop: requests at a fixed `rate` a second for `seconds`, the n-th due at start + n / rate
 * whatever the answers before it took. `users` virtual users run `script` (their requests one
 * after the other, as in `virtualUsers`); each request takes the next slot of the schedule and
 * waits for it. A request due while every user is still waiting for an answer is sent late, as
 * soon as one is free, and its latency counts from when it was due (no coordinated omission).
 * Every answer is checked and handed to `onAnswer`. Requests a script sends once the schedule is
 * over are not sent (answered `ok: false`, counted as `unsent`), so sessions end at once.
 */
export async function pacedUsers(
  origin: string,
  path: string,
  options: { rate: number; seconds: number; users: number; script: Script; onAnswer(answer: PacedAnswer): void },
): Promise<{ seconds: number; sent: number; unsent: number }> {
  const pool = new Pool(origin, { connections: options.users, pipelining: 1, keepAliveTimeout: 30_000 });
  const every = 1000 / options.rate;
  const started = performance.now();
  const end = started + options.seconds * 1000;
  let next = 0;
  let sent = 0;
  let unsent = 0;
  const send = async (request: LoadRequest): Promise<LoadAnswer> => {
    const scheduledAt = started + next * every;
    if (scheduledAt >= end) {
      unsent += 1;
      return { ok: false, text: PACED_UNSENT, subgraphMs: null };
    }
    next += 1;
    const wait = scheduledAt - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sentAt = performance.now();
    sent += 1;
    try {
      const response = await pool.request({
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...request.headers },
        body: request.body,
      });
      const text = await response.body.text();
      const ok = response.statusCode === 200 && request.check(text);
      options.onAnswer({ label: request.label, scheduledAt, sentAt, doneAt: performance.now(), ok });
      const timing = /subgraphs;dur=([\d.]+)/.exec(String(response.headers['server-timing'] ?? ''));
      return { ok, text, subgraphMs: timing ? Number(timing[1]) : null };
    } catch (error) {
      options.onAnswer({ label: request.label, scheduledAt, sentAt, doneAt: performance.now(), ok: false });
      return { ok: false, text: String(error), subgraphMs: null };
    }
  };
  await Promise.all(
    Array.from({ length: options.users }, async (_, user) => {
      while (started + next * every < end) await options.script(user, send);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { seconds: round(seconds), sent, unsent };
}
