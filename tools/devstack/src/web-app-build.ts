import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './environment';

/** The web app (apps/web) and where `vite build` writes it; the gateway serves that folder. */
export const WEB_APP_ROOT = path.join(REPO_ROOT, 'apps/web');
export const WEB_APP_DIST = path.join(WEB_APP_ROOT, 'dist');

/** What the build is made of: the app, and the SDK and typed documents it bundles. */
const SOURCES = [
  'apps/web/src',
  'apps/web/public',
  'apps/web/index.html',
  'apps/web/vite.config.ts',
  'apps/web/package.json',
  'packages/client/src',
  'packages/client-operations/src',
];

function newestChange(target: string): number {
  const stats = fs.statSync(target, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return fs
    .readdirSync(target)
    .reduce((newest, entry) => Math.max(newest, entry === 'node_modules' ? 0 : newestChange(path.join(target, entry))), stats.mtimeMs);
}

/** Whether dist/ is missing or older than any of its sources. */
export function webAppIsStale(): boolean {
  const built = fs.statSync(path.join(WEB_APP_DIST, 'index.html'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return SOURCES.some((source) => newestChange(path.join(REPO_ROOT, source)) > built);
}

/**
 * `vite build` of apps/web when dist/ is missing or stale (a few seconds), else nothing. Vite
 * runs as its own process: it is an ES module, and this keeps its memory out of the caller's.
 */
export async function buildWebApp(say: (line: string) => void, options: { force?: boolean } = {}): Promise<'built' | 'fresh'> {
  if (!options.force && !webAppIsStale()) return 'fresh';
  say('web app: building apps/web (vite build)');
  const started = Date.now();
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: WEB_APP_ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`vite build of apps/web failed (exit code ${code}):\n${output.join('')}`);
  say(`web app: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 'built';
}
