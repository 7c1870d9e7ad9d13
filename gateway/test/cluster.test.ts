import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  httpRequest,
  sampleValue,
  scrape,
  startGatewayProcess,
  startSupergraph,
  until,
  type GatewayProcess,
  type RunningSupergraph,
} from '@academy/testing';

/** The gateway processes a primary forked (not tsx's esbuild helper). */
const workersOf = (pid: number) =>
  execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(pid)], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([child, command]) => Number(child) > 0 && command === 'node')
    .map(([child]) => Number(child))
    .sort();

/** Gone or a zombie its parent has not reaped yet: SIGKILL takes effect after kill() returns. */
const isDead = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .startsWith('Z');
  } catch {
    return true;
  }
};

/** GATEWAY_WORKERS=2: one port, two gateway processes, one set of metrics, a dead worker replaced. */
describe('gateway on several cores', () => {
  let supergraph: RunningSupergraph;
  let gateway: GatewayProcess;
  let token: string;
  beforeAll(async () => {
    supergraph = await startSupergraph();
    token = await supergraph.login('learner@demo.academy.mx', 'academy-demo-2026', 'demo');
    gateway = await startGatewayProcess(supergraph, { GATEWAY_WORKERS: '2' });
  });
  afterAll(async () => {
    await gateway?.close();
    await supergraph?.close();
  });

  const profile = () =>
    Promise.race([answer(), new Promise((resolve) => setTimeout(() => resolve([0, 'no answer within 5 s']), 5_000).unref())]);
  const answer = () =>
    httpRequest(`${gateway.origin}/graphql`, {
      method: 'POST',
      // A new connection each time (no pooled one, which may lead to the worker killed below): whichever worker accepts it answers.
      headers: { 'content-type': 'application/json', 'x-tenant': 'demo', authorization: `Bearer ${token}`, connection: 'close' },
      agent: false,
      body: JSON.stringify({ query: 'query Profile { me { email } }' }),
    }).then(
      (response) => [response.status, response.text],
      (error: Error) => [0, error.message],
    );
  const PROFILE = [200, '{"data":{"me":{"email":"learner@demo.academy.mx"}}}\n'];
  const metric = async (name: string, labels: Record<string, string> = {}) =>
    sampleValue(await scrape(`${gateway.origin}/metrics`), name, labels);
  /** Until every worker answers the primary's scrape (a worker just started may not have joined yet). */
  const untilProcesses = (count: number) =>
    until(
      () => metric('academy_gateway_processes').catch(() => undefined),
      (seen) => seen === count,
      { timeoutMs: 20_000, everyMs: 200 },
    );

  it('answers on one port from two workers and reports their operations together at /metrics', async () => {
    expect(workersOf(gateway.pid)).toHaveLength(2);
    expect(await untilProcesses(2)).toBe(2);
    const before = (await metric('academy_graphql_operations_total', { service: 'gateway', type: 'query' })) ?? 0;
    const answers = [];
    for (let i = 0; i < 20; i += 1) answers.push(await profile());
    expect(answers).toEqual(Array(20).fill(PROFILE));
    // Each worker counts the operations it ran; any worker's /metrics answers with the sum of both.
    for (let scrapeNo = 0; scrapeNo < 3; scrapeNo += 1) {
      const text = await scrape(`${gateway.origin}/metrics`);
      expect(sampleValue(text, 'academy_gateway_processes')).toBe(2);
      expect(sampleValue(text, 'academy_graphql_operations_total', { service: 'gateway', type: 'query' })).toBe(before + 20);
    }
  });

  it('keeps answering when a worker dies, and replaces it', async () => {
    const [victim, survivor] = workersOf(gateway.pid);
    process.kill(victim!, 'SIGKILL');
    expect(await until(() => isDead(victim!), Boolean, { everyMs: 5 })).toBe(true);
    // At once, before the primary has even noticed: no connection goes to the dead worker (each
    // worker accepts on the shared socket; with node:cluster's round-robin some hung here).
    const meanwhile = [];
    for (let i = 0; i < 10; i += 1) meanwhile.push(await profile());
    expect(meanwhile).toEqual(Array(10).fill(PROFILE));
    const workers = await until(
      () => workersOf(gateway.pid),
      (now) => now.length === 2 && !now.includes(victim!),
      { timeoutMs: 15_000, everyMs: 200 },
    );
    expect(workers).toHaveLength(2);
    expect(workers).toContain(survivor);
    expect(workers).not.toContain(victim);
    expect(await untilProcesses(2)).toBe(2);
    const after = [];
    for (let i = 0; i < 10; i += 1) after.push(await profile());
    expect(after).toEqual(Array(10).fill(PROFILE));
  });

  it('stops on SIGTERM with exit code 0 once every worker has drained', async () => {
    const workers = workersOf(gateway.pid);
    expect(await gateway.close()).toBe(0);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  });
});
