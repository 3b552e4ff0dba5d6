/**
 * Home visits (入户走访): recorded from the phone in under a minute — the door (a registered address, or
 * a point), the services given, the problems found, how many people were met (a count, not names).
 * Visits made without signal are sent later with the same Idempotency-Key and stored once (the kernel's
 * write path). Read back inside the caller's jurisdiction. A finding becomes a dispute in one call.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access.js';
import { notFound } from '../../core/errors.js';
import type { Write } from '../../kernel/write.js';
import { prepareRegistration, registerIn, type RegisterInput } from '../disputes/index.js';
import { inScope, stationScope } from './access.js';
import type { CommunityDeps } from './deps.js';
import { invalidField, refuse } from './errors.js';
import { MAX_FINDINGS, MAX_MET, MAX_NOTE, type FindingCode, type Premises, type ServiceCode } from './domain/vocabulary.js';
import { communityFindingLinks, communityVisits } from './schema.js';

type VisitRow = typeof communityVisits.$inferSelect;
type LinkRow = typeof communityFindingLinks.$inferSelect;

export interface Finding {
  code: FindingCode;
  note?: string;
}

export interface VisitInput {
  addressCode?: string;
  location?: { lon: number; lat: number };
  premises?: Premises;
  services: ServiceCode[];
  findings: Finding[];
  visitedAt?: string;
  metCount?: number;
}

/** How far back a visit made offline may be dated, and how far ahead of the server's clock. */
const OFFLINE_DAYS = 30;
const CLOCK_SKEW_MS = 5 * 60_000;

export interface PreparedVisit {
  addressCode: string | null;
  addressText: string | null;
  lon: number;
  lat: number;
  stationId: string;
  gridId: string | null;
  visitedAt: Date;
}

/** Everything a visit needs, read before the write: the door's point, its station and grid, the checks. */
export async function prepareVisit(deps: CommunityDeps, p: Principal, input: VisitInput, now = new Date()): Promise<PreparedVisit> {
  if ((input.addressCode === undefined) === (input.location === undefined)) throw invalidField(input.addressCode === undefined ? 'addressCode' : 'location', '须给出标准地址代码或坐标之一', 'give exactly one of addressCode and location');
  if (!input.services.length && !input.findings.length) throw invalidField('services', '至少记录一项服务或一个问题', 'record at least one service or finding');
  if (new Set(input.services).size !== input.services.length) throw invalidField('services', '服务项目重复', 'a service appears twice');
  if (input.findings.length > MAX_FINDINGS) throw invalidField('findings', `最多 ${MAX_FINDINGS} 个问题`, `at most ${MAX_FINDINGS} findings`);
  for (const [i, f] of input.findings.entries()) if (f.note !== undefined && f.note.length > MAX_NOTE) throw invalidField(`findings.${i}.note`, `最多 ${MAX_NOTE} 字`, `at most ${MAX_NOTE} characters`);
  if (input.metCount !== undefined && (input.metCount < 0 || input.metCount > MAX_MET)) throw invalidField('metCount', `0–${MAX_MET}`, `0–${MAX_MET}`);
  const visitedAt = input.visitedAt ? new Date(input.visitedAt) : now;
  if (visitedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) throw invalidField('visitedAt', '走访时间不能晚于现在', 'visitedAt cannot be in the future');
  if (visitedAt.getTime() < now.getTime() - OFFLINE_DAYS * 86_400_000) throw invalidField('visitedAt', `走访时间不能早于 ${OFFLINE_DAYS} 天前`, `visitedAt cannot be more than ${OFFLINE_DAYS} days ago`);
  let point = input.location ?? null;
  let addressText: string | null = null;
  if (input.addressCode !== undefined) {
    const a = await deps.addresses?.point(input.addressCode);
    if (!a) throw invalidField('addressCode', '标准地址代码不存在', 'no standard address has this code');
    point = { lon: a.lon, lat: a.lat };
    addressText = a.text;
  }
  const field = input.addressCode !== undefined ? 'addressCode' : 'location';
  const at = await deps.jurisdiction.locate(point!.lon, point!.lat);
  if (!at) throw invalidField(field, '该地点不在任何派出所辖区内', 'the place lies outside every station');
  const station = await deps.jurisdiction.unit(at.stationId);
  if (!station || !inScope(p, station.path)) throw refuse('该地点不在您的辖区内', 'the place is outside your jurisdiction', 403);
  return { addressCode: input.addressCode ?? null, addressText, lon: point!.lon, lat: point!.lat, stationId: at.stationId, gridId: at.gridId, visitedAt };
}

export async function recordVisitIn(w: Write, p: Principal, input: VisitInput, v: PreparedVisit): Promise<VisitRow> {
  const id = randomUUID();
  w.entity(id);
  const [row] = await w.tx
    .insert(communityVisits)
    .values({
      id,
      addressCode: v.addressCode,
      lon: v.lon,
      lat: v.lat,
      stationId: v.stationId,
      gridId: v.gridId,
      premises: input.premises ?? 'household',
      officerId: p.id,
      officerName: p.displayName,
      visitedAt: v.visitedAt,
      services: input.services,
      findings: input.findings.map((f) => ({ code: f.code, note: f.note?.trim() || null })),
      metCount: input.metCount ?? null,
    })
    .returning();
  return row!;
}

export function visitView(r: VisitRow, links: LinkRow[] = [], addressText: string | null = null) {
  const findings = r.findings as { code: FindingCode; note: string | null }[];
  return {
    id: r.id,
    addressCode: r.addressCode,
    address: addressText,
    location: { lon: r.lon, lat: r.lat },
    stationId: r.stationId,
    gridId: r.gridId,
    premises: r.premises as Premises,
    officerId: r.officerId,
    officerName: r.officerName,
    visitedAt: r.visitedAt.toISOString(),
    recordedAt: r.recordedAt.toISOString(),
    services: r.services as ServiceCode[],
    findings: findings.map((f, i) => {
      const l = links.find((x) => x.finding === i);
      return { index: i, code: f.code, note: f.note, followUp: l ? { kind: l.kind as 'dispute' | 'hotline12345' | 'task', id: l.targetId, number: l.targetNumber, at: l.at.toISOString() } : null };
    }),
    metCount: r.metCount,
  };
}
export type VisitView = ReturnType<typeof visitView>;

export interface VisitQuery {
  gridId?: string;
  officerId?: string;
  addressCode?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export async function listVisits(deps: CommunityDeps, p: Principal, q: VisitQuery) {
  const where = and(
    stationScope(p, communityVisits.stationId),
    q.gridId ? eq(communityVisits.gridId, q.gridId) : undefined,
    q.officerId ? eq(communityVisits.officerId, q.officerId) : undefined,
    q.addressCode ? eq(communityVisits.addressCode, q.addressCode) : undefined,
    q.from ? gte(communityVisits.visitedAt, new Date(q.from)) : undefined,
    q.to ? lt(communityVisits.visitedAt, new Date(q.to)) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    deps.db.select().from(communityVisits).where(where).orderBy(desc(communityVisits.visitedAt), asc(communityVisits.id)).limit(q.limit).offset(q.offset),
    deps.db.select({ n: sql<number>`count(*)::int` }).from(communityVisits).where(where),
  ]);
  const links = await linksOf(deps, rows.map((r) => r.id));
  const texts = await Promise.all(rows.map(async (r) => (r.addressCode ? ((await deps.addresses?.point(r.addressCode))?.text ?? null) : null)));
  return { items: rows.map((r, i) => visitView(r, links.filter((l) => l.visitId === r.id), texts[i])), total: total?.n ?? 0 };
}

async function linksOf(deps: CommunityDeps, visitIds: string[]): Promise<LinkRow[]> {
  if (!visitIds.length) return [];
  return deps.db.select().from(communityFindingLinks).where(sql`${communityFindingLinks.visitId} in ${visitIds}`);
}

export async function scopedVisit(deps: CommunityDeps, p: Principal, id: string) {
  const [row] = await deps.db.select().from(communityVisits).where(and(eq(communityVisits.id, id), stationScope(p, communityVisits.stationId)));
  if (!row) throw notFound('visit');
  return row;
}

export async function visitDetail(deps: CommunityDeps, p: Principal, id: string) {
  const row = await scopedVisit(deps, p, id);
  const text = row.addressCode ? ((await deps.addresses?.point(row.addressCode))?.text ?? null) : null;
  return visitView(row, await linksOf(deps, [row.id]), text);
}

export interface DisputeFromFinding {
  parties: RegisterInput['parties'];
  summary?: string;
  type?: RegisterInput['type'];
}

/** Prepares a dispute registration from a visit's finding (outside the write: the dispute module reads the place). */
export async function prepareDisputeFromFinding(deps: CommunityDeps, p: Principal, visitId: string, finding: number, body: DisputeFromFinding) {
  if (!deps.disputes) throw refuse('矛盾纠纷模块未启用', 'the dispute register is not part of this server', 404);
  const visit = await scopedVisit(deps, p, visitId);
  const findings = visit.findings as { code: FindingCode; note: string | null }[];
  const f = findings[finding];
  if (!f) throw invalidField('finding', '该走访没有这个问题', 'this visit has no such finding');
  const summary = body.summary?.trim() || f.note || '入户走访发现的矛盾纠纷';
  const input: RegisterInput = {
    source: 'visit',
    type: body.type,
    parties: body.parties,
    summary,
    ...(visit.addressCode ? { addressCode: visit.addressCode } : { location: { lon: visit.lon, lat: visit.lat } }),
  };
  return { visit, draft: await prepareRegistration(deps.disputes, p, input) };
}

/** Registers the dispute and links the finding to it, in one write; a second follow-up of one finding is refused (409). */
export async function disputeFromFindingIn(w: Write, deps: CommunityDeps, p: Principal, visit: VisitRow, finding: number, draft: Awaited<ReturnType<typeof prepareRegistration>>) {
  w.entity(visit.id);
  // The link's primary key is the guard; asked first to answer a clear 409 instead of a failed transaction.
  await w.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'community-finding:' + visit.id}))`);
  const [known] = await w.tx.select().from(communityFindingLinks).where(and(eq(communityFindingLinks.visitId, visit.id), eq(communityFindingLinks.finding, finding)));
  if (known) throw refuse('该问题已转办', 'this finding has already been followed up');
  const dispute = await registerIn(w, deps.disputes!, p, draft);
  await w.tx.insert(communityFindingLinks).values({ visitId: visit.id, finding, kind: 'dispute', targetId: dispute.id, targetNumber: dispute.number, stationId: visit.stationId, by: p.username });
  return { visitId: visit.id, finding, followUp: { kind: 'dispute' as const, id: dispute.id, number: dispute.number } };
}
