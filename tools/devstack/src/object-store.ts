// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- s3rver ships no types; every project that compiles this file needs the declaration
/// <reference path="./s3rver.d.ts" />
import fs from 'node:fs';
import S3rver from 's3rver';
import { portInUse } from './net';
import { StackError } from './stack-error';

export interface RunningObjectStore {
  /** The S3 endpoint (S3_URL). */
  url: string;
  /** s3rver takes any key; these are what the services sign with. */
  accessKeyId: string;
  secretAccessKey: string;
  owned: boolean;
  stop(): Promise<void>;
}

/** s3rver's credentials (it checks signatures and expiry with them). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/**
 * An S3-compatible server from npm (s3rver) on 127.0.0.1:<port>, its data under `directory`: the
 * object storage of development and tests (port 0: any free one). The services talk to it with the same S3 client code
 * as to AWS S3, MinIO or GCS (path-style URLs). Reuses one already answering on that port.
 */
export async function startObjectStore(options: { port: number; directory: string }): Promise<RunningObjectStore> {
  const url = `http://127.0.0.1:${options.port}`;
  if (options.port !== 0 && (await portInUse(options.port))) {
    if (await s3Answers(url)) return { url, ...S3RVER_CREDENTIALS, owned: false, stop: async () => undefined };
    throw new StackError(
      `Port ${options.port} is taken by another program: set EMBEDDED_S3_PORT to a free port, or S3_URL to use your own object storage.`,
    );
  }
  fs.mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({ port: options.port, address: '127.0.0.1', silent: true, directory: options.directory });
  let port: number;
  try {
    ({ port } = await server.run());
  } catch (error) {
    throw new StackError(`The embedded S3 server did not start (${(error as Error).message}); set S3_URL to use your own object storage.`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    ...S3RVER_CREDENTIALS,
    owned: true,
    stop: () => server.close().then(() => undefined),
  };
}

/** Whether an S3 API answers there (an unsigned request gets an S3 XML answer, whatever its status). */
async function s3Answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    const body = await response.text();
    return body.includes('<?xml') && (body.includes('ListAllMyBucketsResult') || body.includes('<Error>'));
  } catch {
    return false;
  }
}
