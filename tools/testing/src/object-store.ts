import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startObjectStore } from '@academy/devstack';
import { ObjectStorage } from '@academy/storage';

export interface TestObjectStoreOptions {
  /** How long upload URLs stay valid (default 900 s; a test of expiry sets 1). */
  uploadTtlSeconds?: number;
  downloadTtlSeconds?: number;
}

export interface TestObjectStore {
  url: string;
  storage: ObjectStorage;
  stop(): Promise<void>;
}

/** An s3rver of the test's own, on a free port with its data in a temporary directory, and a bucket in it. */
export async function startTestObjectStore(options: TestObjectStoreOptions = {}): Promise<TestObjectStore> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'academy-s3-'));
  const server = await startObjectStore({ port: 0, directory });
  const storage = new ObjectStorage({
    endpoint: server.url,
    bucket: 'academy-test',
    region: 'us-east-1',
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    forcePathStyle: true,
    uploadTtlSeconds: options.uploadTtlSeconds ?? 900,
    downloadTtlSeconds: options.downloadTtlSeconds ?? 300,
  });
  // Browsers of the tests' web app upload and download straight from it.
  await storage.ensureBucket({ browserOrigins: ['*'] });
  return {
    url: server.url,
    storage,
    async stop() {
      storage.close();
      await server.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
