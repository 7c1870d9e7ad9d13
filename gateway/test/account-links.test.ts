import {
  createTenant,
  startSupergraph,
  startTestMailbox,
  TEST_PASSWORD,
  until,
  type ReceivedEmail,
  type RunningSupergraph,
  type TestMailbox,
  type TestTenant,
} from '@academy/testing';

const INVITE =
  'mutation($email: String!, $name: String!, $persona: Persona!) { inviteUser(email: $email, name: $name, persona: $persona) { name persona status } }';
const ACCEPT =
  'mutation($token: String!, $password: String!) { acceptInvitation(token: $token, password: $password) { token user { name persona status } } }';
const REQUEST_RESET = 'mutation($email: String!) { requestPasswordReset(email: $email) }';
const RESET =
  'mutation($token: String!, $password: String!) { resetPassword(token: $token, newPassword: $password) { token user { email } } }';
const WRONG_PASSWORD = {
  data: null,
  errors: [{ message: 'Invalid email or password', path: ['login'], extensions: { code: 'UNAUTHENTICATED' } }],
};
const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { user { email status } } }';

/** One-time links, end to end: the email MailDev received, its link, the account it opens. */
describe('invitations and password resets (through the gateway and MailDev)', () => {
  let supergraph: RunningSupergraph;
  let mailbox: TestMailbox;
  let fixture: TestTenant;
  let admin: string;

  beforeAll(async () => {
    mailbox = await startTestMailbox();
    supergraph = await startSupergraph({ isolated: true, mail: { smtpUrl: mailbox.smtpUrl } });
    fixture = await createTenant(supergraph.db.database);
    admin = await supergraph.login(fixture.users.TENANT_ADMIN.email, TEST_PASSWORD, fixture.tenant.slug);
  }, 60_000);
  afterAll(async () => {
    await supergraph?.close();
    await mailbox?.stop();
  });

  const call = (query: string, variables: Record<string, unknown>, token?: string) =>
    supergraph.request(query, { tenant: fixture.tenant.slug, variables, ...(token ? { token } : {}) }).then((response) => response.body);
  const emailTo = async (address: string, count = 1): Promise<ReceivedEmail[]> =>
    until(
      () => mailbox.emailsTo(address),
      (found) => found.length >= count,
      { timeoutMs: 20_000, everyMs: 100 },
    );
  const tokenIn = (email: ReceivedEmail, path: string) => {
    const match = new RegExp(`https://${fixture.tenant.slug}\\.academy\\.test${path}\\?token=([A-Za-z0-9_-]+)`).exec(email.text);
    if (!match) throw new Error(`no ${path} link in: ${email.text}`);
    return match[1]!;
  };
  const invalidLink = (path: string, message: string) => ({
    data: null,
    errors: [
      { message, path: [path], extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'token', message: 'invalid or expired' }] } },
    ],
  });

  it('invites: an INVITED account, an email with a one-time link, accepted once into a signed-in INSTRUCTOR', async () => {
    const email = 'nueva.instructora@example.mx';
    expect(await call(INVITE, { email, name: 'Nueva Instructora', persona: 'INSTRUCTOR' }, admin)).toEqual({
      data: { inviteUser: { name: 'Nueva Instructora', persona: 'INSTRUCTOR', status: 'INVITED' } },
    });
    const [invitation] = await emailTo(email);
    expect(invitation!.subject).toBe(`Te invitaron a ${fixture.tenant.name}`);
    expect(invitation!.text).toContain('Hola, Nueva Instructora');
    const token = tokenIn(invitation!, '/accept-invitation');
    // No password until it is accepted.
    expect(await call(LOGIN, { email, password: 'cualquier-cosa-123' })).toEqual(WRONG_PASSWORD);
    const accepted = await call(ACCEPT, { token, password: 'mi-contraseña-segura' });
    expect(accepted).toEqual({
      data: {
        acceptInvitation: { token: expect.any(String), user: { name: 'Nueva Instructora', persona: 'INSTRUCTOR', status: 'ACTIVE' } },
      },
    });
    expect(await call(ACCEPT, { token, password: 'otra-contraseña-123' })).toEqual(
      invalidLink(
        'acceptInvitation',
        'This invitation link is not valid: it was used, has expired, or was replaced by a newer one. Ask an admin for a new invitation.',
      ),
    );
    expect(await call(LOGIN, { email, password: 'mi-contraseña-segura' })).toEqual({
      data: { login: { user: { email, status: 'ACTIVE' } } },
    });
    // The link lived in the email only: the notification keeps no copy of it once sent.
    const stored = await supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.notification.findFirst({ where: { kind: 'INVITATION', user: { email } }, select: { link: true } }));
    expect(stored).toEqual({ link: null });
  }, 60_000);

  it('refuses invitations that are not the inviter’s to give', async () => {
    const learner = await supergraph.login(fixture.users.LEARNER.email, TEST_PASSWORD, fixture.tenant.slug);
    expect(await call(INVITE, { email: 'x@example.mx', name: 'X', persona: 'LEARNER' }, learner)).toEqual({
      data: null,
      errors: [{ message: 'Not allowed', path: ['inviteUser'], extensions: { code: 'FORBIDDEN' } }],
    });
    expect(await call(INVITE, { email: 'x@example.mx', name: 'X', persona: 'PLATFORM_ADMIN' }, admin)).toEqual({
      data: null,
      errors: [{ message: 'Only a platform admin invites a PLATFORM_ADMIN', path: ['inviteUser'], extensions: { code: 'FORBIDDEN' } }],
    });
    expect(await call(INVITE, { email: fixture.users.LEARNER.email, name: 'X', persona: 'LEARNER' }, admin)).toEqual({
      data: null,
      errors: [{ message: 'An account with this email already exists', path: ['inviteUser'], extensions: { code: 'CONFLICT' } }],
    });
    expect(await call(INVITE, { email: 'no es correo', name: ' ', persona: 'LEARNER' }, admin)).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid invitation',
          path: ['inviteUser'],
          extensions: {
            code: 'BAD_USER_INPUT',
            issues: [
              { field: 'email', message: 'must be an email address' },
              { field: 'name', message: 'must be 1 to 120 characters' },
            ],
          },
        },
      ],
    });
  });

  it('resets a password with the emailed link, once, ending every other session; says nothing about accounts that do not exist', async () => {
    const { email } = fixture.users.EVALUATOR;
    // Signed in elsewhere before the reset (whoever knew the old password, say).
    const before = await supergraph.login(email, TEST_PASSWORD, fixture.tenant.slug);
    expect(await call('{ me { email } }', {}, before)).toEqual({ data: { me: { email } } });
    expect(await call(REQUEST_RESET, { email: 'nadie@example.mx' })).toEqual({ data: { requestPasswordReset: true } });
    expect(await call(REQUEST_RESET, { email: email.toUpperCase() })).toEqual({ data: { requestPasswordReset: true } });
    const [reset] = await emailTo(email);
    expect(reset!.subject).toBe('Restablece tu contraseña');
    const token = tokenIn(reset!, '/reset-password');
    expect(await call(RESET, { token, password: 'corta' })).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid password',
          path: ['resetPassword'],
          extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'newPassword', message: 'must be at least 10 characters' }] },
        },
      ],
    });
    const reset2 = await call(RESET, { token, password: 'nueva-contraseña-2026' });
    expect(reset2).toEqual({ data: { resetPassword: { token: expect.any(String), user: { email } } } });
    expect(await call('{ me { email } }', {}, before)).toEqual({
      errors: [{ message: 'This session has ended; sign in again', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    const after = (reset2.data as { resetPassword: { token: string } }).resetPassword.token;
    expect(await call('{ me { email } }', {}, after)).toEqual({ data: { me: { email } } });
    expect(await call(RESET, { token, password: 'otra-mas-2026-xyz' })).toEqual(
      invalidLink(
        'resetPassword',
        'This password reset link is not valid: it was used, has expired, or was replaced by a newer one. Ask for a new one.',
      ),
    );
    expect(await call(LOGIN, { email, password: TEST_PASSWORD })).toEqual(WRONG_PASSWORD);
    expect(await call(LOGIN, { email, password: 'nueva-contraseña-2026' })).toEqual({
      data: { login: { user: { email, status: 'ACTIVE' } } },
    });
    // Nobody else got an email (the unknown address included).
    expect(await mailbox.emailsTo('nadie@example.mx')).toEqual([]);
  }, 60_000);

  it('a reset link stops working when it expires, and when a newer one is sent', async () => {
    const { email, id } = fixture.users.INSTRUCTOR;
    await call(REQUEST_RESET, { email });
    const first = tokenIn((await emailTo(email, 1))[0]!, '/reset-password');
    await call(REQUEST_RESET, { email });
    const second = tokenIn((await emailTo(email, 2))[1]!, '/reset-password');
    const replaced = 'This password reset link is not valid: it was used, has expired, or was replaced by a newer one. Ask for a new one.';
    expect(await call(RESET, { token: first, password: 'nueva-contraseña-2026' })).toEqual(invalidLink('resetPassword', replaced));
    // Thirty minutes later (its expiry moved back instead of waiting).
    await supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.accountToken.updateMany({ where: { userId: id, usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } }));
    expect(await call(RESET, { token: second, password: 'nueva-contraseña-2026' })).toEqual(invalidLink('resetPassword', replaced));
    expect(await call(RESET, { token: 'not-a-token', password: 'nueva-contraseña-2026' })).toEqual(invalidLink('resetPassword', replaced));
  }, 60_000);

  it('keeps one account per CURP in a tenant, and the locale the user chooses', async () => {
    const curp = 'HEGG560427MVZRRL04';
    const learner = await supergraph.login(fixture.users.LEARNER.email, TEST_PASSWORD, fixture.tenant.slug);
    const update = 'mutation($input: UpdateProfileInput!) { updateMyProfile(input: $input) { curp locale } }';
    expect(await call(update, { input: { curp, locale: 'en' } }, learner)).toEqual({ data: { updateMyProfile: { curp, locale: 'en' } } });
    const other = await supergraph.login(fixture.users.INSTRUCTOR.email, TEST_PASSWORD, fixture.tenant.slug);
    expect(await call(update, { input: { curp: curp.toLowerCase() } }, other)).toEqual({
      data: null,
      errors: [
        {
          message: 'Another account of this academy has this CURP; CONOCER certifies one person per CURP',
          path: ['updateMyProfile'],
          extensions: { code: 'CONFLICT' },
        },
      ],
    });
    expect(await call(update, { input: { locale: 'fr-FR' } }, learner)).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid profile',
          path: ['updateMyProfile'],
          extensions: {
            code: 'BAD_USER_INPUT',
            issues: [{ field: 'locale', message: 'must be es-MX or en (a BCP 47 tag of Spanish or English)' }],
          },
        },
      ],
    });
    // Another tenant may have an account with the same CURP (a person studies in two academies).
    const elsewhere = await createTenant(supergraph.db.database);
    const there = await supergraph.login(elsewhere.users.LEARNER.email, TEST_PASSWORD, elsewhere.tenant.slug);
    const response = await supergraph.request(update, { tenant: elsewhere.tenant.slug, token: there, variables: { input: { curp } } });
    expect(response.body).toEqual({ data: { updateMyProfile: { curp, locale: 'es-MX' } } });
  }, 60_000);
});
