/**
 * Reports over HTTP: generate a week's report (周报) or a period's (any span of whole days) — a new
 * revision only when the figures changed — list and read the reports of my jurisdiction, download one as
 * .docx (the same bytes each time).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
import { choosePeriod, PeriodInputError } from './domain/periods.js';
import type { RevisionNote } from './domain/revisions.js';
import type { ReportKind, ReportSnapshot, ReportSpan } from './domain/snapshot.js';
import { compose, getReport, latestOf, listReports, reportUnit, storeComposed, type ReportRow } from './store.js';
import { reportDocx } from './docx.js';

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
  const snap = 'snapshot' in r ? (r.snapshot as ReportSnapshot) : null;
  const kind = r.kind as ReportKind;
  return {
    id: r.id,
    kind,
    label: r.week,
    week: kind === 'weekly' ? r.week : null,
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

/** A request's span, or 400 naming the field (zh-CN and English). */
function chosen(pick: () => ReportSpan): ReportSpan {
  try {
    return pick();
  } catch (e) {
    if (e instanceof WeekInputError || e instanceof PeriodInputError) throw new AppError(400, 'reports_invalid', { field: e.field, zh: e.zh, en: e.en }, e.field);
    throw e;
  }
}

export default async function reportRoutes(fastify: FastifyInstance, opts: { deps: ReportDeps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, writes, kpis } = opts.deps;

  /** Compose, then answer the last report when the hash is the same (200), else store a new revision (201). */
  async function generate(req: FastifyRequest, reply: FastifyReply, period: ReportSpan, unitId: string | undefined) {
    const unit = await reportUnit(db, req.principal!, unitId);
    const composed = await compose(db, kpis, unit, period);
    const last = await latestOf(db, period.kind, period.label, unit.id);
    if (last && last.snapshotHash === composed.hash) {
      reply.status(200);
      return { ...reportView(last), unchanged: true, message: { zh: `数据未变：快照哈希与第 ${last.revision} 版相同，未另存新版`, en: `the data has not changed: the snapshot hash equals revision ${last.revision}'s, nothing new was stored` } };
    }
    return routeWrite(writes, req, reply, 201, async (w) => {
      const r = await storeComposed(w, composed, req.principal!.username);
      return { ...reportView(r.row), unchanged: !r.created, message: null };
    });
  }

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
      const week = chosen(() => ({ kind: 'weekly', ...chooseWeek(req.body, localDay(new Date())) }));
      return generate(req, reply, week, req.body.unitId);
    },
  );

  app.post(
    '/reports/period',
    {
      config: { permission: 'reports.generate', audit: { entity: 'report', action: 'report.generate' }, idempotency: 'in-write' as const },
      schema: {
        tags: TAGS,
        summary: 'Generate the report of a period (any span of whole local days, first ≤ last ≤ today, at most 400 days) for my jurisdiction or a unit in it, compared with last year’s fair span (the same month, the year to date, or the same weekdays 52 weeks back). Same mechanics as the weekly report: the same hash answers the existing report (200, unchanged); changed figures make a new revision with notes (201)',
        body: C.PeriodBody,
        response: { 200: C.Generated, 201: C.Generated, ...ErrorAnswers },
      },
    },
    async (req, reply) => generate(req, reply, chosen(() => choosePeriod(req.body, localDay(new Date()))), req.body.unitId),
  );

  app.get(
    '/reports',
    { config: { permission: 'reports.read' }, schema: { tags: TAGS, summary: 'The reports of my jurisdiction (the archive): weekly and period reports, the latest span’s end first, every revision', querystring: C.ListQuery, response: { 200: C.ReportList, ...ErrorAnswers } } },
    async (req) => ({ items: (await listReports(db, req.principal!, req.query)).map(reportView) }),
  );

  app.get(
    '/reports/:id',
    { config: { permission: 'reports.read' }, schema: { tags: TAGS, summary: 'One report with its frozen snapshot', params: IdParams, response: { 200: C.ReportDetail, ...ErrorAnswers } } },
    async (req) => {
      const r = await getReport(db, req.principal!, req.params.id);
      return { ...reportView(r), snapshot: r.snapshot as ReportSnapshot };
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
      const bytes = await reportDocx({ snapshot: r.snapshot as ReportSnapshot, hash: r.snapshotHash, revisionNotes: (r.revisionNotes ?? []) as RevisionNote[], revision: r.revision });
      const name = `shouwang-${r.kind}-${r.week.replace('~', '_')}-r${r.revision}.docx`;
      reply.header('Content-Disposition', `attachment; filename="${name}"`);
      reply.type(DOCX);
      return bytes;
    },
  );
}
