import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import pg from 'pg';
import WebSocket from 'ws';
import { PERSISTED_DOCUMENTS } from '@academy/client-operations';
import { certificationStatusChannel } from '@academy/events';
import { createDatabaseClient, Database } from '@academy/platform';
import { changeStatus } from '@academy/subgraph-conocer';
import { sampleValue, scrape, type Sample } from '@academy/testing';
import { cpuSeconds, rssMiB } from '../field/processes';
import { startPlatform, type Platform } from '../platform';
import { demoTenantId, scratchDatabase } from '../scratch-database';
import { latency, type Latency } from '../stats';
import type { ScenarioOptions } from '../scenario-options';

export interface SubscriptionsResult {
  /** Learners each subscribed to their own certificate, plus tenant admins subscribed to every certificate. */
  subscribers: number;
  staffSubscribers: number;
  connectSeconds: number;
  eventsPerSecond: number;
  events: number;
  expectedDeliveries: number;
  delivered: number;
  missed: number;
  duplicates: number;
  /** From the status change's COMMIT (in the bench process) to the subscriber having the event (same clock). */
  latencyMs: Latency;
  /** The same, for the learners (one event each) and for the staff subscribers (every event, in order). */
  latencyByPersonaMs: { learners: Latency; staff: Latency };
  /** From COMMIT to the event on Redis (the workers' outbox relay); the rest is the gateway's. */
  relayLatencyMs: Latency;
  /**
   * The bench process's own event loop delay during the changes (it holds every subscriber's
   * socket and times COMMIT, Redis and receipt), net of the monitor's 10 ms interval: what of the
   * latencies is the measuring.
   */
  benchEventLoopLagMs: { p50: number; p99: number; max: number };
  /**
   * The workers' event loop delay during the changes (prom-client's, since the scrape before; net of its 10 ms interval):
   * the outbox relay publishes from that loop, so its stalls are in the relay's latency.
   */
  workersEventLoopLagMs: { p50: number; p99: number; max: number };
  /** Each part's CPU during the changes, in % of one core (the machine has as many 100s as cores): where the machine's time goes. */
  cpuPercentByPart: Record<string, number>;
  gateway: {
    rssIdleMiB: number;
    rssHalfMiB: number;
    rssConnectedMiB: number;
    perConnectionKiB: number;
    cpuMsPerDelivery: number;
    eventLoopLagMs: { p50: number; p99: number };
    gcMs: number;
    /** The gateway's requests to each subgraph during the changes: how many, and their mean time (sending to whole answer). */
    subgraphFetches: Record<string, { count: number; meanMs: number }>;
  };
}

const SUBSCRIPTION = [...PERSISTED_DOCUMENTS.values()].find((text) => text.startsWith('subscription CertificationStatus('))!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Subscriber {
  staff: boolean;
  socket: WebSocket;
  received: Map<string, number>;
  duplicates: number;
}

/**
 * Live certification status: `subscribers` graphql-ws connections on one gateway (each a learner
 * subscribed to their certificate with the apps' CertificationStatus document, plus tenant
 * admins who see every change), status changes committed at a fixed rate as the workers commit
 * them (history row and outbox event in one transaction), relayed to Redis and resolved by the
 * gateway for each subscriber. Latency from COMMIT to receipt, memory per connection, misses.
 */
export async function subscriptionsScenario(options: ScenarioOptions): Promise<SubscriptionsResult> {
  const { log } = options;
  const learners = options.quick ? 1_000 : 10_000;
  const staff = 2;
  const eventsPerSecond = options.quick ? 10 : 20;
  const seconds = options.quick ? 8 : 30;
  const scratch = await scratchDatabase(options.serverUrl, `academy_bench_subscriptions_${process.pid}`, options.appPassword);
  let platform: Platform | undefined;
  let redis: Redis | undefined;
  const subscribers: Subscriber[] = [];
  const client = createDatabaseClient({ url: scratch.appUrl, applicationName: 'academy-bench-events', poolSize: 4 });
  try {
    platform = await startPlatform({ database: scratch, redisUrl: options.redisUrl, workers: true });
    const { tenantId, submissions, admins } = await prepare(scratch.ownerUrl, learners);
    const gatewayPid = platform.services.get('gateway')!.child.pid!;
    const wsUrl = `${platform.origin.replace('http', 'ws')}/graphql`;
    const rssIdleMiB = rssMiB(gatewayPid);

    // Connect in waves, each subscriber acknowledged, then subscribed; memory read at half and at
    // all (the difference per connection leaves out what the gateway grows once, e.g. its young generation).
    const connectStarted = performance.now();
    const people = [
      ...submissions.map((row) => ({
        userId: row.learnerId,
        persona: 'LEARNER' as const,
        certificateId: row.certificateId as string | null,
      })),
      ...admins.slice(0, staff).map((userId) => ({ userId, persona: 'TENANT_ADMIN' as const, certificateId: null })),
    ];
    const half = Math.floor(people.length / 2);
    const connectUpTo = async (count: number) => {
      for (let i = subscribers.length; i < count; i += 250) {
        const wave = await Promise.all(
          people
            .slice(i, Math.min(count, i + 250))
            .map(async (person) =>
              connect(wsUrl, await platform!.token({ userId: person.userId, tenantId, persona: person.persona }), person.certificateId),
            ),
        );
        subscribers.push(...wave);
      }
      for (let waited = 0; ; waited += 100) {
        const listening = sampleValue(await scrape(`${platform!.origin}/metrics`), 'academy_gateway_active_subscriptions', {
          service: 'gateway',
        });
        if (listening === count) break;
        if (waited > 60_000)
          throw new Error(`only ${listening} of ${count} subscriptions are listening; refused: ${JSON.stringify(refusals)}`);
        await sleep(100);
      }
    };
    await connectUpTo(half);
    await sleep(2_000);
    const rssHalfMiB = rssMiB(gatewayPid);
    await connectUpTo(people.length);
    const connectSeconds = Math.round((performance.now() - connectStarted - 2_000) / 100) / 10;
    await sleep(2_000);
    const rssConnectedMiB = rssMiB(gatewayPid);
    log(
      `  ${people.length.toLocaleString('en')} subscribers connected in ${connectSeconds} s; gateway RSS ${Math.round(rssIdleMiB)} MiB idle, ${Math.round(rssHalfMiB)} at ${half.toLocaleString('en')}, ${Math.round(rssConnectedMiB)} at all`,
    );

    // Where the time goes: when each change reached Redis (published by the workers' outbox relay).
    const published = new Map<string, number>();
    redis = new Redis(options.redisUrl);
    redis.on('pmessage', (_pattern: string, _channel: string, message: string) => {
      const event = certificationStatusChannel.decode(message);
      published.set(`${event.certificateId}:${event.status}`, performance.now());
    });
    await redis.psubscribe(certificationStatusChannel.pattern(platform.redisPrefix));

    // Status changes at a fixed rate, each for another learner's submission, timed at COMMIT.
    const database = new Database(client.prisma).forTenant(tenantId);
    const committedAt = new Map<string, number>();
    const change = async (submission: (typeof submissions)[number]) => {
      const next = submission.status === 'SUBMITTED' ? 'IN_REVIEW' : 'SUBMITTED';
      const row = await database.run((tx) => tx.conocerSubmission.findUniqueOrThrow({ where: { id: submission.id } }));
      const moved = await database.run((tx) => changeStatus(tx, row, { status: next, reason: 'bench' }));
      if (!moved) throw new Error(`submission ${submission.id} moved under the bench`);
      submission.status = next;
      return `${submission.certificateId}:${next}`;
    };
    const countDelivered = () => subscribers.reduce((sum, subscriber) => sum + subscriber.received.size, 0);
    const perChange = 1 + Math.min(staff, admins.length);
    // Warm-up: a few changes of the last learners (the gateway plans the event query once).
    for (const submission of submissions.slice(-10)) await change(submission);
    for (let waited = 0; countDelivered() < 10 * perChange && waited < 15_000; waited += 100) await sleep(100);
    for (const subscriber of subscribers) subscriber.received.clear();

    const events = eventsPerSecond * seconds;
    const gcSeconds = async () =>
      (await scrape(`${platform!.origin}/metrics`))
        .filter((sample) => sample.name === 'nodejs_gc_duration_seconds_sum')
        .reduce((sum, sample) => sum + sample.value, 0);
    const gcBefore = await gcSeconds();
    const fetchesBefore = await scrape(`${platform!.origin}/metrics`);
    // Read once before the changes: prom-client's event loop figures then cover what comes after.
    await scrape(`${platform.workersOrigin!}/metrics`);
    const cpuBefore = cpuSeconds(gatewayPid);
    const partsBefore = platform.cpuByPart();
    const benchLag = monitorEventLoopDelay({ resolution: 10 });
    benchLag.enable();
    const started = performance.now();
    const pending: Promise<void>[] = [];
    for (let n = 0; n < events; n += 1) {
      const due = started + (n * 1000) / eventsPerSecond;
      if (due > performance.now()) await sleep(due - performance.now());
      const submission = submissions[(n * 7919) % (submissions.length - 10)]!;
      pending.push(change(submission).then((key) => void committedAt.set(key, performance.now())));
    }
    await Promise.all(pending);
    const partsAfter = platform.cpuByPart();
    const changesSeconds = (performance.now() - started) / 1000;
    const expected = events * perChange;
    for (let waited = 0; countDelivered() < expected && waited < 15_000; waited += 100) await sleep(100);
    const delivered = countDelivered();
    benchLag.disable();
    // Net of the monitor's own 10 ms sampling interval (each sample is the time between two of its ticks).
    const lagMs = (nanoseconds: number) => Math.max(0, Math.round((nanoseconds / 1e6 - 10) * 10) / 10);
    const benchEventLoopLagMs = { p50: lagMs(benchLag.percentile(50)), p99: lagMs(benchLag.percentile(99)), max: lagMs(benchLag.max) };
    const eventPhase = await scrape(`${platform.origin}/metrics`);
    const workersPhase = await scrape(`${platform.workersOrigin!}/metrics`);
    // Net of prom-client's 10 ms sampling interval, as the bench's own.
    const lagOf = (samples: Sample[], name: string) => lagMs((sampleValue(samples, name) ?? 0) * 1e9);
    const workersEventLoopLagMs = {
      p50: lagOf(workersPhase, 'nodejs_eventloop_lag_p50_seconds'),
      p99: lagOf(workersPhase, 'nodejs_eventloop_lag_p99_seconds'),
      max: lagOf(workersPhase, 'nodejs_eventloop_lag_max_seconds'),
    };
    const loopLag = {
      p50: Math.round((sampleValue(eventPhase, 'nodejs_eventloop_lag_p50_seconds') ?? 0) * 10_000) / 10,
      p99: Math.round((sampleValue(eventPhase, 'nodejs_eventloop_lag_p99_seconds') ?? 0) * 10_000) / 10,
    };
    const gcMs = Math.round(((await gcSeconds()) - gcBefore) * 1000);
    const subgraphFetches = fetchesDuring(fetchesBefore, eventPhase);
    const cpuMsPerDelivery = Math.round(((cpuSeconds(gatewayPid) - cpuBefore) * 1000 * 100) / Math.max(1, delivered)) / 100;
    const latencies: number[] = [];
    const byPersona = { learners: [] as number[], staff: [] as number[] };
    for (const subscriber of subscribers) {
      for (const [key, at] of subscriber.received) {
        const commit = committedAt.get(key);
        if (commit === undefined) continue;
        latencies.push(at - commit);
        byPersona[subscriber.staff ? 'staff' : 'learners'].push(at - commit);
      }
    }
    const relayed = [...published].flatMap(([key, at]) => (committedAt.has(key) ? [at - committedAt.get(key)!] : []));
    const result: SubscriptionsResult = {
      relayLatencyMs: latency(relayed),
      benchEventLoopLagMs,
      workersEventLoopLagMs,
      cpuPercentByPart: Object.fromEntries(
        Object.entries(partsAfter).map(([part, seconds]) => [
          part,
          Math.round(((seconds - (partsBefore[part] ?? 0)) * 1000) / changesSeconds) / 10,
        ]),
      ),
      subscribers: people.length,
      staffSubscribers: perChange - 1,
      connectSeconds,
      eventsPerSecond,
      events,
      expectedDeliveries: expected,
      delivered,
      missed: expected - delivered,
      duplicates: subscribers.reduce((sum, subscriber) => sum + subscriber.duplicates, 0),
      latencyMs: latency(latencies),
      latencyByPersonaMs: { learners: latency(byPersona.learners), staff: latency(byPersona.staff) },
      gateway: {
        rssIdleMiB: Math.round(rssIdleMiB),
        rssConnectedMiB: Math.round(rssConnectedMiB),
        rssHalfMiB: Math.round(rssHalfMiB),
        perConnectionKiB: Math.round(((rssConnectedMiB - rssHalfMiB) * 1024 * 10) / (people.length - half)) / 10,
        cpuMsPerDelivery,
        eventLoopLagMs: loopLag,
        gcMs,
        subgraphFetches,
      },
    };
    log(
      `  ${events} changes at ${eventsPerSecond}/s: ${delivered} of ${expected} deliveries (${result.missed} missed, ${result.duplicates} duplicates), ` +
        `COMMIT to receipt p50 ${result.latencyMs.p50} / p99 ${result.latencyMs.p99} ms (learners p50 ${result.latencyByPersonaMs.learners.p50} / p99 ${result.latencyByPersonaMs.learners.p99}, staff p50 ${result.latencyByPersonaMs.staff.p50} / p99 ${result.latencyByPersonaMs.staff.p99}; to Redis p50 ${result.relayLatencyMs.p50} / p99 ${result.relayLatencyMs.p99}; the bench's own event loop lag p50 ${benchEventLoopLagMs.p50} / p99 ${benchEventLoopLagMs.p99} / max ${benchEventLoopLagMs.max}); ${result.gateway.perConnectionKiB} KiB per connection; gateway CPU ${cpuMsPerDelivery} ms per delivery, event loop lag p50 ${loopLag.p50} / p99 ${loopLag.p99} ms, GC ${gcMs} ms; ` +
        `subgraph requests ${Object.entries(subgraphFetches)
          .map(([subgraph, { count, meanMs }]) => `${subgraph} ${count} x ${meanMs} ms`)
          .join(', ')}`,
    );
    log(
      `  the workers' event loop delay during the changes p50 ${workersEventLoopLagMs.p50} / p99 ${workersEventLoopLagMs.p99} / max ${workersEventLoopLagMs.max} ms\n` +
        `  CPU during the changes, % of a core: ${Object.entries(result.cpuPercentByPart)
          .map(([part, percent]) => `${part} ${percent}`)
          .join(', ')} (${Math.round(Object.values(result.cpuPercentByPart).reduce((a, b) => a + b, 0))} in all)`,
    );
    return result;
  } finally {
    for (const subscriber of subscribers) subscriber.socket.terminate();
    redis?.disconnect();
    await client.close();
    await platform?.stop();
    await scratch.drop();
  }
}

/** The gateway's subgraph requests between two scrapes of its metrics, by subgraph: count and mean duration. */
function fetchesDuring(before: Sample[], after: Sample[]): Record<string, { count: number; meanMs: number }> {
  const totals = (samples: Sample[], name: string) => {
    const bySubgraph = new Map<string, number>();
    for (const sample of samples)
      if (sample.name === name) bySubgraph.set(sample.labels.subgraph!, (bySubgraph.get(sample.labels.subgraph!) ?? 0) + sample.value);
    return bySubgraph;
  };
  const name = 'academy_gateway_subgraph_fetch_duration_seconds';
  const [countsBefore, sumsBefore] = [totals(before, `${name}_count`), totals(before, `${name}_sum`)];
  const [countsAfter, sumsAfter] = [totals(after, `${name}_count`), totals(after, `${name}_sum`)];
  return Object.fromEntries(
    [...countsAfter].map(([subgraph, count]) => {
      const fetched = count - (countsBefore.get(subgraph) ?? 0);
      const seconds = (sumsAfter.get(subgraph) ?? 0) - (sumsBefore.get(subgraph) ?? 0);
      return [subgraph, { count: fetched, meanMs: fetched ? Math.round((seconds * 1000 * 10) / fetched) / 10 : 0 }];
    }),
  );
}

/** Subscriptions the gateway refused (graphql-ws `error` messages), by the first error's code. */
const refusals: Record<string, number> = {};

function connect(url: string, token: string, certificateId: string | null): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers: { 'x-tenant': 'demo' }, perMessageDeflate: false });
    const subscriber: Subscriber = { staff: certificateId === null, socket, received: new Map(), duplicates: 0 };
    const timer = setTimeout(() => reject(new Error('no connection_ack within 30 s')), 30_000);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    socket.on('error', reject);
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as {
        type: string;
        payload?: { data?: { certificationStatusChanged?: { status: string; certificate: { id: string } } }; errors?: unknown };
      };
      if (message.type === 'connection_ack') {
        clearTimeout(timer);
        socket.send(
          JSON.stringify({
            id: '1',
            type: 'subscribe',
            payload: { query: SUBSCRIPTION, variables: certificateId ? { certificateId } : {} },
          }),
        );
        resolve(subscriber);
      } else if (message.type === 'next') {
        const change = message.payload?.data?.certificationStatusChanged;
        if (!change) return;
        const key = `${change.certificate.id}:${change.status}`;
        if (subscriber.received.has(key)) subscriber.duplicates += 1;
        else subscriber.received.set(key, performance.now());
      } else if (message.type === 'error') {
        // After connection_ack (this promise resolved): counted, and reported if too few listen.
        const errors = (Array.isArray(message.payload) ? message.payload : []) as { extensions?: { code?: string } }[];
        const code = String(errors[0]?.extensions?.code ?? 'unknown');
        refusals[code] = (refusals[code] ?? 0) + 1;
        reject(new Error(`subscription refused: ${JSON.stringify(message.payload)}`));
      } else if (message.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong' }));
      }
    });
  });
}

/** `learners` learners of the demo tenant, each with a certificate of a published course and its CONOCER submission (SUBMITTED). */
async function prepare(ownerUrl: string, learners: number) {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const tenantId = await demoTenantId(owner);
    const course = (
      await owner.query<{ id: string; code: string }>(
        "SELECT id, competency_standard_code AS code FROM courses WHERE tenant_id = $1 AND status = 'PUBLISHED' AND competency_standard_code IS NOT NULL ORDER BY slug LIMIT 1",
        [tenantId],
      )
    ).rows[0]!;
    await owner.query(
      `WITH people AS (
         INSERT INTO users (id, tenant_id, email, name, password_hash, persona, created_at, updated_at)
         SELECT gen_random_uuid(), $1, 'live-' || i || '@demo.academy.mx', 'Aprendiz ' || i, 'x', 'LEARNER', now(), now() FROM generate_series(1, $3::int) i
         RETURNING id, email),
       enrolled AS (
         INSERT INTO enrollments (id, tenant_id, course_id, learner_id, status, final_score, completed_at, updated_at)
         SELECT gen_random_uuid(), $1, $2, id, 'COMPLETED', 95, now(), now() FROM people RETURNING id, learner_id),
       certified AS (
         INSERT INTO certificates (id, tenant_id, learner_id, course_id, enrollment_id, verification_code, credential)
         SELECT gen_random_uuid(), $1, learner_id, $2, id, 'LIVE-' || md5(id::text), '{}' FROM enrolled RETURNING id, learner_id)
       INSERT INTO conocer_submissions (id, tenant_id, certificate_id, standard_code, status, attempts, last_attempt_at, requested_by_id, updated_at)
       SELECT gen_random_uuid(), $1, id, $4, 'SUBMITTED', 1, now(), learner_id, now() FROM certified`,
      [tenantId, course.id, learners, course.code],
    );
    const submissions = (
      await owner.query<{ id: string; certificateId: string; learnerId: string }>(
        `SELECT s.id, s.certificate_id AS "certificateId", s.requested_by_id AS "learnerId" FROM conocer_submissions s
       JOIN users u ON u.id = s.requested_by_id WHERE s.tenant_id = $1 AND u.email LIKE 'live-%' ORDER BY u.email`,
        [tenantId],
      )
    ).rows.map((row) => ({ ...row, status: 'SUBMITTED' as 'SUBMITTED' | 'IN_REVIEW' }));
    const admins = (
      await owner.query<{ id: string }>("SELECT id FROM users WHERE tenant_id = $1 AND persona = 'TENANT_ADMIN' ORDER BY email", [tenantId])
    ).rows.map((row) => row.id);
    return { tenantId, submissions, admins };
  } finally {
    await owner.end();
  }
}
