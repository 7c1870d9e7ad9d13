import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fc, { type GeneratorValue } from 'fast-check';
import { buildSchema, introspectionFromSchema } from 'graphql';
import {
  FuzzTally,
  FUZZ_IDENTITIES,
  generateHttpCase,
  groupViolations,
  httpRequest,
  MALFORMED_REQUESTS,
  problemsOf,
  SchemaFuzzer,
  sendHttpCase,
  sendOperation,
  startSupergraph,
  taskPool,
  violation,
  type Chooser,
  type FuzzResponse,
  type HttpCase,
  type RunningSupergraph,
  type Violation,
} from '@academy/testing';

/**
 * Schema-aware fuzzing: operations generated over every root field of the client-facing API
 * (docs/api-contract.graphql), with hostile argument values (NUL, lone surrogates, 10k strings,
 * odd Unicode, SQL and LIKE metacharacters, numbers out of range, malformed and foreign ids,
 * invalid enums, wrong types, missing arguments), inline or as variables, random selection sets;
 * malformed documents; malformed HTTP requests. Each is sent to a real supergraph as anonymous,
 * learner, instructor, evaluator or tenant admin of `demo`, and whatever it is, the answer is a
 * client error with a contract code or data: never a server error, a stack trace or an internal
 * host, and never UPSTREAM_UNAVAILABLE (every subgraph is up: that code would hide a subgraph
 * that failed or refused the gateway's request). Every violating case is collected, so one run
 * shows them all, grouped by cause, each with its smallest example.
 *
 * FUZZ_RUNS (default 2000), FUZZ_HTTP_RUNS (200), FUZZ_SEED, FUZZ_CONCURRENCY (4); FUZZ_REPORT:
 * a file to write every violation to (JSON).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2_000);
const HTTP_RUNS = Number(process.env.FUZZ_HTTP_RUNS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 4);
const PASSWORD = 'academy-demo-2026';
const CONTRACT = path.resolve(__dirname, '../../docs/api-contract.graphql');

const IDENTITIES = FUZZ_IDENTITIES;

const integer = (min: number, max: number) => fc.noBias(fc.integer({ min, max }));
const chooserOf = (g: GeneratorValue): Chooser => ({ int: (min, max) => g(integer, min, max) });

describe('schema-aware fuzzing of the supergraph', () => {
  let supergraph: RunningSupergraph;
  let fuzzer: SchemaFuzzer;
  const tokens: Record<string, string | null> = { anonymous: null };
  const found: Violation[] = [];
  /** With FUZZ_REPORT: every case, briefly (what it was, what came back), to see what the run reached. */
  const cases: { target: string; identity: string; values: string[]; query: string; status: number; codes: string[] }[] = [];

  beforeAll(async () => {
    // With FUZZ_REPORT, the services' logs too: the report then has the errors behind each 500.
    // A slow machine is not what is fuzzed: a 30 s subgraph deadline, so that UPSTREAM_UNAVAILABLE
    // can only mean a subgraph that failed or refused the gateway's request.
    supergraph = await startSupergraph({
      isolated: true,
      captureLogs: Boolean(process.env.FUZZ_REPORT),
      subgraphFetch: { timeoutMs: 30_000 },
    });
    for (const [, name] of IDENTITIES.filter(([, name]) => name !== 'anonymous'))
      tokens[name] = await supergraph.login(`${name}@demo.academy.mx`, PASSWORD, 'demo');
    const foreign = await supergraph.login('tenant_admin@cooperativa-sol.academy.mx', PASSWORD, 'cooperativa-sol');
    const pools = await valuePools(supergraph, tokens, foreign);
    const schema = introspectionFromSchema(buildSchema(await readFile(CONTRACT, 'utf8'))).__schema;
    fuzzer = new SchemaFuzzer(schema, {
      identities: IDENTITIES,
      tenants: [
        [88, 'demo'],
        [10, 'cooperativa-sol'],
        [2, null],
      ],
      pools,
    });
  }, 120_000);
  afterAll(async () => {
    if (process.env.FUZZ_REPORT) {
      const errors = supergraph?.logs.filter((line) => Number(line.level) >= 40) ?? [];
      writeFileSync(process.env.FUZZ_REPORT, JSON.stringify({ violations: found, errors, cases }, null, 2));
    }
    await supergraph?.close();
  });

  it(`answers ${RUNS} generated operations with data or a contract code, never a server error`, async () => {
    expect(fuzzer.rootFields.length).toBeGreaterThan(80);
    const tally = new FuzzTally();
    const violations: Violation[] = [];
    const pool = taskPool(CONCURRENCY);
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const operation = fuzzer.operation(chooserOf(g));
        // Sent while the next ones are generated; failures are collected, not thrown: one run shows them all.
        await pool.run(async () => {
          const response = await sendOperation(supergraph.origin, operation, tokens).catch(unanswered);
          const problems = problemsOf(response, { subgraphsUp: true });
          tally.add(response, problems);
          if (problems.length) violations.push(violation(operation, response, problems));
          if (process.env.FUZZ_REPORT) cases.push({ ...operation, status: response.status, codes: codesOf(response) });
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
    await pool.drain();
    found.push(...violations);
    process.stdout.write(`${tally.summary('operations')}\n`);
    expect(groupViolations(violations)).toEqual([]);
  }, 600_000);

  it(`answers malformed HTTP requests (${MALFORMED_REQUESTS.length} fixed, ${HTTP_RUNS} generated) with a contract code, never a server error`, async () => {
    const tally = new FuzzTally();
    const violations: Violation[] = [];
    const check = async (request: HttpCase) => {
      const response = await sendHttpCase(supergraph.origin, request).catch(unanswered);
      const problems = problemsOf(response, { bodyOptional: request.bodyOptional === true, subgraphsUp: true });
      tally.add(response, problems);
      if (process.env.FUZZ_REPORT)
        cases.push({
          target: `http:${request.name}`,
          identity: 'anonymous',
          values: [],
          query: '',
          status: response.status,
          codes: codesOf(response),
        });
      if (problems.length) {
        violations.push(
          violation(
            {
              target: `http:${request.group ?? request.name}`,
              identity: 'anonymous',
              tenant: request.headers?.['x-tenant'] ?? null,
              values: [],
              query: `${request.method ?? (request.raw ? 'raw' : 'POST')} ${request.path ?? '/graphql'} ${JSON.stringify(request.headers ?? {})} ${String(request.raw ?? request.body ?? '')}`,
            },
            response,
            problems,
          ),
        );
      }
    };
    for (const request of MALFORMED_REQUESTS) await check(request);
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => check(generateHttpCase(chooserOf(g)))),
      { seed: SEED, numRuns: HTTP_RUNS },
    );
    found.push(...violations);
    process.stdout.write(`${tally.summary('malformed HTTP requests')}\n`);
    expect(groupViolations(violations)).toEqual([]);
  }, 300_000);

  it('leaves the gateway and every subgraph ready', async () => {
    const targets = { gateway: supergraph.origin, ...supergraph.subgraphUrls };
    const ready: Record<string, number> = {};
    for (const [name, url] of Object.entries(targets))
      ready[name] = (await httpRequest(new URL('/health/ready', url).toString(), {})).status;
    expect(ready).toEqual(Object.fromEntries(Object.keys(targets).map((name) => [name, 200])));
  });
});

const codesOf = (response: FuzzResponse) =>
  ((response.body as { errors?: { extensions?: { code?: string } }[] } | undefined)?.errors ?? []).map((error) =>
    String(error.extensions?.code),
  );

const unanswered = (error: unknown): FuzzResponse => ({ status: 0, text: `no answer: ${String(error)}`, body: undefined });

/**
 * Ids of real rows (of demo, and some of cooperativa-sol: foreign ones) and real strings (slugs,
 * codes), for arguments to reach real data. The identities' own ids are left out: a tenant
 * admin suspending the learner would turn the rest of the run into UNAUTHENTICATED.
 */
async function valuePools(supergraph: RunningSupergraph, tokens: Record<string, string | null>, foreign: string) {
  const ids = new Set<string>();
  const strings = new Set<string>();
  const own = new Set<string>();
  const walk = (value: unknown, key = ''): void => {
    if (Array.isArray(value)) value.forEach((item) => walk(item, key));
    else if (value && typeof value === 'object') for (const [name, item] of Object.entries(value)) walk(item, name);
    else if (typeof value === 'string' && key === 'id') ids.add(value);
    else if (typeof value === 'string' && ['slug', 'code', 'verificationCode', 'competencyStandardCode'].includes(key)) strings.add(value);
  };
  const ask = async (query: string, token: string | null, tenant = 'demo', variables: Record<string, unknown> = {}) => {
    const response = await supergraph.request(query, { tenant, variables, ...(token ? { token } : {}) });
    walk(response.body.data);
    return response.body.data;
  };
  for (const token of Object.values(tokens)) {
    if (!token) continue;
    const me = (await supergraph.request<{ me: { id: string } }>('{ me { id } }', { tenant: 'demo', token })).body.data?.me;
    if (me) own.add(me.id);
  }
  const admin = tokens.tenant_admin!;
  const catalogue = (await ask(
    '{ users(first: 100) { edges { node { id } } } communities { id } courses(first: 50) { edges { node { id slug competencyStandardCode } } } orders(first: 50) { edges { node { id } } } coupons { id code } apiKeys { id } conocerSubmissions(first: 50) { id } dc3s(first: 50) { id } impactEvents(first: 50) { id } }',
    admin,
  )) as { courses?: { edges: { node: { id: string } }[] } } | null;
  for (const { node } of catalogue?.courses?.edges ?? [])
    await ask(
      'query ($id: ID) { course(id: $id) { modules { id lessons { id attachments { id } } } assessment { id questions { id options { id } } } evaluationCriteria { id } reviews(first: 20) { edges { node { id } } } enrollments(first: 50) { edges { node { id } } } } }',
      admin,
      'demo',
      { id: node.id },
    );
  await ask(
    '{ me { enrollments { id attempts { id } portfolio { id evidence { id } } dc3 { id } } certificates { id verificationCode } orders { id } notifications(first: 50) { edges { node { id } } } } }',
    tokens.learner!,
  );
  await ask('{ portfoliosToReview(first: 20) { id evidence { id } } }', tokens.evaluator!);
  await ask('{ users(first: 20) { edges { node { id } } } courses(first: 20) { edges { node { id slug } } } }', foreign, 'cooperativa-sol');
  for (const id of own) ids.delete(id);
  return { ids: [...ids].sort(), strings: [...strings].sort() };
}
