import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { UpstreamUnavailableError } from '@academy/platform';
import type { StorageEnvironment } from './environment';

export interface StorageSettings {
  /** An S3-compatible endpoint; absent: AWS S3. */
  endpoint?: string | undefined;
  bucket: string;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  forcePathStyle: boolean;
  uploadTtlSeconds: number;
  downloadTtlSeconds: number;
}

export interface PresignedUpload {
  url: string;
  /** Headers the PUT must send (they are part of the signature). */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface StoredObject {
  byteSize: number;
  contentType: string | null;
}

export function storageSettings(environment: StorageEnvironment): StorageSettings {
  return {
    endpoint: environment.S3_URL,
    bucket: environment.S3_BUCKET,
    region: environment.S3_REGION,
    credentials:
      environment.S3_ACCESS_KEY_ID && environment.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: environment.S3_ACCESS_KEY_ID, secretAccessKey: environment.S3_SECRET_ACCESS_KEY }
        : undefined,
    forcePathStyle: environment.S3_FORCE_PATH_STYLE ? environment.S3_FORCE_PATH_STYLE === 'true' : Boolean(environment.S3_URL),
    uploadTtlSeconds: environment.UPLOAD_URL_TTL_SECONDS,
    downloadTtlSeconds: environment.DOWNLOAD_URL_TTL_SECONDS,
  };
}

/**
 * The platform's one way to object storage, over the S3 API: presigned uploads straight from the
 * client, presigned short-lived downloads, and what the server needs to check an upload (its size
 * and first bytes) and to delete one. Keys are the caller's (media prefixes them by tenant);
 * nothing here lists a bucket.
 */
export class ObjectStorage {
  private readonly client: S3Client;

  constructor(readonly settings: StorageSettings) {
    this.client = new S3Client({
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(settings.credentials ? { credentials: settings.credentials } : {}),
      // Checksums only where S3 requires them: presigned URLs stay plain, and every
      // S3-compatible server (MinIO, GCS, s3rver) accepts the requests.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    });
  }

  get bucket(): string {
    return this.settings.bucket;
  }

  /** Creates the bucket when it does not exist (development and tests; production buckets are provisioned). */
  async ensureBucket(options: { browserOrigins?: readonly string[] } = {}): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
    if (options.browserOrigins?.length) await this.allowBrowsers(options.browserOrigins);
  }

  /**
   * The bucket's CORS rules: browsers of these origins (the web app's) PUT uploads to presigned
   * URLs and GET files from them. A production bucket is provisioned with the same rule.
   */
  async allowBrowsers(origins: readonly string[]): Promise<void> {
    await this.client.send(
      new PutBucketCorsCommand({
        Bucket: this.bucket,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: [...origins],
              AllowedMethods: ['PUT', 'GET', 'HEAD'],
              AllowedHeaders: ['*'],
              ExposeHeaders: ['ETag'],
              MaxAgeSeconds: 3000,
            },
          ],
        },
      }),
    );
  }

  /** A URL the client PUTs the bytes to, with exactly this type and length (both signed). */
  async presignUpload(key: string, options: { contentType: string; byteSize: number; now?: Date }): Promise<PresignedUpload> {
    const expiresIn = this.settings.uploadTtlSeconds;
    const url = await getSignedUrl(
      this.client,
      new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: options.contentType, ContentLength: options.byteSize }),
      { expiresIn, signableHeaders: new Set(['content-type', 'content-length']) },
    );
    return {
      url,
      headers: { 'Content-Type': options.contentType },
      expiresAt: new Date((options.now ?? new Date()).getTime() + expiresIn * 1000),
    };
  }

  /** A short-lived download URL; the browser saves it under `fileName`. */
  presignDownload(key: string, options: { fileName: string; contentType: string }): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentType: options.contentType,
        ResponseContentDisposition: `inline; filename*=UTF-8''${encodeURIComponent(options.fileName)}`,
      }),
      { expiresIn: this.settings.downloadTtlSeconds },
    );
  }

  /** Size and stored type of an object; null when there is none. */
  async stat(key: string): Promise<StoredObject | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { byteSize: head.ContentLength ?? 0, contentType: head.ContentType ?? null };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw unavailable(error);
    }
  }

  /** The first `length` bytes of an object (for sniffing its type); an empty object has none. */
  async readStart(key: string, length: number): Promise<Uint8Array> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${length - 1}` }));
      const bytes = await object.Body!.transformToByteArray();
      return bytes.subarray(0, length);
    } catch (error) {
      // S3 answers 416 to a range of an empty object.
      if (statusOf(error) === 416) return new Uint8Array();
      throw unavailable(error);
    }
  }

  /** The whole object (documents the platform makes itself, tests). */
  async read(key: string): Promise<Buffer> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return Buffer.from(await object.Body!.transformToByteArray());
    } catch (error) {
      throw unavailable(error);
    }
  }

  /** Stores bytes the platform made itself (certificate PDFs, DC-3). */
  async write(key: string, body: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType })).catch((error) => {
      throw unavailable(error);
    });
  }

  /**
   * Copies an object within the bucket, server-side. Uploads are checked on a copy: the upload URL
   * stays valid until it expires, and a PUT after the check must not change what was checked.
   */
  async copy(fromKey: string, toKey: string): Promise<void> {
    await this.client
      .send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: toKey,
          CopySource: `${this.bucket}/${encodeURI(fromKey)}`,
          MetadataDirective: 'COPY',
        }),
      )
      .catch((error) => {
        throw unavailable(error);
      });
  }

  /** Deletes an object; deleting one that is not there is not an error. */
  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })).catch((error) => {
      throw unavailable(error);
    });
  }

  close(): void {
    this.client.destroy();
  }
}

/**
 * Storage that does not answer, or answers 5xx, is UPSTREAM_UNAVAILABLE to the client (never an
 * internal error with the backend's name); anything else (a 403 of a misconfigured bucket) stays
 * what it is, an internal error, logged by whoever catches it.
 */
function unavailable(error: unknown): unknown {
  const status = statusOf(error);
  if (status === undefined || status >= 500) return new UpstreamUnavailableError('File storage');
  return error;
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof S3ServiceException) return error.$metadata.httpStatusCode;
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}
