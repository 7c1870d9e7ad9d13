import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { RunningSupergraph } from './supergraph';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface GatewayProcess {
  origin: string;
  pid: number;
  /** SIGTERM; resolves with the exit code once the process has exited. */
  close(): Promise<number | null>;
  /** SIGKILL, as a crash would; resolves once the process has exited. */
  kill(): Promise<void>;
  /** The same service again (entry, environment, so its port) once this one has exited (SIGTERM if it runs), ready. */
  restart(): Promise<GatewayProcess>;
}

/** A second gateway, as its own process (`gateway/src/main.ts`), in front of the supergraph's subgraphs, once it is ready. */
export async function startGatewayProcess(supergraph: RunningSupergraph, env: Record<string, string> = {}): Promise<GatewayProcess> {
  const port = await freePort();
  return startServiceProcess('gateway/src/main.ts', { ...supergraph.gatewayEnvironment(port), ...env, PORT: String(port) });
}

/** A service (`<entry>`, relative to the repository) as its own process on env.PORT, once /health/ready answers 200. */
export async function startServiceProcess(entry: string, env: Record<string, string>): Promise<GatewayProcess> {
  const root = path.resolve(__dirname, '../../..');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const origin = `http://127.0.0.1:${env.PORT}`;
  for (let waited = 0; ; waited += 200) {
    if (
      await fetch(`${origin}/health/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (waited > 30_000 || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`${entry} did not get ready (exit code ${child.exitCode})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    origin,
    pid: child.pid!,
    async close() {
      if (!gone()) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (!gone()) child.kill('SIGKILL');
      await exited;
    },
    async restart() {
      if (!gone()) child.kill('SIGTERM');
      await exited;
      return startServiceProcess(entry, env);
    },
  };
}
