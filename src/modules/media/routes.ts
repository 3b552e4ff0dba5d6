/**
 * Reading recordings: the list of a jurisdiction (by case, incident or officer), one recording's bytes
 * with HTTP Range requests (every view and copy audited), its metadata, and the evidence hold.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { and, count, desc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import { AppError, notFound } from '../../core/errors.js';
import { ErrorAnswers, IdParams } from '../../core/typebox.js';
import type { Principal } from '../../core/access.js';
import type { Db } from '../../db/client.js';
import { routeWrite } from '../../kernel/http-write.js';
import { caseInScope } from '../cases/index.js';
import { media, mediaLinks } from './schema.js';
import * as C from './contract.js';
import { contentRange, parseRange } from './domain/range.js';
import { linksOf, mediaScope } from './linkage.js';
import { mediaItem } from './views.js';
import { refuse, type MediaDeps, type MediaRow } from './upload.js';

const TAGS = ['media'];

export async function scopedMedia(db: Db, p: Principal, id: string): Promise<MediaRow> {
  const [row] = await db.select().from(media).where(and(eq(media.id, id), mediaScope(p)));
  if (!row) throw notFound('media');
  return row;
}

export default async function mediaRoutes(fastify: FastifyInstance, opts: { deps: MediaDeps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { deps } = opts;
  const { db, writes } = deps;

  app.get(
    '/media',
    { config: { permission: 'media.read' }, schema: { tags: TAGS, summary: 'The recordings of my jurisdiction, latest first; by case (its own and its incidents’), incident or officer', querystring: C.ListQuery, response: { 200: C.MediaList, ...ErrorAnswers } } },
    async (req) => {
      const p = req.principal!;
      const q = req.query;
      const targets: ReturnType<typeof and>[] = [];
      if (q.caseId) {
        const c = await caseInScope(db, p, q.caseId);
        targets.push(and(eq(mediaLinks.targetKind, 'case'), eq(mediaLinks.targetId, c.id)));
        if (c.incidentIds.length) targets.push(and(eq(mediaLinks.targetKind, 'incident'), inArray(mediaLinks.targetId, c.incidentIds)));
      }
      if (q.incidentId) targets.push(and(eq(mediaLinks.targetKind, 'incident'), eq(mediaLinks.targetId, q.incidentId)));
      const linked = targets.length ? sql`${media.id} in (select ${mediaLinks.mediaId} from ${mediaLinks} where ${or(...targets)})` : undefined;
      const where = and(mediaScope(p), ne(media.status, 'refused'), linked, q.officerId ? eq(media.officerId, q.officerId) : undefined);
      const [rows, [total]] = await Promise.all([
        db.select().from(media).where(where).orderBy(desc(media.recordedFrom), desc(media.id)).limit(q.limit ?? 50).offset(q.offset ?? 0),
        db.select({ n: count() }).from(media).where(where),
      ]);
      const links = await linksOf(db, rows.map((r) => r.id));
      return { items: rows.map((r) => mediaItem(r, links.get(r.id))), total: total?.n ?? 0 };
    },
  );

  app.get(
    '/media/:id/info',
    { config: { permission: 'media.read' }, schema: { tags: TAGS, summary: 'One recording: size, SHA-256, officer, time, links, hold', params: IdParams, response: { 200: C.MediaItem, ...ErrorAnswers } } },
    async (req) => {
      const row = await scopedMedia(db, req.principal!, req.params.id);
      return mediaItem(row, (await linksOf(db, [row.id])).get(row.id));
    },
  );

  app.get(
    '/media/:id',
    {
      // Every view and every copy leaves an audit row (range requests included: a seek is a view).
      config: { permission: 'media.read', audit: { entity: 'media', action: 'media.view', reads: true } },
      schema: {
        tags: TAGS,
        summary: 'The recording’s bytes, with HTTP Range requests (206 with Content-Range; 416 for a range past the end); download=true: as an attachment (a copy)',
        params: IdParams,
        querystring: C.ContentQuery,
        response: { 200: Type.Unsafe({ type: 'string', format: 'binary' }), 206: Type.Unsafe({ type: 'string', format: 'binary' }), ...ErrorAnswers },
      },
    },
    async (req, reply) => {
      const row = await scopedMedia(db, req.principal!, req.params.id);
      if (row.status !== 'stored') throw refuse('该录像尚未存储完成或已按期删除', 'this recording is not stored (still uploading, or deleted after its retention)', 410);
      const answer = parseRange(req.headers.range, row.size);
      const copy = req.query.download === true;
      req.auditDetail = { purpose: copy ? 'copy' : 'view', range: answer.kind === 'partial' ? `${answer.range.start}-${answer.range.end}` : answer.kind, sha256: row.sha256 };
      reply.header('Accept-Ranges', 'bytes').header('Cache-Control', 'private, no-store').header('ETag', `"${row.sha256}"`).header('X-Content-SHA256', row.sha256 ?? '');
      if (answer.kind === 'unsatisfiable') {
        reply.header('Content-Range', contentRange(null, row.size));
        throw new AppError(416, 'media_range', {});
      }
      if (copy) reply.header('Content-Disposition', `attachment; filename="${row.id}${extension(row.contentType)}"`);
      const range = answer.kind === 'partial' ? answer.range : undefined;
      const stream = await deps.stores.byKind(row.store).open(row.storeKey, range);
      reply.type(row.contentType);
      if (range) reply.status(206).header('Content-Range', contentRange(range, row.size)).header('Content-Length', String(range.end - range.start + 1));
      else reply.status(200).header('Content-Length', String(row.size));
      return reply.send(stream);
    },
  );

  app.post(
    '/media/:id/hold',
    { config: { permission: 'media.hold', audit: { entity: 'media', action: 'media.hold' }, idempotency: 'in-write' }, schema: { tags: TAGS, summary: 'Mark a recording as evidence: kept whatever its retention', params: IdParams, body: C.HoldBody, response: { 200: C.MediaItem, ...ErrorAnswers } } },
    async (req, reply) =>
      routeWrite(writes, req, reply, 200, async (w) => {
        const row = await scopedMedia(w.tx, req.principal!, req.params.id);
        w.entity(row.id);
        if (row.status !== 'stored') throw refuse('只能保全已存储的录像', 'only a stored recording can be held', 409);
        const [held] = await w.tx.update(media).set({ hold: true, holdBy: req.principal!.username, holdAt: new Date(), holdReason: req.body.reason }).where(eq(media.id, row.id)).returning();
        return mediaItem(held!, (await linksOf(w.tx, [row.id])).get(row.id));
      }),
  );
}

function extension(contentType: string): string {
  if (contentType.includes('mp4')) return '.mp4';
  if (contentType.includes('webm')) return '.webm';
  if (contentType.includes('ogg')) return '.ogg';
  return '';
}
