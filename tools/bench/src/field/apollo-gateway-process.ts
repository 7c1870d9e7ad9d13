// Stock @apollo/gateway on @apollo/server, no tuning (the benchmark's reference gateway):
// SUPERGRAPH_FILE, PORT.
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

void (async () => {
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: readFileSync(process.env.SUPERGRAPH_FILE!, 'utf8') }) });
  const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT), host: '127.0.0.1' } });
  process.stdout.write(`ready ${url}\n`);
  process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
})();
