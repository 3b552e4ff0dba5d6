/**
 * The warnings tray and the daily digest: GET /cases/warnings (open warnings in scope; an officer sees
 * those of their own cases, a supervisor or chief every one of the jurisdiction), POST
 * /cases/warnings/{id}/ack (each recipient acknowledges for themselves), GET /cases/digest?station=.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { and, eq, inArray, isNull, notExists, type SQL } from 'drizzle-orm';
import { ErrorAnswers, IdParams } from '../../core/typebox.js';
import { notFound } from '../../core/errors.js';
import { unitScope, type Principal } from '../../core/access.js';
import { localDay } from '../../core/clock.js';
import { routeWrite } from '../../kernel/http-write.js';
import { caseWarningAcks, caseWarnings } from './warning-schema.js';
import { caseScope, invalidField, refuse, type CaseDeps } from './store.js';
import { openWarningsOrder, storedDigest, warningView, type CaseWarnings } from './warnings.js';
import * as C from './warning-contract.js';

const TAGS = ['cases'];

/** The station a station or grid user works at (null for a branch or the bureau). */
function ownStation(p: Principal): string | null {
  if (p.unitKind === 'station') return p.unitId;
  if (p.unitKind === 'grid') return p.unitPath.split('/').filter(Boolean).at(-2) ?? null;
  return null;
}

/** Warnings sit at their case's station: the same scope as the cases (a grid user: its station). */
function warningScope(p: Principal, supervises: boolean): SQL | undefined {
  const station = ownStation(p);
  const where = station ? eq(caseWarnings.stationId, station) : unitScope(p, caseWarnings.stationId);
  return supervises ? where : and(where, eq(caseWarnings.officer, p.username));
}

export default async function warningRoutes(fastify: FastifyInstance, opts: { deps: CaseDeps; warnings: CaseWarnings; supervises: (p: Principal) => boolean }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { deps, warnings, supervises } = opts;
  const { db } = deps;

  app.get(
    '/cases/warnings',
    { config: { permission: 'case.warn' }, schema: { tags: TAGS, summary: 'The warnings tray: clocks yellow (due within the lead time) or red (overdue) not yet resolved; an officer sees their own cases, a supervisor or chief the jurisdiction', querystring: C.WarningsQuery, response: { 200: C.WarningList, ...ErrorAnswers } } },
    async (req) => {
      const p = req.principal!;
      const mine = and(eq(caseWarningAcks.warningId, caseWarnings.id), eq(caseWarningAcks.username, p.username));
      const acked = db.select({ x: caseWarningAcks.warningId }).from(caseWarningAcks).where(mine);
      const where = and(isNull(caseWarnings.resolvedAt), warningScope(p, supervises(p)), req.query.acked === false ? notExists(acked) : undefined);
      const rows = await db.select().from(caseWarnings).where(where).orderBy(...openWarningsOrder).limit(500);
      const ids = rows.map((r) => r.id);
      const ackedIds = new Set(ids.length ? (await db.select({ id: caseWarningAcks.warningId }).from(caseWarningAcks).where(and(inArray(caseWarningAcks.warningId, ids), eq(caseWarningAcks.username, p.username)))).map((r) => r.id) : []);
      const items = rows.map((r) => warningView(r, ackedIds));
      return { items, unacked: items.filter((i) => !i.acked).length };
    },
  );

  app.post(
    '/cases/warnings/:id/ack',
    { config: { permission: 'case.warn', audit: { entity: 'case_warning', action: 'case.warning_ack' }, idempotency: 'in-write' }, schema: { tags: TAGS, summary: 'Acknowledge a warning (for myself: the officer and the chief each acknowledge theirs)', params: IdParams, response: { 200: C.WarningItem, ...ErrorAnswers } } },
    async (req, reply) =>
      routeWrite(deps.writes, req, reply, 200, async (w) => {
        const p = req.principal!;
        const [row] = await w.tx.select().from(caseWarnings).where(and(eq(caseWarnings.id, req.params.id), warningScope(p, supervises(p))));
        if (!row) throw notFound('warning');
        w.entity(row.id);
        await w.tx.insert(caseWarningAcks).values({ warningId: row.id, username: p.username, ackedAt: new Date() }).onConflictDoNothing();
        return warningView(row, new Set([row.id]));
      }),
  );

  app.get(
    '/cases/digest',
    { config: { permission: 'case.warn' }, schema: { tags: TAGS, summary: 'The daily digest as it stands now: clocks overdue and due within 24 h, of one station (default: mine) or of the whole jurisdiction', querystring: C.DigestQuery, response: { 200: C.Digest, ...ErrorAnswers } } },
    async (req) => {
      const p = req.principal!;
      const now = new Date();
      let stationId = req.query.station ?? ownStation(p);
      if (req.query.station) {
        const station = await deps.jurisdiction.station(req.query.station);
        if (!station) throw invalidField('station', '没有这个派出所', 'no such station');
        const own = ownStation(p);
        if (own ? own !== station.id : !station.path.startsWith(p.unitPath)) throw refuse('该派出所不在您的辖区内', 'that station is outside your jurisdiction', 403);
        stationId = station.id;
      }
      const items = await warnings.digestLines(stationId ? [stationId] : null, now, stationId ? undefined : caseScope(p));
      const day = localDay(now);
      const sent = stationId ? await storedDigest(db, stationId, day) : null;
      return { at: now.toISOString(), day, stationId, horizonHours: warnings.config.digestHorizonHours, sentAt: sent?.sentAt.toISOString() ?? null, overdue: items.filter((i) => i.overdue).length, dueSoon: items.filter((i) => !i.overdue).length, items };
    },
  );
}
