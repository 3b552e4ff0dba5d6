/**
 * Photos of a home visit (up to 6): the type is sniffed from the bytes (the citizen portal's check), the
 * image decoded and written again by sharp — EXIF, GPS and all other metadata dropped, orientation
 * applied — at most 2048 px plus a 320 px thumbnail, stored through the media module's store under
 * community/. Seen only by staff whose jurisdiction holds the visit (the visit's scope).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import sharp, { type OutputInfo } from 'sharp';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access.js';
import { AppError, notFound } from '../../core/errors.js';
import type { Write } from '../../kernel/write.js';
import type { MediaStore } from '../media/index.js';
import { PHOTO_LIMITS, sniffImage } from '../citizen/index.js';
import type { CommunityDeps } from './deps.js';
import { invalidField, refuse } from './errors.js';
import { communityVisitPhotos, communityVisits } from './schema.js';
import { scopedVisit } from './visits.js';

export const MAX_VISIT_PHOTOS = 6;
const key = (id: string, thumb: boolean) => `community/${id}${thumb ? '-thumb' : ''}.jpg`;

async function put(store: MediaStore, k: string, buf: Buffer) {
  const tmp = path.join(os.tmpdir(), `sw-community-${randomUUID()}`);
  await fs.writeFile(tmp, buf);
  try {
    await store.putFile(k, tmp, buf.length, 'image/jpeg');
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

export interface Reencoded {
  id: string;
  full: { data: Buffer; info: OutputInfo };
}

/** Checks and re-encodes the photo, and stores it (before the write: the row is written in it). */
export async function preparePhoto(deps: CommunityDeps, p: Principal, visitId: string, body: Buffer): Promise<{ visit: typeof communityVisits.$inferSelect; photo: Reencoded }> {
  if (!deps.store) throw refuse('媒体存储未启用', 'the media store is not part of this server', 404);
  const visit = await scopedVisit(deps, p, visitId);
  if (!body.length) throw invalidField('body', '请上传照片', 'send a photo');
  if (body.length > PHOTO_LIMITS.maxBytes) throw new AppError(413, 'community_invalid', { field: 'body', zh: '照片不能超过 12 MB', en: 'a photo may be at most 12 MB' }, 'body');
  if (!sniffImage(body)) throw new AppError(415, 'community_invalid', { field: 'body', zh: '只接受 JPEG、PNG 或 WebP 照片', en: 'only JPEG, PNG or WebP photos are accepted' }, 'body');
  const [n] = await deps.db.select({ n: sql<number>`count(*)::int` }).from(communityVisitPhotos).where(eq(communityVisitPhotos.visitId, visit.id));
  if ((n?.n ?? 0) >= MAX_VISIT_PHOTOS) throw refuse(`每次走访最多 ${MAX_VISIT_PHOTOS} 张照片`, `at most ${MAX_VISIT_PHOTOS} photos per visit`);
  let full: Reencoded['full'];
  let thumb: Buffer;
  try {
    const img = sharp(body, { limitInputPixels: PHOTO_LIMITS.maxPixels, failOn: 'error' }).rotate();
    // sharp writes no metadata unless asked (withMetadata): EXIF and GPS are gone.
    full = await img.clone().resize({ width: PHOTO_LIMITS.longEdge, height: PHOTO_LIMITS.longEdge, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 82, mozjpeg: true }).toBuffer({ resolveWithObject: true });
    thumb = await img.clone().resize({ width: PHOTO_LIMITS.thumbEdge, height: PHOTO_LIMITS.thumbEdge, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 70 }).toBuffer();
  } catch {
    throw new AppError(415, 'community_invalid', { field: 'body', zh: '无法识别的图片', en: 'the image cannot be read' }, 'body');
  }
  const id = randomUUID();
  const store = deps.store();
  await put(store, key(id, false), full.data);
  await put(store, key(id, true), thumb);
  return { visit, photo: { id, full } };
}

/** The photo's row, in the write; the count is asked again under the visit's lock (≤ 6 also when sent at once). */
export async function addPhotoIn(w: Write, p: Principal, visit: typeof communityVisits.$inferSelect, photo: Reencoded) {
  w.entity(visit.id);
  await w.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'community-photos:' + visit.id}))`);
  const [n] = await w.tx.select({ n: sql<number>`count(*)::int` }).from(communityVisitPhotos).where(eq(communityVisitPhotos.visitId, visit.id));
  if ((n?.n ?? 0) >= MAX_VISIT_PHOTOS) throw refuse(`每次走访最多 ${MAX_VISIT_PHOTOS} 张照片`, `at most ${MAX_VISIT_PHOTOS} photos per visit`);
  const [row] = await w.tx.insert(communityVisitPhotos).values({ id: photo.id, visitId: visit.id, stationId: visit.stationId, bytes: photo.full.data.length, width: photo.full.info.width, height: photo.full.info.height, by: p.username }).returning();
  return photoView(row!);
}

export function photoView(r: typeof communityVisitPhotos.$inferSelect) {
  return { id: r.id, visitId: r.visitId, width: r.width, height: r.height, bytes: r.bytes, at: r.at.toISOString(), by: r.by };
}

export async function photosOf(deps: CommunityDeps, p: Principal, visitId: string) {
  const visit = await scopedVisit(deps, p, visitId);
  const rows = await deps.db.select().from(communityVisitPhotos).where(eq(communityVisitPhotos.visitId, visit.id)).orderBy(asc(communityVisitPhotos.at), asc(communityVisitPhotos.id));
  return { items: rows.map(photoView) };
}

/** The bytes of one photo of a visit in my scope (404 otherwise). */
export async function openPhoto(deps: CommunityDeps, p: Principal, visitId: string, photoId: string, thumb: boolean): Promise<Readable> {
  const visit = await scopedVisit(deps, p, visitId);
  const [row] = await deps.db.select().from(communityVisitPhotos).where(and(eq(communityVisitPhotos.id, photoId), eq(communityVisitPhotos.visitId, visit.id)));
  if (!row || !deps.store) throw notFound('photo');
  return deps.store().open(key(row.id, thumb));
}
