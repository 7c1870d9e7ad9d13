import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { portInUse, sleep } from './net';
import { StackError } from './stack-error';

export interface ServiceSpec {
  /** Flags for node itself (e.g. V8's heap sizing). */
  nodeOptions?: string[];
  name: string;
  /** The TypeScript entry point, relative to the repository root. */
  entry: string;
  port: number;
  env: Record<string, string>;
}

export interface RunningServices {
  stop(): Promise<void>;
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** One pino JSON line as a person reads it: time, service, level when notable, message, extras. */
export function formatLogLine(service: string, line: string): string {
  try {
    const {
      level,
      time,
      msg,
      service: _service,
      name: _name,
      pid: _pid,
      hostname: _host,
      ...rest
    } = JSON.parse(line) as Record<string, unknown>;
    const when = typeof time === 'string' ? time.slice(11, 19) : new Date().toISOString().slice(11, 19);
    const label = typeof level === 'number' && level >= 40 ? ` ${LEVELS[level] ?? level}` : '';
    const extras = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
    return `${when} ${service.padEnd(14)}${label} ${String(msg ?? '')}${extras}`;
  } catch {
    return `${new Date().toISOString().slice(11, 19)} ${service.padEnd(14)} ${line}`;
  }
}

/** How a service's process runs: its TypeScript through tsx (`npm start`), or the production build. */
export type ServiceLaunch = (root: string, spec: ServiceSpec) => string[];

export const fromSources: ServiceLaunch = (root, spec) => ['--import', 'tsx', path.join(root, spec.entry)];
/** dist/<name>/main.js of `npm run build`, through scripts/run-service.js, as the image runs it. */
export const fromBuild: ServiceLaunch = (root, spec) => [path.join(root, 'scripts/run-service.js'), spec.name];

/**
 * Starts each service as its own process (tsx, or `launch`), waits until every one answers
 * /health/ready, and stops all of them when one dies. Output is prefixed with the service's name.
 */
export async function startServices(
  root: string,
  specs: ServiceSpec[],
  log: (line: string) => void,
  launch: ServiceLaunch = fromSources,
): Promise<RunningServices> {
  for (const spec of specs) {
    if (await portInUse(spec.port)) {
      throw new StackError(
        `Port ${spec.port} (${spec.name}) is taken by another program: stop it, or set PORT / SUBGRAPH_BASE_PORT to free ports.`,
      );
    }
  }
  const children = new Map<string, ChildProcess>();
  const lastError = new Map<string, string>();
  let stopping = false;
  let onCrash: (name: string, code: number | null) => void = () => undefined;

  for (const spec of specs) {
    const child = spawn(process.execPath, [...(spec.nodeOptions ?? []), ...launch(root, spec)], {
      cwd: root,
      env: { ...process.env, ...spec.env, PORT: String(spec.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.set(spec.name, child);
    const relay = (stream: NodeJS.ReadableStream, isError: boolean) => {
      let buffered = '';
      stream.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines.filter(Boolean)) {
          if (isError) lastError.set(spec.name, line);
          log(formatLogLine(spec.name, line));
        }
      });
    };
    relay(child.stdout!, false);
    relay(child.stderr!, true);
    child.on('exit', (code) => {
      children.delete(spec.name);
      if (!stopping) onCrash(spec.name, code);
    });
  }

  const stop = async () => {
    stopping = true;
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(force);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  };

  const crashed = new Promise<never>((_resolve, reject) => {
    onCrash = (name, code) => reject(new StackError(`${name} stopped (exit ${code}): ${lastError.get(name) ?? 'no output'}`));
  });
  const ready = Promise.all(specs.map((spec) => waitUntilReady(spec)));
  try {
    await Promise.race([ready, crashed]);
  } catch (error) {
    await stop();
    throw error;
  }
  crashed.catch(async (error: Error) => {
    log(`${error.message}; stopping everything`);
    await stop();
    process.exit(1);
  });
  return { stop };
}

async function waitUntilReady(spec: ServiceSpec): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const ready = await fetch(`http://127.0.0.1:${spec.port}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await sleep(250);
  }
  throw new StackError(`${spec.name} did not become ready on port ${spec.port} within 90 s`);
}
