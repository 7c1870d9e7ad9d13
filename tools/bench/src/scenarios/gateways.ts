import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import {
  composeFieldSupergraph,
  expectedTestQueryResponse,
  SUBGRAPH_NAMES,
  TEST_QUERY,
  type FieldSubgraphName,
} from '@academy/federation-benchmark';
import { GATEWAY_NODE_OPTIONS } from '@academy/gateway/node-options';
import { freePort } from '@academy/testing';
import { generateSigningJwk, jwksOf, loadSigningKey, TokenIssuer } from '@academy/tokens';
import { fieldGatewaysBin } from '../field/field-gateways';
import { constantLoad, type LoadResult } from '../field/load';
import { cpuSeconds, peakRssMiB, startProcess, type Service } from '../field/processes';
import { scratchDatabase } from '../scratch-database';
import type { ScenarioOptions } from '../scenario-options';

const REPO = path.resolve(__dirname, '../../../..');
const TSX = ['--import', 'tsx'];

export interface GatewayRun extends LoadResult {
  gateway: string;
  /** CPU per request, ms: in the gateway (its processes) and in the four subgraphs. */
  cpuMsPerRequest: { gateway: number; subgraphs: number };
  peakRssMiB: number;
  /** RPS relative to stock @apollo/gateway in the same run. */
  rpsRatio: number;
  p99Ratio: number;
}

export interface GatewaysResult {
  connections: number;
  warmupSeconds: number;
  seconds: number;
  responseBytes: number;
  runs: GatewayRun[];
}

/**
 * The field's federation gateway benchmark (graphql-hive/graphql-gateways-benchmark): its four
 * subgraphs in one Node process, its TestQuery at a constant 50 connections, against stock
 * @apollo/gateway, Hive Gateway and ours as in production (a tenant, a verified token, every
 * limit, rate limits, metrics and logs on), one after the other on the same machine.
 */
export async function gatewaysScenario(options: ScenarioOptions): Promise<GatewaysResult> {
  const { log } = options;
  const connections = 50;
  const warmupSeconds = options.quick ? 2 : 5;
  const seconds = options.quick ? 6 : 20;
  const expected = expectedTestQueryResponse();
  const responseBytes = Buffer.byteLength(JSON.stringify(expected));
  const body = JSON.stringify({ query: TEST_QUERY });
  // Every answer: no errors, and exactly the expected answer's length (key order may differ between
  // gateways, values may not); the first answer of each gateway is compared whole.
  const check = (text: string) => Buffer.byteLength(text.trimEnd()) === responseBytes && !text.includes('"errors"');

  const ports = Object.fromEntries(await Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, await freePort()]))) as Record<
    FieldSubgraphName,
    number
  >;
  const subgraphs = await startProcess(
    process.execPath,
    [...TSX, path.join(REPO, 'tools/bench/src/field/subgraphs-process.ts')],
    { FIELD_PORTS: JSON.stringify(ports), NODE_ENV: 'production' },
    /^ready /,
  );
  const urls = JSON.parse(subgraphs.ready.slice('ready '.length)) as Record<FieldSubgraphName, string>;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'academy-field-'));
  const supergraphFile = path.join(dir, 'supergraph.graphql');
  writeFileSync(supergraphFile, composeFieldSupergraph(urls));

  const ours = await prepareOurGateway(options);
  const fieldBin = fieldGatewaysBin(log);
  const gateways: { name: string; start(port: number): Promise<Service>; headers?: Record<string, string> }[] = [
    {
      name: 'stock @apollo/gateway',
      start: (port) =>
        startProcess(
          process.execPath,
          [...TSX, path.join(REPO, 'tools/bench/src/field/apollo-gateway-process.ts')],
          { SUPERGRAPH_FILE: supergraphFile, PORT: String(port), NODE_ENV: 'production' },
          /^ready /,
        ),
    },
    {
      name: 'Hive Gateway',
      start: (port) =>
        startProcess(
          path.join(fieldBin, 'hive-gateway'),
          ['supergraph', supergraphFile, '--port', String(port), '--jit'],
          { NODE_ENV: 'production' },
          /Listening on/,
        ),
    },
    ...[1, 2].map((workers) => ({
      name: `academy gateway (production${workers > 1 ? `, ${workers} workers` : ''})`,
      start: (port: number) =>
        startProcess(
          process.execPath,
          [
            ...TSX,
            ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
            ...GATEWAY_NODE_OPTIONS,
            path.join(REPO, 'gateway/src/main.ts'),
          ],
          { ...ours.env, SUPERGRAPH_FILE: supergraphFile, PORT: String(port), GATEWAY_WORKERS: String(workers) },
          /gateway ready/,
        ),
      headers: ours.headers,
    })),
  ];

  const runs: GatewayRun[] = [];
  try {
    for (const gateway of gateways) {
      const port = await freePort();
      const service = await gateway.start(port);
      const origin = `http://127.0.0.1:${port}`;
      try {
        const first = await fetch(`${origin}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...gateway.headers },
          body,
        });
        const answer = (await first.json()) as unknown;
        if (!isDeepStrictEqual(answer, expected))
          throw new Error(`${gateway.name} answered TestQuery wrongly: ${JSON.stringify(answer).slice(0, 500)}`);
        await constantLoad(origin, '/graphql', body, { connections, seconds: warmupSeconds, headers: gateway.headers ?? {}, check });
        const cpuBefore = { gateway: cpuSeconds(service.child.pid!), subgraphs: cpuSeconds(subgraphs.child.pid!) };
        const result = await constantLoad(origin, '/graphql', body, { connections, seconds, headers: gateway.headers ?? {}, check });
        const perRequest = (used: number) => Math.round((used / Math.max(1, result.requests)) * 100_000) / 100;
        const run: GatewayRun = {
          gateway: gateway.name,
          ...result,
          cpuMsPerRequest: {
            gateway: perRequest(cpuSeconds(service.child.pid!) - cpuBefore.gateway),
            subgraphs: perRequest(cpuSeconds(subgraphs.child.pid!) - cpuBefore.subgraphs),
          },
          peakRssMiB: peakRssMiB(service.child.pid!),
          rpsRatio: 1,
          p99Ratio: 1,
        };
        runs.push(run);
        log(
          `  ${run.gateway}: ${run.rps} RPS, p50 ${run.p50} / p95 ${run.p95} / p99 ${run.p99} ms, ${run.errors} errors of ${run.requests}, peak RSS ${run.peakRssMiB} MiB, CPU/request ${run.cpuMsPerRequest.gateway} ms gateway + ${run.cpuMsPerRequest.subgraphs} ms subgraphs`,
        );
      } finally {
        await service.stop();
      }
    }
  } finally {
    await subgraphs.stop();
    await ours.drop();
  }
  const apollo = runs[0]!;
  for (const run of runs) {
    run.rpsRatio = Math.round((run.rps / apollo.rps) * 100) / 100;
    run.p99Ratio = Math.round((run.p99 / apollo.p99) * 100) / 100;
  }
  return { connections, warmupSeconds, seconds, responseBytes, runs };
}

/**
 * Our gateway as deployed: its own database (migrated) with one ENTERPRISE tenant allowed its
 * own documents (TestQuery is not one of the apps'), a signed token of that tenant, Redis. Rate
 * limits stay on, budgets scaled up: TestQuery costs 102,927 points by our estimate (lists
 * without `first` count 10 each, four levels deep), far beyond one user's minute at scale 1.
 */
async function prepareOurGateway(options: { serverUrl: string; redisUrl: string; appPassword: string }) {
  const scratch = await scratchDatabase(options.serverUrl, `academy_bench_field_${process.pid}`, options.appPassword);
  const tenantId = randomUUID();
  const owner = new pg.Client({ connectionString: scratch.ownerUrl });
  await owner.connect();
  await owner.query(
    `INSERT INTO tenants (id, slug, name, tier, settings, updated_at) VALUES ($1, 'bench-field', 'Bench', 'ENTERPRISE', '{"arbitraryDocuments": true}', now())`,
    [tenantId],
  );
  await owner.end();
  const authKey = await loadSigningKey(await generateSigningJwk('bench-field-auth'));
  const credentialKey = await loadSigningKey(await generateSigningJwk('bench-field-credential'));
  const issuer = 'https://academy.bench';
  const audience = 'madfam-academy';
  const { token } = await new TokenIssuer(authKey, { issuer, audience, ttlSeconds: 3600 }).issue({
    userId: randomUUID(),
    tenantId,
    persona: 'LEARNER',
  });
  return {
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      DATABASE_APP_URL: scratch.appUrl,
      REDIS_URL: options.redisUrl,
      REDIS_PREFIX: `academy:bench-field:${process.pid}:`,
      GATEWAY_SECRET: randomBytes(32).toString('base64url'),
      HOST: '127.0.0.1',
      AUTH_JWKS: JSON.stringify(jwksOf([authKey])),
      CREDENTIAL_JWKS: JSON.stringify(jwksOf([credentialKey])),
      AUTH_ISSUER: issuer,
      AUTH_AUDIENCE: audience,
      BASE_DOMAIN: 'academy.bench',
      RATE_LIMIT_SCALE: '100000',
    },
    headers: { 'x-tenant': 'bench-field', authorization: `Bearer ${token}` },
    drop: scratch.drop,
  };
}
