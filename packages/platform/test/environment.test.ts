import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');

/** Boots a tiny "service" whose env module parses PORT and DATABASE_URL, in a child process. */
function boot(env: Record<string, string>) {
  const script = `
    const { parseEnvironment, env } = require('./packages/platform/src/environment');
    const parsed = parseEnvironment('catalogue-service', { PORT: env.port(4000), DATABASE_URL: env.url(['postgres', 'postgresql']) });
    process.stdout.write(JSON.stringify(parsed));`;
  return run(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, env: { PATH: process.env.PATH!, ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

describe('environment parsing', () => {
  it('returns typed values with defaults', async () => {
    expect(await boot({ DATABASE_URL: 'postgres://db/academy' })).toEqual({
      code: 0,
      stdout: JSON.stringify({ PORT: 4000, DATABASE_URL: 'postgres://db/academy' }),
      stderr: '',
    });
  });

  it('prints every invalid variable on its own line and exits 1 without a stack trace', async () => {
    expect(await boot({ PORT: 'eighty', DATABASE_URL: 'mysql://db/academy' })).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'catalogue-service: invalid environment\n  PORT: Invalid input: expected number, received NaN\n  DATABASE_URL: must be a postgres or postgresql URL\n',
    });
  });
});
