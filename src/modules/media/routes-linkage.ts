/**
 * Linkage by hand and its gaps: the recordings of a case with its required steps (each filmed, or
 * justified, or not), linking a recording to a case, the reason for a required step without recording,
 * and the linkage rate of my jurisdiction.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { AppError, notFound } from '../../core/errors.js';
import { ErrorAnswers, IdParams } from '../../core/typebox.js';
import { routeWrite } from '../../kernel/http-write.js';
import { caseInScope } from '../cases/index.js';
import { assignmentById } from '../dispatch/index.js';
import { media, mediaExemptions, mediaLinks } from './schema.js';
import * as C from './contract.js';
import { caseCoverage, linkageRate, linksOf, mediaScope, recordingsOfCase } from './linkage.js';
import { NO_RECORDING_LABELS, NO_RECORDING_REASONS, REQUIRED_CASE_STEPS } from './domain/linkage.js';
import { mediaItem } from './views.js';
import { invalid, refuse, type MediaDeps } from './upload.js';
import { scopedMedia } from './routes.js';

const TAGS = ['media'];
const iso = (d: Date) => d.toISOString();

export default async function linkageRoutes(fastify: FastifyInstance, opts: { deps: MediaDeps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { deps } = opts;
  const { db, writes } = deps;
  const margin = deps.config.linkMarginMinutes;

  app.get(
    '/cases/:id/media',
    { config: { permission: 'media.read' }, schema: { tags: TAGS, summary: 'A case’s recordings (linked to it or to its incidents) and its steps that require a recording, each filmed, justified or missing', params: IdParams, response: { 200: C.CaseMedia, ...ErrorAnswers } } },
    async (req) => {
      const p = req.principal!;
      const c = await caseInScope(db, p, req.params.id);
      const all = await recordingsOfCase(db, c);
      const visible = all.length ? new Set((await db.select({ id: media.id }).from(media).where(and(inArray(media.id, all.map((r) => r.row.id)), mediaScope(p)))).map((r) => r.id)) : new Set<string>();
      const recs = all.filter((r) => visible.has(r.row.id));
      const links = await linksOf(db, recs.map((r) => r.row.id));
      const coverage = await caseCoverage(db, c, margin, recs);
      return {
        recordings: recs.map((r) => mediaItem(r.row, links.get(r.row.id))),
        steps: coverage.map((s) => ({ id: s.step.id, type: s.step.type as (typeof REQUIRED_CASE_STEPS)[number], at: iso(s.step.at), subject: s.step.subject, mediaIds: s.mediaIds, exemption: s.exemption ? { ...s.exemption, recordedAt: iso(s.exemption.recordedAt) } : null })),
        requiredSteps: [...REQUIRED_CASE_STEPS],
        reasons: NO_RECORDING_REASONS.map((code) => ({ code, label: req.lang === 'en' ? NO_RECORDING_LABELS[code].en : NO_RECORDING_LABELS[code].zh })),
      };
    },
  );

  app.post(
    '/cases/:id/media',
    { config: { permission: 'media.link', audit: { entity: 'case', action: 'media.link' }, idempotency: 'in-write' }, schema: { tags: TAGS, summary: 'Link a recording to a case by hand, optionally naming the step it records', params: IdParams, body: C.CaseLinkBody, response: { 201: C.MediaItem, ...ErrorAnswers } } },
    async (req, reply) => {
      const p = req.principal!;
      const c = await caseInScope(db, p, req.params.id);
      if (req.body.eventId !== undefined) {
        const steps = await caseCoverage(db, c, margin, []);
        if (!steps.some((s) => s.step.id === req.body.eventId)) throw invalid('eventId', '该案件没有这个需录像的步骤', 'the case has no such step requiring a recording');
      }
      req.auditDetail = { mediaId: req.body.mediaId, eventId: req.body.eventId ?? null };
      return routeWrite(writes, req, reply, 201, async (w) => {
        w.entity(c.id);
        const row = await scopedMedia(w.tx, p, req.body.mediaId).catch(() => {
          throw invalid('mediaId', '没有这个录像（或不在您的辖区内）', 'no such recording in your jurisdiction');
        });
        if (row.status !== 'stored') throw invalid('mediaId', '录像尚未存储完成', 'the recording is not stored');
        await w.tx
          .insert(mediaLinks)
          .values({ mediaId: row.id, targetKind: 'case', targetId: c.id, how: 'manual', eventId: req.body.eventId ?? null, linkedBy: p.username })
          .onConflictDoUpdate({ target: [mediaLinks.mediaId, mediaLinks.targetKind, mediaLinks.targetId], set: { how: 'manual', eventId: req.body.eventId ?? null, linkedBy: p.username, linkedAt: new Date() } });
        return mediaItem(row, (await linksOf(w.tx, [row.id])).get(row.id));
      });
    },
  );

  app.post(
    '/media/exemptions',
    { config: { permission: 'media.justify', audit: { entity: 'media', action: 'media.no_recording' }, idempotency: 'in-write' }, schema: { tags: TAGS, summary: 'Why a step that requires a recording has none (reason code and comment): a case step or a 110 response', body: C.ExemptionBody, response: { 201: C.ExemptionAnswer, ...ErrorAnswers } } },
    async (req, reply) => {
      const p = req.principal!;
      const b = req.body;
      let stationId: string;
      let caseId: string | null = null;
      if (b.stepKind === 'case_event') {
        if (!b.caseId) throw invalid('caseId', '案件步骤须写明案件', 'a case step names its case');
        const c = await caseInScope(db, p, b.caseId);
        const step = (await caseCoverage(db, c, margin)).find((s) => s.step.id === b.stepId);
        if (!step) throw invalid('stepId', '该案件没有这个需录像的步骤', 'the case has no such step requiring a recording');
        if (step.mediaIds.length) throw refuse('该步骤已有关联录像', 'this step already has a linked recording', 409);
        stationId = c.stationId;
        caseId = c.id;
      } else {
        const a = await assignmentById(db, b.stepId);
        const station = a ? await deps.jurisdiction.unit(a.stationId) : null;
        if (!a || !station || !(station.path.startsWith(p.unitPath) || (p.unitKind === 'grid' && p.unitPath.startsWith(station.path)))) throw notFound('assignment');
        if (!a.onSceneAt) throw invalid('stepId', '该派警未到达现场，无需录像', 'the unit never reached the scene: no recording is required');
        const filmed = await db.select({ id: mediaLinks.mediaId }).from(mediaLinks).where(eq(mediaLinks.assignmentId, a.id)).limit(1);
        if (filmed.length) throw refuse('该出警已有关联录像', 'this response already has a linked recording', 409);
        stationId = a.stationId;
      }
      return routeWrite(writes, req, reply, 201, async (w) => {
        const id = randomUUID();
        w.entity(caseId ?? b.stepId);
        const now = new Date();
        const exemption: typeof mediaExemptions.$inferInsert = { id, stepKind: b.stepKind, stepId: b.stepId, caseId, stationId, reason: b.reason, comment: b.comment.trim(), recordedBy: p.username, recordedAt: now };
        const [row] = await w.tx.insert(mediaExemptions).values(exemption).onConflictDoNothing().returning();
        if (!row) throw new AppError(409, 'media_rule', { zh: '该步骤已说明未录像原因', en: 'a reason was already given for this step' });
        return { stepKind: row.stepKind, stepId: row.stepId, reason: row.reason, comment: row.comment, recordedBy: row.recordedBy, recordedAt: iso(row.recordedAt) };
      });
    },
  );

  app.get(
    '/media/linkage',
    { config: { permission: 'media.read' }, schema: { tags: TAGS, summary: 'Linkage rate of my jurisdiction over [from, to): required steps (on-scene enforcement steps of cases, 110 responses on scene), linked, justified, missing', querystring: C.LinkageQuery, response: { 200: C.Linkage, ...ErrorAnswers } } },
    async (req) => {
      const from = new Date(req.query.from);
      const to = new Date(req.query.to);
      if (to <= from) throw invalid('to', '结束时间须晚于开始时间', 'to must be after from');
      return linkageRate(db, req.principal!, from, to, margin);
    },
  );
}
