import { randomBytes, randomUUID } from 'node:crypto';
import {
  createCompliantCourse,
  createTenant,
  openTestDatabase,
  readPdf,
  startTestObjectStore,
  type TestDatabase,
  type TestObjectStore,
  type TestTenant,
} from '@academy/testing';
import type { Certificate } from '@academy/platform';
import { CertificateDocuments } from '../src/certificates/certificate-documents';
import { CertificateRepository } from '../src/repositories/certificate-repository';

const APP_URL = 'https://{tenant}.academy.test';

/** The PDF lifecycle on its own: what is recorded when, what is made together, what is left out. */
describe('certificate documents', () => {
  let db: TestDatabase;
  let objects: TestObjectStore;
  let fixture: TestTenant;
  let repository: CertificateRepository;

  beforeAll(async () => {
    db = openTestDatabase();
    objects = await startTestObjectStore();
    fixture = await createTenant(db.database);
    repository = new CertificateRepository(db.database.forTenant(fixture.tenant.id));
  });
  afterAll(async () => {
    await objects?.stop();
    await db?.close();
  });

  /** A request's view: a new CertificateDocuments (its own batch loader). */
  const documents = () => new CertificateDocuments(repository, objects.storage, fixture.tenant, APP_URL);
  const issue = async (title: string): Promise<Certificate> => {
    const course = await createCompliantCourse(db.database, fixture, { title });
    return db.database.forTenant(fixture.tenant.id).run(async (tx) => {
      const enrollment = await tx.enrollment.create({
        data: {
          tenantId: fixture.tenant.id,
          courseId: course.id,
          learnerId: fixture.users.LEARNER.id,
          status: 'COMPLETED',
          completedAt: new Date(),
        },
      });
      return tx.certificate.create({
        data: {
          tenantId: fixture.tenant.id,
          learnerId: fixture.users.LEARNER.id,
          courseId: course.id,
          enrollmentId: enrollment.id,
          verificationCode: randomBytes(6).toString('hex').toUpperCase(),
          credential: {},
        },
      });
    });
  };
  const reload = async (id: string) => (await repository.findByIds([id]))[0]!;
  const pdfText = async (url: string) => {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    return (await readPdf(Buffer.from(await response.arrayBuffer()))).text.replace(/\s+/g, ' ');
  };

  it('records a PDF only while the certificate has the status it shows: a revocation meanwhile wins', async () => {
    const stale = await issue('Compostaje');
    // Revoked after the request read it, before its PDF is recorded.
    await db.database.forTenant(fixture.tenant.id).run((tx) =>
      tx.certificate.update({
        where: { id: stale.id },
        data: { status: 'REVOKED', revokedAt: new Date(), revocationReason: 'Error de captura' },
      }),
    );
    // The request answers for the certificate as it read it, and records nothing.
    expect(await pdfText(await documents().pdfUrl(stale))).not.toContain('REVOCADO');
    expect(await reload(stale.id)).toMatchObject({ pdfStorageKey: null, pdfStatus: null });

    // The next request makes the revoked one and records it.
    const text = await pdfText(await documents().pdfUrl(await reload(stale.id)));
    expect(text).toContain('REVOCADO');
    expect(text).toContain('Motivo: Error de captura');
    expect(await reload(stale.id)).toMatchObject({
      pdfStorageKey: `${fixture.tenant.id}/certificates/${stale.id}/revoked.pdf`,
      pdfStatus: 'REVOKED',
    });
    // The issued one the first request made is not kept.
    expect(await objects.storage.stat(`${fixture.tenant.id}/certificates/${stale.id}/issued.pdf`)).toBeNull();
  });

  it('makes the PDFs of certificates asked for together in one batch (one read of what they print), and never again', async () => {
    const certificates = await Promise.all(['Huertos', 'Agua', 'Energía'].map(issue));
    const request = documents();
    const facts = jest.spyOn(repository, 'printFacts');
    try {
      const urls = await Promise.all(certificates.map((certificate) => request.pdfUrl(certificate)));
      expect(facts).toHaveBeenCalledTimes(1);
      expect(new Set(urls.map((url) => new URL(url).pathname)).size).toBe(3);
      for (const certificate of certificates)
        expect(await reload(certificate.id)).toMatchObject({
          pdfStorageKey: `${fixture.tenant.id}/certificates/${certificate.id}/issued.pdf`,
          pdfStatus: 'ISSUED',
        });

      const next = documents();
      await Promise.all(certificates.map(async (certificate) => next.pdfUrl(await reload(certificate.id))));
      expect(facts).toHaveBeenCalledTimes(1);
    } finally {
      facts.mockRestore();
    }
  });

  it('leaves out a logo it cannot read, quietly', async () => {
    const logoId = randomUUID();
    await db.database.forTenant(fixture.tenant.id).run(async (tx) => {
      await tx.file.create({
        data: {
          id: logoId,
          tenantId: fixture.tenant.id,
          ownerId: fixture.users.TENANT_ADMIN.id,
          purpose: 'TENANT_LOGO',
          name: 'logo.png',
          contentType: 'image/png',
          byteSize: 100,
          // Never uploaded: nothing under the key.
          storageKey: `${fixture.tenant.id}/tenant_logo/${logoId}`,
          status: 'READY',
          readyAt: new Date(),
          uploadExpiresAt: new Date(),
        },
      });
      await tx.tenant.update({ where: { id: fixture.tenant.id }, data: { logoFileId: logoId } });
    });
    const certificate = await issue('Apicultura');
    expect(await pdfText(await documents().pdfUrl(certificate))).toContain('Apicultura');
  });
});
