/**
 * Registering a dispute, and its risk grade kept current. A registration is prepared outside the write
 * (the incident it comes from, the address's point, the station of the place) and then stored in one
 * write with its parties, its link to the incident, its timeline entry and its event.
 *
 * The risk grade is recomputed when its facts change: at registration, on a failed mediation, on a new
 * incident at the place or from a party's phone (the `incident` handler in index.ts) and daily for the
 * days open.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import { invalidField, refuse } from './errors.js';
import type { Principal } from '../../core/access.js';
import { localDayCompact } from '../../core/clock.js';
import type { Write } from '../../kernel/write.js';
import type { Db } from '../../db/client.js';
import { disputeCounters, disputeIncidents, disputeParties, disputes, disputeReferrals } from './schema.js';
import { addEvent, emitChange, type DisputeDeps } from './store.js';
import { disputeWorkPrincipal } from './access.js';
import type { DisputeRow } from './views.js';
import { PLACE_RADIUS_M, gradeRisk } from './domain/risk.js';
import { DISPUTE_KIN, disputeTypeOfCategory } from './domain/from-incident.js';
import type { DisputeSource, DisputeType, PartyRole } from './domain/vocabulary.js';

const DAY_MS = 86_400_000;

export interface PartyInput {
  name: string;
  phone?: string;
  role: PartyRole;
  relation?: string;
  vulnerable?: boolean;
}

export interface RegisterInput {
  source: DisputeSource;
  type?: DisputeType;
  parties?: PartyInput[];
  summary?: string;
  incidentId?: string;
  addressCode?: string;
  address?: string;
  location?: { lon: number; lat: number };
  injuries?: boolean;
  weaponsOrThreats?: boolean;
  externalRef?: string;
}

/** Everything a registration needs, read before the write opens. */
export interface RegistrationDraft {
  input: RegisterInput;
  type: DisputeType;
  summary: string;
  parties: PartyInput[];
  addressText: string | null;
  addressCode: string | null;
  lon: number | null;
  lat: number | null;
  stationId: string;
  stationCode: string;
  gridId: string | null;
}

export async function prepareRegistration(deps: DisputeDeps, p: Principal, input: RegisterInput): Promise<RegistrationDraft> {
  // A community officer registers from any incident of the grid's station (disputeWorkPrincipal).
  const incident = input.incidentId ? await deps.incidents.get(disputeWorkPrincipal(p), input.incidentId) : undefined;
  let point: { lon: number; lat: number } | null = input.location ?? null;
  let addressText = input.address ?? null;
  if (input.addressCode) {
    const a = await deps.addresses?.point(input.addressCode);
    if (!a) throw invalidField('addressCode', '标准地址代码不存在', 'no standard address has this code');
    point ??= { lon: a.lon, lat: a.lat };
    addressText ??= a.text;
  }
  if (!point && incident?.lon != null && incident.lat != null) point = { lon: incident.lon, lat: incident.lat };
  addressText ??= incident?.addressText ?? null;
  // The station of the place; a dispute with no place (a walk-in) belongs to the registering station.
  const located = point ? await deps.jurisdiction.locate(point.lon, point.lat) : null;
  if (point && !located && !incident) throw invalidField(input.addressCode ? 'addressCode' : 'location', '该地点不在任何派出所辖区内', 'the place lies outside every station');
  let stationId = located?.stationId ?? incident?.stationId ?? null;
  if (!stationId) {
    const own = await deps.jurisdiction.unit(disputeWorkPrincipal(p).unitId);
    if (own?.kind === 'station') stationId = own.id;
    else if (own?.kind === 'grid' && own.parentId) stationId = own.parentId;
  }
  if (!stationId) throw invalidField('location', '需要地点（标准地址或坐标）以确定所属派出所', 'a place (standard address or point) is needed to find the station');
  const station = await deps.jurisdiction.station(stationId);
  if (!station) throw invalidField('location', '该地点不在任何派出所辖区内', 'the place lies outside every station');
  if (!station.path.startsWith(disputeWorkPrincipal(p).unitPath)) throw refuse('该地点不在您的辖区内', 'the place is outside your jurisdiction', 403);
  const parties = withCaller(input.parties ?? [], incident);
  if (!parties.length) throw invalidField('parties', '至少登记一名当事人', 'at least one party is needed');
  const summary = (input.summary ?? incident?.description ?? '').trim();
  if (!summary) throw invalidField('summary', '需要填写纠纷简要情况', 'a summary is needed');
  return {
    input,
    type: input.type ?? (incident ? disputeTypeOfCategory(incident.categoryCode) : 'other'),
    summary,
    parties,
    addressText,
    addressCode: input.addressCode ?? incident?.addressCode ?? null,
    lon: point?.lon ?? null,
    lat: point?.lat ?? null,
    stationId: station.id,
    stationCode: station.code,
    gridId: located?.gridId ?? incident?.gridId ?? null,
  };
}

/**
 * The incident's caller is kept as a party: officers who see callers masked cannot type the number, so
 * a typed party of the caller's name gets the caller's phone; otherwise the caller is added (as the
 * applicant when nobody is, else as the reporting person).
 */
function withCaller(typed: PartyInput[], incident: { callerName: string | null; callerPhone: string | null } | undefined): PartyInput[] {
  if (!incident || (!incident.callerName && !incident.callerPhone)) return typed;
  const phone = incident.callerPhone?.replace(/[\s-]/g, '') || undefined;
  if (phone && typed.some((x) => x.phone?.replace(/[\s-]/g, '') === phone)) return typed;
  const named = incident.callerName ? typed.findIndex((x) => x.name.trim() === incident.callerName!.trim()) : -1;
  if (named >= 0) return typed.map((x, i) => (i === named && !x.phone ? { ...x, phone } : x));
  const caller = { name: incident.callerName ?? '报警人', phone, role: typed.some((x) => x.role === 'applicant') ? ('other' as const) : ('applicant' as const), relation: '报警人' };
  return [...typed, caller];
}

/** Next number of the day at the station: JF + station code + YYYYMMDD + 4 digits, gap-free, in the write. */
async function nextNumber(tx: Db, stationCode: string, at: Date): Promise<string> {
  const day = localDayCompact(at);
  const [c] = await tx
    .insert(disputeCounters)
    .values({ stationCode, day, lastSeq: 1 })
    .onConflictDoUpdate({ target: [disputeCounters.stationCode, disputeCounters.day], set: { lastSeq: sql`${disputeCounters.lastSeq} + 1` } })
    .returning();
  return `JF${stationCode}${day}${String(c!.lastSeq).padStart(4, '0')}`;
}

export async function registerIn(w: Write, deps: DisputeDeps, p: Principal, d: RegistrationDraft, now = new Date()): Promise<DisputeRow> {
  const id = randomUUID();
  w.entity(id);
  const facts = { injuries: d.input.injuries ?? false, weaponsOrThreats: d.input.weaponsOrThreats ?? false };
  const counts = await deps.incidents.recentCounts({ lon: d.lon, lat: d.lat, phones: d.parties.flatMap((x) => (x.phone ? [x.phone] : [])), since: new Date(now.getTime() - 90 * DAY_MS), atPlaceOf: DISPUTE_KIN, radiusM: PLACE_RADIUS_M }, w.tx);
  const risk = gradeRisk({ type: d.type, summary: d.summary, ...facts, incidentsAtPlace90d: counts.atPlace, incidentsBetweenPhones90d: counts.fromPhones, failedMediations: 0, vulnerableParties: d.parties.some((x) => x.vulnerable), daysOpen: 0 });
  const [row] = await w.tx
    .insert(disputes)
    .values({
      id,
      number: await nextNumber(w.tx, d.stationCode, now),
      source: d.input.source,
      type: d.type,
      status: 'registered',
      summary: d.summary,
      addressText: d.addressText,
      addressCode: d.addressCode,
      lon: d.lon,
      lat: d.lat,
      stationId: d.stationId,
      gridId: d.gridId,
      facts,
      riskGrade: risk.grade,
      riskScore: risk.score,
      riskReasons: risk.reasons,
      riskAt: now,
      registeredAt: now,
      registeredBy: p.username,
      externalRef: d.input.externalRef ?? null,
    })
    .returning();
  await w.tx.insert(disputeParties).values(
    d.parties.map((x, i) => ({ id: randomUUID(), disputeId: id, role: x.role, name: x.name.trim(), phone: x.phone?.replace(/[\s-]/g, '') || null, relation: x.relation ?? null, vulnerable: x.vulnerable ?? false, sortOrder: i })),
  );
  if (d.input.incidentId) await w.tx.insert(disputeIncidents).values({ disputeId: id, incidentId: d.input.incidentId, kind: 'origin' });
  await addEvent(w, id, 'registered', p.username, { source: d.input.source, incidentId: d.input.incidentId ?? null, riskGrade: risk.grade }, now);
  await emitChange(w, deps, row!, 'registered');
  return row!;
}

/**
 * The grade from the dispute's facts as they stand now; stores and announces it only when it changed
 * (an orange → red rise is what the station chief is alerted to).
 */
export type GradedParty = { phone: string | null; vulnerable: boolean };

export function gradedParties(tx: Db, disputeId: string): Promise<GradedParty[]> {
  return tx.select({ phone: disputeParties.phone, vulnerable: disputeParties.vulnerable }).from(disputeParties).where(eq(disputeParties.disputeId, disputeId));
}

/** `parties` when the caller has just read them (the outbox's check of a new incident). */
export async function regradeIn(w: Write, deps: DisputeDeps, row: DisputeRow, now = new Date(), known?: GradedParty[]): Promise<DisputeRow> {
  const parties = known ?? (await gradedParties(w.tx, row.id));
  const [failed] = await w.tx.select({ n: sql<number>`count(*)::int` }).from(disputeReferrals).where(and(eq(disputeReferrals.disputeId, row.id), eq(disputeReferrals.status, 'failed')));
  const counts = await deps.incidents.recentCounts({ lon: row.lon, lat: row.lat, phones: parties.flatMap((x) => (x.phone ? [x.phone] : [])), since: new Date(now.getTime() - 90 * DAY_MS), atPlaceOf: DISPUTE_KIN, radiusM: PLACE_RADIUS_M }, w.tx);
  const facts = row.facts as { injuries?: boolean; weaponsOrThreats?: boolean };
  const risk = gradeRisk({
    type: row.type as DisputeType,
    summary: row.summary,
    injuries: facts.injuries ?? false,
    weaponsOrThreats: facts.weaponsOrThreats ?? false,
    incidentsAtPlace90d: counts.atPlace,
    incidentsBetweenPhones90d: counts.fromPhones,
    failedMediations: failed?.n ?? 0,
    vulnerableParties: parties.some((x) => x.vulnerable),
    daysOpen: Math.floor((now.getTime() - row.registeredAt.getTime()) / DAY_MS),
  });
  if (risk.grade === row.riskGrade && risk.score === row.riskScore) return row;
  const [u] = await w.tx
    .update(disputes)
    .set({ riskGrade: risk.grade, riskScore: risk.score, riskReasons: risk.reasons, riskAt: now, version: sql`${disputes.version} + 1` })
    .where(eq(disputes.id, row.id))
    .returning();
  if (risk.grade !== row.riskGrade) {
    await addEvent(w, row.id, 'risk_changed', null, { from: row.riskGrade, to: risk.grade, reasons: risk.reasons.map((r) => r.code) }, now);
    await emitChange(w, deps, u!, RISE.has(`${row.riskGrade}>${risk.grade}`) ? 'risk_raised' : 'risk_changed');
  }
  return u!;
}

const ORDER = ['blue', 'yellow', 'orange', 'red'];
/** Rises into orange or red: the station chief is alerted. */
const RISE = new Set(ORDER.flatMap((from, i) => ORDER.slice(Math.max(i + 1, 2)).map((to) => `${from}>${to}`)));

/**
 * Open disputes (and those closed within 90 days: a recurrence) that a new incident touches: at the
 * same place (100 m) or called in from a party's phone. Bounded: a flood of incidents at one place
 * touches at most 20 disputes each. Place and phone are asked apart, each through its index (an OR of
 * the two reads the whole table).
 */
export async function disputesTouchedBy(db: Db, incident: { lon: number | null; lat: number | null; callerPhone: string | null }, now = new Date()) {
  const recent = new Date(now.getTime() - 90 * DAY_MS);
  const live = or(isNull(disputes.closedAt), sql`${disputes.closedAt} >= ${recent}`);
  const asks = [];
  if (incident.lon != null && incident.lat != null) {
    const dLat = 100 / 111_320;
    const dLon = 100 / (111_320 * Math.cos((incident.lat * Math.PI) / 180));
    const near = and(sql`${disputes.lat} between ${incident.lat - dLat} and ${incident.lat + dLat}`, sql`${disputes.lon} between ${incident.lon - dLon} and ${incident.lon + dLon}`);
    asks.push(db.select().from(disputes).where(and(near, live)).limit(20));
  }
  const phone = incident.callerPhone?.replace(/[\s-]/g, '');
  if (phone) asks.push(db.select().from(disputes).where(and(sql`${disputes.id} in (select dispute_id from dispute_parties where phone = ${phone})`, live)).limit(20));
  const found = new Map((await Promise.all(asks)).flat().map((d) => [d.id, d]));
  return [...found.values()].slice(0, 20);
}
