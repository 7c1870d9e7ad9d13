import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startObjectStore, type RunningObjectStore } from '@academy/devstack';
import { ObjectStorage, type StorageSettings } from '../src';

/** ObjectStorage against a real S3 API (s3rver, what development and tests run): what media relies on. */
describe('ObjectStorage', () => {
  let directory: string;
  let server: RunningObjectStore;
  const opened: ObjectStorage[] = [];
  const storageWith = (settings: Partial<StorageSettings> = {}) => {
    const storage = new ObjectStorage({
      endpoint: server.url,
      bucket: 'academy-storage-test',
      region: 'us-east-1',
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      forcePathStyle: true,
      uploadTtlSeconds: 900,
      downloadTtlSeconds: 300,
      ...settings,
    });
    opened.push(storage);
    return storage;
  };
  let storage: ObjectStorage;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'academy-storage-test-'));
    server = await startObjectStore({ port: 0, directory });
    storage = storageWith();
    await storage.ensureBucket();
  });
  afterAll(async () => {
    for (const each of opened) each.close();
    await server?.stop();
    await rm(directory, { recursive: true, force: true });
  });

  const PDF = Buffer.from('%PDF-1.7\nhola\n%%EOF\n');
  const key = (name: string) => `tenant-a/evidence/${name}-${Math.random().toString(36).slice(2)}`;

  it('creates its bucket once, and finds it the next time', async () => {
    await expect(storage.ensureBucket()).resolves.toBeUndefined();
  });

  it('takes a PUT to a presigned URL with its headers, then states, reads and deletes the object', async () => {
    const target = key('informe');
    const before = Date.now();
    const upload = await storage.presignUpload(target, { contentType: 'application/pdf', byteSize: PDF.length });
    expect(upload).toEqual({
      url: expect.stringMatching(new RegExp(`^${server.url}/academy-storage-test/${target}\\?.*X-Amz-Expires=900`)),
      headers: { 'Content-Type': 'application/pdf' },
      expiresAt: expect.any(Date),
    });
    expect(upload.expiresAt.getTime() - before).toBeGreaterThanOrEqual(900_000);
    expect((await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: PDF })).status).toBe(200);

    expect(await storage.stat(target)).toEqual({ byteSize: PDF.length, contentType: 'application/pdf' });
    expect(Buffer.from(await storage.readStart(target, 5))).toEqual(Buffer.from('%PDF-'));
    expect(Buffer.from(await storage.readStart(target, 4100))).toEqual(PDF);
    expect(await storage.read(target)).toEqual(PDF);

    await storage.delete(target);
    expect(await storage.stat(target)).toBeNull();
    await expect(storage.delete(target)).resolves.toBeUndefined();
  });

  it('serves a presigned download under the file name and type it is given', async () => {
    const target = key('constancia');
    await storage.write(target, PDF, 'application/octet-stream');
    const url = await storage.presignDownload(target, { fileName: 'constancia de año.pdf', contentType: 'application/pdf' });
    const response = await fetch(url);
    expect({
      status: response.status,
      type: response.headers.get('content-type'),
      disposition: response.headers.get('content-disposition'),
    }).toEqual({ status: 200, type: 'application/pdf', disposition: "inline; filename*=UTF-8''constancia%20de%20a%C3%B1o.pdf" });
    expect(Buffer.from(await response.arrayBuffer())).toEqual(PDF);
  });

  it('refuses a PUT after the upload URL expired', async () => {
    const shortLived = storageWith({ uploadTtlSeconds: 1 });
    const target = key('late');
    const upload = await shortLived.presignUpload(target, { contentType: 'application/pdf', byteSize: PDF.length });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const response = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: PDF });
    expect({ status: response.status, body: await response.text() }).toEqual({
      status: 403,
      body: expect.stringContaining('Request has expired'),
    });
    expect(await storage.stat(target)).toBeNull();
  });

  it('states nothing for a key with no object, and the size of an empty one', async () => {
    expect(await storage.stat(key('missing'))).toBeNull();
    // (Nothing reads the start of an empty object: S3 answers 416 to the range, s3rver drops the connection.)
    const empty = key('empty');
    await storage.write(empty, new Uint8Array(), 'application/pdf');
    expect(await storage.stat(empty)).toEqual({ byteSize: 0, contentType: 'application/pdf' });
  });
});
