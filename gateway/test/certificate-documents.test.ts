import {
  asPersonaOf,
  createCompliantCourse,
  createTenant,
  putUpload,
  readPdf,
  SAMPLE_PDF,
  SAMPLE_PNG,
  startSupergraph,
  type RunningSupergraph,
  type TestTenant,
  type UploadTicketResponse,
} from '@academy/testing';

interface MyCertificate {
  id: string;
  verificationCode: string;
  verificationUrl: string;
  pdfUrl: string;
}

const MY_CERTIFICATES = '{ me { certificates { id verificationCode verificationUrl pdfUrl } } }';
const CERTIFICATE = 'query($id: ID!) { certificate(id: $id) { id pdfUrl } }';

/** The certificate PDF (Certificate.pdfUrl): made once per status, stored, downloaded through a short-lived URL. */
describe('certificate PDFs (through the gateway)', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  let other: TestTenant;
  let as: ReturnType<typeof asPersonaOf>;
  let asOther: ReturnType<typeof asPersonaOf>;

  beforeAll(async () => {
    supergraph = await startSupergraph();
    fixture = await createTenant(supergraph.db.database);
    other = await createTenant(supergraph.db.database);
    as = asPersonaOf(supergraph, fixture);
    asOther = asPersonaOf(supergraph, other);
    await certify(fixture, as, 'Curso de prueba');
    await certify(other, asOther, 'Curso de otra academia');
  }, 60_000);
  afterAll(() => supergraph?.close());

  /** The tenant's learner enrolls in a course, completes its lessons and is graded passing: a certificate is issued. */
  const certify = async (tenant: TestTenant, request: ReturnType<typeof asPersonaOf>, title: string) => {
    const course = await createCompliantCourse(supergraph.db.database, tenant, { title });
    const enrolled = await request<{ enroll: { id: string } }>('LEARNER', 'mutation($id: ID!) { enroll(courseId: $id) { id } }', {
      id: course.id,
    });
    const enrollment = enrolled.data!.enroll.id;
    for (const lesson of course.lessons)
      await request('LEARNER', 'mutation($id: ID!, $lesson: ID!) { completeLesson(enrollmentId: $id, lessonId: $lesson) { id } }', {
        id: enrollment,
        lesson: lesson.id,
      });
    expect(
      await request('INSTRUCTOR', 'mutation($id: ID!) { submitFinalAssessment(enrollmentId: $id, score: 92) { status } }', {
        id: enrollment,
      }),
    ).toEqual({ data: { submitFinalAssessment: { status: 'COMPLETED' } } });
  };

  const download = async (url: string) => {
    const response = await fetch(url);
    const bytes = Buffer.from(await response.arrayBuffer());
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      disposition: response.headers.get('content-disposition'),
      bytes,
    };
  };
  /** The stored object a download URL names (its path, without the signature). */
  const objectOf = (url: string) => new URL(url).pathname;
  const flat = (text: string) => text.replace(/\s+/g, ' ');
  const mine = async () => {
    const answer = await as<{ me: { certificates: MyCertificate[] } }>('LEARNER', MY_CERTIFICATES);
    expect(answer.errors).toBeUndefined();
    return answer.data!.me.certificates;
  };
  const storedPdf = (id: string) =>
    supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.certificate.findUniqueOrThrow({ where: { id }, select: { pdfStorageKey: true, pdfStatus: true } }));

  it('downloads as a PDF with the learner, course, EC standard, academy, code and a QR code of the verification page; made once; marked REVOCADO after revocation', async () => {
    // The academy's branding: a colour and a logo (a media file, read from storage for the PDF).
    const upload = await as<{ createUpload: UploadTicketResponse }>(
      'TENANT_ADMIN',
      'mutation ($byteSize: Int!) { createUpload(purpose: TENANT_LOGO, fileName: "logo.png", contentType: "image/png", byteSize: $byteSize) { file { id } uploadUrl headers expiresAt } }',
      { byteSize: SAMPLE_PNG.length },
    );
    const ticket = upload.data!.createUpload;
    expect((await putUpload(ticket, SAMPLE_PNG)).status).toBe(200);
    expect(await as('TENANT_ADMIN', 'mutation ($id: ID!) { completeUpload(id: $id) { status } }', { id: ticket.file.id })).toEqual({
      data: { completeUpload: { status: 'READY' } },
    });
    expect(
      await as(
        'TENANT_ADMIN',
        'mutation ($input: TenantSettingsInput!) { updateTenantSettings(input: $input) { branding { primaryColor } } }',
        {
          input: { primaryColor: '#0a7d4f', logoFileId: ticket.file.id },
        },
      ),
    ).toEqual({ data: { updateTenantSettings: { branding: { primaryColor: '#0a7d4f' } } } });

    const [certificate] = await mine();
    const { id, verificationCode: code, verificationUrl } = certificate!;
    const pdf = await download(certificate!.pdfUrl);
    expect({ status: pdf.status, type: pdf.type, disposition: pdf.disposition, start: pdf.bytes.subarray(0, 5).toString() }).toEqual({
      status: 200,
      type: 'application/pdf',
      disposition: `inline; filename*=UTF-8''certificado-${code}.pdf`,
      start: '%PDF-',
    });
    const read = await readPdf(pdf.bytes);
    const text = flat(read.text);
    const standard = await supergraph.db.database.prisma.competencyStandard.findUniqueOrThrow({ where: { code: 'EC0217.01' } });
    for (const expected of [fixture.users.LEARNER.name, 'Curso de prueba', code, fixture.tenant.name, 'EC0217.01', flat(standard.title)])
      expect(text).toContain(expected);
    expect(text).not.toContain('REVOCADO');
    expect(read.qrCodes).toEqual([verificationUrl]);
    // The QR code and the 1x1 logo.
    expect(read.images).toContainEqual({ width: 1, height: 1 });
    expect(await storedPdf(id)).toEqual({ pdfStorageKey: `${fixture.tenant.id}/certificates/${id}/issued.pdf`, pdfStatus: 'ISSUED' });

    // Asked again: the same stored object, not made again (what is stored is what downloads).
    const key = (await storedPdf(id)).pdfStorageKey!;
    await supergraph.storage.write(key, SAMPLE_PDF, 'application/pdf');
    const again = (await mine())[0]!;
    expect(objectOf(again.pdfUrl)).toBe(objectOf(certificate!.pdfUrl));
    expect((await download(again.pdfUrl)).bytes.equals(SAMPLE_PDF)).toBe(true);
    // Staff reach it by id as well.
    const byAdmin = await as<{ certificate: { pdfUrl: string } }>('TENANT_ADMIN', CERTIFICATE, { id });
    expect(objectOf(byAdmin.data!.certificate.pdfUrl)).toBe(objectOf(certificate!.pdfUrl));

    const reason = 'Plagio en la evidencia del portafolio';
    expect(
      await as('TENANT_ADMIN', 'mutation($id: ID!, $reason: String!) { revokeCertificate(id: $id, reason: $reason) { status } }', {
        id,
        reason,
      }),
    ).toEqual({
      data: { revokeCertificate: { status: 'REVOKED' } },
    });
    const revoked = (await mine())[0]!;
    expect(objectOf(revoked.pdfUrl)).not.toBe(objectOf(certificate!.pdfUrl));
    const revokedPdf = await download(revoked.pdfUrl);
    expect(revokedPdf.status).toBe(200);
    const revokedRead = await readPdf(revokedPdf.bytes);
    expect(flat(revokedRead.text)).toContain('REVOCADO');
    expect(flat(revokedRead.text)).toContain(`Motivo: ${reason}`);
    expect(flat(revokedRead.text)).toContain(fixture.users.LEARNER.name);
    expect(revokedRead.qrCodes).toEqual([verificationUrl]);
    expect(await storedPdf(id)).toEqual({ pdfStorageKey: `${fixture.tenant.id}/certificates/${id}/revoked.pdf`, pdfStatus: 'REVOKED' });
    // The valid-looking PDF it replaced is gone; old URLs to it lead nowhere.
    expect(await supergraph.storage.stat(key)).toBeNull();
    expect((await download(certificate!.pdfUrl)).status).toBe(404);
    // And the revoked one is not made again either.
    expect(objectOf((await mine())[0]!.pdfUrl)).toBe(objectOf(revoked.pdfUrl));
  });

  it('makes the PDFs of a list of certificates together, each its own', async () => {
    const titles = ['Huertos urbanos', 'Energía solar comunitaria'];
    for (const title of titles) await certify(fixture, as, title);
    const certificates = await mine();
    expect(certificates).toHaveLength(3);
    expect(new Set(certificates.map((certificate) => objectOf(certificate.pdfUrl))).size).toBe(3);
    const reads = await Promise.all(certificates.map(async (certificate) => readPdf((await download(certificate.pdfUrl)).bytes)));
    for (const [index, read] of reads.entries()) {
      expect(flat(read.text)).toContain(certificates[index]!.verificationCode);
      expect(read.qrCodes).toEqual([certificates[index]!.verificationUrl]);
    }
    for (const title of titles) expect(reads.filter((read) => flat(read.text).includes(title))).toHaveLength(1);
  });

  it('another tenant’s certificate is NOT_FOUND, its PDF unreachable', async () => {
    const [certificate] = await mine();
    expect(await asOther('TENANT_ADMIN', CERTIFICATE, { id: certificate!.id })).toEqual({
      data: { certificate: null },
      errors: [{ message: expect.stringMatching(/not found$/), path: ['certificate'], extensions: { code: 'NOT_FOUND' } }],
    });
    // Its own certificates have their own PDFs, of its own tenant.
    const own = await asOther<{ me: { certificates: MyCertificate[] } }>('LEARNER', MY_CERTIFICATES);
    const read = await readPdf((await download(own.data!.me.certificates[0]!.pdfUrl)).bytes);
    expect(flat(read.text)).toContain(other.tenant.name);
    expect(flat(read.text)).not.toContain(fixture.tenant.name);
  });
});
