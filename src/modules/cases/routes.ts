/** The cases API: open a case, record its procedural steps, read it with its clocks, the supervision board. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { and, asc, count, desc, eq, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { ErrorAnswers, IdParams } from '../../core/typebox.js';
import { routeWrite } from '../../kernel/http-write.js';
import type { Principal } from '../../core/access.js';
import { cases } from './schema.js';
import { caseScope, clocksOf, eventsOf, openCaseIn, recordStepIn, scopedCase, type CaseDeps, type CaseEventRow, type CaseRow } from './store.js';
import { casesAt } from './clock-cache.js';
import { boardOf, colourOf } from './domain/board.js';
import { stateAt, type ClockResult } from './domain/calculator.js';
import * as C from './contract.js';

const TAGS = ['cases'];
const H = 3_600_000;
/** The board reads at most this many open cases, the most urgent first (by their stored next due time). */
const BOARD_CASES = 500;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function caseItem(r: CaseRow) {
  return { id: r.id, number: r.number, kind: r.kind as 'criminal' | 'administrative', title: r.title, incidentId: r.incidentId, incidentIds: r.incidentIds ?? [], stationId: r.stationId, officer: r.officer, status: r.status, openedAt: r.openedAt.toISOString(), closedAt: iso(r.closedAt), nextDueAt: iso(r.nextDueAt), nextDueRule: r.nextDueRule, overdueClocks: r.overdueClocks, version: r.version };
}

function eventView(e: CaseEventRow) {
  return { id: e.id, type: e.type as never, at: e.at.toISOString(), detail: e.detail as Record<string, unknown>, recordedAt: e.recordedAt.toISOString(), recordedBy: e.recordedBy };
}

function clockView(c: ClockResult, now: Date, leadMs: number, lang: 'zh' | 'en') {
  return { rule: c.rule, name: lang === 'en' ? c.en : c.zh, subject: c.subject, basis: c.basis, custody: c.custody, state: stateAt(c, now), colour: colourOf(c, now, leadMs), startsAt: c.startsAt.toISOString(), dueAt: iso(c.dueAt), doneAt: iso(c.doneAt), length: c.length, stops: c.stops.map((x) => ({ from: x.from.toISOString(), to: iso(x.to), kind: x.kind ?? null })), extensions: c.extensions.map((x) => ({ ...x, at: x.at.toISOString() })), explanation: c.explanation };
}

const langOf = (q: { lang?: unknown }, accept: string | undefined): 'zh' | 'en' => (q.lang === 'en' || q.lang === 'zh' ? q.lang : accept?.toLowerCase().startsWith('en') ? 'en' : 'zh');

export default async function caseRoutes(fastify: FastifyInstance, opts: { deps: CaseDeps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { deps } = opts;
  const { db, writes } = deps;
  const write = (action: string) => ({ audit: { entity: 'case', action }, idempotency: 'in-write' as const });

  app.post(
    '/cases',
    { config: { permission: 'case.open', ...write('case.open') }, schema: { tags: TAGS, summary: 'Open a case (刑事 or 行政), from an incident or not; records its 受案 and starts its clocks', body: C.OpenBody, response: { 201: C.CaseItem, ...ErrorAnswers } } },
    async (req, reply) => {
      req.auditDetail = { incidentIds: req.body.incidentIds ?? [], kind: req.body.kind };
      return routeWrite(writes, req, reply, 201, async (w) => caseItem(await openCaseIn(w, deps, req.principal!, req.body)));
    },
  );

  app.get(
    '/cases',
    { config: { permission: 'case.read' }, schema: { tags: TAGS, summary: 'The cases of my jurisdiction, the most urgent next clock first', querystring: C.ListQuery, response: { 200: C.CaseList, ...ErrorAnswers } } },
    async (req) => {
      const q = req.query;
      // An incident's cases are asked for open and closed alike (the incident page lists both).
      const openFilter = q.open === false ? isNotNull(cases.closedAt) : q.open === true || !q.incidentId ? isNull(cases.closedAt) : undefined;
      const linked = q.incidentId ? or(eq(cases.incidentId, q.incidentId), sql`${cases.incidentIds} @> ${JSON.stringify([q.incidentId])}::jsonb`) : undefined;
      const where = and(caseScope(req.principal!), openFilter, q.kind ? eq(cases.kind, q.kind) : undefined, linked);
      const order = q.open === false ? [desc(cases.closedAt), asc(cases.id)] : [sql`${cases.nextDueAt} asc nulls last`, asc(cases.openedAt)];
      const [rows, [total]] = await Promise.all([
        db.select().from(cases).where(where).orderBy(...order).limit(q.limit ?? 50).offset(q.offset ?? 0),
        db.select({ n: count() }).from(cases).where(where),
      ]);
      return { items: rows.map(caseItem), total: total?.n ?? 0 };
    },
  );

  app.get(
    '/cases/board',
    { config: { permission: 'case.supervise' }, schema: { tags: TAGS, summary: 'The supervision board: every clock of every open case in scope, red (overdue) first, yellow from the lead time, green, grey while stopped', querystring: C.BoardQuery, response: { 200: C.Board, ...ErrorAnswers } } },
    async (req) => board(deps, req.principal!, req.query.leadHours ?? 24, langOf(req.query, req.headers['accept-language'])),
  );

  app.get(
    '/clocks',
    { config: { permission: 'case.supervise' }, schema: { tags: TAGS, summary: 'The supervision board as a list: clocks of open cases in scope by state (running, stopped, overdue) and due before a time, overdue first', querystring: C.ClocksQuery, response: { 200: C.Board, ...ErrorAnswers } } },
    async (req) => {
      const q = req.query;
      const states = new Set<string>(q.state ?? ['running', 'stopped', 'overdue']);
      const before = q.dueBefore ? new Date(q.dueBefore).getTime() : null;
      return board(deps, req.principal!, q.leadHours ?? 24, langOf(q, req.headers['accept-language']), (c) => states.has(c.state) && (before === null || (c.dueAt !== null && c.dueAt.getTime() < before)));
    },
  );

  app.get(
    '/cases/:id',
    // Steps name suspects (subject): a read of one case is audited.
    { config: { permission: 'case.read', audit: { entity: 'case', action: 'case.read', reads: true } }, schema: { tags: TAGS, summary: 'One case: its steps and every clock with its due time, what stopped or extended it, and why', params: IdParams, querystring: C.DetailQuery, response: { 200: C.CaseDetail, ...ErrorAnswers } } },
    async (req) => {
      const row = await scopedCase(db, req.principal!, req.params.id);
      const events = await eventsOf(db, row.id);
      const lang = langOf(req.query, req.headers['accept-language']);
      const now = new Date();
      req.auditDetail = { subjects: [...new Set(events.map((e) => (e.detail as { subject?: string }).subject).filter(Boolean))].length };
      return { case: caseItem(row), events: events.map(eventView), clocks: clocksOf(deps, row, events, lang).map((c) => clockView(c, now, 24 * H, lang)) };
    },
  );

  app.post(
    '/cases/:id/events',
    { config: { permission: 'case.record', ...write('case.step') }, schema: { tags: TAGS, summary: 'Record a procedural step (受案, 立案, 传唤, 拘留, 提请批准逮捕, 延长, 鉴定…); checked with every step before it', params: IdParams, body: C.StepBody, response: { 201: C.StepAnswer, ...ErrorAnswers } } },
    async (req, reply) => {
      req.auditDetail = { type: req.body.type };
      return routeWrite(writes, req, reply, 201, async (w) => {
        const { row, event } = await recordStepIn(w, deps, req.principal!, req.params.id, req.body);
        return { case: caseItem(row), event: eventView(event) };
      });
    },
  );
}

async function board(deps: CaseDeps, p: Principal, leadHours: number, lang: 'zh' | 'en', keep: (c: { state: string; dueAt: Date | null }) => boolean = () => true) {
  const now = new Date();
  const where = and(caseScope(p), isNull(cases.closedAt));
  // Only id and version through the index: a case's row and clocks come from the cache at that version,
  // the misses are read in one go (clock-cache.ts).
  const heads = await deps.db.select({ id: cases.id, version: cases.version }).from(cases).where(where).orderBy(sql`${cases.nextDueAt} asc nulls last`, asc(cases.id)).limit(BOARD_CASES + 1);
  const truncated = heads.length > BOARD_CASES;
  const entries = (await casesAt(deps, heads.slice(0, BOARD_CASES))).map(({ row, clocks }) => ({ item: row, clocks }));
  const items = boardOf(entries, now, leadHours * H).filter((i) => keep({ state: stateAt(i.clock, now), dueAt: i.clock.dueAt }));
  const counts = { red: 0, yellow: 0, green: 0, grey: 0 };
  for (const i of items) counts[i.colour]++;
  return {
    at: now.toISOString(),
    leadHours,
    counts,
    truncated,
    items: items.map(({ item, clock, colour, leftMs }) => ({ caseId: item.id, number: item.number, title: item.title, stationId: item.stationId, officer: item.officer, rule: clock.rule, name: lang === 'en' ? clock.en : clock.zh, subject: clock.subject, custody: clock.custody, state: stateAt(clock, now), colour, dueAt: iso(clock.dueAt), leftMinutes: leftMs === null ? null : Math.round(leftMs / 60_000) })),
  };
}
