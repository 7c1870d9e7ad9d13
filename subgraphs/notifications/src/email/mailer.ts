import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import CircuitBreaker from 'opossum';

export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** Worth trying again later: the SMTP server is down, slow, answered 4xx, or the breaker is open. */
export class MailerUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'MailerUnavailableError';
  }
}

/** The server refused this message for good (5xx for the recipient or the message): sending it again changes nothing. */
export class MailerRejectedError extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
    this.name = 'MailerRejectedError';
  }
}

export interface MailerOptions {
  smtpUrl: string;
  /** `Name <address>`, e.g. "MADFAM Academy <no-reply@academy.mx>". */
  from: string;
  /** Connecting, waiting for the greeting, and any silence on the socket. */
  timeoutMs: number;
  breakerResetMs: number;
  onCircuitChange?: (state: CircuitState) => void;
}

export interface OutgoingEmail {
  to: string;
  toName: string;
  /** The tenant's display name; replaces the name part of `from`. */
  fromName?: string | null;
  subject: string;
  html: string;
  text: string;
  /** Deterministic (`<notification-id@academy.mx>`), so a duplicate is recognisable. */
  messageId: string;
  headers?: Record<string, string>;
}

/**
 * Sends over one pooled SMTP transport behind a circuit breaker (opossum): after repeated
 * retryable failures it stops trying for `breakerResetMs`, then lets one send through to probe.
 */
export class Mailer {
  private readonly transport: Transporter<SMTPPool.SentMessageInfo>;
  private readonly breaker: CircuitBreaker<[OutgoingEmail], SMTPPool.SentMessageInfo>;
  private readonly sender: { name: string; address: string };
  private openedAt = 0;

  constructor(private readonly options: MailerOptions) {
    this.sender = parseAddress(options.from);
    const poolOptions: SMTPPool.Options & { maxRequeues: number } = {
      url: options.smtpUrl,
      pool: true,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
      // A connection that closes mid-send puts the message back once, not forever.
      maxRequeues: 1,
    };
    this.transport = nodemailer.createTransport(poolOptions);
    // Failures reach the send they belong to; a stray transport error must not end the process.
    this.transport.on('error', () => undefined);
    this.breaker = new CircuitBreaker((message: OutgoingEmail) => this.deliver(message), {
      // nodemailer's own timeouts apply; opossum's would leave the send running.
      timeout: false,
      errorThresholdPercentage: 50,
      volumeThreshold: 3,
      resetTimeout: options.breakerResetMs,
      // A refused recipient is the server working, not failing.
      errorFilter: (error: Error) => error instanceof MailerRejectedError,
    });
    this.breaker.on('open', () => {
      this.openedAt = Date.now();
      options.onCircuitChange?.('OPEN');
    });
    this.breaker.on('halfOpen', () => options.onCircuitChange?.('HALF_OPEN'));
    this.breaker.on('close', () => options.onCircuitChange?.('CLOSED'));
  }

  get circuit(): CircuitState {
    return this.breaker.opened ? 'OPEN' : this.breaker.halfOpen ? 'HALF_OPEN' : 'CLOSED';
  }

  async send(message: OutgoingEmail): Promise<{ messageId: string; accepted: boolean }> {
    let info: SMTPPool.SentMessageInfo;
    try {
      info = await this.breaker.fire(message);
    } catch (error) {
      if (error instanceof MailerRejectedError || error instanceof MailerUnavailableError) throw error;
      if ((error as { code?: string }).code === 'EOPENBREAKER') {
        const retryAfterMs = Math.max(0, this.openedAt + this.options.breakerResetMs - Date.now());
        throw new MailerUnavailableError('SMTP circuit open', retryAfterMs);
      }
      throw new MailerUnavailableError(`SMTP unavailable: ${(error as Error).message}`);
    }
    return { messageId: info.messageId, accepted: info.accepted.length > 0 };
  }

  close(): void {
    this.breaker.shutdown();
    this.transport.close();
  }

  private async deliver(message: OutgoingEmail): Promise<SMTPPool.SentMessageInfo> {
    try {
      return await this.transport.sendMail({
        from: { name: oneLine(message.fromName?.trim() || this.sender.name), address: this.sender.address },
        to: { name: oneLine(message.toName), address: message.to },
        subject: oneLine(message.subject),
        html: message.html,
        text: message.text,
        messageId: message.messageId,
        ...(message.headers ? { headers: message.headers } : {}),
      });
    } catch (error) {
      throw classify(error as SmtpError, message.to);
    }
  }
}

interface SmtpError extends Error {
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
}

/**
 * 5xx to the recipient (RCPT TO) or to the message (DATA) is final. Everything else is retryable:
 * connection trouble, timeouts, 4xx, and 5xx to our sender or login, which is our setup failing
 * every message alike (the breaker opens, the messages wait instead of being dropped).
 */
function classify(error: SmtpError, recipient: string): Error {
  const code = error.responseCode ?? 0;
  const reply = maskAddresses(error.response ?? error.message);
  if (code >= 500 && code < 600 && (error.command === 'RCPT TO' || error.command === 'DATA')) {
    return new MailerRejectedError(`SMTP refused the message to ${maskEmail(recipient)}: ${reply}`, code);
  }
  return new MailerUnavailableError(`SMTP ${error.code ?? 'error'}${error.command ? ` at ${error.command}` : ''}: ${reply}`);
}

/** For logs: 'a***@example.com' (first character of the local part, the domain kept); anything else '***'. */
export function maskEmail(address: string): string {
  const match = /^([^\s@<>]+)@([^\s@<>]+\.[^\s@<>]+)$/.exec(address.trim());
  if (!match) return '***';
  const [, local = '', domain = ''] = match;
  return `${Array.from(local)[0]}***@${domain}`;
}

function maskAddresses(text: string): string {
  return text.replace(/[^\s@<>:;,"']+@[^\s@<>:;,"']+\.[^\s@<>:;,"']+/g, (address) => maskEmail(address));
}

function parseAddress(from: string): { name: string; address: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from);
  if (match) return { name: match[1] ?? '', address: match[2] ?? '' };
  if (/^[^\s@<>]+@[^\s@<>]+$/.test(from.trim())) return { name: '', address: from.trim() };
  throw new Error(`Mailer: "from" must be an address or "Name <address>", got ${JSON.stringify(from)}`);
}

function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}
