/** Where recordings are kept and for how long (SHOUWANG_MEDIA_*); read once at start. */
import path from 'node:path';

export interface S3Config {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style addressing (http://host/bucket/key): what MinIO and most S3-compatible stores want. */
  forcePathStyle: boolean;
  /** Key prefix inside the bucket. */
  prefix: string;
}

export interface MediaConfig {
  /** Local store and the staging folder of uploads in progress: `<SHOUWANG_DATA>/media`. */
  dir: string;
  /** Device exports to register from (SHOUWANG_MEDIA_IMPORT, default `<dir>/import`). */
  importDir: string;
  /** Set: recordings go to this S3-compatible store instead of the local folder. */
  s3?: S3Config;
  /** Largest recording accepted (SHOUWANG_MEDIA_MAX_BYTES, default 8 GiB). */
  maxBytes: number;
  /** Days a recording is kept after it ends (SHOUWANG_MEDIA_RETENTION_DAYS, at least 183). */
  retentionDays: number;
  /** Minutes added before dispatch and after clearing when matching recordings to assignments. */
  linkMarginMinutes: number;
  /** Hours between purge runs (SHOUWANG_MEDIA_PURGE_HOURS, default 6; 0: no timer). */
  purgeHours: number;
}

const num = (v: string | undefined, d: number) => (v !== undefined && v !== '' && Number.isFinite(Number(v)) && Number(v) >= 0 ? Number(v) : d);

export function mediaConfigFromEnv(dataDir: string, env: NodeJS.ProcessEnv = process.env): MediaConfig {
  const dir = path.resolve(env.SHOUWANG_MEDIA_DIR || path.join(dataDir, 'media'));
  const s3 = env.SHOUWANG_MEDIA_S3_BUCKET
    ? {
        endpoint: env.SHOUWANG_MEDIA_S3_ENDPOINT ?? '',
        bucket: env.SHOUWANG_MEDIA_S3_BUCKET,
        region: env.SHOUWANG_MEDIA_S3_REGION || 'us-east-1',
        accessKeyId: env.SHOUWANG_MEDIA_S3_ACCESS_KEY ?? '',
        secretAccessKey: env.SHOUWANG_MEDIA_S3_SECRET_KEY ?? '',
        forcePathStyle: env.SHOUWANG_MEDIA_S3_PATH_STYLE !== '0',
        prefix: env.SHOUWANG_MEDIA_S3_PREFIX ?? 'media/',
      }
    : undefined;
  return {
    dir,
    importDir: path.resolve(env.SHOUWANG_MEDIA_IMPORT || path.join(dir, 'import')),
    s3,
    maxBytes: num(env.SHOUWANG_MEDIA_MAX_BYTES, 8 * 1024 ** 3),
    retentionDays: num(env.SHOUWANG_MEDIA_RETENTION_DAYS, 183),
    linkMarginMinutes: num(env.SHOUWANG_MEDIA_LINK_MARGIN_MIN, 5),
    purgeHours: num(env.SHOUWANG_MEDIA_PURGE_HOURS, 6),
  };
}
