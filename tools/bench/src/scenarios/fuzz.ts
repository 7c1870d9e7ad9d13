import { CredentialSigner } from '@academy/credentials';
import { createDatabaseClient, Database } from '@academy/platform';
import { seedDatabase } from '@academy/seed';
import {
  FuzzTally,
  FUZZ_IDENTITIES,
  generateHttpCase,
  groupViolations,
  INTROSPECTION_QUERY,
  MALFORMED_REQUESTS,
  problemsOf,
  SchemaFuzzer,
  seededChooser,
  sendHttpCase,
  sendOperation,
  startSupergraph,
  taskPool,
  violation,
  type FuzzResponse,
  type SchemaDescription,
  type Violation,
  type ViolationGroup,
} from '@academy/testing';
import { loadSigningKey } from '@academy/tokens';
import { scratchDatabase, useTestingHarness } from '../scratch-database';
import type { ScenarioOptions } from '../scenario-options';

export interface FuzzResult {
  seed: number;
  operations: { cases: number; summary: string; seconds: number };
  http: { cases: number; summary: string };
  /** What broke, by cause (none expected: gateway/test/fuzz.test.ts runs 2,000 of the same in CI). */
  violations: ViolationGroup[];
}

const SEED = 20261201;
const PASSWORD = 'academy-demo-2026';
const IDENTITIES = FUZZ_IDENTITIES;

/**
 * The CI fuzzer at bench size (`npm run bench -- --only fuzz`): 10,000 generated operations over
 * every root field of the composed API (its introspection, with the subgraphs' additions), and
 * the malformed HTTP requests plus 1,000 generated ones, against a supergraph on a seeded scratch
 * database; every answer must be data or a contract code (tools/testing/src/schema-fuzz.ts).
 */
export async function fuzzScenario(options: ScenarioOptions): Promise<FuzzResult> {
  const operations = options.quick ? 2_000 : 10_000;
  const httpCases = options.quick ? 200 : 1_000;
  const database = await scratchDatabase(options.serverUrl, `academy_bench_fuzz_${process.pid}`, options.appPassword);
  try {
    const { credentialSigningKey } = await useTestingHarness({
      serverUrl: options.serverUrl,
      redisUrl: options.redisUrl,
      database,
      runId: `bench-fuzz-${process.pid}`,
    });
    const client = createDatabaseClient({ url: database.appUrl, applicationName: 'academy-bench-seed' });
    try {
      await seedDatabase({
        database: new Database(client.prisma),
        credentials: new CredentialSigner(await loadSigningKey(credentialSigningKey)),
      });
    } finally {
      await client.close();
    }
    const supergraph = await startSupergraph({ rateLimitScale: 1_000 });
    try {
      const tokens: Record<string, string | null> = { anonymous: null };
      for (const [, name] of IDENTITIES)
        if (name !== 'anonymous') tokens[name] = await supergraph.login(`${name}@demo.academy.mx`, PASSWORD, 'demo');
      const introspection = await supergraph.request<{ __schema: SchemaDescription }>(INTROSPECTION_QUERY, { tenant: 'demo' });
      const fuzzer = new SchemaFuzzer(introspection.body.data!.__schema, {
        identities: IDENTITIES,
        tenants: [
          [88, 'demo'],
          [10, 'cooperativa-sol'],
          [2, null],
        ],
      });
      const violations: Violation[] = [];
      const unanswered = (error: unknown): FuzzResponse => ({ status: 0, text: `no answer: ${String(error)}`, body: undefined });

      const tally = new FuzzTally();
      const chooser = seededChooser(SEED);
      const pool = taskPool(4);
      const started = Date.now();
      for (let i = 0; i < operations; i += 1) {
        const operation = fuzzer.operation(chooser);
        await pool.run(async () => {
          const response = await sendOperation(supergraph.origin, operation, tokens).catch(unanswered);
          const problems = problemsOf(response, { subgraphsUp: true });
          tally.add(response, problems);
          if (problems.length) violations.push(violation(operation, response, problems));
        });
        if ((i + 1) % 2_000 === 0) options.log(`  ${i + 1} operations`);
      }
      await pool.drain();
      const seconds = Math.round((Date.now() - started) / 100) / 10;

      const httpTally = new FuzzTally();
      const httpChooser = seededChooser(SEED + 1);
      const requests = [...MALFORMED_REQUESTS, ...Array.from({ length: httpCases }, () => generateHttpCase(httpChooser))];
      for (const request of requests) {
        const response = await sendHttpCase(supergraph.origin, request).catch(unanswered);
        const problems = problemsOf(response, { bodyOptional: request.bodyOptional === true, subgraphsUp: true });
        httpTally.add(response, problems);
        if (problems.length)
          violations.push(
            violation(
              { target: `http:${request.group ?? request.name}`, identity: 'anonymous', tenant: null, values: [], query: request.name },
              response,
              problems,
            ),
          );
      }
      const result: FuzzResult = {
        seed: SEED,
        operations: { cases: operations, summary: tally.summary('operations'), seconds },
        http: { cases: requests.length, summary: httpTally.summary('malformed HTTP requests') },
        violations: groupViolations(violations),
      };
      options.log(`  ${result.operations.summary} (${seconds} s)`);
      options.log(`  ${result.http.summary}`);
      for (const group of result.violations) options.log(`  VIOLATION ×${group.count}: ${group.cause}`);
      return result;
    } finally {
      await supergraph.close();
    }
  } finally {
    await database.drop();
  }
}
