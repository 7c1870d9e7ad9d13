import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type StandInMode = 'proxy' | 'hang' | 'fail';

/**
 * Stands where a subgraph's URL points: passes requests to the real subgraph (`target`, after
 * `delayMs`), hangs without answering, or answers 503, as the test says; counts requests and
 * connections.
 */
export async function subgraphStandIn() {
  const state = { mode: 'proxy' as StandInMode, delayMs: 0, target: '', requests: 0, connections: 0, hanging: [] as http.ServerResponse[] };
  const server = http.createServer((req, res) => {
    state.requests += 1;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (state.mode === 'hang') return void state.hanging.push(res);
      if (state.mode === 'fail') return void res.writeHead(503).end('unavailable');
      void new Promise((resolve) => setTimeout(resolve, state.delayMs)).then(() =>
        fetch(state.target, { method: 'POST', headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) }).then(
          async (response) => {
            res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
            res.end(Buffer.from(await response.arrayBuffer()));
          },
        ),
      );
    });
  });
  server.on('connection', () => (state.connections += 1));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of state.hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type SubgraphStandIn = Awaited<ReturnType<typeof subgraphStandIn>>;
