import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../src/environment';

const run = promisify(execFile);

/** `npm run lint`, as CI runs it: the linters say nothing. */
describe('lint', () => {
  const tool = (bin: string, args: string[]) =>
    run(process.execPath, [path.join(REPO_ROOT, 'node_modules', bin), ...args], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 }).then(
      ({ stdout, stderr }) => ({ code: 0, output: `${stdout}${stderr}`.trim() }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: error.code ?? 1,
        output: `${error.stdout ?? ''}${error.stderr ?? ''}`.trim(),
      }),
    );

  it("ESLint (TypeScript, subgraph schemas, the apps' operations) finds nothing", async () => {
    expect(await tool('eslint/bin/eslint.js', ['.', '--max-warnings=0'])).toEqual({ code: 0, output: '' });
  }, 120_000);

  it('every file is formatted as Prettier formats it', async () => {
    expect(await tool('prettier/bin/prettier.cjs', ['--check', '.', '--log-level=warn'])).toEqual({ code: 0, output: '' });
  }, 120_000);
});
