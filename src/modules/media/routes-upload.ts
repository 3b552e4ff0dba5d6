/**
 * Upload (tus 1.0 core, https://tus.io/protocols/resumable-upload): `POST /media` creates the upload
 * with its metadata and answers its Location; `HEAD /media/uploads/{id}` gives the Upload-Offset held;
 * `PATCH /media/uploads/{id}` with `Upload-Offset` and `application/offset+octet-stream` appends a chunk
 * (streamed, never buffered; a wrong offset is a 409). `POST /media/import` registers a device export
 * already on disk or in the bucket.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../core/errors.js';
import { ErrorAnswers, IdParams, NoContent } from '../../core/typebox.js';
import { routeWrite } from '../../kernel/http-write.js';
import { media } from './schema.js';
import * as C from './contract.js';
import { appendChunk, checkRecording, createUploadIn, finalHash, invalid, objectKey, refuse, refuseUpload, stagingFile, uploadOf, type MediaDeps, type MediaRow } from './upload.js';
import { linkStoredIn, mediaScope } from './linkage.js';
import { mediaItem, uploadUrl } from './views.js';
import { safeKey } from './storage.js';

const TAGS = ['media'];
const TUS = '1.0.0';

export const ChunkHeaders = Type.Object({ 'upload-offset': Type.String({ pattern: '^[0-9]{1,16}$', description: 'where this chunk starts (tus)' }) });

export default async function uploadRoutes(fastify: FastifyInstance, opts: { deps: MediaDeps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { deps } = opts;
  const { db, writes } = deps;
  // The chunk is handed to the route as the request stream itself: a 1 GB chunk is never held in memory.
  app.addContentTypeParser('application/offset+octet-stream', (_req, payload, done) => done(null, payload));

  app.post(
    '/media',
    { config: { permission: 'media.upload', audit: { entity: 'media', action: 'media.create' }, idempotency: 'in-write' }, schema: { tags: TAGS, summary: 'Create a resumable upload (tus creation): size and metadata; the bytes follow by PATCH to the Location', body: C.CreateBody, response: { 201: C.MediaItem, ...ErrorAnswers } } },
    async (req, reply) => {
      const p = req.principal!;
      const checked = await checkRecording(db, deps, p, req.body);
      const item = await routeWrite(writes, req, reply, 201, async (w) => mediaItem(await createUploadIn(w, deps, p, req.body, checked)));
      reply.header('Location', uploadUrl(item.id)).header('Tus-Resumable', TUS).header('Upload-Offset', String(item.received));
      return item;
    },
  );

  app.head(
    '/media/uploads/:id',
    { config: { permission: 'media.upload' }, schema: { tags: TAGS, summary: 'The offset an upload has reached (tus): Upload-Offset and Upload-Length', params: IdParams, response: { 200: NoContent, ...ErrorAnswers } } },
    async (req, reply) => {
      const row = await uploadOf(db, req.principal!, req.params.id, mediaScope);
      if (row.status === 'refused' || row.status === 'purged') throw refuse('该上传已被拒收或删除', 'this upload was refused or deleted', 410);
      reply.header('Tus-Resumable', TUS).header('Upload-Offset', String(row.received)).header('Upload-Length', String(row.size)).header('Cache-Control', 'no-store');
      return reply.status(200).send(null);
    },
  );

  app.patch(
    '/media/uploads/:id',
    {
      config: { permission: 'media.upload', audit: { entity: 'media', action: 'media.upload' } },
      schema: { tags: TAGS, summary: 'Append a chunk at Upload-Offset (tus; Content-Type application/offset+octet-stream); the last one checks the SHA-256 and stores the recording', params: IdParams, headers: ChunkHeaders, response: { 204: NoContent, ...ErrorAnswers } },
    },
    async (req, reply) => {
      reply.header('Tus-Resumable', TUS);
      if (req.headers['content-type']?.split(';')[0]?.trim().toLowerCase() !== 'application/offset+octet-stream') throw new AppError(415, 'unsupported_media_type', { type: String(req.headers['content-type'] ?? '(none)') });
      const row = await uploadOf(db, req.principal!, req.params.id, mediaScope);
      if (row.status === 'refused' || row.status === 'purged') throw refuse('该上传已被拒收或删除', 'this upload was refused or deleted', 410);
      const offset = Number(req.headers['upload-offset']);
      if (row.status === 'stored' || offset !== row.received) {
        reply.header('Upload-Offset', String(row.received));
        throw new AppError(409, 'media_offset', { offset: row.received }, 'Upload-Offset');
      }
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && offset + declared > row.size) throw new AppError(413, 'media_invalid', { field: 'Upload-Length', zh: '超出申报的文件大小', en: 'more bytes than the declared size' }, 'Upload-Length');
      if (deps.busy.has(row.id)) throw refuse('该上传正在接收另一个分片', 'another chunk of this upload is being received', 423);
      deps.busy.add(row.id);
      try {
        // The body is the raw request stream (the octet-stream parser above hands it on unread): no schema can type it.
        const { received, aborted } = offset < row.size ? await appendChunk(deps, row, offset, req.body as Readable) : { received: offset, aborted: false };
        if (aborted) {
          // The client is gone: keep what arrived so that it resumes from there.
          await writes.run((w) => w.tx.update(media).set({ received }).where(and(eq(media.id, row.id), eq(media.received, offset))));
          return reply.status(204).send(null);
        }
        if (received < row.size) {
          await routeWrite(writes, req, reply, 204, async (w) => {
            w.entity(row.id);
            const moved = await w.tx.update(media).set({ received }).where(and(eq(media.id, row.id), eq(media.received, offset), eq(media.status, 'uploading'))).returning({ id: media.id });
            if (!moved.length) throw new AppError(409, 'media_offset', { offset }, 'Upload-Offset');
            return null;
          });
          reply.header('Upload-Offset', String(received));
          return null;
        }
        await complete(req, reply, { ...row, received });
        reply.header('Upload-Offset', String(row.size));
        return null;
      } finally {
        deps.busy.delete(row.id);
      }
    },
  );

  /** The last byte is in: check the hash, hand the file to the store, mark it stored and link it. */
  async function complete(req: FastifyRequest, reply: FastifyReply, row: MediaRow) {
    const sha256 = await finalHash(deps, row);
    if (row.expectedSha256 && row.expectedSha256 !== sha256) {
      await refuseUpload(deps, row, sha256);
      req.auditDetail = { sha256, expected: row.expectedSha256 };
      throw new AppError(422, 'media_hash_mismatch', {}, 'sha256');
    }
    await deps.stores.byKind(row.store).putFile(row.storeKey, stagingFile(deps.config, row.id), row.size, row.contentType);
    await routeWrite(writes, req, reply, 204, async (w) => {
      w.entity(row.id);
      const [stored] = await w.tx.update(media).set({ status: 'stored', received: row.size, sha256, storedAt: new Date() }).where(and(eq(media.id, row.id), eq(media.status, 'uploading'))).returning();
      if (!stored) throw new AppError(409, 'media_offset', { offset: row.size }, 'Upload-Offset');
      const links = await linkStoredIn(w, stored, deps.config.linkMarginMinutes, req.principal!.username);
      req.auditDetail = { sha256, size: row.size, links: links.map((l) => `${l.kind}:${l.id}:${l.how}`) };
      return null;
    });
  }

  app.post(
    '/media/import',
    { config: { permission: 'media.import', audit: { entity: 'media', action: 'media.import' }, idempotency: 'in-write' }, schema: { tags: TAGS, summary: 'Register a recording from a device export: a file under the import folder, or an object already in the S3 bucket; hashed and linked like an upload', body: C.ImportBody, response: { 201: C.MediaItem, ...ErrorAnswers } } },
    async (req, reply) => {
      const p = req.principal!;
      const body = req.body;
      if ((body.path === undefined) === (body.s3Key === undefined)) throw invalid('path', '须给出 path 或 s3Key 其中之一', 'give either path or s3Key');
      const id = randomUUID();
      const now = new Date();
      let store: string;
      let key: string;
      let size: number;
      let sha256: string;
      let checked: Awaited<ReturnType<typeof checkRecording>>;
      if (body.path !== undefined) {
        if (!safeKey(body.path)) throw invalid('path', '须为导入目录下的相对路径', 'must be a relative path under the import folder');
        const source = path.join(deps.config.importDir, body.path);
        const st = await fsp.stat(source).catch(() => null);
        if (!st?.isFile()) throw invalid('path', '导入目录下没有这个文件', 'no such file in the import folder');
        size = st.size;
        checked = await checkRecording(db, deps, p, { ...body, size });
        // Copied through the hash into staging, then handed to the store like an upload.
        const staged = stagingFile(deps.config, id);
        await fsp.mkdir(path.dirname(staged), { recursive: true });
        sha256 = await copyHashing(fs.createReadStream(source, { highWaterMark: 1024 * 1024 }), staged);
        if (body.sha256 && body.sha256.toLowerCase() !== sha256) {
          await fsp.rm(staged, { force: true });
          throw new AppError(422, 'media_hash_mismatch', {}, 'sha256');
        }
        store = deps.stores.primary.kind;
        key = objectKey(deps, id, now);
        await deps.stores.primary.putFile(key, staged, size, body.contentType);
      } else {
        if (deps.stores.primary.kind !== 's3') throw invalid('s3Key', '未配置 S3 存储（SHOUWANG_MEDIA_S3_*）', 'no S3 store is configured (SHOUWANG_MEDIA_S3_*)');
        if (!safeKey(body.s3Key!)) throw invalid('s3Key', '对象键无效', 'not a valid object key');
        const s = await deps.stores.primary.size(body.s3Key!);
        if (s === null) throw invalid('s3Key', '存储桶中没有这个对象', 'no such object in the bucket');
        size = s;
        checked = await checkRecording(db, deps, p, { ...body, size });
        const hash = createHash('sha256');
        for await (const c of await deps.stores.primary.open(body.s3Key!)) hash.update(c as Buffer);
        sha256 = hash.digest('hex');
        if (body.sha256 && body.sha256.toLowerCase() !== sha256) throw new AppError(422, 'media_hash_mismatch', {}, 'sha256');
        store = 's3';
        key = body.s3Key!;
      }
      return routeWrite(writes, req, reply, 201, async (w) => {
        w.entity(id);
        const [row] = await w.tx
          .insert(media)
          .values({ id, status: 'stored', store, storeKey: key, size, received: size, contentType: body.contentType, fileName: body.fileName ?? (body.path ? path.basename(body.path) : null), sha256, expectedSha256: body.sha256?.toLowerCase() ?? null, officerId: checked.officer.id, officerName: checked.officer.name, stationId: checked.stationId, recordedFrom: checked.from, recordedTo: checked.to, source: 'import', createdBy: p.username, createdAt: now, storedAt: now, requestedLinks: checked.manual })
          .returning();
        const links = await linkStoredIn(w, row!, deps.config.linkMarginMinutes, p.username, now);
        req.auditDetail = { sha256, size, links: links.map((l) => `${l.kind}:${l.id}:${l.how}`) };
        return mediaItem(row!, links);
      });
    },
  );
}

/** Streams `from` into a new file, answering its SHA-256. */
export async function copyHashing(from: Readable, to: string): Promise<string> {
  const hash = createHash('sha256');
  const out = fs.createWriteStream(to, { flags: 'wx', highWaterMark: 1024 * 1024 });
  try {
    for await (const c of from) {
      hash.update(c as Buffer);
      if (!out.write(c)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close').catch(() => {});
  }
  return hash.digest('hex');
}
