import { deleteAbandonedUploads, uploadKeyOf } from '@academy/subgraph-media';
import {
  createTenant,
  putUpload,
  SAMPLE_ELF as ELF,
  SAMPLE_PDF as PDF,
  SAMPLE_PNG as PNG,
  SAMPLE_WINDOWS_EXE as WINDOWS_EXE,
  startSupergraph,
  TEST_PASSWORD,
  type RunningSupergraph,
  type TestTenant,
  type UploadRequest as Upload,
  type UploadTicketResponse as Ticket,
} from '@academy/testing';

const CREATE = `mutation ($purpose: UploadPurpose!, $fileName: String!, $contentType: String!, $byteSize: Int!) {
  createUpload(purpose: $purpose, fileName: $fileName, contentType: $contentType, byteSize: $byteSize) {
    file { id name contentType byteSize purpose status } uploadUrl headers expiresAt
  } }`;
const COMPLETE = 'mutation ($id: ID!) { completeUpload(id: $id) { id name status rejectionReason } }';
const FILE = 'query ($id: ID!) { file(id: $id) { id name contentType byteSize purpose status rejectionReason url } }';

type Persona = keyof TestTenant['users'];

const PDF_EVIDENCE: Upload = { purpose: 'EVIDENCE', fileName: 'report.pdf', contentType: 'application/pdf', byteSize: PDF.length };
const refused = (path: string, message: string, code: string) => ({
  data: null,
  errors: [{ message, path: [path], extensions: { code } }],
});

/** A client of one tenant through the gateway: tokens per persona, uploads straight to storage with the ticket's URL. */
async function clientOf(supergraph: RunningSupergraph) {
  const fixture = await createTenant(supergraph.db.database);
  const tokens = new Map<Persona, string>();
  const token = async (persona: Persona) => {
    if (!tokens.has(persona)) tokens.set(persona, await supergraph.login(fixture.users[persona].email, TEST_PASSWORD, fixture.tenant.slug));
    return tokens.get(persona)!;
  };
  const request = async <T = Record<string, unknown>>(persona: Persona, query: string, variables: Record<string, unknown>) =>
    supergraph.request<T>(query, { tenant: fixture.tenant.slug, token: await token(persona), variables });
  return {
    fixture,
    token,
    request,
    async ticket(persona: Persona, upload: Upload): Promise<Ticket> {
      const response = await request<{ createUpload: Ticket }>(persona, CREATE, { ...upload });
      expect(response.body.errors).toBeUndefined();
      return response.body.data!.createUpload;
    },
    put: putUpload,
    complete: (persona: Persona, id: string) => request(persona, COMPLETE, { id }),
    file: (persona: Persona, id: string) => request<{ file: { url: string } | null }>(persona, FILE, { id }),
    row: (id: string) => supergraph.db.database.forTenant(fixture.tenant.id).run((tx) => tx.file.findUnique({ where: { id } })),
    /** What storage holds of the file: its checked copy, or what was PUT to its upload URL (null: neither). */
    async stored(id: string) {
      const row = await supergraph.db.database.forTenant(fixture.tenant.id).run((tx) => tx.file.findUniqueOrThrow({ where: { id } }));
      return (await supergraph.storage.stat(row.storageKey)) ?? (await supergraph.storage.stat(uploadKeyOf(row.storageKey)));
    },
  };
}

describe('file uploads, through the gateway', () => {
  let supergraph: RunningSupergraph;
  beforeAll(async () => {
    supergraph = await startSupergraph();
  });
  afterAll(() => supergraph?.close());

  it('uploads a PDF straight to storage with the ticket, completes it and downloads the same bytes', async () => {
    const client = await clientOf(supergraph);
    const ticket = await client.ticket('LEARNER', PDF_EVIDENCE);
    expect(ticket).toEqual({
      file: {
        id: expect.any(String),
        name: 'report.pdf',
        contentType: 'application/pdf',
        byteSize: PDF.length,
        purpose: 'EVIDENCE',
        status: 'PENDING',
      },
      uploadUrl: expect.stringContaining(`/${client.fixture.tenant.id}/evidence/${ticket.file.id}.upload?`),
      headers: { 'Content-Type': 'application/pdf' },
      expiresAt: expect.any(String),
    });
    const id = ticket.file.id;
    expect((await client.put(ticket, PDF)).status).toBe(200);
    expect((await client.complete('LEARNER', id)).body).toEqual({
      data: { completeUpload: { id, name: 'report.pdf', status: 'READY', rejectionReason: null } },
    });
    const file = await client.file('LEARNER', id);
    expect(file.body).toEqual({
      data: {
        file: {
          id,
          name: 'report.pdf',
          contentType: 'application/pdf',
          byteSize: PDF.length,
          purpose: 'EVIDENCE',
          status: 'READY',
          rejectionReason: null,
          url: expect.any(String),
        },
      },
    });
    const download = await fetch(file.body.data!.file!.url);
    expect({ status: download.status, type: download.headers.get('content-type') }).toEqual({ status: 200, type: 'application/pdf' });
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PDF);
    // The evaluator who reviews it downloads it too.
    const byEvaluator = await client.file('EVALUATOR', id);
    expect(Buffer.from(await (await fetch(byEvaluator.body.data!.file!.url)).arrayBuffer())).toEqual(PDF);
  });

  it('serves what was checked: a PUT to the upload URL after the file is READY changes nothing, and is deleted later', async () => {
    const client = await clientOf(supergraph);
    const ticket = await client.ticket('LEARNER', PDF_EVIDENCE);
    await client.put(ticket, PDF);
    expect((await client.complete('LEARNER', ticket.file.id)).body).toEqual({
      data: { completeUpload: { id: ticket.file.id, name: 'report.pdf', status: 'READY', rejectionReason: null } },
    });
    // The URL is still valid: an executable of the same length goes up to it.
    const swapped = Buffer.concat([ELF, Buffer.alloc(Math.max(0, PDF.length - ELF.length))]).subarray(0, PDF.length);
    expect((await client.put(ticket, swapped)).status).toBe(200);
    const file = await client.file('LEARNER', ticket.file.id);
    expect(Buffer.from(await (await fetch(file.body.data!.file!.url)).arrayBuffer())).toEqual(PDF);
    // Once its URL has expired, the maintenance job deletes what was put there; the file stays.
    const row = (await client.row(ticket.file.id))!;
    expect(await supergraph.storage.stat(uploadKeyOf(row.storageKey))).not.toBeNull();
    await deleteAbandonedUploads(supergraph.db.database, supergraph.storage, {
      now: new Date(row.uploadExpiresAt.getTime() + 90 * 60_000),
    });
    expect(await supergraph.storage.stat(uploadKeyOf(row.storageKey))).toBeNull();
    expect(await supergraph.storage.stat(row.storageKey)).toEqual({ byteSize: PDF.length, contentType: 'application/pdf' });
  });

  it('refuses a file over its limit when the ticket is asked for, before anything is stored', async () => {
    const client = await clientOf(supergraph);
    const response = await client.request('LEARNER', CREATE, {
      purpose: 'AVATAR',
      fileName: 'yo.png',
      contentType: 'image/png',
      byteSize: 6 * 1024 * 1024,
    });
    expect(response.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid upload: byteSize must be 1 byte to 5 MB (5242880 bytes) for AVATAR files',
          path: ['createUpload'],
          extensions: {
            code: 'BAD_USER_INPUT',
            issues: [{ field: 'byteSize', message: 'must be 1 byte to 5 MB (5242880 bytes) for AVATAR files' }],
          },
        },
      ],
    });
    expect(await supergraph.db.database.forTenant(client.fixture.tenant.id).run((tx) => tx.file.count())).toBe(0);
  });

  it('refuses an upload larger than it declared (and than its limit), and deletes its bytes', async () => {
    const client = await clientOf(supergraph);
    const ticket = await client.ticket('LEARNER', {
      purpose: 'AVATAR',
      fileName: 'yo.png',
      contentType: 'image/png',
      byteSize: PNG.length,
    });
    const oversized = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024 + 1 - PNG.length)]);
    // AWS S3 refuses a length other than the signed one (403); s3rver, like some S3-compatible servers, stores it: the check refuses it.
    expect((await client.put(ticket, oversized)).status).toBe(200);
    expect(await client.stored(ticket.file.id)).toEqual({ byteSize: oversized.length, contentType: 'image/png' });
    const reason = 'The file is 5242881 bytes, over the 5 MB (5242880 bytes) limit for AVATAR files';
    expect((await client.complete('LEARNER', ticket.file.id)).body).toEqual(refused('completeUpload', reason, 'BAD_USER_INPUT'));
    expect(await client.stored(ticket.file.id)).toBeNull();
    expect(await client.row(ticket.file.id)).toMatchObject({ status: 'REJECTED', rejectionReason: reason });
  });

  it.each([
    ['an ELF executable', ELF],
    ['a Windows executable', WINDOWS_EXE],
  ])('refuses %s named report.pdf and declared application/pdf, and deletes it', async (_what, bytes) => {
    const client = await clientOf(supergraph);
    const ticket = await client.ticket('LEARNER', PDF_EVIDENCE);
    expect((await client.put(ticket, bytes)).status).toBe(200);
    const reason = 'The file is an executable, not application/pdf';
    expect((await client.complete('LEARNER', ticket.file.id)).body).toEqual(refused('completeUpload', reason, 'BAD_USER_INPUT'));
    expect(await client.stored(ticket.file.id)).toBeNull();
    expect(
      (await client.request('LEARNER', 'query ($id: ID!) { file(id: $id) { status rejectionReason } }', { id: ticket.file.id })).body,
    ).toEqual({
      data: { file: { status: 'REJECTED', rejectionReason: reason } },
    });
    expect((await client.file('LEARNER', ticket.file.id)).body).toEqual({
      data: { file: null },
      errors: [{ message: `The file is not ready: it was refused (${reason})`, path: ['file', 'url'], extensions: { code: 'CONFLICT' } }],
    });
  });

  it("keeps a learner's evidence from other people of the tenant, and any file from other tenants", async () => {
    const client = await clientOf(supergraph);
    const stranger = await clientOf(supergraph);
    const ticket = await client.ticket('LEARNER', PDF_EVIDENCE);
    await client.put(ticket, PDF);
    const id = ticket.file.id;
    expect((await client.complete('TENANT_ADMIN', id)).body).toEqual(
      refused('completeUpload', 'Only the person who uploaded a file completes it', 'FORBIDDEN'),
    );
    expect((await client.complete('LEARNER', id)).body).toMatchObject({ data: { completeUpload: { status: 'READY' } } });
    expect((await client.file('INSTRUCTOR', id)).body).toEqual({
      data: { file: null },
      errors: [
        {
          message: "Only the file's owner and those who may see what it is for see this file",
          path: ['file'],
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
    // Another tenant's people: the file does not exist for them.
    expect((await stranger.file('TENANT_ADMIN', id)).body).toEqual({ data: { file: null } });
    expect((await stranger.complete('LEARNER', id)).body).toEqual(refused('completeUpload', 'File not found', 'NOT_FOUND'));
    // Nor may a token of this tenant be used in another's name.
    const crossing = await supergraph.request(FILE, {
      tenant: stranger.fixture.tenant.slug,
      token: await client.token('LEARNER'),
      variables: { id },
    });
    expect(crossing.body).toEqual({
      errors: [{ message: 'The token belongs to another tenant', extensions: { code: 'TENANT_MISMATCH' } }],
    });
    expect(await client.stored(id)).toEqual({ byteSize: PDF.length, contentType: 'application/pdf' });
  });

  it('deletes abandoned uploads (never completed before their URL expired, and refused ones): rows and bytes, in each tenant', async () => {
    const client = await clientOf(supergraph);
    const longAgo = new Date(Date.UTC(1999, 0, 1));
    const expire = (id: string) =>
      supergraph.db.database
        .forTenant(client.fixture.tenant.id)
        .run((tx) => tx.file.update({ where: { id }, data: { uploadExpiresAt: longAgo } }));
    // Uploaded, never completed.
    const abandoned = await client.ticket('LEARNER', PDF_EVIDENCE);
    await client.put(abandoned, PDF);
    // Asked for, never uploaded.
    const neverUploaded = await client.ticket('LEARNER', PDF_EVIDENCE);
    // Refused.
    const rejected = await client.ticket('LEARNER', PDF_EVIDENCE);
    await client.put(rejected, ELF);
    await client.complete('LEARNER', rejected.file.id);
    // READY long ago: kept.
    const ready = await client.ticket('LEARNER', PDF_EVIDENCE);
    await client.put(ready, PDF);
    await client.complete('LEARNER', ready.file.id);
    // Still within its URL's lifetime: kept.
    const fresh = await client.ticket('LEARNER', PDF_EVIDENCE);
    await client.put(fresh, PDF);
    for (const ticket of [abandoned, neverUploaded, rejected, ready]) await expire(ticket.file.id);
    expect(await client.stored(abandoned.file.id)).not.toBeNull();

    // An hour of grace after 1999-01-01: only this test's files expired that long ago.
    const now = new Date(longAgo.getTime() + 2 * 60 * 60 * 1000);
    expect(await deleteAbandonedUploads(supergraph.db.database, supergraph.storage, { now })).toEqual({ found: 3, deleted: 3 });
    expect(await deleteAbandonedUploads(supergraph.db.database, supergraph.storage, { now })).toEqual({ found: 0, deleted: 0 });

    const statuses = await Promise.all(
      [abandoned, neverUploaded, rejected, ready, fresh].map((ticket) => client.row(ticket.file.id).then((row) => row?.status ?? null)),
    );
    expect(statuses).toEqual([null, null, null, 'READY', 'PENDING']);
    expect(await supergraph.storage.stat(`${client.fixture.tenant.id}/evidence/${abandoned.file.id}`)).toBeNull();
    expect(await client.stored(ready.file.id)).not.toBeNull();
    expect(await client.stored(fresh.file.id)).not.toBeNull();
    expect((await client.file('LEARNER', abandoned.file.id)).body).toEqual({ data: { file: null } });
  });
});

describe('an upload URL that expired, through the gateway', () => {
  let supergraph: RunningSupergraph;
  beforeAll(async () => {
    supergraph = await startSupergraph({ uploads: { uploadTtlSeconds: 1 } });
  });
  afterAll(() => supergraph?.close());

  it('refuses the PUT, and completeUpload says to ask for a new URL; nothing is stored', async () => {
    const client = await clientOf(supergraph);
    const ticket = await client.ticket('LEARNER', PDF_EVIDENCE);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const put = await client.put(ticket, PDF);
    expect({ status: put.status, body: await put.text() }).toEqual({ status: 403, body: expect.stringContaining('Request has expired') });
    expect((await client.complete('LEARNER', ticket.file.id)).body).toEqual(
      refused('completeUpload', 'The upload URL expired before the file was uploaded; ask for a new one', 'CONFLICT'),
    );
    expect(await client.stored(ticket.file.id)).toBeNull();
  });
});
