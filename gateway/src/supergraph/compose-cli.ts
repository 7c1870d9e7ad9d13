// `npm run compose`: supergraph.yaml -> supergraph.graphql (and its copy in the Kubernetes base, which
// kustomize's configMapGenerator reads: it cannot reach files outside deploy/k8s), and the contract's
// v2 lines it does not serve yet -> docs/api-contract-v2-pending.txt (`--check` only verifies all are current).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { contractProgress, pendingFile, signatures } from './api-contract';
import { composeSupergraph } from './compose';

const root = path.resolve(__dirname, '../../..');
const configFile = path.join(root, 'supergraph.yaml');
const outputFile = path.join(root, 'supergraph.graphql');
const kubernetesCopy = path.join(root, 'deploy/k8s/base/gateway/supergraph.graphql');
const contractFile = path.join(root, 'docs/api-contract.graphql');
const pendingPath = path.join(root, 'docs/api-contract-v2-pending.txt');

async function main(): Promise<number> {
  const result = await composeSupergraph(configFile);
  if (!result.ok) {
    process.stderr.write(`composition failed:\n${result.errors.map((error) => `  ${error}`).join('\n')}\n`);
    return 1;
  }
  const progress = contractProgress(await readFile(contractFile, 'utf8'), signatures(result.apiSchema));
  const outputs = [
    { file: outputFile, content: result.supergraphSdl },
    { file: kubernetesCopy, content: result.supergraphSdl },
    { file: pendingPath, content: pendingFile(progress.v2Pending) },
  ];
  const stale = [];
  for (const output of outputs) if ((await readFile(output.file, 'utf8').catch(() => null)) !== output.content) stale.push(output);
  if (process.argv.includes('--check')) {
    if (stale.length === 0) {
      process.stdout.write('supergraph.graphql (and its Kubernetes copy) and docs/api-contract-v2-pending.txt are up to date\n');
      return 0;
    }
    process.stderr.write(`${stale.map((output) => path.relative(root, output.file)).join(', ')} stale (run \`npm run compose\`)\n`);
    return 1;
  }
  for (const output of stale) await writeFile(output.file, output.content);
  process.stdout.write(
    `composed ${path.relative(root, outputFile)}; ${progress.v2Pending.length} lines of the contract's v2 additions not served yet\n`,
  );
  if (progress.v1Missing.length > 0)
    process.stderr.write(`the supergraph misses v1 of the contract:\n${progress.v1Missing.map((line) => `  ${line}`).join('\n')}\n`);
  return progress.v1Missing.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`compose failed: ${error.message}\n`);
    process.exit(1);
  },
);
