import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The app is type-checked on its own (DOM, JSX, bundler resolution): the root tsconfig covers only its tests. */
describe('web app types', () => {
  it('type-checks apps/web (strict)', async () => {
    const root = path.resolve(__dirname, '../../..');
    const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '--noEmit', '-p', path.join(root, 'apps/web/tsconfig.json')], { cwd: root }).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout }),
    );
    expect(result.stdout.trim()).toBe('');
  }, 120_000);
});
