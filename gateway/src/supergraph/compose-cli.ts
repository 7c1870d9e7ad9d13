// `npm run compose`: supergraph.yaml -> supergraph.graphql (`--check` only verifies it is current).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { composeSupergraph } from './compose';

const root = path.resolve(__dirname, '../../..');
const configFile = path.join(root, 'supergraph.yaml');
const outputFile = path.join(root, 'supergraph.graphql');

async function main(): Promise<number> {
  const result = await composeSupergraph(configFile);
  if (!result.ok) {
    process.stderr.write(`composition failed:\n${result.errors.map((error) => `  ${error}`).join('\n')}\n`);
    return 1;
  }
  const current = await readFile(outputFile, 'utf8').catch(() => null);
  if (process.argv.includes('--check')) {
    if (current === result.supergraphSdl) {
      process.stdout.write('supergraph.graphql is up to date\n');
      return 0;
    }
    process.stderr.write('supergraph.graphql is stale (run `npm run compose`)\n');
    return 1;
  }
  if (current !== result.supergraphSdl) await writeFile(outputFile, result.supergraphSdl);
  process.stdout.write(`composed ${path.relative(root, outputFile)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`compose failed: ${error.message}\n`);
    process.exit(1);
  },
);
