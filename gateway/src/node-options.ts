/**
 * How the gateway process is started (node flags, before `--import tsx gateway/src/main.ts`): a
 * 64 MiB young generation. A federated answer allocates much that dies young (subgraph answers
 * merged into the response); with V8's default semi-space the gateway spent ~14 % of its CPU in
 * scavenges and served 78 requests/s of the field benchmark, with this 103 (2 cores, bench/).
 */
export const GATEWAY_NODE_OPTIONS = ['--max-semi-space-size=64'] as const;
