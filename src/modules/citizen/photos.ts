/**
 * Citizens' photos (issue 15 part 4): the type is sniffed from the bytes (a renamed executable is
 * refused) and every metadata is removed (the place is only what the reporter chose). Three files are
 * stored through the media module's store (a folder by default, S3-compatible in production) under
 * citizen/: the original, a 1280 px copy to show and a 320 px thumbnail. Up to 6 per report.
 *
 * A JPEG (what phones send) keeps its full-resolution pixels: its metadata segments are dropped without
 * decoding it (domain/jpeg-strip.ts — EXIF, GPS, XMP, IPTC, comments, appended previews; the orientation
 * stays as a one-tag EXIF), then ONE decode, shrunk on load by libjpeg, gives the 1280 px pixels the two
 * smaller copies are encoded from. PNG, WebP and JPEGs the walker does not understand are decoded and
 * written again by sharp (≤ 2000 px, no metadata). At most one photo per core is processed at once: more
 * would only share the cores and make every photo late.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import sharp from 'sharp';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { MediaStore } from '../media/index.js';
import { AppError } from '../../core/errors.js';
import { citizenPhotos } from './schema.js';
import { PHOTO_LIMITS, sniffImage } from './domain/sniff.js';
import { stripJpegMetadata, withSegments } from './domain/jpeg-strip.js';
import { invalidField } from './errors.js';
import { insertWithinCap } from './pending-cap.js';

/** `original` (metadata removed), `large` (1280 px, what is shown), `thumb` (320 px). */
export type PhotoVariant = 'original' | 'large' | 'thumb';
const SUFFIX: Record<PhotoVariant, string> = { original: '', large: '-large', thumb: '-thumb' };
const key = (id: string, v: PhotoVariant) => `citizen/${id}${SUFFIX[v]}.jpg`;

// libvips threads per image: one (the photos themselves run side by side, one per core).
sharp.concurrency(1);

async function put(store: MediaStore, k: string, buf: Buffer) {
  const tmp = path.join(os.tmpdir(), `sw-citizen-${randomUUID()}`);
  await fs.writeFile(tmp, buf);
  try {
    await store.putFile(k, tmp, buf.length, 'image/jpeg');
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/** A FIFO gate: at most `n` holders at once. */
class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly n: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.n) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

interface Prepared {
  original: Buffer;
  large: Buffer;
  thumb: Buffer;
  /** The original's size as shown (orientation applied). */
  width: number;
  height: number;
}

const unreadable = () => new AppError(415, 'citizen_invalid', { field: 'body', zh: '无法识别的图片', en: 'The image cannot be read' }, 'body');
const decodeOpts = { limitInputPixels: PHOTO_LIMITS.maxPixels, failOn: 'error' } as const;

/**
 * The 1280 px copy and the 320 px thumbnail from one decode of `image` (shrunk on load, orientation applied).
 * With `rgbIcc` (the original's RGB colour profile) the pixels are left in that colour space and both
 * copies carry the same profile, as the original does: converting 3 MP to sRGB costs a third of the decode.
 */
async function smaller(image: Buffer, rgbIcc: Buffer[] = []): Promise<{ large: Buffer; thumb: Buffer }> {
  const edge = PHOTO_LIMITS.largeEdge;
  const { data, info } = await sharp(image, { ...decodeOpts, ignoreIcc: rgbIcc.length > 0 }).rotate().resize(edge, edge, { fit: 'inside', withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  // Standard Huffman tables (optimiseCoding off): the 1280 px encode takes 7 ms instead of 16, the file ≈ 5 % larger.
  const large = await sharp(data, raw).jpeg({ quality: 80, optimiseCoding: false }).toBuffer();
  const thumb = await sharp(data, raw).resize(PHOTO_LIMITS.thumbEdge, PHOTO_LIMITS.thumbEdge, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 70, optimiseCoding: false }).toBuffer();
  return { large: withSegments(large, rgbIcc), thumb: withSegments(thumb, rgbIcc) };
}

/** Sniffed, stripped and made smaller: the three files of a photo. Throws 415 when it is not an image. */
export async function preparePhoto(body: Buffer): Promise<Prepared> {
  const kind = sniffImage(body);
  if (!kind) throw new AppError(415, 'citizen_invalid', { field: 'body', zh: '只接受 JPEG、PNG 或 WebP 照片', en: 'Only JPEG, PNG or WebP photos are accepted' }, 'body');
  const stripped = kind === 'jpeg' ? stripJpegMetadata(body) : null;
  try {
    if (stripped && stripped.width * stripped.height <= PHOTO_LIMITS.maxPixels) {
      const swap = stripped.orientation >= 5; // 5–8 turn the picture a quarter
      const { large, thumb } = await smaller(stripped.bytes, stripped.rgbIcc);
      return { original: stripped.bytes, large, thumb, width: swap ? stripped.height : stripped.width, height: swap ? stripped.width : stripped.height };
    }
    // sharp writes no metadata unless asked (withMetadata): EXIF and GPS are gone.
    const edge = PHOTO_LIMITS.longEdge;
    const full = await sharp(body, decodeOpts).rotate().resize(edge, edge, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 82 }).toBuffer({ resolveWithObject: true });
    const { large, thumb } = await smaller(full.data);
    return { original: full.data, large, thumb, width: full.info.width, height: full.info.height };
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw unreadable();
  }
}

const tooManyPhotos = () => new AppError(429, 'citizen_rule', { zh: '未提交的照片过多，请先提交报事', en: 'Too many photos not yet in a report: send the report first' });

export class CitizenPhotos {
  private readonly gate = new Gate(Math.max(1, os.availableParallelism()));

  constructor(
    private readonly db: Db,
    private readonly store: () => MediaStore,
  ) {}

  async add(citizenId: string, body: Buffer): Promise<{ id: string; width: number; height: number; bytes: number }> {
    if (!body.length) throw invalidField('body', '请上传照片', 'Send a photo');
    if (body.length > PHOTO_LIMITS.maxBytes) throw new AppError(413, 'citizen_invalid', { field: 'body', zh: '照片不能超过 12 MB', en: 'A photo may be at most 12 MB' }, 'body');
    if (!sniffImage(body)) throw new AppError(415, 'citizen_invalid', { field: 'body', zh: '只接受 JPEG、PNG 或 WebP 照片', en: 'Only JPEG, PNG or WebP photos are accepted' }, 'body');
    const [pending] = await this.db.select({ n: sql<number>`count(*)::int` }).from(citizenPhotos).where(and(eq(citizenPhotos.citizenId, citizenId), isNull(citizenPhotos.reportId), isNull(citizenPhotos.accidentId)));
    if ((pending?.n ?? 0) >= PHOTO_LIMITS.pendingPerCitizen) throw tooManyPhotos();
    const p = await this.gate.run(() => preparePhoto(body));
    const id = randomUUID();
    const store = this.store();
    await Promise.all([put(store, key(id, 'original'), p.original), put(store, key(id, 'large'), p.large), put(store, key(id, 'thumb'), p.thumb)]);
    const pendingNow = sql`select count(*)::int as n from citizen_photos where citizen_id = ${citizenId} and report_id is null and accident_id is null`;
    const row = { id, citizenId, contentType: 'image/jpeg', bytes: p.original.length, width: p.width, height: p.height };
    if (!(await insertWithinCap(this.db, `citizen:photos:${citizenId}`, pendingNow, PHOTO_LIMITS.pendingPerCitizen, (t) => t.insert(citizenPhotos).values(row)))) {
      await Promise.all((['original', 'large', 'thumb'] as const).map((k) => store.remove(key(id, k))));
      throw tooManyPhotos();
    }
    return { id, width: p.width, height: p.height, bytes: p.original.length };
  }

  async row(id: string) {
    const [p] = await this.db.select().from(citizenPhotos).where(eq(citizenPhotos.id, id));
    return p ?? null;
  }

  /**
   * A stored file: the thumbnail, the original, or (neither asked) the 1280 px copy — for a photo stored
   * before there were three files, the original (then a ≤ 2000 px copy) stands in for it.
   */
  async open(id: string, thumb: boolean, original = false): Promise<Readable> {
    const store = this.store();
    if (thumb || original) return store.open(key(id, thumb ? 'thumb' : 'original'));
    return (await store.size(key(id, 'large'))) === null ? store.open(key(id, 'original')) : store.open(key(id, 'large'));
  }
}
