/**
 * Where the bytes of a recording live: one interface, three stores. `local` — a folder under
 * SHOUWANG_DATA (the default, nothing to install); `s3` — any S3-compatible store (MinIO, Ceph, AWS)
 * through @aws-sdk/client-s3, path-style; `asset` — the demo's recordings shipped in assets/media
 * (read-only). A stored object is never modified: local files are made read-only, and nothing here
 * writes a key twice. Uploads in progress are always staged in the local folder (upload.ts) and handed
 * to the store whole once their SHA-256 is checked.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ByteRange } from './domain/range.js';
import type { MediaConfig, S3Config } from './config.js';

export type StoreKind = 'local' | 's3' | 'asset';

export interface MediaStore {
  readonly kind: StoreKind;
  /** Takes a finished staging file whole (the staging file is gone afterwards). */
  putFile(key: string, file: string, size: number, contentType: string): Promise<void>;
  /** The object's bytes, or one inclusive range of them. */
  open(key: string, range?: ByteRange): Promise<Readable>;
  /** The object's size, or null when there is no such object. */
  size(key: string): Promise<number | null>;
  remove(key: string): Promise<void>;
}

/** Keys stay inside the store: no absolute paths, no `..`, no empty segments. */
export function safeKey(key: string): boolean {
  return key.length > 0 && key.length <= 512 && !key.startsWith('/') && !key.includes('\\') && key.split('/').every((s) => s !== '' && s !== '.' && s !== '..') && ![...key].some((ch) => ch.charCodeAt(0) < 0x20);
}

function checked(key: string): string {
  if (!safeKey(key)) throw new Error(`unsafe media key ${JSON.stringify(key)}`);
  return key;
}

/** A folder: `<root>/<key>`, files read-only once stored. */
export class LocalStore implements MediaStore {
  readonly kind: StoreKind;
  constructor(
    readonly root: string,
    kind: StoreKind = 'local',
  ) {
    this.kind = kind;
  }

  private file(key: string): string {
    return path.join(this.root, checked(key));
  }

  async putFile(key: string, file: string, _size: number): Promise<void> {
    const to = this.file(key);
    await fsp.mkdir(path.dirname(to), { recursive: true });
    try {
      await fsp.rename(file, to);
    } catch (err) {
      // Another filesystem (SHOUWANG_MEDIA_DIR elsewhere than the staging folder): copy, then remove.
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await fsp.copyFile(file, to, fs.constants.COPYFILE_EXCL);
      await fsp.unlink(file);
    }
    await fsp.chmod(to, 0o444);
  }

  async open(key: string, range?: ByteRange): Promise<Readable> {
    const f = this.file(key);
    const handle = await fsp.open(f, 'r');
    return handle.createReadStream(range ? { start: range.start, end: range.end, highWaterMark: 256 * 1024 } : { highWaterMark: 256 * 1024 });
  }

  async size(key: string): Promise<number | null> {
    try {
      const st = await fsp.stat(this.file(key));
      return st.isFile() ? st.size : null;
    } catch {
      return null;
    }
  }

  async remove(key: string): Promise<void> {
    if (this.kind === 'asset') return; // shipped with the code: the row goes, the file stays
    await fsp.rm(this.file(key), { force: true });
  }
}

export class S3Store implements MediaStore {
  readonly kind = 's3' as const;
  readonly client: S3Client;
  constructor(readonly cfg: S3Config) {
    this.client = new S3Client({
      endpoint: cfg.endpoint || undefined,
      region: cfg.region,
      forcePathStyle: cfg.forcePathStyle,
      credentials: cfg.accessKeyId ? { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey } : undefined,
      // Integrity is ours (SHA-256 of the whole recording); the SDK's default CRC32 trailers are not
      // understood by every S3-compatible store.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async putFile(key: string, file: string, _size: number, contentType: string): Promise<void> {
    // Multipart for large files (parts of 16 MiB, 4 at a time), a single PUT for small ones.
    const up = new Upload({ client: this.client, params: { Bucket: this.cfg.bucket, Key: checked(key), Body: fs.createReadStream(file), ContentType: contentType }, partSize: 16 * 1024 * 1024, queueSize: 4 });
    await up.done();
    await fsp.unlink(file);
  }

  async open(key: string, range?: ByteRange): Promise<Readable> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.cfg.bucket, Key: checked(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
    return out.Body as Readable;
  }

  async size(key: string): Promise<number | null> {
    try {
      const h = await this.client.send(new HeadObjectCommand({ Bucket: this.cfg.bucket, Key: checked(key) }));
      return h.ContentLength ?? null;
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (err as Error).name === 'NotFound' || (err as Error).name === 'NoSuchKey') return null;
      throw err;
    }
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.cfg.bucket, Key: checked(key) }));
  }
}

/** The demo's shipped recordings. */
export const ASSET_DIR = fileURLToPath(new URL('../../../assets/media', import.meta.url));

export interface MediaStores {
  /** Where new recordings go. */
  primary: MediaStore;
  /** Every store a row may name. */
  byKind(kind: string): MediaStore;
  destroy(): void;
}

export function createStores(cfg: MediaConfig): MediaStores {
  const local = new LocalStore(path.join(cfg.dir, 'objects'));
  const asset = new LocalStore(ASSET_DIR, 'asset');
  const s3 = cfg.s3 ? new S3Store(cfg.s3) : undefined;
  return {
    primary: s3 ?? local,
    byKind(kind) {
      if (kind === 'local') return local;
      if (kind === 'asset') return asset;
      if (kind === 's3' && s3) return s3;
      throw new Error(`media store ${kind} is not configured (SHOUWANG_MEDIA_S3_*)`);
    },
    destroy: () => s3?.client.destroy(),
  };
}
