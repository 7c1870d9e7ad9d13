import {
  createTenant,
  putUpload,
  SAMPLE_PNG as PNG,
  startSupergraph,
  TEST_PASSWORD,
  type RunningSupergraph,
  type TestTenant,
  type UploadTicketResponse as Ticket,
} from '@academy/testing';

const CREATE = `mutation ($purpose: UploadPurpose!, $fileName: String!, $contentType: String!, $byteSize: Int!) {
  createUpload(purpose: $purpose, fileName: $fileName, contentType: $contentType, byteSize: $byteSize) { file { id } uploadUrl headers expiresAt } }`;
const COMPLETE = 'mutation ($id: ID!) { completeUpload(id: $id) { status } }';
const PROFILE = 'mutation ($input: UpdateProfileInput!) { updateMyProfile(input: $input) { name avatar { id purpose status url } } }';
const SETTINGS = 'mutation ($input: TenantSettingsInput!) { updateTenantSettings(input: $input) { branding { displayName logoUrl } } }';
const BRANDING = '{ tenantBranding { displayName logoUrl primaryColor } }';

/** Avatars and logos are media files: uploaded, checked, then attached; the database refuses any other file. */
describe('avatars and tenant logos (media files, through the gateway)', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    supergraph = await startSupergraph();
    fixture = await createTenant(supergraph.db.database);
  }, 60_000);
  afterAll(() => supergraph?.close());

  const as = async (
    persona: keyof TestTenant['users'] | null,
    query: string,
    variables: Record<string, unknown> = {},
    tenant = fixture,
  ) => {
    let token: string | undefined;
    if (persona) {
      const key = `${tenant.tenant.slug}:${persona}`;
      if (!tokens.has(key)) tokens.set(key, await supergraph.login(tenant.users[persona].email, TEST_PASSWORD, tenant.tenant.slug));
      token = tokens.get(key);
    }
    return (await supergraph.request(query, { tenant: tenant.tenant.slug, variables, ...(token ? { token } : {}) })).body;
  };
  /** A READY file of this purpose, uploaded by `persona`. */
  const uploaded = async (persona: keyof TestTenant['users'], purpose: string, tenant = fixture): Promise<string> => {
    const created = await as(persona, CREATE, { purpose, fileName: 'imagen.png', contentType: 'image/png', byteSize: PNG.length }, tenant);
    const ticket = (created.data as { createUpload: Ticket }).createUpload;
    expect((await putUpload(ticket, PNG)).status).toBe(200);
    expect(await as(persona, COMPLETE, { id: ticket.file.id }, tenant)).toEqual({ data: { completeUpload: { status: 'READY' } } });
    return ticket.file.id;
  };
  const invalidFile = (path: string, field: string, message: string) => ({
    data: null,
    errors: [{ message: 'Invalid file', path: [path], extensions: { code: 'BAD_USER_INPUT', issues: [{ field, message }] } }],
  });
  const AVATAR_MESSAGE = 'must be a READY AVATAR file you uploaded (createUpload, then completeUpload)';
  const LOGO_MESSAGE = 'must be a READY TENANT_LOGO file of this academy (createUpload, then completeUpload)';

  it('a learner sets their avatar; others of the tenant see it; null removes it', async () => {
    const avatar = await uploaded('LEARNER', 'AVATAR');
    expect(await as('LEARNER', PROFILE, { input: { avatarFileId: avatar } })).toEqual({
      data: {
        updateMyProfile: {
          name: fixture.users.LEARNER.name,
          avatar: { id: avatar, purpose: 'AVATAR', status: 'READY', url: expect.stringMatching(/^http/) },
        },
      },
    });
    const seen = await as('INSTRUCTOR', 'query ($id: ID!) { user(id: $id) { avatar { id } } }', { id: fixture.users.LEARNER.id });
    expect(seen).toEqual({ data: { user: { avatar: { id: avatar } } } });
    expect(await as('LEARNER', PROFILE, { input: { avatarFileId: null } })).toEqual({
      data: { updateMyProfile: { name: fixture.users.LEARNER.name, avatar: null } },
    });
  });

  it('refuses a file that is not a READY avatar of one’s own, with BAD_USER_INPUT', async () => {
    const someoneElses = await uploaded('INSTRUCTOR', 'AVATAR');
    const evidence = await as('LEARNER', CREATE, { purpose: 'AVATAR', fileName: 'a.png', contentType: 'image/png', byteSize: PNG.length });
    const pending = (evidence.data as { createUpload: Ticket }).createUpload.file.id;
    const other = await createTenant(supergraph.db.database);
    const otherTenants = await uploaded('LEARNER', 'AVATAR', other);
    for (const id of [someoneElses, pending, otherTenants, '00000000-0000-4000-8000-000000000000'])
      expect(await as('LEARNER', PROFILE, { input: { avatarFileId: id } })).toEqual(
        invalidFile('updateMyProfile', 'avatarFileId', AVATAR_MESSAGE),
      );
    expect(await as('LEARNER', PROFILE, { input: { avatarFileId: 'not-an-id' } })).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid profile',
          path: ['updateMyProfile'],
          extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'avatarFileId', message: AVATAR_MESSAGE }] },
        },
      ],
    });
  });

  it('a tenant admin sets the logo: the public branding carries its URL (which serves the image); null removes it', async () => {
    expect(await as(null, BRANDING)).toEqual({
      data: { tenantBranding: { displayName: fixture.tenant.name, logoUrl: null, primaryColor: null } },
    });
    const logo = await uploaded('TENANT_ADMIN', 'TENANT_LOGO');
    const set = await as('TENANT_ADMIN', SETTINGS, { input: { logoFileId: logo, displayName: 'Escuela Verde' } });
    expect(set).toEqual({
      data: { updateTenantSettings: { branding: { displayName: 'Escuela Verde', logoUrl: expect.stringMatching(/^http/) } } },
    });
    const branding = (await as(null, '{ tenantBranding { logoUrl } }')) as { data: { tenantBranding: { logoUrl: string } } };
    const image = await fetch(branding.data.tenantBranding.logoUrl);
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(PNG);

    const avatar = await uploaded('TENANT_ADMIN', 'AVATAR');
    expect(await as('TENANT_ADMIN', SETTINGS, { input: { logoFileId: avatar } })).toEqual(
      invalidFile('updateTenantSettings', 'logoFileId', LOGO_MESSAGE),
    );
    expect(await as('TENANT_ADMIN', SETTINGS, { input: { logoFileId: null } })).toEqual({
      data: { updateTenantSettings: { branding: { displayName: 'Escuela Verde', logoUrl: null } } },
    });
  });
});
