import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestMailbox, until, type TestMailbox } from '@academy/testing';
import {
  Mailer,
  MailerRejectedError,
  MailerUnavailableError,
  maskEmail,
  renderNotificationEmail,
  type CircuitState,
  type EmailBranding,
  type EmailContent,
  type OutgoingEmail,
} from '../src/email';

const branding: EmailBranding = { tenantName: 'Fundación Ñandú', primaryColor: '#0b5394', logoUrl: null };

const certificateReady: EmailContent = {
  locale: 'es-MX',
  recipientName: 'Ana <script>alert(1)</script>',
  title: 'Tu certificado está listo',
  body: 'Terminaste el curso Primeros auxilios.\n\nTu certificado ya se puede descargar.',
  action: { label: 'Ver certificado', url: 'https://academy.mx/certificados/c-123' },
  preferencesUrl: 'https://academy.mx/preferencias',
};

describe('renderNotificationEmail', () => {
  test('es-MX: branded layout, Spanish footer, preferences link', async () => {
    const email = await renderNotificationEmail(branding, certificateReady);

    expect(email.subject).toBe('Tu certificado está listo');
    expect(email.text).toBe(
      [
        'Fundación Ñandú',
        '',
        '',
        'Tu certificado está listo',
        '',
        'Hola, Ana <script>alert(1)</script>',
        '',
        'Terminaste el curso Primeros auxilios.',
        '',
        'Tu certificado ya se puede descargar.',
        '',
        'Ver certificado https://academy.mx/certificados/c-123',
        '',
        '----------------------------------------',
        '',
        'Recibes este correo porque tienes activadas las notificaciones por correo en Fundación Ñandú.',
        '',
        'Cambia tus preferencias de notificación https://academy.mx/preferencias',
      ].join('\n'),
    );
    expect(email.html).toContain('<html dir="ltr" lang="es-MX">');
    expect(email.html).toContain('>Fundación Ñandú</p>');
    expect(email.html).toContain('background-color:#0b5394');
    expect(email.html).toContain('Hola, Ana &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('href="https://academy.mx/certificados/c-123"');
    expect(email.html).toContain('Si el botón no funciona, copia este enlace:');
    expect(email.html).toContain('href="https://academy.mx/preferencias"');
    // The preview (inbox snippet) is the body's first line.
    expect(email.html).toMatch(/data-skip-in-text="true">Terminaste el curso Primeros auxilios\.<div>/);
  });

  test('en, without action or preferences (an invitation): English layout, no preferences link', async () => {
    const email = await renderNotificationEmail(branding, {
      locale: 'en',
      recipientName: 'Sam',
      title: 'You are invited to Fundación Ñandú',
      body: 'Maria invited you to join.\nThe invitation expires in 7 days.',
      action: null,
      preferencesUrl: null,
    });

    expect(email.subject).toBe('You are invited to Fundación Ñandú');
    expect(email.text).toBe(
      [
        'Fundación Ñandú',
        '',
        '',
        'You are invited to Fundación Ñandú',
        '',
        'Hi, Sam',
        '',
        'Maria invited you to join.',
        'The invitation expires in 7 days.',
        '',
        '----------------------------------------',
        '',
        'You are receiving this email because your address was used at Fundación Ñandú. If you did not expect this message, you can ignore it.',
      ].join('\n'),
    );
    expect(email.html).toContain('<html dir="ltr" lang="en">');
    expect(email.html).not.toContain('If the button does not work');
    expect(email.html).not.toContain('preferences');
  });

  test.each([null, 'red', '#12345', '#0b5394; background:url(https://evil.example/x)'])(
    'primary colour %p falls back to the default green',
    async (primaryColor) => {
      const email = await renderNotificationEmail({ ...branding, primaryColor }, certificateReady);

      expect(email.html).toContain('background-color:#1f7a4d');
      expect(email.html).not.toContain('evil.example');
    },
  );
});

describe('Mailer over MailDev', () => {
  let mailbox: TestMailbox;
  let mailer: Mailer | undefined;

  beforeAll(async () => {
    mailbox = await startTestMailbox();
  });
  afterEach(() => mailer?.close());
  afterAll(() => mailbox.stop());

  test('delivers HTML and text from the tenant, to the recipient, with our Message-ID', async () => {
    mailer = new Mailer({ smtpUrl: mailbox.smtpUrl, from: 'MADFAM Academy <no-reply@academy.mx>', timeoutMs: 2000, breakerResetMs: 500 });
    const to = `ana.${randomUUID()}@example.com`;
    const rendered = await renderNotificationEmail(branding, certificateReady);
    const messageId = `<${randomUUID()}@academy.mx>`;

    const result = await mailer.send({ to, toName: 'Ana López', fromName: 'Fundación Ñandú', messageId, ...rendered });

    expect(result).toEqual({ messageId, accepted: true });
    const [received, ...others] = await until(
      () => mailbox.emailsTo(to),
      (emails) => emails.length > 0,
    );
    expect(others).toEqual([]);
    expect(received).toMatchObject({
      subject: 'Tu certificado está listo',
      from: [{ address: 'no-reply@academy.mx', name: 'Fundación Ñandú' }],
      to: [{ address: to, name: 'Ana López' }],
    });
    expect(received?.headers['message-id']).toBe(messageId);
    expect(received?.html).toContain('Hola, Ana &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(received?.html).toContain('href="https://academy.mx/certificados/c-123"');
    expect(received?.text.trim()).toBe(rendered.text);
  });

  test('without a tenant name the configured sender name stays', async () => {
    mailer = new Mailer({ smtpUrl: mailbox.smtpUrl, from: 'MADFAM Academy <no-reply@academy.mx>', timeoutMs: 2000, breakerResetMs: 500 });
    const to = `sam.${randomUUID()}@example.com`;

    await mailer.send({
      to,
      toName: 'Sam',
      fromName: null,
      messageId: `<${randomUUID()}@academy.mx>`,
      subject: 'Hola',
      html: '<p>Hola</p>',
      text: 'Hola',
    });

    const [received] = await until(
      () => mailbox.emailsTo(to),
      (emails) => emails.length > 0,
    );
    expect(received?.from).toEqual([{ address: 'no-reply@academy.mx', name: 'MADFAM Academy' }]);
  });

  test('an outage fails retryably, opens the breaker (then sends fail fast), and sending resumes after breakerResetMs', async () => {
    const states: CircuitState[] = [];
    const breakerResetMs = 1000;
    mailer = new Mailer({
      smtpUrl: mailbox.smtpUrl,
      from: 'MADFAM Academy <no-reply@academy.mx>',
      timeoutMs: 2000,
      breakerResetMs,
      onCircuitChange: (state) => states.push(state),
    });
    const to = `outage.${randomUUID()}@example.com`;
    const message = (): OutgoingEmail => ({
      to,
      toName: 'Ana',
      messageId: `<${randomUUID()}@academy.mx>`,
      subject: 'Aviso',
      html: '<p>Aviso</p>',
      text: 'Aviso',
    });

    await mailbox.stop();
    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(mailer.send(message())).rejects.toBeInstanceOf(MailerUnavailableError);
    }
    expect(mailer.circuit).toBe('OPEN');
    expect(states).toEqual(['OPEN']);

    const started = Date.now();
    const failFast = await mailer.send(message()).catch((error: unknown) => error);
    expect(Date.now() - started).toBeLessThan(50);
    expect(failFast).toBeInstanceOf(MailerUnavailableError);
    expect(failFast).toMatchObject({ message: 'SMTP circuit open' });
    expect((failFast as MailerUnavailableError).retryAfterMs).toBeGreaterThan(0);
    expect((failFast as MailerUnavailableError).retryAfterMs).toBeLessThanOrEqual(breakerResetMs);

    await mailbox.start();
    await sleep(breakerResetMs + 100);
    expect(mailer.circuit).toBe('HALF_OPEN');
    await expect(mailer.send(message())).resolves.toMatchObject({ accepted: true });
    expect(mailer.circuit).toBe('CLOSED');
    expect(states).toEqual(['OPEN', 'HALF_OPEN', 'CLOSED']);
    expect(
      await until(
        () => mailbox.emailsTo(to),
        (emails) => emails.length > 0,
      ),
    ).toHaveLength(1);
  });
});

describe('Mailer against a refusing SMTP server', () => {
  // MailDev accepts every recipient; a server that refuses one is a few lines of SMTP.
  let server: { smtpUrl: string; stop(): Promise<void> } | undefined;
  let mailer: Mailer | undefined;
  afterEach(async () => {
    mailer?.close();
    await server?.stop();
  });

  test('550 for the recipient is final and does not open the breaker', async () => {
    server = await smtpServerAnsweringRcpt('550 5.1.1 <nadie@example.com>: Recipient address rejected: User unknown');
    mailer = new Mailer({ smtpUrl: server.smtpUrl, from: 'MADFAM Academy <no-reply@academy.mx>', timeoutMs: 2000, breakerResetMs: 10_000 });

    for (let attempt = 0; attempt < 4; attempt++) {
      const error = await mailer
        .send({
          to: 'nadie@example.com',
          toName: 'Nadie',
          messageId: `<${randomUUID()}@academy.mx>`,
          subject: 'Aviso',
          html: '<p>Aviso</p>',
          text: 'Aviso',
        })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MailerRejectedError);
      expect(error).toMatchObject({
        responseCode: 550,
        message: 'SMTP refused the message to n***@example.com: 550 5.1.1 <n***@example.com>: Recipient address rejected: User unknown',
      });
    }
    expect(mailer.circuit).toBe('CLOSED');
  });

  test('450 (try later) is retryable', async () => {
    server = await smtpServerAnsweringRcpt('450 4.2.1 Mailbox busy');
    mailer = new Mailer({ smtpUrl: server.smtpUrl, from: 'no-reply@academy.mx', timeoutMs: 2000, breakerResetMs: 10_000 });

    await expect(
      mailer.send({
        to: 'ana@example.com',
        toName: 'Ana',
        messageId: `<${randomUUID()}@academy.mx>`,
        subject: 'Aviso',
        html: '<p>Aviso</p>',
        text: 'Aviso',
      }),
    ).rejects.toBeInstanceOf(MailerUnavailableError);
  });
});

test.each([
  ['ana.lopez@example.com', 'a***@example.com'],
  ['Ñandu@correo.mx', 'Ñ***@correo.mx'],
  ['a@b.co', 'a***@b.co'],
  ['  x@academy.mx ', 'x***@academy.mx'],
  ['not-an-email', '***'],
  ['@example.com', '***'],
  ['ana@', '***'],
  ['ana@localhost', '***'],
  ['', '***'],
])('maskEmail(%p) is %p', (address, masked) => {
  expect(maskEmail(address)).toBe(masked);
});

/** An SMTP server that greets, accepts the sender, and answers RCPT TO with `reply`. */
async function smtpServerAnsweringRcpt(reply: string): Promise<{ smtpUrl: string; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.write('220 refusing.test ESMTP\r\n');
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString();
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const verb = buffered.slice(0, 4).toUpperCase();
        buffered = buffered.slice(end + 2);
        if (verb === 'QUIT') socket.end('221 Bye\r\n');
        else if (verb === 'RCPT') socket.write(`${reply}\r\n`);
        else if (['EHLO', 'HELO', 'MAIL', 'RSET', 'NOOP'].includes(verb)) socket.write('250 OK\r\n');
        else socket.write('502 Command not implemented\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
