/**
 * Resumable upload (tus 1.0 core): a recording is created with its size and metadata, then its bytes
 * arrive in chunks at the offset the server holds. The SHA-256 is computed on the fly while writing the
 * staging file; after a restart (no hash state in memory) the stored prefix is hashed again before the
 * next chunk. When the last byte arrives the hash is compared with the expected one (a mismatch refuses
 * the recording and deletes its bytes), then the file goes whole to the store, never to be modified.
 */
import { createHash, randomUUID, type Hash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { AppError, notFound } from '../../core/errors.js';
import type { Principal } from '../../core/access.js';
import type { Write, Writes } from '../../kernel/write.js';
import type { JurisdictionIndex } from '../org/index.js';
import type { IncidentService } from '../incidents/index.js';
import { caseInScope } from '../cases/index.js';
import { media } from './schema.js';
import type { MediaConfig } from './config.js';
import type { MediaStores } from './storage.js';

export type MediaRow = typeof media.$inferSelect;

export interface MediaDeps {
  db: Db;
  writes: Writes;
  config: MediaConfig;
  stores: MediaStores;
  jurisdiction: JurisdictionIndex;
  /** Absent in a server without the incidents module's service (never in practice). */
  incidents?: IncidentService;
  accounts: (db: Db, ids: readonly string[]) => Promise<{ id: string; username: string; displayName: string; unitId: string | null; disabled: boolean }[]>;
  /** The hash of each upload in progress on this instance, with the offset it has reached. */
  hashers: Map<string, { hash: Hash; offset: number }>;
  /** Uploads receiving a chunk now (one at a time per upload). */
  busy: Set<string>;
  log: (err: unknown, msg: string) => void;
  /** The purge timer (index.ts start/stop). */
  purgeTimer?: NodeJS.Timeout;
}

export const MEDIA_MESSAGES = {
  media_invalid: { zh: '字段 {field}：{zh}', en: 'Field {field}: {en}' },
  media_rule: { zh: '{zh}', en: '{en}' },
  media_offset: { zh: '上传偏移量不符：服务器已收到 {offset} 字节', en: 'Upload-Offset mismatch: the server holds {offset} bytes' },
  media_hash_mismatch: { zh: '文件校验值（SHA-256）与申报值不符，已拒收并删除', en: 'The SHA-256 of the file does not match the one declared: refused and deleted' },
  media_range: { zh: '请求的字节范围无法满足', en: 'The requested byte range cannot be satisfied' },
} as const;

export function invalid(field: string, zh: string, en: string): AppError {
  return new AppError(400, 'media_invalid', { field, zh, en }, field);
}

export function refuse(zh: string, en: string, status = 409): AppError {
  return new AppError(status, 'media_rule', { zh, en });
}

export const stagingFile = (cfg: MediaConfig, id: string) => path.join(cfg.dir, 'uploads', `${id}.part`);

/** The key a new recording gets in the primary store: `<prefix>YYYY/MM/<id>`. */
export function objectKey(deps: MediaDeps, id: string, at: Date): string {
  const prefix = deps.stores.primary.kind === 's3' ? (deps.config.s3?.prefix ?? '') : '';
  return `${prefix}${at.getUTCFullYear()}/${String(at.getUTCMonth() + 1).padStart(2, '0')}/${id}`;
}

export interface RecordingInput {
  size: number;
  contentType: string;
  officerId: string;
  recordedFrom: string;
  recordedTo: string;
  sha256?: string;
  fileName?: string;
  incidentId?: string;
  caseId?: string;
}

export interface CheckedRecording {
  officer: { id: string; name: string };
  stationId: string;
  from: Date;
  to: Date;
  /** Asked at creation: linked by hand once stored. */
  manual: { kind: 'incident' | 'case'; id: string }[];
}

const DAY = 86_400_000;

/** Checks a recording's metadata against the user's jurisdiction (the officer's unit gives the station). */
export async function checkRecording(db: Db, deps: MediaDeps, p: Principal, input: RecordingInput, now = new Date()): Promise<CheckedRecording> {
  if (!(input.size >= 1)) throw invalid('size', '文件大小须为正整数', 'size must be a positive whole number');
  if (input.size > deps.config.maxBytes) throw new AppError(413, 'media_invalid', { field: 'size', zh: `文件超过上限 ${deps.config.maxBytes} 字节`, en: `larger than the limit of ${deps.config.maxBytes} bytes` }, 'size');
  const from = new Date(input.recordedFrom);
  const to = new Date(input.recordedTo);
  if (to < from) throw invalid('recordedTo', '录制结束时间早于开始时间', 'recordedTo is before recordedFrom');
  if (to.getTime() - from.getTime() > DAY) throw invalid('recordedTo', '单个录像不超过24小时', 'one recording lasts at most 24 hours');
  if (to.getTime() > now.getTime() + 5 * 60_000) throw invalid('recordedTo', '录制时间不能晚于现在', 'recordedTo cannot be in the future');
  const [who] = await deps.accounts(db, [input.officerId]);
  if (!who || who.disabled || !who.unitId) throw invalid('officerId', '没有这个在用的账号', 'no active account has this id');
  const unit = await deps.jurisdiction.unit(who.unitId);
  if (!unit) throw invalid('officerId', '该民警没有所属单位', 'the officer belongs to no unit');
  // A grid officer's recordings belong to the grid's station.
  const station = unit.kind === 'grid' && unit.parentId ? ((await deps.jurisdiction.unit(unit.parentId)) ?? unit) : unit;
  if (who.id !== p.id && !station.path.startsWith(p.unitPath) && !(p.unitKind === 'grid' && p.unitPath.startsWith(station.path)))
    throw refuse('该民警不在您的辖区内', 'that officer is outside your jurisdiction', 403);
  const manual: CheckedRecording['manual'] = [];
  if (input.incidentId) {
    if (!deps.incidents) throw invalid('incidentId', '警情服务不可用', 'incidents are not available');
    await deps.incidents.get(p, input.incidentId, db);
    manual.push({ kind: 'incident', id: input.incidentId });
  }
  if (input.caseId) manual.push({ kind: 'case', id: (await caseInScope(db, p, input.caseId)).id });
  return { officer: { id: who.id, name: who.displayName || who.username }, stationId: station.id, from, to, manual };
}

/** Creates the upload (status `uploading`, nothing received) and its empty staging file. */
export async function createUploadIn(w: Write, deps: MediaDeps, p: Principal, input: RecordingInput, checked: CheckedRecording, now = new Date()): Promise<MediaRow> {
  const id = randomUUID();
  w.entity(id);
  const [row] = await w.tx
    .insert(media)
    .values({ id, status: 'uploading', store: deps.stores.primary.kind, storeKey: objectKey(deps, id, now), size: input.size, received: 0, contentType: input.contentType, fileName: input.fileName ?? null, expectedSha256: input.sha256?.toLowerCase() ?? null, officerId: checked.officer.id, officerName: checked.officer.name, stationId: checked.stationId, recordedFrom: checked.from, recordedTo: checked.to, source: 'upload', createdBy: p.username, createdAt: now, requestedLinks: checked.manual })
    .returning();
  const file = stagingFile(deps.config, id);
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await fsp.writeFile(file, '');
  return row!;
}

/** The hash of the first `offset` bytes of the staging file, read again (after a restart). */
async function rehash(file: string, offset: number): Promise<Hash> {
  const hash = createHash('sha256');
  if (offset === 0) return hash;
  for await (const chunk of fs.createReadStream(file, { start: 0, end: offset - 1, highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash;
}

export interface ChunkResult {
  /** Bytes held after this chunk. */
  received: number;
  /** The stream ended early (client gone): what arrived is kept, the client resumes from `received`. */
  aborted: boolean;
}

/**
 * Appends one chunk at `offset` (which must be what the row holds) to the staging file, hashing as it
 * writes. Never more than the declared size. Does not touch the database: the caller records `received`.
 */
export async function appendChunk(deps: MediaDeps, row: MediaRow, offset: number, body: Readable): Promise<ChunkResult> {
  const file = stagingFile(deps.config, row.id);
  let state = deps.hashers.get(row.id);
  if (!state || state.offset !== offset) {
    // A restart, or a chunk that failed half-way: drop anything past the recorded offset and hash the rest again.
    const st = await fsp.stat(file).catch(() => null);
    if (!st || st.size < offset) throw refuse('暂存文件缺失，请重新上传', 'the staged bytes are missing: start the upload again', 410);
    if (st.size > offset) await fsp.truncate(file, offset);
    state = { hash: await rehash(file, offset), offset };
    deps.hashers.set(row.id, state);
  }
  const room = row.size - offset;
  const out = fs.createWriteStream(file, { flags: 'a', highWaterMark: 1024 * 1024 });
  let written = 0;
  let aborted = false;
  let tooLarge = false;
  try {
    for await (const c of body) {
      let chunk = c as Buffer;
      if (written + chunk.length > room) {
        chunk = chunk.subarray(0, room - written);
        tooLarge = true;
      }
      if (chunk.length) {
        state.hash.update(chunk);
        written += chunk.length;
        if (!out.write(chunk)) await once(out, 'drain');
      }
      if (tooLarge) break;
    }
  } catch {
    aborted = true;
  } finally {
    out.end();
    await once(out, 'close').catch(() => {});
  }
  state.offset = offset + written;
  if (tooLarge) throw new AppError(413, 'media_invalid', { field: 'Upload-Length', zh: '超出申报的文件大小', en: 'more bytes than the declared size' }, 'Upload-Length');
  return { received: offset + written, aborted };
}

/** The SHA-256 of a finished upload (from the running hash, or read again). */
export async function finalHash(deps: MediaDeps, row: MediaRow): Promise<string> {
  const state = deps.hashers.get(row.id);
  const hash = state && state.offset === row.size ? state.hash : await rehash(stagingFile(deps.config, row.id), row.size);
  deps.hashers.delete(row.id);
  return hash.digest('hex');
}

/** A hash mismatch: the recording is refused and its bytes deleted. */
export async function refuseUpload(deps: MediaDeps, row: MediaRow, sha256: string): Promise<void> {
  await fsp.rm(stagingFile(deps.config, row.id), { force: true });
  await deps.writes.run(async (w) => {
    await w.tx.update(media).set({ status: 'refused', sha256, received: row.size }).where(and(eq(media.id, row.id), eq(media.status, 'uploading')));
  });
}

/** An upload the user may continue: theirs, or one of their jurisdiction. */
export async function uploadOf(db: Db, p: Principal, id: string, scope: (p: Principal) => unknown): Promise<MediaRow> {
  const [row] = await db.select().from(media).where(eq(media.id, id));
  if (!row) throw notFound('media');
  if (row.createdBy !== p.username && !(await db.select({ id: media.id }).from(media).where(and(eq(media.id, id), scope(p) as never))).length) throw notFound('media');
  return row;
}
