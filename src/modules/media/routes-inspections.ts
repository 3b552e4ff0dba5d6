/**
 * The video inspection log (视频巡查): a supervisor records the check of one recording of the
 * jurisdiction (in order, or a typed problem), and reads the log of the jurisdiction, newest first.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import { and, count, desc, eq, gte, lt } from 'drizzle-orm';
import { ErrorAnswers, IdParams } from '../../core/typebox.js';
import { routeWrite } from '../../kernel/http-write.js';
import { caseInScope } from '../cases/index.js';
import { mediaInspections } from './schema.js';
import * as C from './contract.js';
import { inspectionRefusal } from './domain/inspections.js';
import { inspectionScope, inspectionView } from './inspections.js';
import { invalid, refuse, type MediaDeps } from './upload.js';
import { scopedMedia } from './routes.js';

const TAGS = ['media'];

export default async function inspectionRoutes(fastify: FastifyInstance, opts: { deps: MediaDeps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, writes } = opts.deps;

  app.post(
    '/media/:id/inspections',
    {
      config: { permission: 'media.inspect', audit: { entity: 'media', action: 'media.inspect' }, idempotency: 'in-write' },
      schema: { tags: TAGS, summary: 'Record the inspection of a recording (视频巡查): in order, or a problem with its type (the supervision notices’ types)', params: IdParams, body: C.InspectionBody, response: { 201: C.Inspection, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const p = req.principal!;
      const b = req.body;
      const refusal = inspectionRefusal(b);
      if (refusal) throw invalid(refusal.field, refusal.zh, refusal.en);
      const c = b.caseId ? await caseInScope(db, p, b.caseId) : null;
      req.auditDetail = { result: b.result, problemType: b.problemType ?? null, caseId: c?.id ?? null };
      return routeWrite(writes, req, reply, 201, async (w) => {
        // Outside the inspector's jurisdiction the recording does not exist (404).
        const row = await scopedMedia(w.tx, p, req.params.id);
        w.entity(row.id);
        if (row.status !== 'stored') throw refuse('只能检查已存储的录像', 'only a stored recording can be inspected', 409);
        const note = b.note?.trim();
        const [saved] = await w.tx
          .insert(mediaInspections)
          .values({ id: randomUUID(), mediaId: row.id, caseId: c?.id ?? null, stationId: row.stationId, inspector: p.username, at: new Date(), result: b.result, problemType: b.problemType ?? null, note: note ? note : null })
          .returning();
        return inspectionView(saved!);
      });
    },
  );

  app.get(
    '/media/inspections',
    { config: { permission: 'media.inspect' }, schema: { tags: TAGS, summary: 'The video inspection log of my jurisdiction, newest first; by period, result, case or recording', querystring: C.InspectionQuery, response: { 200: C.InspectionList, ...ErrorAnswers } } },
    async (req) => {
      const q = req.query;
      const from = q.from ? new Date(q.from) : undefined;
      const to = q.to ? new Date(q.to) : undefined;
      if (from && to && to <= from) throw invalid('to', '结束时间须晚于开始时间', 'to must be after from');
      const where = and(
        inspectionScope(req.principal!),
        from ? gte(mediaInspections.at, from) : undefined,
        to ? lt(mediaInspections.at, to) : undefined,
        q.result ? eq(mediaInspections.result, q.result) : undefined,
        q.caseId ? eq(mediaInspections.caseId, q.caseId) : undefined,
        q.mediaId ? eq(mediaInspections.mediaId, q.mediaId) : undefined,
      );
      const [rows, [total]] = await Promise.all([
        db.select().from(mediaInspections).where(where).orderBy(desc(mediaInspections.at), desc(mediaInspections.id)).limit(q.limit ?? 50).offset(q.offset ?? 0),
        db.select({ n: count() }).from(mediaInspections).where(where),
      ]);
      return { items: rows.map(inspectionView), total: total?.n ?? 0 };
    },
  );
}
