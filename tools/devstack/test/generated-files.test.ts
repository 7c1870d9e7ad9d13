import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../src/environment';

const run = promisify(execFile);
const tsx = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', ...args], { cwd: REPO_ROOT }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

describe('generated files and types', () => {
  it('commits exactly what codegen.yml generates: resolver types of the subgraphs, typed client documents and the persisted documents', async () => {
    const result = await tsx(['tools/devstack/src/codegen-check.ts']);
    expect(result).toEqual({ code: 0, stdout: '17 generated files up to date\n', stderr: '' });
  }, 60_000);

  it('names a generated file that no longer matches its schema', async () => {
    const copy = await mkdtemp(path.join(os.tmpdir(), 'academy-codegen-'));
    try {
      await cp(path.join(REPO_ROOT, 'subgraphs'), path.join(copy, 'subgraphs'), { recursive: true });
      for (const generated of ['packages/client-operations/src/generated', 'packages/client/src/generated'])
        await cp(path.join(REPO_ROOT, generated), path.join(copy, generated), { recursive: true });
      await writeFile(path.join(copy, 'subgraphs/impact/src/generated/resolvers-types.ts'), '\n// edited by hand\n', { flag: 'a' });
      const result = await tsx(['tools/devstack/src/codegen-check.ts', '--against', copy]);
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: 'stale generated files (run `npm run codegen`):\n  subgraphs/impact/src/generated/resolvers-types.ts\n',
      });
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  }, 60_000);

  it('type-checks the whole workspace (strict)', async () => {
    const tsc = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '--noEmit', '-p', path.join(REPO_ROOT, 'tsconfig.json')], { cwd: REPO_ROOT }).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout }),
    );
    expect(result.stdout.trim()).toBe('');
  }, 120_000);
});
