import pg from 'pg';
import { Pool } from 'undici';
import { PERSISTED_DOCUMENTS } from '@academy/client-operations';
import { signForwardedContext, type TenantRef } from '@academy/platform';
import { virtualUsers, type LabelResult, type LoadAnswer, type LoadRequest, type Script } from '../field/load';
import { startPlatform, type Platform } from '../platform';
import { demoTenantId, scratchDatabase } from '../scratch-database';
import { latency } from '../stats';
import type { ScenarioOptions } from '../scenario-options';

export interface WorkloadRun {
  workload: string;
  connections: number;
  rps: number;
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  /** Per operation of the workload: latency, errors, the gateway's share and the subgraph wait. */
  operations: Record<string, LabelResult & OneAtATime>;
  cpuMsPerRequest: { gateway: number; subgraphs: number };
  /** CPU ms per request of each part on the machine: every service, PostgreSQL, the load generator. */
  cpuMsPerRequestByPart: Record<string, number>;
}

export interface WorkloadsResult {
  dataset: string;
  warmupSeconds: number;
  seconds: number;
  runs: WorkloadRun[];
  /**
   * What any request costs a subgraph before its resolvers do anything: `{ __typename }` signed
   * as the gateway signs, straight to each subgraph the learner dashboard asks (8 connections).
   * The dashboard's 6 subgraph requests cost at least 6 of these.
   */
  subgraphFloor: Record<string, { rps: number; errors: number; cpuUsPerRequest: number }>;
  peakRssMiB: { gateway: number; subgraphs: number };
}

/** The subgraphs the learner dashboard's query plan asks (conocer twice). */
const DASHBOARD_SUBGRAPHS = ['users', 'courses', 'certifications', 'conocer', 'impact'] as const;

/** The persisted document of one of the apps' operations, sent as production clients send it. */
function persisted(operation: string, variables: Record<string, unknown> = {}): string {
  const entry = [...PERSISTED_DOCUMENTS.entries()].find(([, text]) => new RegExp(`^(query|mutation) ${operation}\\b`).test(text));
  if (!entry) throw new Error(`no persisted document ${operation}`);
  return JSON.stringify({ documentId: entry[0], variables });
}

const answered = (text: string) => text.startsWith('{"data":{') && !text.includes('"errors"');
const dataOf = <T>(answer: LoadAnswer) => (JSON.parse(answer.text) as { data: T }).data;

export interface Fixture {
  tenantId: string;
  headers: (token: string) => Record<string, string>;
  /**
   * The seed's learners with an enrollment, of every tenant (51 on the demo data), each a
   * different person with their own dashboard: what a load of many learners asks for. The
   * gateway shares a request in flight between identical ones (same viewer, same query), so 20
   * users signed in as one learner cost the subgraphs about a ninth of what 20 learners do.
   */
  learners: { tenant: string; token: string }[];
  admin: string;
  verificationCodes: string[];
  courses: { id: string; slug: string; lessons: string[] }[];
  /** Learners of the bench's own, enrolled in nothing yet (the mixed profile's). */
  freshLearners: string[];
}

/**
 * Our own workloads through our gateway as deployed (every service its own process, production
 * settings) on the demo data set: what the apps do most. Each at a constant number of virtual
 * users for a fixed time, every answer checked; then each operation once more, one at a time,
 * counting the SQL statements the subgraphs sent for it.
 */
export async function workloadsScenario(options: ScenarioOptions): Promise<WorkloadsResult> {
  const { log } = options;
  // Each workload runs 30 s before it is measured: with 5 s, the processes' code was not yet
  // optimised by V8 (the same learner dashboard cost 4.75-5.75 ms of CPU per request after 5 s and
  // 2.79 after 40 s; docs/benchmarks.md). BENCH_WARMUP_SECONDS sets another.
  const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS) || (options.quick ? 2 : 30);
  const seconds = options.quick ? 6 : 15;
  const scratch = await scratchDatabase(options.serverUrl, `academy_bench_workloads_${process.pid}`, options.appPassword);
  let platform: Platform | undefined;
  try {
    platform = await startPlatform({ database: scratch, redisUrl: options.redisUrl });
    const fixture = await prepare(scratch.ownerUrl, platform, options.quick ? 1_000 : 3_000);
    const { admin, headers } = fixture;
    const anonymous = { 'x-tenant': 'demo' };

    const workloads: { name: string; connections: number; script: Script }[] = [
      {
        name: 'learner dashboard',
        connections: 20,
        // Each virtual user a learner of their own (fixture.learners), as on a real platform.
        script: async (user, send) =>
          void (await send({
            label: 'LearnerDashboard',
            body: persisted('LearnerDashboard'),
            headers: learnerHeaders(fixture, user),
            check: (text) => answered(text) && text.includes('"enrollments":[{'),
          })),
      },
      {
        name: 'course catalogue page',
        connections: 20,
        script: async (user, send) =>
          void (await send({
            label: 'CourseCatalogue',
            body: persisted('CourseCatalogue', { first: 20 }),
            headers: learnerHeaders(fixture, user),
            check: (text) => answered(text) && text.includes('"totalCount":'),
          })),
      },
      {
        name: 'tenant impact report',
        connections: 20,
        script: async (_user, send) =>
          void (await send({
            label: 'ImpactReport',
            body: persisted('ImpactReport', { scope: 'TENANT', period: 'MONTH' }),
            headers: headers(admin),
            check: (text) => answered(text) && text.includes('"overall":'),
          })),
      },
      {
        name: 'verifyCertificate (anonymous, cached 60 s)',
        connections: 20,
        script: async (user, send) => {
          const code = fixture.verificationCodes[user % fixture.verificationCodes.length]!;
          await send({
            label: 'VerifyCertificate',
            body: persisted('VerifyCertificate', { code }),
            headers: anonymous,
            check: (text) => answered(text) && text.includes('"valid":true'),
          });
        },
      },
      { name: 'mixed: enroll, complete lessons, read progress', connections: 20, script: mixedProfile(fixture) },
    ];

    const runs: WorkloadRun[] = [];
    // BENCH_WORKLOADS=<words>: only the workloads whose name contains one of them (to profile one).
    const only = (process.env.BENCH_WORKLOADS ?? '').split(',').filter(Boolean);
    for (const workload of workloads.filter((one) => only.length === 0 || only.some((word) => one.name.includes(word)))) {
      await virtualUsers(platform.origin, '/graphql', {
        connections: workload.connections,
        seconds: warmupSeconds,
        script: workload.script,
      });
      const cpuBefore = platform.cpu();
      const partsBefore = platform.cpuByPart();
      const { all, labels } = await virtualUsers(platform.origin, '/graphql', {
        connections: workload.connections,
        seconds,
        script: workload.script,
      });
      const cpuAfter = platform.cpu();
      const partsAfter = platform.cpuByPart();
      const perRequest = (used: number) => Math.round((used / Math.max(1, all.requests)) * 100_000) / 100;
      const sql = await statementsPerOperation(platform, workload.script);
      const operations = Object.fromEntries(Object.entries(labels).map(([label, result]) => [label, { ...result, ...sql[label]! }]));
      const run: WorkloadRun = {
        workload: workload.name,
        connections: workload.connections,
        rps: all.rps,
        requests: all.requests,
        errors: all.errors,
        p50: all.p50,
        p95: all.p95,
        p99: all.p99,
        operations,
        cpuMsPerRequest: {
          gateway: perRequest(cpuAfter.gateway - cpuBefore.gateway),
          subgraphs: perRequest(cpuAfter.subgraphs - cpuBefore.subgraphs),
        },
        cpuMsPerRequestByPart: Object.fromEntries(
          Object.entries(partsAfter)
            .map(([part, seconds]) => [part, perRequest(seconds - (partsBefore[part] ?? 0))] as const)
            .filter(([, ms]) => ms > 0),
        ),
      };
      runs.push(run);
      log(
        `  ${run.workload}: ${run.rps} RPS, p50 ${run.p50} / p95 ${run.p95} / p99 ${run.p99} ms, ${run.errors} errors of ${run.requests}, CPU/request ${run.cpuMsPerRequest.gateway} ms gateway + ${run.cpuMsPerRequest.subgraphs} ms subgraphs`,
      );
      log(
        `    CPU/request by part: ${Object.entries(run.cpuMsPerRequestByPart)
          .map(([part, ms]) => `${part} ${ms}`)
          .join(', ')} ms (${sumOf(Object.values(run.cpuMsPerRequestByPart))} ms in all)`,
      );
      for (const [label, operation] of Object.entries(operations)) {
        log(
          `    ${label}: p50 ${operation.p50} ms, gateway share p50 ${operation.gatewayShare?.p50 ?? '-'} / p99 ${operation.gatewayShare?.p99 ?? '-'} ms; ` +
            `alone p50 ${operation.alone.p50} ms of which gateway ${operation.alone.gatewayShareP50} ms; ${operation.sqlStatements} SQL statements ${JSON.stringify(operation.sqlByKind)}`,
        );
      }
    }
    const subgraphFloor: WorkloadsResult['subgraphFloor'] = {};
    if (only.length === 0 || only.includes('floor')) {
      const tenant = await tenantRef(scratch.ownerUrl, fixture.tenantId);
      for (const name of DASHBOARD_SUBGRAPHS) subgraphFloor[name] = await floorOf(platform, name, tenant, options.quick ? 2 : 8);
      log(
        `  subgraph floor ({ __typename }, signed, straight to the subgraph): ${Object.entries(subgraphFloor)
          .map(([name, floor]) => `${name} ${floor.cpuUsPerRequest} us CPU/request (${floor.rps} RPS, ${floor.errors} errors)`)
          .join(', ')}`,
      );
    }
    return {
      dataset: 'demo seed (3 tenants) + bench learners',
      warmupSeconds,
      seconds,
      runs,
      subgraphFloor,
      peakRssMiB: platform.peakRss(),
    };
  } finally {
    await platform?.stop();
    await scratch.drop();
  }
}

async function tenantRef(ownerUrl: string, tenantId: string): Promise<TenantRef> {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const { rows } = await owner.query<TenantRef>('SELECT id::text AS id, slug, name, tier::text AS tier FROM tenants WHERE id = $1', [
      tenantId,
    ]);
    return rows[0]!;
  } finally {
    await owner.end();
  }
}

/** One subgraph's CPU per `{ __typename }` (WorkloadsResult.subgraphFloor), after as long again of warmup. */
async function floorOf(platform: Platform, name: string, tenant: TenantRef, seconds: number) {
  const label = `${name} { __typename }`;
  const body = JSON.stringify({ query: '{ __typename }' });
  const script: Script = async (_user, send) =>
    void (await send({
      label,
      body,
      headers: signForwardedContext(platform.secrets.gatewaySecret, { tenant, viewer: null }),
      check: (text) => text.trim() === '{"data":{"__typename":"Query"}}',
    }));
  const origin = platform.subgraphOrigin(name);
  await virtualUsers(origin, '/graphql', { connections: 8, seconds, script });
  const before = platform.cpuByPart()[name]!;
  const { all } = await virtualUsers(origin, '/graphql', { connections: 8, seconds, script });
  const used = platform.cpuByPart()[name]! - before;
  return { rps: all.rps, errors: all.errors, cpuUsPerRequest: Math.round((used / Math.max(1, all.requests)) * 1e6) };
}

/** Virtual user `user` signed in as a learner of their own (the seed's, one after the other). */
function learnerHeaders(fixture: Fixture, user: number): Record<string, string> {
  const { tenant, token } = fixture.learners[user % fixture.learners.length]!;
  return { 'x-tenant': tenant, authorization: `Bearer ${token}` };
}

/**
 * A learner's session: opens a course, enrolls, completes its lessons one by one, looks at
 * progress; then the next course, and a new learner when every course is taken.
 */
export function mixedProfile(fixture: Fixture): Script {
  const state = new Map<number, { learner: number; course: number }>();
  let nextLearner = 0;
  return async (user, send) => {
    let at = state.get(user);
    if (!at || at.course >= fixture.courses.length) state.set(user, (at = { learner: nextLearner++, course: 0 }));
    const learnerToken = fixture.freshLearners[at.learner % fixture.freshLearners.length]!;
    const headers = fixture.headers(learnerToken);
    const course = fixture.courses[at.course++]!;
    await send({
      label: 'CourseDetail',
      body: persisted('CourseDetail', { slug: course.slug }),
      headers,
      check: (text) => answered(text) && text.includes(course.id),
    });
    const enrolled = await send({
      label: 'Enroll',
      body: persisted('Enroll', { courseId: course.id }),
      headers,
      check: (text) => answered(text) && text.includes('"status":"ACTIVE"'),
    });
    if (!enrolled.ok) return;
    const enrollmentId = dataOf<{ enroll: { id: string } }>(enrolled).enroll.id;
    for (const lessonId of course.lessons) {
      await send({
        label: 'CompleteLesson',
        body: persisted('CompleteLesson', { enrollmentId, lessonId }),
        headers,
        check: (text) => answered(text) && text.includes(lessonId),
      });
    }
    await send({
      label: 'MyEnrollments',
      body: persisted('MyEnrollments', {}),
      headers,
      check: (text) => answered(text) && text.includes(enrollmentId),
    });
  };
}

/** An operation sent alone (no other load): SQL statements it caused, its latency and the gateway's share of it. */
interface OneAtATime {
  sqlStatements: number;
  sqlByKind: Record<string, number>;
  alone: { samples: number; p50: number; gatewayShareP50: number; subgraphWaitP50: number };
}

const median = (values: number[]) => Math.round(latency(values).p50 * 10) / 10;

/** Each operation of a workload, one at a time (a virtual user's script, ten times), with the SQL statements it caused. */
async function statementsPerOperation(platform: Platform, script: Script): Promise<Record<string, OneAtATime>> {
  const totals = new Map<string, { requests: number; byKind: Record<string, number>; latencies: number[]; waits: number[] }>();
  const pool = new Pool(platform.origin, { connections: 1 });
  const send = async (request: LoadRequest): Promise<LoadAnswer> => {
    const before = await platform.statements();
    const sent = performance.now();
    const response = await pool.request({
      path: '/graphql',
      method: 'POST',
      headers: { 'content-type': 'application/json', ...request.headers },
      body: request.body,
    });
    const text = await response.body.text();
    const latency = performance.now() - sent;
    // The subgraphs count a statement when it is sent; the answer left after the last one.
    const after = await platform.statements();
    const total = totals.get(request.label) ?? { requests: 0, byKind: {}, latencies: [], waits: [] };
    total.requests += 1;
    const wait = Number(/subgraphs;dur=([\d.]+)/.exec(String(response.headers['server-timing'] ?? ''))?.[1] ?? 0);
    total.latencies.push(latency);
    total.waits.push(wait);
    for (const [kind, count] of Object.entries(after)) total.byKind[kind] = (total.byKind[kind] ?? 0) + count - (before[kind] ?? 0);
    totals.set(request.label, total);
    return { ok: response.statusCode === 200 && request.check(text), text, subgraphMs: null };
  };
  // Users beyond the load's (their own state in the mixed profile): 1,000 and up.
  for (let round = 0; round < 10; round += 1) await script(1_000 + round, send);
  await pool.close();
  return Object.fromEntries(
    [...totals].map(([label, { requests, byKind, latencies, waits }]) => {
      const perRequest = Object.fromEntries(
        Object.entries(byKind)
          .filter(([, count]) => count > 0)
          .map(([kind, count]) => [kind, Math.round((count / requests) * 10) / 10]),
      );
      const alone = {
        samples: requests,
        p50: median(latencies),
        gatewayShareP50: median(latencies.map((latency, i) => Math.max(0, latency - waits[i]!))),
        subgraphWaitP50: median(waits),
      };
      return [
        label,
        { sqlStatements: Math.round(Object.values(perRequest).reduce((a, b) => a + b, 0) * 10) / 10, sqlByKind: perRequest, alone },
      ];
    }),
  );
}

/** Ids, codes and tokens the workloads need, and `extraLearners` learners of the bench's own in the demo tenant. */
export async function prepare(ownerUrl: string, platform: Platform, extraLearners: number): Promise<Fixture> {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const tenantId = await demoTenantId(owner);
    const idOf = async (email: string) => (await owner.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [email])).rows[0]!.id;
    const admin = await platform.token({ userId: await idOf('tenant_admin@demo.academy.mx'), tenantId, persona: 'TENANT_ADMIN' });
    const seeded = await owner.query<{ id: string; tenant_id: string; slug: string }>(
      `SELECT u.id, u.tenant_id, t.slug FROM users u JOIN tenants t ON t.id = u.tenant_id
       WHERE u.persona = 'LEARNER' AND EXISTS (SELECT 1 FROM enrollments e WHERE e.learner_id = u.id)
       ORDER BY t.slug, u.email`,
    );
    const learners = await Promise.all(
      seeded.rows.map(async (row) => ({
        tenant: row.slug,
        token: await platform.token({ userId: row.id, tenantId: row.tenant_id, persona: 'LEARNER' }),
      })),
    );
    const codes = await owner.query<{ verification_code: string }>(
      "SELECT verification_code FROM certificates WHERE tenant_id = $1 AND status = 'ISSUED' ORDER BY verification_code",
      [tenantId],
    );
    const courses = await owner.query<{ id: string; slug: string; lessons: string[] }>(
      `SELECT c.id, c.slug, array_agg(l.id::text ORDER BY m.position, l.position) AS lessons
       FROM courses c JOIN course_modules m ON m.course_id = c.id JOIN lessons l ON l.module_id = m.id
       WHERE c.tenant_id = $1 AND c.status = 'PUBLISHED' GROUP BY c.id, c.slug ORDER BY c.slug`,
      [tenantId],
    );
    const freshLearners = (
      await createFreshLearners(
        owner,
        platform,
        tenantId,
        1,
        extraLearners,
        courses.rows.map((course) => course.id),
      )
    ).map((fresh) => fresh.token);
    return {
      tenantId,
      headers: (token) => ({ 'x-tenant': 'demo', authorization: `Bearer ${token}` }),
      learners,
      admin,
      verificationCodes: codes.rows.map((row) => row.verification_code),
      courses: courses.rows,
      freshLearners,
    };
  } finally {
    await owner.end();
  }
}

/**
 * `count` learners of the bench's own in the demo tenant, enrolled in nothing (bench-<from>@… and
 * on), with their tokens; each has bought every paid course of `courseIds` (a PAID card order,
 * as the seed's learners have: without one, Enroll answers PAYMENT_REQUIRED).
 */
export async function createFreshLearners(
  owner: pg.Client,
  platform: Platform,
  tenantId: string,
  from: number,
  count: number,
  courseIds: readonly string[],
): Promise<{ id: string; token: string }[]> {
  const fresh = await owner.query<{ id: string }>(
    `INSERT INTO users (id, tenant_id, email, name, password_hash, persona, created_at, updated_at)
     SELECT gen_random_uuid(), $1, 'bench-' || i || '@demo.academy.mx', 'Aprendiz ' || i, 'x', 'LEARNER', now(), now()
     FROM generate_series($3::int, $3::int + $2::int - 1) i RETURNING id`,
    [tenantId, count, from],
  );
  await owner.query(
    `INSERT INTO orders (id, tenant_id, buyer_id, course_id, status, payment_method, subtotal_cents, discount_cents, total_cents,
                         currency, paid_at, created_at, updated_at)
     SELECT gen_random_uuid(), c.tenant_id, buyer, c.id, 'PAID', 'CARD', c.price_cents, 0, c.price_cents, c.currency, now(), now(), now()
     FROM unnest($1::uuid[]) buyer CROSS JOIN courses c
     WHERE c.tenant_id = $2 AND c.id = ANY($3::uuid[]) AND c.price_cents > 0`,
    [fresh.rows.map((row) => row.id), tenantId, courseIds],
  );
  return Promise.all(
    fresh.rows.map(async (row) => ({ id: row.id, token: await platform.token({ userId: row.id, tenantId, persona: 'LEARNER' }) })),
  );
}

function sumOf(values: number[]): number {
  return Math.round(values.reduce((total, value) => total + value, 0) * 100) / 100;
}
