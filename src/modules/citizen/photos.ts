/**
 * Citizens' photos (issue 15 part 4): the type is sniffed from the bytes (a renamed executable is
 * refused), the image is decoded and written again by sharp — EXIF, GPS and every other metadata are
 * dropped (the place is only what the reporter chose), orientation applied — at most 2000 px, plus a
 * 320 px thumbnail, both stored through the media module's store (a folder by default, S3-compatible
 * in production) under citizen/. Up to 6 per report.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import sharp, { type OutputInfo } from 'sharp';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { MediaStore } from '../media/index.js';
import { AppError } from '../../core/errors.js';
import { citizenPhotos } from './schema.js';
import { PHOTO_LIMITS, sniffImage } from './domain/sniff.js';
import { invalidField } from './errors.js';

const key = (id: string, thumb: boolean) => `citizen/${id}${thumb ? '-thumb' : ''}.jpg`;

async function put(store: MediaStore, k: string, buf: Buffer) {
  const tmp = path.join(os.tmpdir(), `sw-citizen-${randomUUID()}`);
  await fs.writeFile(tmp, buf);
  try {
    await store.putFile(k, tmp, buf.length, 'image/jpeg');
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

export class CitizenPhotos {
  constructor(
    private readonly db: Db,
    private readonly store: () => MediaStore,
  ) {}

  async add(citizenId: string, body: Buffer): Promise<{ id: string; width: number; height: number; bytes: number }> {
    if (!body.length) throw invalidField('body', '请上传照片', 'Send a photo');
    if (body.length > PHOTO_LIMITS.maxBytes) throw new AppError(413, 'citizen_invalid', { field: 'body', zh: '照片不能超过 12 MB', en: 'A photo may be at most 12 MB' }, 'body');
    if (!sniffImage(body)) throw new AppError(415, 'citizen_invalid', { field: 'body', zh: '只接受 JPEG、PNG 或 WebP 照片', en: 'Only JPEG, PNG or WebP photos are accepted' }, 'body');
    const [pending] = await this.db.select({ n: sql<number>`count(*)::int` }).from(citizenPhotos).where(and(eq(citizenPhotos.citizenId, citizenId), isNull(citizenPhotos.reportId), isNull(citizenPhotos.accidentId)));
    if ((pending?.n ?? 0) >= PHOTO_LIMITS.pendingPerCitizen) throw new AppError(429, 'citizen_rule', { zh: '未提交的照片过多，请先提交报事', en: 'Too many photos not yet in a report: send the report first' });
    let full: { data: Buffer; info: OutputInfo };
    let thumb: Buffer;
    try {
      const img = sharp(body, { limitInputPixels: PHOTO_LIMITS.maxPixels, failOn: 'error' }).rotate();
      // sharp writes no metadata unless asked (withMetadata): EXIF and GPS are gone.
      // Both at once (libvips threads). 2000 px, not 2048: a 12 MP JPEG (4000 px) is then decoded at half scale
      // (libjpeg shrink-on-load), the thumbnail at 1/8; plain libjpeg-turbo (mozjpeg's trellis cost ~3× the encode).
      [full, thumb] = await Promise.all([
        img.clone().resize({ width: PHOTO_LIMITS.longEdge, height: PHOTO_LIMITS.longEdge, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 82 }).toBuffer({ resolveWithObject: true }),
        img.clone().resize({ width: PHOTO_LIMITS.thumbEdge, height: PHOTO_LIMITS.thumbEdge, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 70 }).toBuffer(),
      ]);
    } catch {
      throw new AppError(415, 'citizen_invalid', { field: 'body', zh: '无法识别的图片', en: 'The image cannot be read' }, 'body');
    }
    const id = randomUUID();
    const store = this.store();
    await Promise.all([put(store, key(id, false), full.data), put(store, key(id, true), thumb)]);
    await this.db.insert(citizenPhotos).values({ id, citizenId, contentType: 'image/jpeg', bytes: full.data.length, width: full.info.width, height: full.info.height });
    return { id, width: full.info.width, height: full.info.height, bytes: full.data.length };
  }

  async row(id: string) {
    const [p] = await this.db.select().from(citizenPhotos).where(eq(citizenPhotos.id, id));
    return p ?? null;
  }

  open(id: string, thumb: boolean): Promise<Readable> {
    return this.store().open(key(id, thumb));
  }
}
