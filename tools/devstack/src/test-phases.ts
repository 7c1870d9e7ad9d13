import { readFile, writeFile } from 'node:fs/promises';

/**
 * Tests that start a whole platform of processes (twelve services, or a browser beside a
 * supergraph). Beside another test they starve it of CPU on a small machine (its 5 s subgraph
 * deadline passes), so the whole suite runs them afterwards, one at a time.
 */
export const SOLO_TESTS = [
  'tools/devstack/test/production-build.test.ts',
  'tools/devstack/test/platform-shutdown.test.ts',
  // Three redis-server masters, a supergraph and a second gateway or worker process each.
  'gateway/test/redis-cluster.test.ts',
  'workers/test/worker-crash.test.ts',
  // A Redis Cluster, a PostgreSQL primary and replica, two gateways and two worker processes.
  'gateway/test/scale-out.test.ts',
  // Its own PostgreSQL and redis-server, two gateways and worker processes, each stopped and
  // restarted under load: beside another test, a subgraph deadline would pass for want of CPU.
  'gateway/test/faults.test.ts',
  // Thousands of generated requests, four at a time: beside other tests they would starve the
  // timing-sensitive ones (a fresh-clone CI run lost a login throttle's window to them).
  'gateway/test/fuzz.test.ts',
  'gateway/test/cross-tenant-attacks.test.ts',
  // The web app's browser journeys, every one of them.
  'apps/web/test/[^/]*.e2e.test.ts',
];

export interface TestPhase {
  args: string[];
  /** Where this phase writes jest's --json results, when the run asked for them. */
  outputFile: string | null;
}

/**
 * How `npm test` runs jest: as asked when it names tests (an argument that is not an option);
 * the whole suite in two phases otherwise: everything but SOLO_TESTS, then those in band.
 */
export function testPhases(args: string[]): TestPhase[] {
  const namesTests = args.some((arg) => !arg.startsWith('-'));
  const output = args.find((arg) => arg.startsWith('--outputFile='))?.slice('--outputFile='.length) ?? null;
  if (namesTests) return [{ args, outputFile: output }];
  const others = args.filter((arg) => !arg.startsWith('--outputFile='));
  const escaped = SOLO_TESTS.map((file) => file.replace(/[.]/g, '\\.'));
  return [
    { args: [...others, ...(output ? [`--outputFile=${output}`] : []), '--testPathIgnorePatterns', ...escaped], outputFile: output },
    {
      args: [...others, ...(output ? [`--outputFile=${output}.solo`] : []), '--runInBand', ...escaped],
      outputFile: output && `${output}.solo`,
    },
  ];
}

interface JestResults {
  success: boolean;
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTotalTestSuites: number;
  numPassedTestSuites: number;
  numFailedTestSuites: number;
  numRuntimeErrorTestSuites: number;
  testResults: unknown[];
}

const COUNTS = [
  'numTotalTests',
  'numPassedTests',
  'numFailedTests',
  'numPendingTests',
  'numTotalTestSuites',
  'numPassedTestSuites',
  'numFailedTestSuites',
  'numRuntimeErrorTestSuites',
] as const;

/** One jest --json result of the phases' (into the first phase's file), as one run would have written it. */
export async function mergeResults(phases: TestPhase[]): Promise<void> {
  const files = phases.map((phase) => phase.outputFile).filter((file): file is string => file !== null);
  if (files.length < 2) return;
  // A phase that wrote nothing (it crashed) leaves its file out: the first file's run then reads as failed.
  const results = await Promise.all(
    files.map((file) =>
      readFile(file, 'utf8').then(
        (text) => JSON.parse(text) as JestResults,
        () => null,
      ),
    ),
  );
  const merged = results.reduce<JestResults | null>((all, one) => {
    if (!all || !one) return all ?? one;
    const sum = { ...all, success: all.success && one.success, testResults: [...all.testResults, ...one.testResults] };
    for (const count of COUNTS) sum[count] = all[count] + one[count];
    return sum;
  }, null);
  if (results.some((result) => result === null) && merged) {
    merged.success = false;
    merged.numRuntimeErrorTestSuites += 1;
  }
  if (merged) await writeFile(files[0]!, JSON.stringify(merged));
}
