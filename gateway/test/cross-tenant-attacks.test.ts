import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildSchema, introspectionFromSchema } from 'graphql';
import {
  createTenantWithEveryKindOfRow,
  CrossTenantCases,
  distinctiveStrings,
  foreignDataIn,
  groupViolations,
  idsOfOtherTenants,
  INTROSPECTION_QUERY,
  markTenantTexts,
  problemsOf,
  rowsOfTenant,
  seededChooser,
  sendOperation,
  startSupergraph,
  subscribe,
  taskPool,
  tenantFingerprint,
  TEST_PASSWORD,
  violation,
  withUnknownIds,
  type AttackCase,
  type FuzzResponse,
  type RootField,
  type RunningSupergraph,
  type SchemaDescription,
  type TenantRows,
  type TestTenant,
  type Violation,
} from '@academy/testing';

/**
 * A generated cross-tenant attack suite: every id-taking root field of the API (the contract's
 * v1 and v2, and what the gateway adds), queries, mutations and subscriptions, called by each
 * persona of one tenant (learner, instructor, evaluator, tenant admin: never the platform admin,
 * who crosses tenants by design) with ids of another tenant (a fixture tenant with a row in every
 * table, and the seeded cooperativa-sol): the attacked argument an id of the kind its name says
 * (sometimes of another kind), other id arguments the attacker's own ids or more of the victim's,
 * plausible values everywhere else; the lists (courses, users, orders, ...) asked with the
 * victim's cursors and titles; some requests naming the victim's tenant (TENANT_MISMATCH).
 *
 * Every answer: no id of any other tenant, no distinctive string of the victims (emails, names,
 * slugs, codes, titles), unless the request itself sent it; no server error; and the same as the
 * answer to the same request with unknown ids instead (a victim's id is indistinguishable from
 * one that does not exist). Subscriptions to a victim's certificate or order are refused with
 * NOT_FOUND and deliver nothing. Afterwards every row of both victims is as it was.
 *
 * CROSS_TENANT_RUNS (default 900 HTTP cases), CROSS_TENANT_SEED, CROSS_TENANT_CONCURRENCY (4).
 */
const RUNS = Number(process.env.CROSS_TENANT_RUNS ?? 900);
const SEED = Number(process.env.CROSS_TENANT_SEED ?? 20261202);
const CONCURRENCY = Number(process.env.CROSS_TENANT_CONCURRENCY ?? 4);
const CONTRACT = path.resolve(__dirname, '../../docs/api-contract.graphql');
const PERSONAS = ['LEARNER', 'INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN'] as const;
/** What a request naming the victim's tenant with the attacker's token may be refused with. */
const WRONG_TENANT_CODES = ['TENANT_MISMATCH', 'UNAUTHENTICATED', 'FORBIDDEN'];

describe('cross-tenant attacks generated over every id-taking field', () => {
  let supergraph: RunningSupergraph;
  let victim: TestTenant;
  let attacker: TestTenant;
  let victims: TenantRows[];
  let generator: CrossTenantCases;
  let secrets: { ids: Set<string>; strings: string[] };
  let before: Record<string, Record<string, string>>;
  let contractIdFields: string[];
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    // A 30 s subgraph deadline: UPSTREAM_UNAVAILABLE then means a subgraph failed, not a slow machine.
    supergraph = await startSupergraph({ isolated: true, subgraphFetch: { timeoutMs: 30_000 } });
    const { ownerUrl } = supergraph.db;
    [victim, attacker] = [
      await createTenantWithEveryKindOfRow(supergraph.db.database),
      await createTenantWithEveryKindOfRow(supergraph.db.database),
    ];
    await markTenantTexts(ownerUrl, victim.tenant.id, `Victima-${randomBytes(4).toString('hex')}`);
    victims = [await rowsOfTenant(ownerUrl, victim.tenant.slug), await rowsOfTenant(ownerUrl, 'cooperativa-sol')];
    const own = await rowsOfTenant(ownerUrl, attacker.tenant.slug);
    const ownStrings = new Set(await distinctiveStrings(ownerUrl, attacker.tenant.id, { texts: true }));
    secrets = {
      ids: await idsOfOtherTenants(ownerUrl, attacker.tenant.id),
      strings: [
        ...(await distinctiveStrings(ownerUrl, victims[0]!.tenantId, { texts: true })),
        ...(await distinctiveStrings(ownerUrl, victims[1]!.tenantId)),
      ].filter((value) => !ownStrings.has(value)),
    };
    before = Object.fromEntries(
      await Promise.all(victims.map(async (rows) => [rows.slug, await tenantFingerprint(ownerUrl, rows.tenantId)] as const)),
    );
    for (const persona of PERSONAS)
      tokens[persona] = await supergraph.login(attacker.users[persona].email, TEST_PASSWORD, attacker.tenant.slug);
    const introspection = await supergraph.request<{ __schema: SchemaDescription }>(INTROSPECTION_QUERY, { tenant: attacker.tenant.slug });
    generator = new CrossTenantCases(introspection.body.data!.__schema, {
      victims: [
        [3, victims[0]!],
        [1, victims[1]!],
      ],
      own,
    });
    const contract = introspectionFromSchema(buildSchema(await readFile(CONTRACT, 'utf8'))).__schema;
    contractIdFields = new CrossTenantCases(contract, { victims: [[1, victims[0]!]], own }).idFields.map(
      (root) => `${root.operation}.${root.field.name}`,
    );
  }, 120_000);
  afterAll(async () => {
    await supergraph?.close();
  });

  it('covers every id-taking field of the contract, each id argument of a known kind', () => {
    const covered = generator.idFields.map((root) => `${root.operation}.${root.field.name}`);
    expect(contractIdFields.filter((field) => !covered.includes(field))).toEqual([]);
    expect(contractIdFields.length).toBeGreaterThanOrEqual(55);
    expect(generator.unmappedSlots()).toEqual([]);
    // The victims have a row of every kind an argument names.
    const kinds = new Set(generator.idFields.flatMap((root) => root.slots.map((slot) => slot.kind!)));
    expect([...kinds].filter((kind) => !victims[0]!.ids[kind]?.length)).toEqual([]);
  });

  it(`answers ${RUNS} generated attacks and the victims' subscriptions with nothing of the victims`, async () => {
    const started = Date.now();
    const c = seededChooser(SEED);
    const attackerSlug = attacker.tenant.slug;
    const victimSlug = victim.tenant.slug;
    const http = generator.idFields.filter((root) => root.operation !== 'subscription');
    const live = generator.idFields.filter((root) => root.operation === 'subscription');
    const cases: AttackCase[] = [];
    // Every field, slot and persona once; every list as every persona; every field naming the victim's tenant.
    for (const root of http)
      for (const slot of root.slots)
        for (const persona of PERSONAS) cases.push(generator.attack(c, root, persona, attackerSlug, slot.path));
    for (const root of generator.otherFields) for (const persona of PERSONAS) cases.push(generator.attack(c, root, persona, attackerSlug));
    for (const root of http) {
      const byPath = chance(c);
      cases.push(
        generator.attack(
          c,
          root,
          pickOne(c, PERSONAS),
          byPath ? null : victimSlug,
          undefined,
          byPath ? `/t/${victimSlug}/graphql` : undefined,
        ),
      );
    }
    // Then at random, to RUNS.
    const everything: RootField[] = [...http, ...http, ...generator.otherFields];
    while (cases.length < RUNS) {
      const root = pickOne(c, everything);
      const wrongTenant = c.int(0, 19) === 0;
      cases.push(generator.attack(c, root, pickOne(c, PERSONAS), wrongTenant ? victimSlug : attackerSlug));
    }

    const violations: Violation[] = [];
    const report: unknown[] = [];
    const codes = new Map<string, number>();
    let refused = 0;
    let answered = 0;
    let leaked = 0;
    const count = (code: string) => codes.set(code, (codes.get(code) ?? 0) + 1);
    const pool = taskPool(CONCURRENCY);
    for (const attack of cases) {
      await pool.run(async () => {
        const response = await sendOperation(supergraph.origin, attack, tokens).catch(unanswered);
        const problems = problemsOf(response, { subgraphsUp: true });
        const found = foreignDataIn(response.text, secrets, attack.sent);
        if (found.length) leaked += 1;
        problems.push(...found.map((what) => `leaks ${what}`));
        const errorCodes = codesOf(response);
        if (errorCodes.length) refused += 1;
        else answered += 1;
        new Set(errorCodes).forEach(count);
        if (attack.tenant === victimSlug || attack.path?.startsWith(`/t/${victimSlug}/`)) {
          if (!errorCodes.some((code) => WRONG_TENANT_CODES.includes(code)) || hasData(response))
            problems.push(`the victim's tenant with the attacker's token not refused: ${response.text.slice(0, 200)}`);
        } else if (attack.sent.length) {
          // The same request with unknown ids instead of the victim's: the same answer.
          const twin = await sendOperation(supergraph.origin, { ...attack, ...attack.twin }, tokens).catch(unanswered);
          const [mine, theirs] = [comparable(response, attack), comparable(twin, attack)];
          if (mine !== theirs)
            problems.push(`answers a victim's id otherwise than an unknown id: ${mine.slice(0, 300)} ≠ ${theirs.slice(0, 300)}`);
        }
        if (problems.length) violations.push(violation(attack, response, problems));
        if (process.env.CROSS_TENANT_REPORT)
          report.push({
            target: attack.target,
            identity: attack.identity,
            tenant: attack.tenant,
            values: attack.values,
            codes: errorCodes,
            text: response.text.slice(0, 300),
          });
      });
    }
    await pool.drain();

    // Subscriptions to the victims' certificates and orders (and ids of other kinds there): refused, nothing delivered.
    const subscriptions: AttackCase[] = [];
    for (const root of live)
      for (const persona of PERSONAS)
        for (let i = 0; i < 3; i += 1) subscriptions.push(generator.attack(c, root, persona, attackerSlug, root.slots[0]!.path));
    for (const root of live)
      for (const persona of PERSONAS) subscriptions.push(generator.attack(c, root, persona, victimSlug, root.slots[0]!.path));
    const livePool = taskPool(CONCURRENCY);
    for (const attack of subscriptions) {
      await livePool.run(async () => {
        const outcome = await trySubscription(supergraph.origin, attack, tokens[attack.identity]!);
        const problems: string[] = [];
        const expected = attack.tenant === victimSlug ? WRONG_TENANT_CODES : ['NOT_FOUND'];
        if (!outcome.code || !expected.includes(outcome.code))
          problems.push(`subscription not refused with ${expected.join(' or ')}: ${outcome.text}`);
        if (outcome.events.length) problems.push(`subscription delivered ${outcome.events.length} events`);
        const found = foreignDataIn(`${outcome.text} ${JSON.stringify(outcome.events)}`, secrets, attack.sent);
        if (found.length) leaked += 1;
        problems.push(...found.map((what) => `leaks ${what}`));
        if (outcome.code) {
          refused += 1;
          count(outcome.code);
        } else answered += 1;
        if (problems.length)
          violations.push(
            violation(attack, { status: 101, text: `${outcome.text} ${JSON.stringify(outcome.events)}`, body: undefined }, problems),
          );
      });
    }
    await livePool.drain();

    const after = Object.fromEntries(
      await Promise.all(victims.map(async (rows) => [rows.slug, await tenantFingerprint(supergraph.db.ownerUrl, rows.tenantId)] as const)),
    );
    const changed = Object.entries(after).flatMap(([slug, tables]) =>
      Object.entries(tables)
        .filter(([table, fingerprint]) => before[slug]![table] !== fingerprint)
        .map(([table, fingerprint]) => `${slug}.${table}: ${before[slug]![table]} → ${fingerprint}`),
    );

    const all = [...cases, ...subscriptions];
    const fields = new Map(all.map((attack) => [`${attack.operation}.${attack.field}`, attack.operation]));
    const byOperation = (operation: string) => [...fields.values()].filter((value) => value === operation).length;
    const byCode = [...codes.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([code, n]) => `${code} ${n}`)
      .join(', ');
    process.stdout.write(
      `cross-tenant: ${all.length} cases over ${fields.size} fields (${byOperation('query')} queries, ${byOperation('mutation')} mutations, ` +
        `${byOperation('subscription')} subscriptions), ${refused} refused (by code ${byCode}), ${answered} answered without the victim's data, ` +
        `${leaked} leaked, ${changed.length ? `victim rows CHANGED (${changed.length} tables)` : 'victim rows unchanged'} ` +
        `[${((Date.now() - started) / 1000).toFixed(1)} s]\n`,
    );
    if (process.env.CROSS_TENANT_REPORT)
      writeFileSync(process.env.CROSS_TENANT_REPORT, JSON.stringify({ violations, changed, cases: report }, null, 2));
    expect(all.length).toBeGreaterThanOrEqual(500);
    expect({ violations: groupViolations(violations), changed }).toEqual({ violations: [], changed: [] });
  }, 300_000);

  // Last: the victim's own people get the victim's data (and their subscriptions are accepted).
  it("sees the victim's data when the victim's own people ask the same (the checks bite)", async () => {
    const c = seededChooser(SEED + 1);
    const own = new CrossTenantCases(generator.schema, { victims: [[1, victims[0]!]], own: victims[0]! });
    const theirs: Record<string, string> = {};
    for (const persona of ['LEARNER', 'TENANT_ADMIN'] as const)
      theirs[persona] = await supergraph.login(victim.users[persona].email, TEST_PASSWORD, victim.tenant.slug);
    // Queries only: their mutations would change the victim's rows for real.
    const queries = own.idFields.filter((root) => root.operation === 'query');
    let leaks = 0;
    let differences = 0;
    for (const root of queries)
      for (const persona of ['LEARNER', 'TENANT_ADMIN']) {
        const attack = own.attack(c, root, persona, victim.tenant.slug, root.slots[0]!.path);
        const response = await sendOperation(supergraph.origin, attack, theirs);
        if (foreignDataIn(response.text, secrets, attack.sent).length) leaks += 1;
        const twin = await sendOperation(supergraph.origin, { ...attack, ...attack.twin }, theirs);
        if (comparable(response, attack) !== comparable(twin, attack)) differences += 1;
      }
    const certificate = own.idFields.find((root) => root.field.name === 'certificationStatusChanged')!;
    const accepted = await trySubscription(
      supergraph.origin,
      own.attack(c, certificate, 'LEARNER', victim.tenant.slug, 'certificateId'),
      theirs.LEARNER!,
      1_000,
    );
    process.stdout.write(
      `cross-tenant control: the victim's own people, ${queries.length * 2} queries: ${leaks} with the victim's data, ${differences} unlike unknown ids\n`,
    );
    const total = queries.length * 2;
    expect({ leaks: leaks >= total / 4, differences: differences >= total / 2, accepted: accepted.code }).toEqual({
      leaks: true,
      differences: true,
      accepted: undefined,
    });
  }, 120_000);
});

const pickOne = <T>(c: { int(min: number, max: number): number }, items: readonly T[]): T => items[c.int(0, items.length - 1)]!;
const chance = (c: { int(min: number, max: number): number }) => c.int(0, 1) === 1;

const unanswered = (error: unknown): FuzzResponse => ({ status: 0, text: `no answer: ${String(error)}`, body: undefined });

type Body = { data?: unknown; errors?: { message?: string; path?: unknown; extensions?: { code?: string } }[] } | undefined;

const codesOf = (response: FuzzResponse) => ((response.body as Body)?.errors ?? []).map((error) => String(error.extensions?.code));

/** Whether any root field answered with something (not null). */
const hasData = (response: FuzzResponse) => {
  const data = (response.body as Body)?.data;
  return Boolean(data && typeof data === 'object' && Object.values(data).some((value) => value !== null));
};

/** An answer as compared with its twin's: data and errors (code, path, message), the victim's ids as the twin's unknown ones. */
function comparable(response: FuzzResponse, attack: AttackCase): string {
  const body = response.body as Body;
  const answer = {
    status: response.status,
    data: body?.data ?? null,
    errors: (body?.errors ?? []).map((error) => ({ code: error.extensions?.code, path: error.path, message: error.message })),
  };
  return JSON.stringify(withUnknownIds(answer, attack.sent));
}

/** Subscribes as the attacker; what it was refused with (a graphql-ws error's code, or the close reason's), and what it received. */
async function trySubscription(origin: string, attack: AttackCase, token: string, waitMs = 3_000) {
  const subscription = subscribe(origin, {
    query: attack.query,
    ...(attack.variables ? { variables: attack.variables } : {}),
    token,
    ...(attack.tenant ? { tenant: attack.tenant } : {}),
  });
  const failure = await Promise.race([subscription.failed, new Promise((resolve) => setTimeout(() => resolve(null), waitMs))]);
  // A little longer: anything the server would still send.
  await new Promise((resolve) => setTimeout(resolve, 100));
  await subscription.dispose();
  const errors = Array.isArray(failure) ? (failure as { extensions?: { code?: string } }[]) : null;
  const reason = !errors && failure ? String((failure as { reason?: unknown }).reason ?? '') : '';
  const code = errors ? errors[0]?.extensions?.code : /^([A-Z_]+):/.exec(reason)?.[1];
  return {
    code,
    text: failure === null ? `no refusal within ${waitMs} ms` : JSON.stringify(errors ?? { reason }),
    events: subscription.events,
  };
}
