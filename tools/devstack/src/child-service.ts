import { spawn } from 'node:child_process';
import { sleep } from './net';
import { StackError } from './stack-error';

export interface ChildService {
  /** SIGTERM; resolves once the process has exited. */
  stop(): Promise<void>;
}

/**
 * A server the stack runs as a child process (redis-server, MailDev): started, waited for until
 * `ready()` says it answers, killed when it dies or does not answer in time (the error says its
 * last line of output and `hint`), stopped with SIGTERM.
 */
export async function startChildService(
  command: string,
  args: string[],
  options: { name: string; ready: () => Promise<boolean>; timeoutMs: number; hint: string },
): Promise<ChildService> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output = (output + chunk.toString()).slice(-2000)));
  child.stderr.on('data', (chunk) => (output = (output + chunk.toString()).slice(-2000)));
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', (error: NodeJS.ErrnoException) => {
    output += `\ncould not run ${command}: ${error.code ?? error.message}`;
    exited = true;
  });
  for (let waited = 0; !(await options.ready()); waited += 100) {
    if (exited || waited > options.timeoutMs) {
      child.kill('SIGKILL');
      const last = output.trim().split('\n').at(-1) ?? 'no output';
      throw new StackError(`${options.name} did not start (${last.trim()}); ${options.hint}`);
    }
    await sleep(100);
  }
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
