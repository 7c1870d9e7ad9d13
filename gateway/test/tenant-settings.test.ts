import { createTenant, startSupergraph, TEST_PASSWORD, type RunningSupergraph, type TestTenant } from '@academy/testing';

const BRANDING = '{ tenantBranding { displayName logoUrl primaryColor locale timezone } }';
const UPDATE = `mutation($input: TenantSettingsInput!) { updateTenantSettings(input: $input) {
  branding { displayName primaryColor locale timezone }
  settings { selfSignUp arbitraryDocuments employerName employerRfc emailFrom }
} }`;
const SIGN_UP = 'mutation($input: SignUpInput!) { signUp(input: $input) { user { name } } }';

/** A tenant's branding (public) and settings (its admins'), through the gateway. */
describe('tenant branding and settings', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  let admin: string;
  beforeAll(async () => {
    supergraph = await startSupergraph();
    fixture = await createTenant(supergraph.db.database);
    admin = await supergraph.login(fixture.users.TENANT_ADMIN.email, TEST_PASSWORD, fixture.tenant.slug);
  });
  afterAll(() => supergraph?.close());

  const call = (query: string, variables: Record<string, unknown> = {}, token?: string, tenant = fixture.tenant.slug) =>
    supergraph.request(query, { tenant, variables, ...(token ? { token } : {}) }).then((response) => response.body);

  it('shows anyone the branding of the request’s tenant, with its defaults', async () => {
    const fresh = await createTenant(supergraph.db.database);
    expect(await call(BRANDING, {}, undefined, fresh.tenant.slug)).toEqual({
      data: {
        tenantBranding: {
          displayName: fresh.tenant.name,
          logoUrl: null,
          primaryColor: null,
          locale: 'es-MX',
          timezone: 'America/Mexico_City',
        },
      },
    });
  });

  it('lets the tenant admin set branding and DC-3 employer data; a null returns a field to its default', async () => {
    const input = {
      displayName: 'Academia Cooperativa Sol',
      primaryColor: '#1F7A4D',
      timezone: 'America/Monterrey',
      employerName: 'Cooperativa Sol S.C. de R.L.',
      employerRfc: 'sat970701nn3',
      emailFrom: 'Academia Sol',
      selfSignUp: false,
    };
    expect(await call(UPDATE, { input }, admin)).toEqual({
      data: {
        updateTenantSettings: {
          branding: { displayName: 'Academia Cooperativa Sol', primaryColor: '#1F7A4D', locale: 'es-MX', timezone: 'America/Monterrey' },
          settings: {
            selfSignUp: false,
            arbitraryDocuments: false,
            employerName: 'Cooperativa Sol S.C. de R.L.',
            employerRfc: 'SAT970701NN3',
            emailFrom: 'Academia Sol',
          },
        },
      },
    });
    // Accounts by invitation only now.
    expect(await call(SIGN_UP, { input: { email: 'nuevo@example.mx', password: 'contraseña-larga', name: 'Nuevo' } })).toEqual({
      data: null,
      errors: [{ message: 'This academy takes new accounts by invitation only', path: ['signUp'], extensions: { code: 'FORBIDDEN' } }],
    });
    const reset = await call(UPDATE, { input: { selfSignUp: null, timezone: null } }, admin);
    expect(reset).toMatchObject({
      data: {
        updateTenantSettings: { branding: { timezone: 'America/Mexico_City' }, settings: { selfSignUp: true, emailFrom: 'Academia Sol' } },
      },
    });
    expect(await call(SIGN_UP, { input: { email: 'nuevo@example.mx', password: 'contraseña-larga', name: 'Nuevo' } })).toEqual({
      data: { signUp: { user: { name: 'Nuevo' } } },
    });
  });

  it('refuses every invalid field at once, an RFC whose SAT check digit does not match included', async () => {
    const input = {
      primaryColor: 'green',
      locale: 'fr-FR',
      timezone: 'Mars/Olympus_Mons',
      employerRfc: 'SAT970701NN4',
      emailFrom: 'Academia <no-reply@x.mx>',
      displayName: ' ',
    };
    expect(await call(UPDATE, { input }, admin)).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid tenant settings',
          path: ['updateTenantSettings'],
          extensions: {
            code: 'BAD_USER_INPUT',
            issues: [
              { field: 'displayName', message: 'must be 1 to 120 characters' },
              { field: 'primaryColor', message: 'must be a colour as #RRGGBB' },
              { field: 'locale', message: 'must be es-MX or en (a BCP 47 tag of Spanish or English)' },
              { field: 'timezone', message: 'must be an IANA time zone, e.g. America/Mexico_City' },
              { field: 'employerRfc', message: 'its check digit does not match (SAT)' },
              { field: 'emailFrom', message: 'must be a name only (no address, quotes or angle brackets)' },
            ],
          },
        },
      ],
    });
  });

  it('keeps settings to the tenant’s admins', async () => {
    const learner = await supergraph.login(fixture.users.LEARNER.email, TEST_PASSWORD, fixture.tenant.slug);
    expect(await call(UPDATE, { input: { displayName: 'Mía' } }, learner)).toEqual({
      data: null,
      errors: [{ message: 'Not allowed', path: ['updateTenantSettings'], extensions: { code: 'FORBIDDEN' } }],
    });
    expect(await call('{ viewerTenant { name settings { selfSignUp } } }', {}, learner)).toEqual({
      data: { viewerTenant: null },
      errors: [{ message: 'Not allowed', path: ['viewerTenant', 'settings'], extensions: { code: 'FORBIDDEN' } }],
    });
  });
});
