/**
 * Community police rooms (社区警务室): a room's place, station, officers, weekly reception hours and
 * phone, kept by the station; a visitor log by purpose — how many people came and why, with no identity
 * unless a case follows (then the entry links to the dispute or incident, never to a person). The public
 * part (name, address, place, hours, open now, distance) is what the citizen portal shows.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access.js';
import { AppError, notFound } from '../../core/errors.js';
import type { Write } from '../../kernel/write.js';
import { accountsByIds } from '../users/index.js';
import { scopedDispute } from '../disputes/index.js';
import { inScope, stationScope, workPrincipal } from './access.js';
import type { CommunityDeps } from './deps.js';
import { invalidField, refuse } from './errors.js';
import { receptionAt, scheduleProblem, type WeeklyHours } from './domain/reception.js';
import { MAX_ROOM_VISITORS, ROOM_PURPOSES, type RoomPurpose } from './domain/vocabulary.js';
import { communityPoliceRooms, communityRoomVisitors } from './schema.js';

type RoomRow = typeof communityPoliceRooms.$inferSelect;
type VisitorRow = typeof communityRoomVisitors.$inferSelect;
const DAY_MS = 86_400_000;
/** Roles who may serve in a room. */
const ROOM_ROLES = ['community', 'officer', 'chief'];

export interface RoomInput {
  name?: string;
  address?: string;
  location?: { lon: number; lat: number };
  officerIds?: string[];
  hours?: WeeklyHours;
  phone?: string | null;
  active?: boolean;
}

/** Checks a new room or a change, outside the write: the place's station (in my jurisdiction), the hours, the officers. */
export async function prepareRoom(deps: CommunityDeps, p: Principal, input: RoomInput, current?: RoomRow): Promise<{ stationId: string }> {
  if (input.name !== undefined && !input.name.trim()) throw invalidField('name', '请填写名称', 'give the name');
  if (input.address !== undefined && !input.address.trim()) throw invalidField('address', '请填写地址', 'give the address');
  if (input.hours) {
    const problem = scheduleProblem(input.hours);
    if (problem) throw invalidField(problem.field, problem.zh, problem.en);
  }
  let stationId = current?.stationId;
  if (input.location) {
    const at = await deps.jurisdiction.locate(input.location.lon, input.location.lat);
    if (!at) throw invalidField('location', '该地点不在任何派出所辖区内', 'the place lies outside every station');
    const station = await deps.jurisdiction.unit(at.stationId);
    if (!station || !inScope(p, station.path)) throw refuse('该地点不在您的辖区内', 'the place is outside your jurisdiction', 403);
    if (current && current.stationId !== at.stationId) throw invalidField('location', '警务室不能移到其他派出所辖区', 'a room cannot move to another station’s area');
    stationId = at.stationId;
  }
  if (!stationId) throw invalidField('location', '请给出警务室的位置', 'give the room’s location');
  if (input.officerIds) {
    const station = await deps.jurisdiction.unit(stationId);
    const accounts = new Map((await accountsByIds(deps.db, input.officerIds)).map((a) => [a.id, a]));
    for (const [i, id] of input.officerIds.entries()) {
      const a = accounts.get(id);
      if (!a || a.disabled || !a.roles.some((r) => ROOM_ROLES.includes(r))) throw invalidField(`officerIds.${i}`, '须为启用的民警账户', 'must be an active officer’s account');
      const unit = await deps.jurisdiction.unit(a.unitId);
      if (!unit || !station || !unit.path.startsWith(station.path)) throw invalidField(`officerIds.${i}`, '民警须属于警务室所在派出所', 'the officer must belong to the room’s station');
    }
  }
  return { stationId };
}

export async function createRoomIn(w: Write, p: Principal, input: Required<Pick<RoomInput, 'name' | 'address' | 'location' | 'hours'>> & RoomInput, stationId: string): Promise<RoomRow> {
  const id = randomUUID();
  w.entity(id);
  const [row] = await w.tx
    .insert(communityPoliceRooms)
    .values({ id, name: input.name.trim(), address: input.address.trim(), lon: input.location.lon, lat: input.location.lat, stationId, officerIds: [...new Set(input.officerIds ?? [])], hours: input.hours, phone: input.phone?.trim() || null, active: input.active ?? true, updatedBy: p.username })
    .returning();
  return row!;
}

export async function updateRoomIn(w: Write, p: Principal, room: RoomRow, input: RoomInput): Promise<RoomRow> {
  w.entity(room.id);
  const [row] = await w.tx
    .update(communityPoliceRooms)
    .set({
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.address !== undefined ? { address: input.address.trim() } : {}),
      ...(input.location ? { lon: input.location.lon, lat: input.location.lat } : {}),
      ...(input.officerIds ? { officerIds: [...new Set(input.officerIds)] } : {}),
      ...(input.hours ? { hours: input.hours } : {}),
      ...(input.phone !== undefined ? { phone: input.phone?.trim() || null } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      updatedAt: new Date(),
      updatedBy: p.username,
    })
    .where(eq(communityPoliceRooms.id, room.id))
    .returning();
  return row!;
}

export async function scopedRoom(deps: CommunityDeps, p: Principal, id: string): Promise<RoomRow> {
  const [row] = await deps.db.select().from(communityPoliceRooms).where(and(eq(communityPoliceRooms.id, id), stationScope(p, communityPoliceRooms.stationId)));
  if (!row) throw notFound('police_room');
  return row;
}

type PurposeCounts = Record<RoomPurpose, number>;
const zeroCounts = (): PurposeCounts => Object.fromEntries(ROOM_PURPOSES.map((x) => [x, 0])) as PurposeCounts;

/** Visitors per room and purpose since `since` (one grouped query). */
async function countsByRoom(db: CommunityDeps['db'], roomIds: string[], since: Date): Promise<Map<string, PurposeCounts>> {
  const out = new Map<string, PurposeCounts>();
  if (!roomIds.length) return out;
  const rows = await db
    .select({ roomId: communityRoomVisitors.roomId, purpose: communityRoomVisitors.purpose, n: sql<number>`coalesce(sum(${communityRoomVisitors.visitors}), 0)::int` })
    .from(communityRoomVisitors)
    .where(and(inArray(communityRoomVisitors.roomId, roomIds), gte(communityRoomVisitors.at, since)))
    .groupBy(communityRoomVisitors.roomId, communityRoomVisitors.purpose);
  for (const r of rows) {
    const c = out.get(r.roomId) ?? zeroCounts();
    if (r.purpose in c) c[r.purpose as RoomPurpose] += r.n;
    out.set(r.roomId, c);
  }
  return out;
}

function receptionView(hours: WeeklyHours, now: Date) {
  const s = receptionAt(hours, now.getTime());
  return { openNow: s.open, closesAt: s.closesAt === null ? null : new Date(s.closesAt).toISOString(), nextOpensAt: s.nextOpensAt === null ? null : new Date(s.nextOpensAt).toISOString() };
}

/**
 * Staff's view of rooms: officers by name, hours and open-now, visitors by purpose over the last `days`
 * days. `db`: the open transaction when called inside a write (PGlite has one connection: a read outside
 * the transaction would wait for it).
 */
export async function roomViews(deps: CommunityDeps, rows: RoomRow[], days: number, now = new Date(), db: CommunityDeps['db'] = deps.db) {
  const counts = await countsByRoom(
    db,
    rows.map((r) => r.id),
    new Date(now.getTime() - days * DAY_MS),
  );
  const names = new Map((await accountsByIds(db, [...new Set(rows.flatMap((r) => r.officerIds))])).map((a) => [a.id, a.displayName]));
  return rows.map((r) => {
    const byPurpose = counts.get(r.id) ?? zeroCounts();
    return {
      id: r.id,
      name: r.name,
      address: r.address,
      location: { lon: r.lon, lat: r.lat },
      stationId: r.stationId,
      officers: r.officerIds.map((id) => ({ id, displayName: names.get(id) ?? id })),
      hours: r.hours as WeeklyHours,
      phone: r.phone,
      active: r.active,
      ...receptionView(r.hours as WeeklyHours, now),
      days,
      visitors: Object.values(byPurpose).reduce((a, b) => a + b, 0),
      visitorsByPurpose: byPurpose,
      updatedAt: r.updatedAt.toISOString(),
    };
  });
}

/** Rooms of my jurisdiction; `mine`: only those I serve in (the officer's phone card). */
export async function roomsInScope(deps: CommunityDeps, p: Principal, mine: boolean) {
  return deps.db
    .select()
    .from(communityPoliceRooms)
    .where(and(stationScope(p, communityPoliceRooms.stationId), mine ? sql`${p.id} = any(${communityPoliceRooms.officerIds})` : undefined))
    .orderBy(asc(communityPoliceRooms.name), asc(communityPoliceRooms.id))
    .limit(1000);
}

export interface VisitorInput {
  purpose: RoomPurpose;
  visitors: number;
  at?: string;
  note?: string;
  case?: { kind: 'dispute' | 'incident'; id: string };
}

/** Checks an entry of the log: its time (≤ 30 days back, not ahead), and the case it links to, in my jurisdiction. */
export async function prepareVisitors(deps: CommunityDeps, p: Principal, input: VisitorInput, now = new Date()): Promise<Date> {
  if (input.visitors < 1 || input.visitors > MAX_ROOM_VISITORS) throw invalidField('visitors', `1–${MAX_ROOM_VISITORS} 人`, `1–${MAX_ROOM_VISITORS} people`);
  const at = input.at ? new Date(input.at) : now;
  if (at.getTime() > now.getTime() + 5 * 60_000) throw invalidField('at', '时间不能晚于现在', 'at cannot be in the future');
  if (at.getTime() < now.getTime() - 30 * DAY_MS) throw invalidField('at', '时间不能早于 30 天前', 'at cannot be more than 30 days ago');
  if (input.case) {
    // Read through the owning module's scoped reads: a case outside my station's jurisdiction is unknown.
    const w = workPrincipal(p);
    const read = input.case.kind === 'dispute' ? scopedDispute(deps.db, w, input.case.id) : deps.incidents ? deps.incidents.get(w, input.case.id) : Promise.resolve(null);
    const known = await read.then(
      (x) => Boolean(x),
      (e: unknown) => {
        if (e instanceof AppError && e.status === 404) return false;
        throw e;
      },
    );
    if (!known) throw invalidField('case.id', '该案事件不存在或不在您的辖区', 'no such case in your jurisdiction');
  }
  return at;
}

export async function logVisitorsIn(w: Write, p: Principal, room: RoomRow, input: VisitorInput, at: Date): Promise<VisitorRow> {
  const id = randomUUID();
  w.entity(room.id);
  const [row] = await w.tx
    .insert(communityRoomVisitors)
    .values({ id, roomId: room.id, stationId: room.stationId, purpose: input.purpose, visitors: input.visitors, at, note: input.note?.trim() || null, caseKind: input.case?.kind ?? null, caseId: input.case?.id ?? null, recordedBy: p.username })
    .returning();
  return row!;
}

export function visitorView(r: VisitorRow) {
  return { id: r.id, roomId: r.roomId, purpose: r.purpose as RoomPurpose, visitors: r.visitors, at: r.at.toISOString(), note: r.note, case: r.caseKind && r.caseId ? { kind: r.caseKind as 'dispute' | 'incident', id: r.caseId } : null, recordedBy: r.recordedBy, recordedAt: r.recordedAt.toISOString() };
}

export async function listVisitors(deps: CommunityDeps, room: RoomRow, q: { from?: string; to?: string; limit: number; offset: number }) {
  const where = and(eq(communityRoomVisitors.roomId, room.id), q.from ? gte(communityRoomVisitors.at, new Date(q.from)) : undefined, q.to ? lt(communityRoomVisitors.at, new Date(q.to)) : undefined);
  const [rows, byPurpose] = await Promise.all([
    deps.db.select().from(communityRoomVisitors).where(where).orderBy(desc(communityRoomVisitors.at), asc(communityRoomVisitors.id)).limit(q.limit).offset(q.offset),
    deps.db
      .select({ purpose: communityRoomVisitors.purpose, entries: sql<number>`count(*)::int`, visitors: sql<number>`coalesce(sum(${communityRoomVisitors.visitors}), 0)::int` })
      .from(communityRoomVisitors)
      .where(where)
      .groupBy(communityRoomVisitors.purpose),
  ]);
  const counts = zeroCounts();
  for (const b of byPurpose) if (b.purpose in counts) counts[b.purpose as RoomPurpose] = b.visitors;
  return { items: rows.map(visitorView), entries: byPurpose.reduce((a, b) => a + b.entries, 0), visitors: byPurpose.reduce((a, b) => a + b.visitors, 0), visitorsByPurpose: counts };
}

/** Metres between two points (haversine). */
function distanceM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The public list (no sign-in): active rooms, nearest first when a point is given — public fields only. */
export async function publicRooms(deps: CommunityDeps, q: { lon?: number; lat?: number; limit: number }, now = new Date()) {
  const rows = await deps.db
    .select({ id: communityPoliceRooms.id, name: communityPoliceRooms.name, address: communityPoliceRooms.address, lon: communityPoliceRooms.lon, lat: communityPoliceRooms.lat, hours: communityPoliceRooms.hours })
    .from(communityPoliceRooms)
    .where(eq(communityPoliceRooms.active, true))
    .orderBy(asc(communityPoliceRooms.name), asc(communityPoliceRooms.id))
    .limit(10_000);
  const here = q.lon !== undefined && q.lat !== undefined ? { lon: q.lon, lat: q.lat } : null;
  const items = rows.map((r) => ({
    id: r.id,
    name: r.name,
    address: r.address,
    location: { lon: r.lon, lat: r.lat },
    hours: r.hours as WeeklyHours,
    ...receptionView(r.hours as WeeklyHours, now),
    distanceM: here ? Math.round(distanceM(here, r)) : null,
  }));
  if (here) items.sort((a, b) => a.distanceM! - b.distanceM!);
  return { items: items.slice(0, q.limit) };
}
