import pg from 'pg';
import { scoredEvent, type EventType, type Granularity, type Verification } from '@academy/impact-scoring';
import { createDatabaseClient, Database, hashPassword, signForwardedContext, type Persona } from '@academy/platform';
import {
  GlobalImpactRepository,
  ImpactAggregateRepository,
  ImpactAggregation,
  ImpactReports,
  type RollupRepair,
} from '@academy/subgraph-impact';
import { startSupergraph } from '@academy/testing';
import { scratchDatabase, useTestingHarness, type ScratchDatabase } from '../scratch-database';
import { latency, timed, type Latency } from '../stats';

export interface ImpactBenchOptions {
  /** Owner URL of a PostgreSQL server (a database of the bench's own is created and dropped). */
  serverUrl: string;
  redisUrl: string;
  appPassword: string;
  events: number;
  reportSamples: number;
  log(line: string): void;
}

export interface ImpactBenchResult {
  dataset: { events: number; tenants: number; people: number; communities: number; insertMs: number };
  recompute: {
    /** The derived tables empty: everything written. */
    rebuildMs: number;
    /** The nightly case: everything recomputed, nothing differs, nothing written. */
    repairMs: number;
    dailyRollupMs: number;
    weeklyRollupMs: number;
    userDays: number;
    aggregates: number;
  };
  incremental: { events: number; applyMs: number; eventsPerSecond: number; driftAfterwards: number };
  /**
   * impactReport, one request at a time: through the gateway over HTTP (gateway -> impact
   * subgraph -> PostgreSQL), straight to the impact subgraph (signed as the gateway signs), and
   * the report's own work in process (aggregates read in a tenant transaction, scored).
   */
  reports: Record<string, { gateway: Latency; subgraph: Latency; inProcess: Latency }>;
}

const TENANTS = 50;
const PEOPLE = 20_000;
const ALL: Granularity[] = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'ALL_TIME'];
const TYPES: EventType[] = ['COURSE_COMPLETION', 'COMMUNITY_PROJECT', 'SKILL_SHARING', 'SUSTAINABILITY_ACTION', 'REGENERATIVE_PROJECT'];
const LEVELS: Verification[] = ['SELF_REPORTED', 'PEER_VERIFIED', 'EXPERT_VERIFIED'];
/** What a dashboard asks for (the contract's fields; trend points without their per-dimension scores). */
const REPORT =
  'scope period from to overall scores { dimension score } eventCount participantCount trend { periodStart overall eventCount }';

const uuid = (kind: string, n: number | string) => `md5('bench-${kind}-' || ${n})::uuid`;

/**
 * The impact pipeline at scale: a million scored events (50 tenants, 20,000 people, 100
 * communities, three years), the set-based recompute (from nothing, and the nightly repair
 * that finds no drift), the incremental path's throughput, and report latency.
 */
export async function impactScenario(options: ImpactBenchOptions): Promise<ImpactBenchResult> {
  const { log } = options;
  const scratch = await scratchDatabase(options.serverUrl, `academy_bench_${process.pid}`, options.appPassword);
  const owner = new pg.Client({ connectionString: scratch.ownerUrl });
  try {
    await owner.connect();
    const dataset = await buildDataset(owner, options.events, log);

    const client = createDatabaseClient({ url: scratch.appUrl, applicationName: 'academy-bench', poolSize: 2 });
    const database = new Database(client.prisma);
    const aggregation = new ImpactAggregation(database, { info: () => undefined, warn: () => undefined });
    try {
      const today = new Date();
      const rebuild = await timed(() => aggregation.rollup(ALL, new Date(0)));
      log(`  rebuild from nothing: ${rebuild.ms} ms (${describe(rebuild.result)})`);
      const repair = await timed(() => aggregation.rollup(ALL, new Date(0)));
      log(`  nightly repair, no drift: ${repair.ms} ms (${describe(repair.result)})`);
      const daily = await timed(() => aggregation.rollup(['DAY', 'WEEK'], new Date(today.getTime() - 8 * 86_400_000)));
      const weekly = await timed(() => aggregation.rollup(['MONTH', 'QUARTER'], new Date(today.getTime() - 35 * 86_400_000)));
      log(`  daily rollup ${daily.ms} ms, weekly rollup ${weekly.ms} ms`);
      const { rows: sizes } = await owner.query<{ days: string; aggregates: string }>(
        'SELECT (SELECT count(*) FROM impact_user_days) AS days, (SELECT count(*) FROM impact_aggregates) AS aggregates',
      );

      // The incremental path: 10,000 more events through the trigger, applied in batches.
      const more = 10_000;
      for (let i = 0; i < more; i += 1000) await insertEvents(owner, options.events + i, 1000);
      const apply = await timed(() => aggregation.applyPending());
      const after = await aggregation.rollup(ALL, new Date(0));
      const drift = after.reduce((sum, repair) => sum + repair.inserted + repair.updated + repair.deleted, 0);
      log(`  incremental: ${apply.result} changes applied in ${apply.ms} ms; a recompute afterwards repaired ${drift} rows`);

      const reports = await reportLatency(scratch, options, log);
      return {
        dataset,
        recompute: {
          rebuildMs: rebuild.ms,
          repairMs: repair.ms,
          dailyRollupMs: daily.ms,
          weeklyRollupMs: weekly.ms,
          userDays: Number(sizes[0]!.days),
          aggregates: Number(sizes[0]!.aggregates),
        },
        incremental: {
          events: apply.result,
          applyMs: apply.ms,
          eventsPerSecond: Math.round((apply.result / apply.ms) * 1000),
          driftAfterwards: drift,
        },
        reports,
      };
    } finally {
      await client.close();
    }
  } finally {
    await owner.end().catch(() => undefined);
    await scratch.drop();
  }
}

function describe(repairs: RollupRepair[]): string {
  return repairs.map((r) => `${r.relation} +${r.inserted} ~${r.updated} -${r.deleted}`).join(', ');
}

/** Tenants, people (one admin per tenant, a platform admin), communities, memberships, then the events. */
async function buildDataset(owner: pg.Client, events: number, log: (line: string) => void): Promise<ImpactBenchResult['dataset']> {
  const passwordHash = await hashPassword('bench-password');
  await owner.query(`
    INSERT INTO tenants (id, slug, name, tier, updated_at)
    SELECT ${uuid('tenant', 't')}, 'bench-' || lpad(t::text, 2, '0'), 'Academia ' || t, 'PROFESSIONAL', now() FROM generate_series(0, ${TENANTS - 1}) t`);
  await owner.query(
    `INSERT INTO users (id, tenant_id, email, name, password_hash, persona, created_at, updated_at)
     SELECT ${uuid('user', 'u')}, ${uuid('tenant', `(u % ${TENANTS})`)}, 'persona' || u || '@bench.mx', 'Persona ' || u,
       CASE WHEN u < ${TENANTS * 2} THEN $1 ELSE 'x' END,
       (CASE WHEN u = 0 THEN 'PLATFORM_ADMIN' WHEN u < ${TENANTS * 2} THEN 'TENANT_ADMIN' ELSE 'LEARNER' END)::"Persona",
       now() - interval '4 years', now()
     FROM generate_series(0, ${PEOPLE - 1}) u`,
    [passwordHash],
  );
  await owner.query(`
    INSERT INTO communities (id, tenant_id, name, updated_at)
    SELECT ${uuid('community', 'c')}, ${uuid('tenant', `(c % ${TENANTS})`)}, 'Comunidad ' || c, now() FROM generate_series(0, ${TENANTS * 2 - 1}) c`);
  // Three people in four belong to one of their tenant's two communities.
  await owner.query(`
    INSERT INTO community_memberships (tenant_id, community_id, user_id, joined_at)
    SELECT ${uuid('tenant', `(u % ${TENANTS})`)}, ${uuid('community', `((u % ${TENANTS}) + ${TENANTS} * ((u / ${TENANTS}) % 2))`)}, ${uuid('user', 'u')}, now() - interval '4 years'
    FROM generate_series(0, ${PEOPLE - 1}) u WHERE u % 4 <> 3`);

  // 60 scored kinds of event (type x verification x quantities), as the services score them.
  const kinds: { type: EventType; verification: Verification; quantities: Record<string, number> }[] = [];
  const sets: Record<string, number>[] = [{}, { hours: 3 }, { participants: 12, hours: 4 }, { kgCo2eAvoided: 120 }];
  for (const type of TYPES)
    for (const verification of LEVELS) for (const quantities of sets) kinds.push({ type, verification, quantities });
  await owner.query(
    'CREATE TABLE bench_kinds (n int PRIMARY KEY, type text, verification text, quantities jsonb, s int, c int, r int, j int, ci int)',
  );
  for (const [n, kind] of kinds.entries()) {
    const points = scoredEvent(kind);
    await owner.query('INSERT INTO bench_kinds VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
      n,
      kind.type,
      kind.verification,
      JSON.stringify(kind.quantities),
      points.sustainabilityMillipoints,
      points.communityMillipoints,
      points.regenerativeMillipoints,
      points.socialJusticeMillipoints,
      points.circularityMillipoints,
    ]);
  }

  // The bulk load skips the aggregation trigger: the recompute below builds everything.
  await owner.query('ALTER TABLE impact_events DISABLE TRIGGER impact_events_inserted');
  const started = performance.now();
  for (let offset = 0; offset < events; offset += 250_000) {
    await insertEvents(owner, offset, Math.min(250_000, events - offset));
    log(`  events: ${Math.min(events, offset + 250_000).toLocaleString('en')} of ${events.toLocaleString('en')}`);
  }
  const insertMs = Math.round(performance.now() - started);
  await owner.query('ALTER TABLE impact_events ENABLE TRIGGER impact_events_inserted');
  await owner.query('VACUUM ANALYZE impact_events');
  return { events, tenants: TENANTS, people: PEOPLE, communities: TENANTS * 2, insertMs };
}

/** Events `from` .. `from + count - 1`: spread over people, 80 % in their community, three years back (a seventh in the last month). */
async function insertEvents(owner: pg.Client, from: number, count: number): Promise<void> {
  await owner.query(`
    INSERT INTO impact_events (id, tenant_id, user_id, community_id, type, description, verification, quantities, occurred_at,
      sustainability_millipoints, community_millipoints, regenerative_millipoints, social_justice_millipoints, circularity_millipoints)
    SELECT gen_random_uuid(), ${uuid('tenant', `(x.u % ${TENANTS})`)}, ${uuid('user', 'x.u')},
      CASE WHEN x.u % 4 <> 3 AND i % 5 <> 0 THEN ${uuid('community', `((x.u % ${TENANTS}) + ${TENANTS} * ((x.u / ${TENANTS}) % 2))`)} END,
      k.type::"ImpactEventType", 'Evento ' || i, k.verification::"VerificationLevel", k.quantities,
      now() - interval '1 minute' - CASE WHEN i % 7 = 0 THEN random() * interval '30 days' ELSE random() * interval '1095 days' END,
      k.s, k.c, k.r, k.j, k.ci
    FROM generate_series(${from}, ${from + count - 1}) i
    CROSS JOIN LATERAL (SELECT ((i::bigint * 7919) % ${PEOPLE})::int AS u) x
    JOIN bench_kinds k ON k.n = i % 60`);
}

/** Reports through the whole supergraph (in this process, over HTTP), one request at a time. */
async function reportLatency(
  database: ScratchDatabase,
  options: ImpactBenchOptions,
  log: (line: string) => void,
): Promise<ImpactBenchResult['reports']> {
  await useTestingHarness({ serverUrl: options.serverUrl, redisUrl: options.redisUrl, database, runId: `bench-${process.pid}` });
  const supergraph = await startSupergraph();
  try {
    const tenantAdmin = await supergraph.login('persona50@bench.mx', 'bench-password', 'bench-00');
    const platformAdmin = await supergraph.login('persona0@bench.mx', 'bench-password', 'bench-00');
    const tenant = supergraph.db.database.forTenant((await supergraph.gateway.tenants.bySlug('bench-00'))!.id);
    const community = (await tenant.run((tx) => tx.community.findFirstOrThrow({ orderBy: { name: 'asc' } }))).id;
    const person = (await tenant.run((tx) => tx.user.findFirstOrThrow({ where: { email: 'persona1000@bench.mx' } }))).id;
    const tenantId = (await supergraph.gateway.tenants.bySlug('bench-00'))!.id;
    const viewers: Record<string, { token: string; userId: string; persona: Persona }> = {
      admin: {
        token: tenantAdmin,
        userId: (await tenant.run((tx) => tx.user.findFirstOrThrow({ where: { email: 'persona50@bench.mx' } }))).id,
        persona: 'TENANT_ADMIN',
      },
      platform: {
        token: platformAdmin,
        userId: (await tenant.run((tx) => tx.user.findFirstOrThrow({ where: { email: 'persona0@bench.mx' } }))).id,
        persona: 'PLATFORM_ADMIN',
      },
    };
    // A new one each time, as each request has its own (it caches what it loaded).
    const fresh = () =>
      new ImpactReports(tenantId, new ImpactAggregateRepository(tenant), new GlobalImpactRepository(supergraph.db.database));
    const cases: [string, string, keyof typeof viewers, () => Promise<unknown>][] = [
      ['TENANT, MONTH', 'scope: TENANT, period: MONTH', 'admin', () => fresh().tenant('MONTH')],
      ['TENANT, ALL_TIME', 'scope: TENANT, period: ALL_TIME', 'admin', () => fresh().tenant('ALL_TIME')],
      [
        'COMMUNITY, YEAR',
        `scope: COMMUNITY, period: YEAR, communityId: "${community}"`,
        'admin',
        () => fresh().of('community', community, 'YEAR'),
      ],
      [
        'INDIVIDUAL, ALL_TIME',
        `scope: INDIVIDUAL, period: ALL_TIME, userId: "${person}"`,
        'admin',
        () => fresh().of('person', person, 'ALL_TIME'),
      ],
      [
        'GLOBAL, QUARTER',
        'scope: GLOBAL, period: QUARTER',
        'platform',
        () => fresh().platform('QUARTER', { userId: viewers.platform!.userId, tenantId, persona: 'PLATFORM_ADMIN' }),
      ],
    ];
    const sample = async (once: () => Promise<unknown>) => {
      for (let i = 0; i < 20; i += 1) await once();
      const samples: number[] = [];
      for (let i = 0; i < options.reportSamples; i += 1) {
        const started = performance.now();
        await once();
        samples.push(performance.now() - started);
      }
      return latency(samples);
    };
    const results: Record<string, { gateway: Latency; subgraph: Latency; inProcess: Latency }> = {};
    for (const [label, args, who, inProcess] of cases) {
      const viewer = viewers[who]!;
      const query = `{ impactReport(${args}) { ${REPORT} } }`;
      const gateway = await sample(async () => {
        const response = await supergraph.request(query, { token: viewer.token, tenant: 'bench-00' });
        if (response.status !== 200 || response.body.errors)
          throw new Error(`${label}: ${JSON.stringify(response.body.errors ?? response.status)}`);
      });
      const subgraph = await sample(async () => {
        const headers = signForwardedContext(supergraph.gatewaySecret, {
          tenant: { id: tenantId, slug: 'bench-00', name: 'Academia 0', tier: 'PROFESSIONAL' },
          viewer: { userId: viewer.userId, tenantId, persona: viewer.persona },
        });
        const response = await fetch(supergraph.subgraphUrls.impact!, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query }),
        });
        const body = (await response.json()) as { errors?: unknown };
        if (body.errors) throw new Error(`${label}: ${JSON.stringify(body.errors)}`);
      });
      results[label] = { gateway, subgraph, inProcess: await sample(inProcess) };
      log(
        `  ${label}: gateway p50 ${gateway.p50} / p99 ${gateway.p99} ms, subgraph p50 ${subgraph.p50} / p99 ${subgraph.p99} ms, in process p50 ${results[label].inProcess.p50} / p99 ${results[label].inProcess.p99} ms`,
      );
    }
    return results;
  } finally {
    await supergraph.close();
  }
}
