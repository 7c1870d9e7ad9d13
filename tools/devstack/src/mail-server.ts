import fs from 'node:fs';
import path from 'node:path';
import { startChildService } from './child-service';
import { portInUse } from './net';
import { StackError } from './stack-error';

export interface RunningMailServer {
  /** Where the services send (SMTP_URL). */
  smtpUrl: string;
  /** MailDev's web inbox and its REST API (GET /email, DELETE /email/all). */
  inboxUrl: string;
  owned: boolean;
  stop(): Promise<void>;
}

/**
 * MailDev (npm `maildev`) as the SMTP server of development and tests: SMTP on 127.0.0.1:<smtpPort>,
 * its web inbox and REST API on http://127.0.0.1:<webPort>. A child process, so that stopping it
 * is what an SMTP outage is (and MailDev 2 ends its own process on SIGTERM). Reuses one already
 * answering on both ports. With `mailDirectory`, the inbox survives a restart.
 */
export async function startMailServer(options: { smtpPort: number; webPort: number; mailDirectory?: string }): Promise<RunningMailServer> {
  const smtpUrl = `smtp://127.0.0.1:${options.smtpPort}`;
  const inboxUrl = `http://127.0.0.1:${options.webPort}`;
  if ((await portInUse(options.smtpPort)) && (await inboxAnswers(inboxUrl))) {
    return { smtpUrl, inboxUrl, owned: false, stop: async () => undefined };
  }
  for (const port of [options.smtpPort, options.webPort]) {
    if (await portInUse(port)) {
      throw new StackError(
        `Port ${port} is taken by another program: set MAILDEV_SMTP_PORT and MAILDEV_WEB_PORT to free ports, or SMTP_URL to use your own SMTP server.`,
      );
    }
  }
  const args = ['--smtp', String(options.smtpPort), '--web', String(options.webPort), '--ip', '127.0.0.1', '--silent'];
  if (options.mailDirectory) {
    fs.mkdirSync(options.mailDirectory, { recursive: true });
    args.push('--mail-directory', options.mailDirectory);
  }
  const service = await startChildService(process.execPath, [require.resolve('maildev/bin/maildev'), ...args], {
    name: 'MailDev',
    ready: async () => (await portInUse(options.smtpPort)) && (await inboxAnswers(inboxUrl)),
    timeoutMs: 15_000,
    hint: 'set SMTP_URL to use your own SMTP server.',
  });
  return { smtpUrl, inboxUrl, owned: true, stop: service.stop };
}

async function inboxAnswers(inboxUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${inboxUrl}/email`, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** Where `npm start` keeps MailDev's emails (so a restart keeps the inbox). */
export const mailDirectory = (dataDir: string) => path.join(dataDir, 'mail');
