import {
  createTenant,
  GATEWAY_BOUNDARY,
  putUpload,
  SAMPLE_ELF as ELF,
  SAMPLE_PDF as PDF,
  SAMPLE_PNG as PNG,
  startSubgraph,
  uniqueId,
  type RunningSubgraph,
  type TestTenant,
  type UploadRequest as Upload,
  type UploadTicketResponse as Ticket,
} from '@academy/testing';
import { uploadKeyOf } from '../src/uploads/file-uploads';

const CREATE = `mutation ($purpose: UploadPurpose!, $fileName: String!, $contentType: String!, $byteSize: Int!) {
  createUpload(purpose: $purpose, fileName: $fileName, contentType: $contentType, byteSize: $byteSize) {
    file { id name contentType byteSize purpose status rejectionReason createdAt } uploadUrl headers expiresAt
  } }`;
const COMPLETE = 'mutation ($id: ID!) { completeUpload(id: $id) { id status rejectionReason } }';
const FILE = 'query ($id: ID!) { file(id: $id) { id purpose status url } }';
const ENTITIES = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on File { id purpose name } } }';

type Persona = keyof TestTenant['users'];

const PDF_UPLOAD: Upload = { purpose: 'EVIDENCE', fileName: 'informe.pdf', contentType: 'application/pdf', byteSize: PDF.length };
const pngUpload = (purpose: string): Upload => ({ purpose, fileName: 'foto.png', contentType: 'image/png', byteSize: PNG.length });
const badInput = (path: string, issues: { field: string; message: string }[]) => ({
  data: null,
  errors: [
    {
      message: `Invalid upload: ${issues.map((issue) => `${issue.field} ${issue.message}`).join('; ')}`,
      path: [path],
      extensions: { code: 'BAD_USER_INPUT', issues },
    },
  ],
});
const refused = (path: string, message: string, code: string) => ({
  data: null,
  errors: [{ message, path: [path], extensions: { code } }],
});
/** Query.file is nullable: a refusal leaves it null. */
const fileRefused = (message: string, code: string) => ({
  data: { file: null },
  errors: [{ message, path: ['file'], extensions: { code } }],
});

/** The media subgraph on its own, as the gateway calls it, on an s3rver of its own. */
describe('media subgraph', () => {
  let subgraph: RunningSubgraph;
  let fixture: TestTenant;
  let other: TestTenant;
  beforeAll(async () => {
    subgraph = await startSubgraph('media');
    [fixture, other] = await Promise.all([createTenant(subgraph.db.database), createTenant(subgraph.db.database)]);
  });
  afterAll(() => subgraph?.close());

  const as = (persona: Persona | null, tenant = fixture) => ({ tenant: tenant.tenant, viewer: persona ? tenant.users[persona] : null });
  const rowOf = (id: string, tenant = fixture) =>
    subgraph.db.database.forTenant(tenant.tenant.id).run((tx) => tx.file.findUnique({ where: { id } }));
  /** What storage holds of a file: its checked copy, or what was PUT to its upload URL (null: neither). */
  const storedObject = async (id: string) => {
    const key = (await rowOf(id))!.storageKey;
    return (await subgraph.storage.stat(key)) ?? (await subgraph.storage.stat(uploadKeyOf(key)));
  };

  async function ticket(persona: Persona, upload: Upload, tenant = fixture): Promise<Ticket> {
    const response = await subgraph.request<{ createUpload: Ticket }>(CREATE, { variables: { ...upload }, ...as(persona, tenant) });
    expect(response.body.errors).toBeUndefined();
    return response.body.data!.createUpload;
  }
  const put = putUpload;
  const complete = (id: string, persona: Persona | null, tenant = fixture) =>
    subgraph.request(COMPLETE, { variables: { id }, ...as(persona, tenant) });
  const fileQuery = (id: string, persona: Persona | null, tenant = fixture) =>
    subgraph.request<{ file: { url: string } | null }>(FILE, { variables: { id }, ...as(persona, tenant) });

  /** A ticket of `persona`, its bytes PUT. */
  async function put_(persona: Persona, upload: Upload, bytes: Uint8Array, tenant = fixture): Promise<string> {
    const created = await ticket(persona, upload, tenant);
    expect((await put(created, bytes)).status).toBe(200);
    return created.file.id;
  }

  /** A file uploaded and completed by `persona`: READY. */
  async function readyFile(persona: Persona, upload: Upload, bytes: Uint8Array, tenant = fixture): Promise<string> {
    const id = await put_(persona, upload, bytes, tenant);
    expect((await complete(id, persona, tenant)).body).toEqual({
      data: { completeUpload: { id, status: 'READY', rejectionReason: null } },
    });
    return id;
  }

  it('answers only requests the gateway signed', async () => {
    expect(await subgraph.boundary(fixture.tenant)).toEqual(GATEWAY_BOUNDARY);
  });

  it('has a rule for every field', () => {
    expect(subgraph.ruleCoverage()).toEqual({ withoutRule: [], stale: [] });
  });

  describe('createUpload', () => {
    it('makes a PENDING file under a key of its tenant and purpose (never its name), and a PUT URL signed for its type and size', async () => {
      const before = Date.now();
      const response = await subgraph.request<{ createUpload: Ticket }>(CREATE, {
        variables: { purpose: 'EVIDENCE', fileName: '  informe final.pdf ', contentType: 'Application/PDF', byteSize: PDF.length },
        ...as('LEARNER'),
      });
      const id = response.body.data?.createUpload.file.id ?? '';
      expect(response.body).toEqual({
        data: {
          createUpload: {
            file: {
              id: expect.stringMatching(/^[0-9a-f-]{36}$/),
              name: 'informe final.pdf',
              contentType: 'application/pdf',
              byteSize: PDF.length,
              purpose: 'EVIDENCE',
              status: 'PENDING',
              rejectionReason: null,
              createdAt: expect.any(String),
            },
            uploadUrl: expect.stringMatching(
              new RegExp(
                `^http://127\\.0\\.0\\.1:\\d+/academy-test/${fixture.tenant.id}/evidence/${id}\\.upload\\?.*X-Amz-Expires=900.*X-Amz-Signature=`,
              ),
            ),
            headers: { 'Content-Type': 'application/pdf' },
            expiresAt: expect.any(String),
          },
        },
      });
      const expiresAt = new Date(response.body.data!.createUpload.expiresAt).getTime();
      expect(expiresAt - before).toBeGreaterThanOrEqual(900_000);
      expect(expiresAt - Date.now()).toBeLessThanOrEqual(900_000);
      expect(await rowOf(id)).toMatchObject({
        tenantId: fixture.tenant.id,
        ownerId: fixture.users.LEARNER.id,
        storageKey: `${fixture.tenant.id}/evidence/${id}`,
        status: 'PENDING',
        uploadExpiresAt: new Date(expiresAt),
        readyAt: null,
      });
    });

    it('takes image/jpg as image/jpeg, and the tenant logo from a tenant admin', async () => {
      const jpeg = await ticket('LEARNER', { purpose: 'AVATAR', fileName: 'yo.jpg', contentType: 'image/jpg', byteSize: 2048 });
      expect(jpeg.headers).toEqual({ 'Content-Type': 'image/jpeg' });
      const logo = await ticket('TENANT_ADMIN', { ...pngUpload('TENANT_LOGO') });
      expect(await rowOf(logo.file.id)).toMatchObject({
        purpose: 'TENANT_LOGO',
        storageKey: `${fixture.tenant.id}/tenant_logo/${logo.file.id}`,
      });
    });

    it('refuses what its purpose does not take, naming the limit, and stores nothing', async () => {
      const own = await createTenant(subgraph.db.database);
      const create = (upload: Partial<Upload>) =>
        subgraph.request(CREATE, { variables: { ...pngUpload('AVATAR'), ...upload }, ...as('LEARNER', own) });
      expect((await create({ byteSize: 5 * 1024 * 1024 + 1 })).body).toEqual(
        badInput('createUpload', [{ field: 'byteSize', message: 'must be 1 byte to 5 MB (5242880 bytes) for AVATAR files' }]),
      );
      expect((await create({ purpose: 'EVIDENCE', contentType: 'application/pdf', byteSize: 25 * 1024 * 1024 + 1 })).body).toEqual(
        badInput('createUpload', [{ field: 'byteSize', message: 'must be 1 byte to 25 MB (26214400 bytes) for EVIDENCE files' }]),
      );
      expect((await create({ byteSize: 0 })).body).toEqual(
        badInput('createUpload', [{ field: 'byteSize', message: 'must be 1 byte to 5 MB (5242880 bytes) for AVATAR files' }]),
      );
      expect((await create({ contentType: 'application/pdf' })).body).toEqual(
        badInput('createUpload', [{ field: 'contentType', message: 'must be one of image/png, image/jpeg, image/webp for AVATAR files' }]),
      );
      expect((await create({ purpose: 'LESSON_ATTACHMENT', contentType: 'application/x-msdownload' })).body).toEqual(
        badInput('createUpload', [
          {
            field: 'contentType',
            message: 'must be one of application/pdf, image/png, image/jpeg, image/webp, video/mp4 for LESSON_ATTACHMENT files',
          },
        ]),
      );
      for (const fileName of ['../../etc/passwd', 'C:\\foto.png', 'foto\n.png', 'foto\u202egnp.exe']) {
        expect({ fileName, body: (await create({ fileName })).body }).toEqual({
          fileName,
          body: badInput('createUpload', [{ field: 'fileName', message: 'must not contain path separators or control characters' }]),
        });
      }
      // NUL is refused before the upload's own rules, by the subgraphs' input hygiene.
      expect((await create({ fileName: 'foto\u0000.png' })).body).toEqual({
        data: null,
        errors: [
          {
            message: 'Invalid input: `fileName` contains a NUL character',
            path: ['createUpload'],
            extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'fileName', message: 'contains a NUL character' }] },
          },
        ],
      });
      for (const fileName of ['   ', `${'a'.repeat(252)}.png`]) {
        expect({ fileName, body: (await create({ fileName })).body }).toEqual({
          fileName,
          body: badInput('createUpload', [{ field: 'fileName', message: 'must be 1 to 255 characters' }]),
        });
      }
      expect((await create({ fileName: '', contentType: 'text/html', byteSize: -1 })).body).toEqual(
        badInput('createUpload', [
          { field: 'fileName', message: 'must be 1 to 255 characters' },
          { field: 'contentType', message: 'must be one of image/png, image/jpeg, image/webp for AVATAR files' },
          { field: 'byteSize', message: 'must be 1 byte to 5 MB (5242880 bytes) for AVATAR files' },
        ]),
      );
      expect(await subgraph.db.database.forTenant(own.tenant.id).run((tx) => tx.file.count())).toBe(0);
    });

    it('is for people of the tenant; the tenant logo only for its admins', async () => {
      const create = (persona: Persona | null, purpose: string, tenant = fixture) =>
        subgraph.request(CREATE, {
          variables: { ...pngUpload(purpose) },
          tenant: fixture.tenant,
          viewer: persona ? tenant.users[persona] : null,
        });
      expect((await create(null, 'AVATAR')).body).toEqual(refused('createUpload', 'Authentication required', 'UNAUTHENTICATED'));
      for (const persona of ['LEARNER', 'INSTRUCTOR', 'EVALUATOR', 'PLATFORM_ADMIN'] as const) {
        expect({ persona, body: (await create(persona, 'TENANT_LOGO')).body }).toEqual({
          persona,
          body: refused('createUpload', 'Only tenant admins upload the tenant logo', 'FORBIDDEN'),
        });
      }
      // A platform admin of another tenant owns no files here.
      expect((await create('PLATFORM_ADMIN', 'EVIDENCE', other)).body).toEqual(
        refused('createUpload', 'Only people of this tenant do this here', 'FORBIDDEN'),
      );
    });
  });

  describe('completeUpload', () => {
    it('checks the stored bytes and makes the file READY, once, however often it is asked (also at the same time)', async () => {
      const id = await put_('LEARNER', PDF_UPLOAD, PDF);
      const answers = await Promise.all([1, 2, 3].map(() => complete(id, 'LEARNER')));
      expect(answers.map((answer) => answer.body)).toEqual(
        [1, 2, 3].map(() => ({ data: { completeUpload: { id, status: 'READY', rejectionReason: null } } })),
      );
      expect((await complete(id, 'LEARNER')).body).toEqual({ data: { completeUpload: { id, status: 'READY', rejectionReason: null } } });
      expect(await rowOf(id)).toMatchObject({ status: 'READY', readyAt: expect.any(Date), rejectionReason: null });
    });

    it('downloads a READY file through its short-lived URL, under its name and type', async () => {
      const id = await readyFile('LEARNER', PDF_UPLOAD, PDF);
      const response = await fileQuery(id, 'LEARNER');
      expect(response.body).toEqual({
        data: {
          file: {
            id,
            purpose: 'EVIDENCE',
            status: 'READY',
            url: expect.stringMatching(new RegExp(`/academy-test/${fixture.tenant.id}/evidence/${id}\\?.*X-Amz-Expires=300`)),
          },
        },
      });
      const download = await fetch(response.body.data!.file!.url);
      expect({
        status: download.status,
        type: download.headers.get('content-type'),
        disposition: download.headers.get('content-disposition'),
      }).toEqual({
        status: 200,
        type: 'application/pdf',
        disposition: "inline; filename*=UTF-8''informe.pdf",
      });
      expect(Buffer.from(await download.arrayBuffer())).toEqual(PDF);
    });

    it('says what is missing when nothing was uploaded: not yet, or the URL expired', async () => {
      const { file } = await ticket('LEARNER', PDF_UPLOAD);
      expect((await complete(file.id, 'LEARNER')).body).toEqual(
        refused('completeUpload', 'Nothing uploaded yet: PUT the file to the upload URL first', 'CONFLICT'),
      );
      await subgraph.db.database
        .forTenant(fixture.tenant.id)
        .run((tx) => tx.file.update({ where: { id: file.id }, data: { uploadExpiresAt: new Date(Date.now() - 1000) } }));
      expect((await complete(file.id, 'LEARNER')).body).toEqual(
        refused('completeUpload', 'The upload URL expired before the file was uploaded; ask for a new one', 'CONFLICT'),
      );
      expect(await rowOf(file.id)).toMatchObject({ status: 'PENDING' });
    });

    it.each([
      ['an executable named as a PDF', PDF_UPLOAD, ELF, 'The file is an executable, not application/pdf'],
      ['a PNG declared as a PDF', { ...PDF_UPLOAD, byteSize: PNG.length }, PNG, 'The file is image/png, not application/pdf'],
      [
        'text declared as a PDF',
        { ...PDF_UPLOAD, byteSize: 11 },
        Buffer.from('hola mundo\n'),
        'The file is not application/pdf: its content is of no type EVIDENCE files take',
      ],
      ['more bytes than declared', { ...PDF_UPLOAD, byteSize: 10 }, PDF, `The file is ${PDF.length} bytes, not the 10 bytes declared`],
      ['fewer bytes than declared', { ...PDF_UPLOAD, byteSize: 1000 }, PDF, `The file is ${PDF.length} bytes, not the 1000 bytes declared`],
    ])('refuses %s: REJECTED with the reason, its bytes deleted, the same answer again', async (_what, upload, bytes, reason) => {
      const id = await put_('LEARNER', upload, bytes);
      expect(await storedObject(id)).not.toBeNull();
      expect((await complete(id, 'LEARNER')).body).toEqual(refused('completeUpload', reason, 'BAD_USER_INPUT'));
      expect(await rowOf(id)).toMatchObject({ status: 'REJECTED', rejectionReason: reason, readyAt: null });
      expect(await storedObject(id)).toBeNull();
      expect((await complete(id, 'LEARNER')).body).toEqual(refused('completeUpload', reason, 'BAD_USER_INPUT'));
      expect((await fileQuery(id, 'LEARNER')).body).toEqual({
        data: { file: null },
        errors: [{ message: `The file is not ready: it was refused (${reason})`, path: ['file', 'url'], extensions: { code: 'CONFLICT' } }],
      });
    });

    it("is the uploader's alone; another tenant's file, or no file, is not found", async () => {
      const id = await put_('LEARNER', PDF_UPLOAD, PDF);
      expect((await complete(id, null)).body).toEqual(refused('completeUpload', 'Authentication required', 'UNAUTHENTICATED'));
      for (const persona of ['INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        expect({ persona, body: (await complete(id, persona)).body }).toEqual({
          persona,
          body: refused('completeUpload', 'Only the person who uploaded a file completes it', 'FORBIDDEN'),
        });
      }
      for (const persona of ['LEARNER', 'TENANT_ADMIN'] as const) {
        expect({ persona, body: (await complete(id, persona, other)).body }).toEqual({
          persona,
          body: refused('completeUpload', 'File not found', 'NOT_FOUND'),
        });
      }
      for (const unknown of [uniqueId(), 'not-an-id']) {
        expect((await complete(unknown, 'LEARNER')).body).toEqual(refused('completeUpload', 'File not found', 'NOT_FOUND'));
      }
      expect(await rowOf(id)).toMatchObject({ status: 'PENDING' });
      expect(await storedObject(id)).not.toBeNull();
    });
  });

  describe('file', () => {
    const visible = (id: string, purpose: string) => ({
      data: { file: { id, purpose, status: 'READY', url: expect.stringContaining(id) } },
    });
    const forbidden = fileRefused("Only the file's owner and those who may see what it is for see this file", 'FORBIDDEN');

    it('shows avatars, logos and lesson attachments to every member of the tenant once READY', async () => {
      const avatar = await readyFile('LEARNER', pngUpload('AVATAR'), PNG);
      const attachment = await readyFile('INSTRUCTOR', pngUpload('LESSON_ATTACHMENT'), PNG);
      for (const persona of ['LEARNER', 'INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        expect({ persona, body: (await fileQuery(avatar, persona)).body }).toEqual({ persona, body: visible(avatar, 'AVATAR') });
        expect({ persona, body: (await fileQuery(attachment, persona)).body }).toEqual({
          persona,
          body: visible(attachment, 'LESSON_ATTACHMENT'),
        });
      }
      expect((await fileQuery(avatar, null)).body).toEqual(fileRefused('Authentication required', 'UNAUTHENTICATED'));
    });

    it('shows evidence to its owner, evaluators and admins, and refuses it to anyone else', async () => {
      const evidence = await readyFile('LEARNER', PDF_UPLOAD, PDF);
      for (const persona of ['LEARNER', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        expect({ persona, body: (await fileQuery(evidence, persona)).body }).toEqual({ persona, body: visible(evidence, 'EVIDENCE') });
      }
      expect((await fileQuery(evidence, 'INSTRUCTOR')).body).toEqual(forbidden);
    });

    it('shows a file that is not READY to its owner and admins only, without a URL', async () => {
      const { file } = await ticket('INSTRUCTOR', pngUpload('LESSON_ATTACHMENT'));
      const notReady = {
        data: { file: null },
        errors: [
          { message: 'The file is not ready: its upload has not been completed', path: ['file', 'url'], extensions: { code: 'CONFLICT' } },
        ],
      };
      for (const persona of ['INSTRUCTOR', 'TENANT_ADMIN'] as const) {
        expect({ persona, body: (await fileQuery(file.id, persona)).body }).toEqual({ persona, body: notReady });
      }
      for (const persona of ['LEARNER', 'EVALUATOR'] as const) {
        expect({ persona, body: (await fileQuery(file.id, persona)).body }).toEqual({ persona, body: forbidden });
      }
      const status = await subgraph.request(`query ($id: ID!) { file(id: $id) { status } }`, {
        variables: { id: file.id },
        ...as('INSTRUCTOR'),
      });
      expect(status.body).toEqual({ data: { file: { status: 'PENDING' } } });
    });

    it("is null for another tenant's file, an unknown id and what is not an id", async () => {
      const avatar = await readyFile('LEARNER', pngUpload('AVATAR'), PNG);
      for (const [id, tenant] of [
        [avatar, other],
        [uniqueId(), fixture],
        ['nope', fixture],
      ] as const) {
        expect((await fileQuery(id, 'TENANT_ADMIN', tenant)).body).toEqual({ data: { file: null } });
      }
    });
  });

  it('resolves File entities for the gateway to whoever may see each, and never across tenants', async () => {
    const avatar = await readyFile('LEARNER', pngUpload('AVATAR'), PNG);
    const evidence = await readyFile('LEARNER', PDF_UPLOAD, PDF);
    const representations = [avatar, evidence, uniqueId()].map((id) => ({ __typename: 'File', id }));
    const entities = (persona: Persona | null, tenant = fixture) =>
      subgraph.request(ENTITIES, { variables: { representations }, ...as(persona, tenant) }).then((response) => response.body);
    const avatarEntity = { id: avatar, purpose: 'AVATAR', name: 'foto.png' };
    const evidenceEntity = { id: evidence, purpose: 'EVIDENCE', name: 'informe.pdf' };
    expect(await entities('LEARNER')).toEqual({ data: { _entities: [avatarEntity, evidenceEntity, null] } });
    expect(await entities('EVALUATOR')).toEqual({ data: { _entities: [avatarEntity, evidenceEntity, null] } });
    expect(await entities('INSTRUCTOR')).toEqual({ data: { _entities: [avatarEntity, null, null] } });
    expect(await entities(null)).toEqual({ data: { _entities: [null, null, null] } });
    expect(await entities('TENANT_ADMIN', other)).toEqual({ data: { _entities: [null, null, null] } });
  });
});
