import {
  asPersonaOf,
  createTenantWithEveryKindOfRow,
  httpRequest,
  startSupergraph,
  type RunningSupergraph,
  type TestTenant,
} from '@academy/testing';

/** The public page a certificate's printed code and QR lead to, served by the gateway on the tenant's host. */
describe('certificate verification page (the gateway, no sign-in)', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  let as: ReturnType<typeof asPersonaOf>;

  beforeAll(async () => {
    supergraph = await startSupergraph();
    fixture = await createTenantWithEveryKindOfRow(supergraph.db.database);
    as = asPersonaOf(supergraph, fixture);
  }, 60_000);
  afterAll(() => supergraph?.close());

  const page = async (path: string, headers: Record<string, string> = {}) => {
    const response = await httpRequest(`${supergraph.origin}${path}`, { headers });
    return { status: response.status, headers: response.headers, html: response.text };
  };

  it('says valid, with only what verifyCertificate tells anyone; then revoked, with when and why, escaped', async () => {
    const mine = await as<{ me: { certificates: { id: string; verificationCode: string; verificationUrl: string }[] } }>(
      'LEARNER',
      '{ me { certificates { id verificationCode verificationUrl } } }',
    );
    const [certificate] = mine.data!.me.certificates;
    const code = certificate!.verificationCode;
    expect(certificate!.verificationUrl).toBe(`https://${fixture.tenant.slug}.academy.test/verify/${code}`);

    // On the tenant's host, as the printed URL has it, and under /t/<tenant>/.
    const valid = await page(`/verify/${code}`, { host: `${fixture.tenant.slug}.academy.test` });
    expect({ status: valid.status, type: valid.headers['content-type'], cache: valid.headers['cache-control'] }).toEqual({
      status: 200,
      type: 'text/html; charset=utf-8',
      cache: 'public, max-age=60',
    });
    expect(valid.html).toContain('Certificado válido');
    expect(valid.html).toContain(fixture.users.LEARNER.name);
    expect(valid.html).toContain('Curso de prueba');
    expect(valid.html).toContain(fixture.tenant.name);
    expect(valid.html).not.toContain('<script');
    expect(valid.html).not.toContain(fixture.users.LEARNER.email);
    expect((await page(`/t/${fixture.tenant.slug}/verify/${code}`)).html).toContain('Certificado válido');

    const revoked = await as(
      'TENANT_ADMIN',
      'mutation($id: ID!) { revokeCertificate(id: $id, reason: "<b>Plagio</b> en la evidencia") { status } }',
      {
        id: certificate!.id,
      },
    );
    expect(revoked).toEqual({ data: { revokeCertificate: { status: 'REVOKED' } } });
    const after = await page(`/verify/${code}`, { host: `${fixture.tenant.slug}.academy.test` });
    expect(after.status).toBe(200);
    expect(after.html).toContain('Certificado revocado');
    expect(after.html).toContain('&lt;b&gt;Plagio&lt;/b&gt; en la evidencia');
    expect(after.html).not.toContain('<b>Plagio');

    const verified = await supergraph.request<{ verifyCertificate: { valid: boolean; revokedAt: string; revocationReason: string } }>(
      'query($code: String!) { verifyCertificate(code: $code) { valid status revokedAt revocationReason } }',
      { tenant: fixture.tenant.slug, variables: { code } },
    );
    expect(verified.body.data!.verifyCertificate).toMatchObject({
      valid: false,
      status: 'REVOKED',
      revocationReason: '<b>Plagio</b> en la evidencia',
    });
    expect(Date.now() - new Date(verified.body.data!.verifyCertificate.revokedAt).getTime()).toBeLessThan(60_000);
  });

  it('an unknown code is a 404 page saying so; an unknown tenant is a 404', async () => {
    const missing = await page('/verify/NO-EXISTE', { host: `${fixture.tenant.slug}.academy.test` });
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('Certificado no encontrado');
    expect((await page('/verify/NO-EXISTE', { host: 'nadie.academy.test' })).status).toBe(404);
    expect(
      (
        await httpRequest(`${supergraph.origin}/verify/NO-EXISTE`, {
          method: 'POST',
          headers: { host: `${fixture.tenant.slug}.academy.test` },
        })
      ).status,
    ).toBe(405);
  });
});
