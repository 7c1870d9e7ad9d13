import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Gateways only this benchmark runs (Hive Gateway): a package and lock of their own, kept out of the project's `npm ci`. */
const DIR = path.resolve(__dirname, '../../field-gateways');
const STAMP = path.join(DIR, 'node_modules', '.academy-install');

/** Installs them (`npm ci` in their folder) when missing or when their lock changed; returns the folder's .bin. */
export function fieldGatewaysBin(log: (line: string) => void): string {
  const wanted = createHash('sha256')
    .update(fs.readFileSync(path.join(DIR, 'package-lock.json')))
    .digest('hex');
  if (!fs.existsSync(STAMP) || fs.readFileSync(STAMP, 'utf8') !== wanted) {
    log(`  installing the field's other gateways into ${path.relative(process.cwd(), DIR)} (once)...`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error', '--ignore-scripts'], {
      cwd: DIR,
      stdio: 'inherit',
    });
    if (result.status !== 0)
      throw new Error(`npm ci in ${DIR} failed (exit ${result.status ?? result.signal}); the gateways scenario needs Hive Gateway`);
    fs.writeFileSync(STAMP, wanted);
  }
  return path.join(DIR, 'node_modules', '.bin');
}
