import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mergeResults, SOLO_TESTS, testPhases } from '../src/test-phases';

const results = (passed: number, failed: number, name: string) => ({
  success: failed === 0,
  numTotalTests: passed + failed,
  numPassedTests: passed,
  numFailedTests: failed,
  numPendingTests: 0,
  numTotalTestSuites: 1,
  numPassedTestSuites: failed === 0 ? 1 : 0,
  numFailedTestSuites: failed === 0 ? 0 : 1,
  numRuntimeErrorTestSuites: 0,
  testResults: [{ name, status: failed === 0 ? 'passed' : 'failed' }],
});

describe('npm test in two phases', () => {
  it('runs named tests as asked, in one phase', () => {
    expect(testPhases(['--ci', 'gateway/test/errors.test.ts'])).toEqual([
      { args: ['--ci', 'gateway/test/errors.test.ts'], outputFile: null },
    ]);
  });

  it('runs the whole suite without the solo tests, then those in band, each writing its own results', () => {
    const escaped = SOLO_TESTS.map((file) => file.replaceAll('.', '\\.'));
    expect(testPhases(['--ci', '--json', '--outputFile=out.json'])).toEqual([
      { args: ['--ci', '--json', '--outputFile=out.json', '--testPathIgnorePatterns', ...escaped], outputFile: 'out.json' },
      { args: ['--ci', '--json', '--outputFile=out.json.solo', '--runInBand', ...escaped], outputFile: 'out.json.solo' },
    ]);
  });

  it("merges the phases' results into the first file, and a phase that wrote none counts as a failure", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'phases-'));
    const phases = testPhases(['--json', `--outputFile=${path.join(dir, 'all.json')}`]);
    await writeFile(phases[0]!.outputFile!, JSON.stringify(results(10, 1, 'a.test.ts')));
    await writeFile(phases[1]!.outputFile!, JSON.stringify(results(3, 0, 'b.test.ts')));
    await mergeResults(phases);
    expect(JSON.parse(await readFile(phases[0]!.outputFile!, 'utf8'))).toEqual({
      success: false,
      numTotalTests: 14,
      numPassedTests: 13,
      numFailedTests: 1,
      numPendingTests: 0,
      numTotalTestSuites: 2,
      numPassedTestSuites: 1,
      numFailedTestSuites: 1,
      numRuntimeErrorTestSuites: 0,
      testResults: [
        { name: 'a.test.ts', status: 'failed' },
        { name: 'b.test.ts', status: 'passed' },
      ],
    });

    const missing = testPhases(['--json', `--outputFile=${path.join(dir, 'crashed.json')}`]);
    await writeFile(missing[0]!.outputFile!, JSON.stringify(results(5, 0, 'a.test.ts')));
    await mergeResults(missing);
    const merged = JSON.parse(await readFile(missing[0]!.outputFile!, 'utf8')) as { success: boolean; numRuntimeErrorTestSuites: number };
    expect({ success: merged.success, numRuntimeErrorTestSuites: merged.numRuntimeErrorTestSuites }).toEqual({
      success: false,
      numRuntimeErrorTestSuites: 1,
    });
  });
});
