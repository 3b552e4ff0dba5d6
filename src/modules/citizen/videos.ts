/**
 * Citizens' videos (随手拍 evidence, issue 15 part 4: "at least 2 photos, or a video of at least 10 s"):
 * the request body is streamed to a staging file (never held in memory; at most 100 MB, counted as it
 * arrives), the container is read in pure code (domain/video.ts: MP4/MOV or WebM, sniffed from the
 * bytes, a renamed executable refused; the duration from the container; a video track required), a
 * video shorter than 10 s is refused naming the field, the boxes that can carry a place are turned into
 * zeroed `free` boxes in place (no re-encode, offsets valid), and the file goes to the media module's
 * store (folder or S3-compatible) under citizen/videos/. At most 3 unattached videos per citizen and 4
 * uploads at once on the server: disk use is bounded. The cap is exact (pending-cap.ts).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { MediaStore } from '../media/index.js';
import { AppError } from '../../core/errors.js';
import { citizenVideos } from './schema-more.js';
import { probeVideo, sniffVideo, VIDEO_LIMITS, VIDEO_TYPES, type ByteSource, type Patch, type ProbeRefusal, type VideoKind } from './domain/video.js';
import { invalidField } from './errors.js';
import { insertWithinCap } from './pending-cap.js';

export type VideoRow = typeof citizenVideos.$inferSelect;

const EXT: Record<string, string> = Object.fromEntries(Object.values(VIDEO_TYPES).map((t) => [t.contentType, t.ext]));
export const videoKey = (row: Pick<VideoRow, 'id' | 'contentType'>) => `citizen/videos/${row.id}.${EXT[row.contentType] ?? 'bin'}`;

const REFUSED: Record<ProbeRefusal, { zh: string; en: string }> = {
  type: { zh: '只接受 MP4、MOV 或 WebM 视频', en: 'Only MP4, MOV or WebM videos are accepted' },
  structure: { zh: '无法读取该视频文件（文件损坏或不完整）', en: 'The video file cannot be read (damaged or incomplete)' },
  no_video: { zh: '文件中没有视频画面', en: 'The file has no video track' },
  no_duration: { zh: '无法读取视频时长', en: 'The length of the video cannot be read' },
};

const unsupported = (r: ProbeRefusal) => new AppError(415, 'citizen_invalid', { field: 'body', ...REFUSED[r] }, 'body');
const tooManyVideos = () => new AppError(429, 'citizen_rule', { zh: '未提交的视频过多，请先提交举报', en: 'Too many videos not yet in a report: send the report first' });
const tooLarge = () => new AppError(413, 'citizen_invalid', { field: 'body', zh: `视频不能超过 ${VIDEO_LIMITS.maxBytes / 1024 / 1024} MB`, en: `A video may be at most ${VIDEO_LIMITS.maxBytes / 1024 / 1024} MB` }, 'body');

/** A file as a ByteSource (reads at positions; short at the end). */
function fileSource(handle: fsp.FileHandle, size: number): ByteSource {
  return {
    size,
    async read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = Buffer.alloc(n);
      let got = 0;
      while (got < n) {
        const { bytesRead } = await handle.read(buf, got, n - got, offset + got);
        if (!bytesRead) break;
        got += bytesRead;
      }
      return buf.subarray(0, got);
    },
  };
}

/** Writes the patches into the staged file (zeros in 64 KB pieces). */
async function patchFile(handle: fsp.FileHandle, patches: readonly Patch[]) {
  const zeros = Buffer.alloc(64 * 1024);
  for (const p of patches) {
    if (p.bytes) await handle.write(p.bytes, 0, p.bytes.length, p.offset);
    for (let done = 0; p.zeros && done < p.zeros; done += zeros.length) await handle.write(zeros, 0, Math.min(zeros.length, p.zeros - done), p.offset + done);
  }
  await handle.sync();
}

export class CitizenVideos {
  private uploading = 0;
  constructor(
    private readonly db: Db,
    private readonly store: () => MediaStore,
  ) {}

  /** Takes the body stream (declared length checked first), reads, cleans and stores the video. */
  async add(citizenId: string, body: Readable, declared?: number): Promise<{ id: string; contentType: string; bytes: number; durationMs: number; removed: number }> {
    if (declared !== undefined && declared > VIDEO_LIMITS.maxBytes) throw tooLarge();
    const [pending] = await this.db.select({ n: sql<number>`count(*)::int` }).from(citizenVideos).where(and(eq(citizenVideos.citizenId, citizenId), isNull(citizenVideos.reportId)));
    if ((pending?.n ?? 0) >= VIDEO_LIMITS.pendingPerCitizen) throw tooManyVideos();
    if (this.uploading >= VIDEO_LIMITS.concurrentUploads) throw new AppError(503, 'citizen_rule', { zh: '上传视频的人较多，请稍后再试', en: 'Many videos are being uploaded: try again in a moment' });
    this.uploading++;
    const tmp = path.join(os.tmpdir(), `sw-citizen-video-${randomUUID()}`);
    try {
      const size = await this.stage(body, tmp);
      if (!size) throw invalidField('body', '请上传视频', 'Send a video');
      const handle = await fsp.open(tmp, 'r+');
      let kind: VideoKind;
      let durationMs: number;
      let removed: number;
      try {
        const src = fileSource(handle, size);
        if (!sniffVideo(await src.read(0, 64))) throw unsupported('type');
        const probe = await probeVideo(src);
        if (!probe.ok) throw unsupported(probe.reason);
        durationMs = probe.durationMs;
        if (durationMs < VIDEO_LIMITS.minSeconds * 1000) {
          const s = (durationMs / 1000).toFixed(1);
          throw invalidField('duration', `视频至少需要 ${VIDEO_LIMITS.minSeconds} 秒（此视频 ${s} 秒），或改用至少 2 张照片`, `A video must be at least ${VIDEO_LIMITS.minSeconds} s long (this one is ${s} s), or send at least 2 photos`);
        }
        await patchFile(handle, probe.patches);
        kind = probe.kind;
        removed = probe.patches.filter((p) => p.bytes).length;
      } finally {
        await handle.close();
      }
      const id = randomUUID();
      const contentType = VIDEO_TYPES[kind].contentType;
      const key = videoKey({ id, contentType });
      await this.store().putFile(key, tmp, size, contentType);
      const pendingNow = sql`select count(*)::int as n from citizen_videos where citizen_id = ${citizenId} and report_id is null`;
      const stored = await insertWithinCap(this.db, `citizen:videos:${citizenId}`, pendingNow, VIDEO_LIMITS.pendingPerCitizen, (t) => t.insert(citizenVideos).values({ id, citizenId, contentType, bytes: size, durationMs, removed }));
      if (!stored) {
        await this.store().remove(key);
        throw tooManyVideos();
      }
      return { id, contentType, bytes: size, durationMs, removed };
    } finally {
      this.uploading--;
      await fsp.rm(tmp, { force: true });
    }
  }

  /** The body to a file, counted as it arrives: past the limit the upload stops with a 413. */
  private async stage(body: Readable, file: string): Promise<number> {
    const out = fs.createWriteStream(file, { flags: 'wx', highWaterMark: 1024 * 1024 });
    let written = 0;
    let over = false;
    try {
      for await (const c of body) {
        const chunk = c as Buffer;
        written += chunk.length;
        if (written > VIDEO_LIMITS.maxBytes) {
          over = true;
          break;
        }
        if (!out.write(chunk)) await once(out, 'drain');
      }
    } finally {
      out.end();
      await once(out, 'close').catch(() => {});
    }
    if (over) {
      body.destroy();
      throw tooLarge();
    }
    return written;
  }

  async row(id: string): Promise<VideoRow | null> {
    const [v] = await this.db.select().from(citizenVideos).where(eq(citizenVideos.id, id));
    return v ?? null;
  }

  async ofReport(reportId: number): Promise<VideoRow[]> {
    return this.db.select().from(citizenVideos).where(eq(citizenVideos.reportId, reportId)).orderBy(asc(citizenVideos.createdAt));
  }

  async size(row: VideoRow): Promise<number> {
    return (await this.store().size(videoKey(row))) ?? row.bytes;
  }

  open(row: VideoRow, range?: { start: number; end: number }): Promise<Readable> {
    return this.store().open(videoKey(row), range);
  }
}

/** What the reporter and staff see of a video. */
export const videoView = (v: VideoRow) => ({ id: v.id, contentType: v.contentType, bytes: v.bytes, durationMs: v.durationMs });
