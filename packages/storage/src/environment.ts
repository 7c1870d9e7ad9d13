import { z } from 'zod';
import { env } from '@academy/platform';

/**
 * Object storage settings, for every service that stores files (media, the workers). S3_URL unset:
 * AWS S3 itself (region's endpoint, credentials from S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY or the
 * AWS default chain); set: any S3-compatible server (MinIO, GCS's XML API, the embedded s3rver).
 */
export const storageEnvironmentShape = {
  S3_URL: env.url(['http', 'https']).optional(),
  S3_BUCKET: z.string().min(3).max(63),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Path-style URLs (http://host/bucket/key): what MinIO and s3rver need; default: when S3_URL is set. */
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).optional(),
  /** How long an upload URL stays valid. */
  UPLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(1).max(604_800).default(900),
  /** How long a download URL (File.url) stays valid. */
  DOWNLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(1).max(604_800).default(300),
};

export interface StorageEnvironment {
  S3_URL?: string | undefined;
  S3_BUCKET: string;
  S3_REGION: string;
  S3_ACCESS_KEY_ID?: string | undefined;
  S3_SECRET_ACCESS_KEY?: string | undefined;
  S3_FORCE_PATH_STYLE?: 'true' | 'false' | undefined;
  UPLOAD_URL_TTL_SECONDS: number;
  DOWNLOAD_URL_TTL_SECONDS: number;
}
