import net from 'node:net';
import { startMailServer, type RunningMailServer } from '@academy/devstack';

/** An email as MailDev's REST API returns it (the parts tests read). */
export interface ReceivedEmail {
  id: string;
  subject: string;
  from: { address: string; name: string }[];
  to: { address: string; name: string }[];
  html: string;
  text: string;
  headers: Record<string, string>;
}

export interface TestMailbox {
  smtpUrl: string;
  inboxUrl: string;
  /** Every email MailDev holds, oldest first. */
  emails(): Promise<ReceivedEmail[]>;
  /** The emails sent to one address. */
  emailsTo(address: string): Promise<ReceivedEmail[]>;
  /** Stops MailDev: SMTP refuses connections (an outage) until `start()`. */
  stop(): Promise<void>;
  /** Starts it again on the same ports (with an empty inbox). */
  start(): Promise<void>;
}

/** MailDev of the test's own, on free ports, read through its REST API. */
export async function startTestMailbox(): Promise<TestMailbox> {
  const smtpPort = await freePort();
  const webPort = await freePort();
  let server: RunningMailServer | null = await startMailServer({ smtpPort, webPort });
  const inboxUrl = server.inboxUrl;
  const emails = async () => {
    const response = await fetch(`${inboxUrl}/email`);
    if (!response.ok) throw new Error(`MailDev answered ${response.status}`);
    return (await response.json()) as ReceivedEmail[];
  };
  return {
    smtpUrl: server.smtpUrl,
    inboxUrl,
    emails,
    async emailsTo(address) {
      return (await emails()).filter((email) => email.to.some((to) => to.address.toLowerCase() === address.toLowerCase()));
    },
    async stop() {
      await server?.stop();
      server = null;
    },
    async start() {
      server ??= await startMailServer({ smtpPort, webPort });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
