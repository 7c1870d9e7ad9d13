// `npm run codegen:check`: exits 1 naming every generated file that differs from what
// codegen.yml would generate now (the files are committed, never edited by hand).
// `--against <dir>` compares with the files under another checkout instead.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import { REPO_ROOT } from './environment';

async function main(): Promise<number> {
  const { config } = await loadCodegenConfig({ configFilePath: path.join(REPO_ROOT, 'codegen.yml') });
  const outputs = await generate({ ...config, cwd: REPO_ROOT, silent: true }, false);
  const againstIndex = process.argv.indexOf('--against');
  const base = againstIndex > 0 ? path.resolve(process.argv[againstIndex + 1] ?? '.') : REPO_ROOT;
  const stale: string[] = [];
  for (const output of outputs) {
    const committed = await readFile(path.resolve(base, output.filename), 'utf8').catch(() => null);
    if (committed !== output.content) stale.push(output.filename);
  }
  if (stale.length > 0) {
    process.stderr.write(`stale generated files (run \`npm run codegen\`):\n${stale.map((file) => `  ${file}`).join('\n')}\n`);
    return 1;
  }
  process.stdout.write(`${outputs.length} generated files up to date\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`codegen check failed: ${error.message}\n`);
    process.exit(1);
  },
);
