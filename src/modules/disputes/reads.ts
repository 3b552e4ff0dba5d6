/**
 * Reads of the register: one dispute with everything about it (its clocks and protocol computed from
 * what is stored), the station register with filters, the call-taker's hint, the map's high-risk
 * places, and the disputeAgencies with their mediators.
 */
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Principal } from '../../core/access.js';
import { accountsByIds } from '../users/index.js';
import type { WorkingDayCalendar } from '../../core/working-days.js';
import { disputeScope, disputeWorkPrincipal, seesParties } from './access.js';
import type { JurisdictionIndex } from '../org/index.js';
import { disputeAgencies, disputeAgencyMembers, disputeAgreements, disputeEvents, disputeIncidents, disputeParties, disputes, disputeFollowups, disputeProtocolSteps, disputeReferrals, disputeSessions } from './schema.js';
import { scopedDispute } from './store.js';
import { agencyView, agreementView, disputeListView, eventView, followupView, partyView, referralView, sessionView, type DisputeRow } from './views.js';
import { clockState, mediationClocks, type Clock } from './domain/clocks.js';
import { protocolFor, protocolProgress } from './domain/protocols.js';
import type { MediationType } from './domain/vocabulary.js';

/** A clock turns "soon" this long before it is due (yellow on the board). */
export const CLOCK_LEAD_MS = 24 * 3_600_000;

export interface ListQuery {
  status?: string[];
  riskGrade?: string[];
  type?: string[];
  from?: string;
  to?: string;
  open?: boolean;
  incidentId?: string;
  stationId?: string;
  number?: string;
  sort?: 'risk' | 'age' | 'recent';
  limit: number;
  offset: number;
}

function listConditions(p: Principal, q: ListQuery): SQL | undefined {
  const c: (SQL | undefined)[] = [disputeScope(p)];
  if (q.status?.length) c.push(inArray(disputes.status, q.status));
  if (q.riskGrade?.length) c.push(inArray(disputes.riskGrade, q.riskGrade));
  if (q.type?.length) c.push(inArray(disputes.type, q.type));
  if (q.from) c.push(gte(disputes.registeredAt, new Date(q.from)));
  if (q.to) c.push(lt(disputes.registeredAt, new Date(q.to)));
  if (q.open === true) c.push(isNull(disputes.closedAt));
  if (q.open === false) c.push(sql`${disputes.closedAt} is not null`);
  if (q.stationId) c.push(eq(disputes.stationId, q.stationId));
  if (q.number) c.push(sql`starts_with(${disputes.number}, ${q.number})`);
  if (q.incidentId) c.push(sql`${disputes.id} in (select dispute_id from dispute_incidents where incident_id = ${q.incidentId})`);
  return and(...c);
}

/** The register: by default open ones first, highest risk first, then the oldest. */
export async function listDisputes(db: Db, p: Principal, q: ListQuery, now = new Date()) {
  const where = listConditions(p, q);
  const order =
    q.sort === 'recent'
      ? [desc(disputes.registeredAt), desc(disputes.id)]
      : q.sort === 'age'
        ? [asc(disputes.registeredAt), asc(disputes.id)]
        : [sql`(${disputes.closedAt} is null) desc`, desc(disputes.riskScore), asc(disputes.registeredAt), asc(disputes.id)];
  const [rows, [count]] = await Promise.all([
    db.select().from(disputes).where(where).orderBy(...order).limit(q.limit).offset(q.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(disputes).where(where),
  ]);
  return { items: rows.map((r) => disputeListView(r, now)), total: count?.n ?? 0 };
}

/** Display names of disputeAgencies and accounts, for views. */
export async function namesFor(db: Db, agencyIds: readonly string[], userIds: readonly string[]) {
  const [ags, users] = await Promise.all([
    agencyIds.length ? db.select({ id: disputeAgencies.id, name: disputeAgencies.name }).from(disputeAgencies).where(inArray(disputeAgencies.id, [...new Set(agencyIds)])) : [],
    accountsByIds(db, [...new Set(userIds)]),
  ]);
  const a = new Map(ags.map((x) => [x.id, x.name]));
  const u = new Map(users.map((x) => [x.id, x.displayName]));
  return { agency: (id: string) => a.get(id) ?? null, user: (id: string) => u.get(id) ?? null };
}

/** The clocks of a dispute's latest referral, as its stored steps set them. */
export function clocksOf(
  input: { referral?: { mediationType: string; acceptedAt: Date | null; endedAt: Date | null; extensions: unknown } | undefined; sessions: Date[]; agreement?: { signedAt: Date; performanceDeadline: string | null; performedAt: Date | null; judicialConfirmationAt: Date | null } | undefined; followups: Date[] },
  calendar: WorkingDayCalendar,
): Clock[] {
  if (!input.referral) return [];
  return mediationClocks(
    {
      mediationType: input.referral.mediationType as MediationType,
      acceptedAt: input.referral.acceptedAt ?? undefined,
      sessions: input.sessions,
      agreement: input.agreement ? { signedAt: input.agreement.signedAt, performanceDeadline: input.agreement.performanceDeadline ?? undefined, performedAt: input.agreement.performedAt ?? undefined } : undefined,
      extensions: ((input.referral.extensions ?? []) as { consentedAt: string; days: number }[]).map((e) => ({ consentedAt: new Date(e.consentedAt), days: e.days })),
      followups: input.followups,
      judicialConfirmationRequestedAt: input.agreement?.judicialConfirmationAt ?? undefined,
      concludedAt: input.referral.endedAt ?? undefined,
    },
    calendar,
  );
}

export async function disputeDetail(db: Db, calendar: WorkingDayCalendar, p: Principal, id: string, now = new Date()) {
  const d = await scopedDispute(db, p, id);
  const [parties, refs, sess, [agreement], fups, links, steps, events] = await Promise.all([
    db.select().from(disputeParties).where(eq(disputeParties.disputeId, id)).orderBy(asc(disputeParties.sortOrder)),
    db.select().from(disputeReferrals).where(eq(disputeReferrals.disputeId, id)).orderBy(asc(disputeReferrals.createdAt)),
    db.select().from(disputeSessions).where(eq(disputeSessions.disputeId, id)).orderBy(asc(disputeSessions.heldAt)),
    db.select().from(disputeAgreements).where(eq(disputeAgreements.disputeId, id)),
    db.select().from(disputeFollowups).where(eq(disputeFollowups.disputeId, id)).orderBy(asc(disputeFollowups.at)),
    db.select().from(disputeIncidents).where(eq(disputeIncidents.disputeId, id)).orderBy(asc(disputeIncidents.linkedAt)),
    db.select().from(disputeProtocolSteps).where(eq(disputeProtocolSteps.disputeId, id)),
    db.select().from(disputeEvents).where(eq(disputeEvents.disputeId, id)).orderBy(asc(disputeEvents.at), asc(disputeEvents.id)).limit(500),
  ]);
  const names = await namesFor(db, refs.map((r) => r.agencyId), refs.flatMap((r) => (r.mediatorId ? [r.mediatorId] : [])));
  const latest = refs.at(-1);
  const clocks = clocksOf(
    { referral: latest, sessions: sess.filter((s) => s.referralId === latest?.id).map((s) => s.heldAt), agreement: agreement ?? undefined, followups: fups.map((f) => f.at) },
    calendar,
  ).map((c) => ({ ...c, dueAt: c.dueAt.toISOString(), doneAt: c.doneAt?.toISOString() ?? null, state: clockState(c, now, CLOCK_LEAD_MS) }));
  const protocol = protocolFor(d.type);
  const done = Object.fromEntries(steps.map((s) => [s.code, s.doneAt]));
  const full = seesParties(p);
  return {
    view: {
      ...disputeListView(d, now),
      parties: parties.map((x) => partyView(x, full)),
      incidents: links.map((l) => ({ incidentId: l.incidentId, kind: l.kind, linkedAt: l.linkedAt.toISOString() })),
      referrals: refs.map((r) => referralView(r, names)),
      sessions: sess.map(sessionView),
      agreement: agreement ? agreementView(agreement) : null,
      followups: fups.map(followupView),
      clocks,
      protocol: protocol
        ? protocolProgress(protocol, d.registeredAt, done, now, calendar).map((s) => ({ code: s.code, zh: s.zh, en: s.en, dueAt: s.dueAt.toISOString(), doneAt: s.doneAt?.toISOString() ?? null, state: s.state }))
        : [],
      timeline: events.map(eventView),
    },
    /** The party ids shown in full: what the read's audit row names. */
    unmaskedParties: full ? parties.map((x) => x.id) : [],
  };
}

/**
 * For the call-taker: open disputes where the call comes from (a party's phone, the picked address, or
 * within 100 m of the point). No personal data: number, type, grade and days open.
 */
export async function disputeHints(db: Db, p: Principal, q: { phone?: string; addressCode?: string; lon?: number; lat?: number }, now = new Date()) {
  const phone = q.phone?.replace(/[\s-]/g, '');
  // One query per way of matching, each on its own index: an OR of them reads the whole table (bench:disputes).
  const ways: [Match, SQL][] = [];
  if (phone) ways.push(['phone', sql`${disputes.id} in (select dispute_id from dispute_parties where phone = ${phone})`]);
  if (q.addressCode) ways.push(['address', eq(disputes.addressCode, q.addressCode)]);
  if (q.lon !== undefined && q.lat !== undefined) {
    const dLat = 100 / 111_320;
    const dLon = 100 / (111_320 * Math.cos((q.lat * Math.PI) / 180));
    ways.push(['place', and(sql`${disputes.lat} between ${q.lat - dLat} and ${q.lat + dLat}`, sql`${disputes.lon} between ${q.lon - dLon} and ${q.lon + dLon}`)!]);
  }
  const found = await Promise.all(
    ways.map(([, cond]) => db.select().from(disputes).where(and(disputeScope(p), isNull(disputes.closedAt), cond)).orderBy(desc(disputes.riskScore), asc(disputes.registeredAt)).limit(10)),
  );
  // The first way that found a dispute says how it matched (phone, then address, then place).
  const matched = new Map<string, { row: DisputeRow; by: Match }>();
  found.forEach((rows, i) => rows.forEach((row) => matched.has(row.id) || matched.set(row.id, { row, by: ways[i]![0] })));
  const rows = [...matched.values()].sort((x, y) => y.row.riskScore - x.row.riskScore || x.row.registeredAt.getTime() - y.row.registeredAt.getTime()).slice(0, 10);
  return {
    items: rows.map(({ row: r, by }) => ({
      id: r.id,
      number: r.number,
      type: r.type,
      status: r.status,
      riskGrade: r.riskGrade,
      daysOpen: Math.floor((now.getTime() - r.registeredAt.getTime()) / 86_400_000),
      matchedBy: by,
      location: r.lon !== null && r.lat !== null ? { lon: r.lon, lat: r.lat } : null,
    })),
  };
}

type Match = 'phone' | 'address' | 'place';

/** The dispatcher's map hint: open red and orange disputes with a place, no personal data. */
export async function riskPlaces(db: Db, p: Principal) {
  const rows = await db
    .select({ id: disputes.id, number: disputes.number, type: disputes.type, riskGrade: disputes.riskGrade, lon: disputes.lon, lat: disputes.lat, registeredAt: disputes.registeredAt })
    .from(disputes)
    .where(and(disputeScope(p), isNull(disputes.closedAt), inArray(disputes.riskGrade, ['red', 'orange']), sql`${disputes.lon} is not null`))
    .orderBy(desc(disputes.riskScore))
    .limit(2000);
  return { items: rows.map((r) => ({ id: r.id, number: r.number, type: r.type, riskGrade: r.riskGrade, location: { lon: r.lon!, lat: r.lat! }, registeredAt: r.registeredAt.toISOString() })) };
}

/**
 * Agencies with their mediators: those serving the principal's own line of the organisation (their
 * unit, the units above it and below it) and the city-wide ones (law firms); a mediator sees only their
 * own agencies. Another station's mediation room or committee is not listed.
 */
export async function listAgencies(db: Db, jurisdiction: JurisdictionIndex, p: Principal, mine: boolean) {
  const members = await db.select().from(disputeAgencyMembers);
  const mineIds = new Set(members.filter((m) => m.userId === p.id).map((m) => m.agencyId));
  const scope = disputeWorkPrincipal(p).unitPath;
  const inLine = async (unitId: string | null) => {
    if (!unitId) return true;
    const path = (await jurisdiction.unit(unitId))?.path;
    return !!path && (path.startsWith(scope) || scope.startsWith(path));
  };
  const all = await db.select().from(disputeAgencies).where(eq(disputeAgencies.active, true)).orderBy(asc(disputeAgencies.kind), asc(disputeAgencies.name));
  const rows = [];
  for (const a of all) if (mine ? mineIds.has(a.id) : await inLine(a.servesUnitId)) rows.push(a);
  const accounts = new Map((await accountsByIds(db, members.map((m) => m.userId))).filter((u) => !u.disabled).map((u) => [u.id, u]));
  return rows.map((a) =>
    agencyView(
      a,
      members.filter((m) => m.agencyId === a.id && accounts.has(m.userId)).map((m) => ({ id: m.userId, username: accounts.get(m.userId)!.username, displayName: accounts.get(m.userId)!.displayName })),
    ),
  );
}

export type { DisputeRow };

/**
 * For community policing (src/modules/community): address code → open disputes there, for the
 * addresses of some police grids (a home visit goes to them first). Counts only: no party, no summary.
 */
export async function openDisputesByAddress(db: Db, gridIds: readonly string[]): Promise<Map<string, number>> {
  if (!gridIds.length) return new Map();
  const rows = await db
    .select({ code: disputes.addressCode, n: sql<number>`count(*)::int` })
    .from(disputes)
    .where(and(inArray(disputes.gridId, [...gridIds]), isNull(disputes.closedAt), isNotNull(disputes.addressCode)))
    .groupBy(disputes.addressCode);
  return new Map(rows.map((r) => [r.code!, r.n]));
}
