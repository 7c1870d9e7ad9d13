import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TICKS_PER_SECOND = 100;

export interface Service {
  child: ChildProcess;
  /** The ready line it printed. */
  ready: string;
  stop(): Promise<void>;
}

/**
 * Starts a process, its output going to a file (a pipe a busy benchmark does not drain would
 * block a process that logs), and waits until `ready` matches a line of it.
 */
export async function startProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<Service> {
  const logFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'academy-bench-')), 'output.log');
  const fd = openSync(logFile, 'w');
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    });
  for (let waited = 0; ; waited += 100) {
    const output = readFileSync(logFile, 'utf8');
    const line = output.split('\n').find((candidate) => ready.test(candidate));
    if (line) return { child, ready: line, stop };
    if (child.exitCode !== null || waited > timeoutMs) {
      await stop();
      throw new Error(`${command} ${args.join(' ')} did not get ready:\n${output.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A process and its descendants (a gateway that forks workers). */
function tree(pid: number): number[] {
  let children: number[];
  try {
    children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((child) => child > 0);
  } catch {
    children = [];
  }
  return [pid, ...children.flatMap(tree)];
}

/** CPU seconds used so far by a process tree. */
export function cpuSeconds(pid: number): number {
  return tree(pid).reduce((total, one) => {
    try {
      const fields = readFileSync(`/proc/${one}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return total + (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    } catch {
      return total;
    }
  }, 0);
}

/**
 * CPU seconds used so far by every PostgreSQL process of this machine (the server, its backends,
 * and what the backends that already exited used: the postmaster's reaped children), from /proc.
 * The bench's database server is the machine's own, so on a quiet machine this is its share.
 */
export function postgresCpuSeconds(): number {
  return serverCpuSeconds('postgres');
}

/** CPU seconds so far of every Redis server process on this machine (`redis-server`). */
export function redisCpuSeconds(): number {
  return serverCpuSeconds('redis-server');
}

/** CPU seconds so far of every process named `command`, with the children they waited for. */
function serverCpuSeconds(command: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!stat.includes(`(${command})`)) continue;
      const fields = stat.split(') ')[1]!.split(' ');
      total += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
    } catch {
      // The process ended while it was read.
    }
  }
  return total;
}

/** A memory figure of /proc/<pid>/status (VmHWM, VmRSS) summed over a process tree, MiB. */
function memoryMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const kib = tree(pid).reduce((total, one) => {
    try {
      const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${one}/status`, 'utf8'));
      return total + Number(match?.[1] ?? 0);
    } catch {
      return total;
    }
  }, 0);
  return Math.round(kib / 102.4) / 10;
}

/** Peak resident memory (MiB) of a process tree: the sum of each process's high-water mark. */
export const peakRssMiB = (pid: number) => memoryMiB(pid, 'VmHWM');

/** Resident memory (MiB) of a process tree now. */
export const rssMiB = (pid: number) => memoryMiB(pid, 'VmRSS');
