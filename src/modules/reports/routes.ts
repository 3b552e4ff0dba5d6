/**
 * The weekly report (周报) over HTTP: generate a week's report (a new revision only when the figures
 * changed), list and read the reports of my jurisdiction, download one as .docx (the same bytes each time).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../core/errors.js';
import { localDay } from '../../core/clock.js';
import { ErrorAnswers, IdParams } from '../../core/typebox.js';
import type { Db } from '../../db/client.js';
import type { KpiEntry } from '../../kernel/kernel.js';
import type { Writes } from '../../kernel/write.js';
import { routeWrite } from '../../kernel/http-write.js';
import * as C from './contract.js';
import { chooseWeek, WeekInputError } from './domain/weeks.js';
import type { RevisionNote } from './domain/revisions.js';
import type { WeeklySnapshot } from './domain/snapshot.js';
import { compose, getReport, latestOf, listReports, reportUnit, storeComposed, type ReportRow } from './store.js';
import { weeklyDocx } from './docx.js';

export const REPORT_MESSAGES = {
  reports_invalid: { zh: '字段 {field}：{zh}', en: 'Field {field}: {en}' },
} as const;

const TAGS = ['reports'];
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export interface ReportDeps {
  db: Db;
  writes: Writes;
  kpis: readonly KpiEntry[];
}

type Listed = Awaited<ReturnType<typeof listReports>>[number];

export function reportView(r: ReportRow | Listed) {
  const snap = 'snapshot' in r ? (r.snapshot as WeeklySnapshot) : null;
  return {
    id: r.id,
    kind: 'weekly' as const,
    week: r.week,
    from: r.fromDay,
    to: r.toDay,
    unitId: r.unitId,
    unitName: snap ? snap.unit.name : (r as Listed).unitName,
    revision: r.revision,
    snapshotHash: r.snapshotHash,
    revisesId: r.revisesId,
    revisions: (r.revisionNotes ?? []) as RevisionNote[],
    asOf: new Date(snap ? snap.asOf : (r as Listed).asOf).toISOString(),
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy,
  };
}

export default async function reportRoutes(fastify: FastifyInstance, opts: { deps: ReportDeps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, writes, kpis } = opts.deps;

  app.post(
    '/reports/weekly',
    {
      config: { permission: 'reports.generate', audit: { entity: 'report', action: 'report.generate' }, idempotency: 'in-write' as const },
      schema: {
        tags: TAGS,
        summary: 'Generate the weekly report (周报) of a week (Monday–Sunday, local time) for my jurisdiction or a unit in it: a frozen snapshot and its SHA-256. The same data gives the same hash and answers the existing report (200, unchanged); changed figures make a new revision with notes (201)',
        body: C.GenerateBody,
        response: { 200: C.Generated, 201: C.Generated, ...ErrorAnswers },
      },
    },
    async (req, reply) => {
      const b = req.body;
      let week;
      try {
        week = chooseWeek(b, localDay(new Date()));
      } catch (e) {
        if (e instanceof WeekInputError) throw new AppError(400, 'reports_invalid', { field: e.field, zh: e.zh, en: e.en }, e.field);
        throw e;
      }
      const unit = await reportUnit(db, req.principal!, b.unitId);
      const composed = await compose(db, kpis, unit, week);
      const last = await latestOf(db, week.label, unit.id);
      if (last && last.snapshotHash === composed.hash) {
        reply.status(200);
        return { ...reportView(last), unchanged: true, message: { zh: `数据未变：快照哈希与第 ${last.revision} 版相同，未另存新版`, en: `the data has not changed: the snapshot hash equals revision ${last.revision}'s, nothing new was stored` } };
      }
      return routeWrite(writes, req, reply, 201, async (w) => {
        const r = await storeComposed(w, composed, req.principal!.username);
        return { ...reportView(r.row), unchanged: !r.created, message: null };
      });
    },
  );

  app.get(
    '/reports',
    { config: { permission: 'reports.read' }, schema: { tags: TAGS, summary: 'The reports of my jurisdiction (the archive), newest week first, every revision', querystring: C.ListQuery, response: { 200: C.ReportList, ...ErrorAnswers } } },
    async (req) => ({ items: (await listReports(db, req.principal!, req.query)).map(reportView) }),
  );

  app.get(
    '/reports/:id',
    { config: { permission: 'reports.read' }, schema: { tags: TAGS, summary: 'One report with its frozen snapshot', params: IdParams, response: { 200: C.ReportDetail, ...ErrorAnswers } } },
    async (req) => {
      const r = await getReport(db, req.principal!, req.params.id);
      return { ...reportView(r), snapshot: r.snapshot as WeeklySnapshot };
    },
  );

  app.get(
    '/reports/:id/docx',
    {
      config: { permission: 'reports.read' },
      schema: { tags: TAGS, summary: 'The report as .docx, built from its stored snapshot: the same bytes every time (the hash is printed in its footer)', params: IdParams, response: { 200: Type.Unsafe({ type: 'string', format: 'binary' }), ...ErrorAnswers } },
    },
    async (req, reply) => {
      const r = await getReport(db, req.principal!, req.params.id);
      const bytes = await weeklyDocx({ snapshot: r.snapshot as WeeklySnapshot, hash: r.snapshotHash, revisionNotes: (r.revisionNotes ?? []) as RevisionNote[], revision: r.revision });
      const name = `shouwang-weekly-${r.week}-r${r.revision}.docx`;
      reply.header('Content-Disposition', `attachment; filename="${name}"`);
      reply.type(DOCX);
      return bytes;
    },
  );
}
