/** Units and their roster: reads, create and update, shifts, and the status change every write goes through. */
import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Write } from '../../kernel/write.js';
import { AppError } from '../../core/errors.js';
import { coversUnit, type Principal } from '../../core/access.js';
import { firstOutsider } from '../users/index.js';
import { localDay } from '../incidents/index.js';
import { units, unitShifts, unitStatusEvents } from './schema.js';
import { shiftsOf } from './store.js';
import { rosterStatus, type UnitStatus } from './domain/unit-status.js';
import { onDuty } from './domain/roster.js';
import type { UnitKind } from './config.js';
import type { DispatchState, UnitState } from './state.js';
import { publicUnit, shiftView, statusEventView, unitView } from './views.js';

export interface UnitInput {
  id?: string;
  callSign: string;
  kind: UnitKind;
  stationId: string;
  members?: string[];
  memberUserIds?: string[];
  capabilities?: string[];
  home: [number, number];
  active?: boolean;
}

export async function listUnits(s: DispatchState, p: Principal, q: { stationId?: string; status?: string[]; kind?: string }) {
  await s.init();
  const items = [...s.state.values()]
    .filter((st) => coversUnit(p, st.stationPath))
    .filter((st) => !q.stationId || st.row.stationId === q.stationId)
    .filter((st) => !q.status?.length || q.status.includes(st.row.status))
    .filter((st) => !q.kind || st.row.kind === q.kind)
    .sort((a, b) => (a.row.stationId === b.row.stationId ? (a.row.callSign < b.row.callSign ? -1 : 1) : a.row.stationId < b.row.stationId ? -1 : 1))
    .map((st) => unitView(s, st, p));
  return { items, total: items.length };
}

export async function getUnit(s: DispatchState, p: Principal, id: string) {
  await s.init();
  if (!s.state.has(id)) await s.refreshUnit(id); // created on another instance, event not applied yet
  return unitView(s, s.visible(p, id), p);
}

export async function createUnitIn(s: DispatchState, w: Write, p: Principal, input: UnitInput) {
  const stationPath = s.paths.get(input.stationId) ?? (await s.org.paths()).paths.get(input.stationId);
  if (!stationPath || !coversUnit(p, stationPath)) throw new AppError(400, 'invalid_value', { field: 'stationId', detail: 'no such station in your jurisdiction' }, 'stationId');
  await checkCrew(w.tx, stationPath, input.memberUserIds);
  if (s.byCallSign.has(input.callSign)) throw new AppError(409, 'duplicate', { field: 'callSign' }, 'callSign');
  const id = input.id ?? randomUUID();
  if (s.state.has(id)) throw new AppError(409, 'duplicate', { field: 'id' }, 'id');
  s.paths.set(input.stationId, stationPath);
  const now = s.now();
  const [row] = await w.tx
    .insert(units)
    .values({ id, callSign: input.callSign, kind: input.kind, stationId: input.stationId, members: input.members ?? [], memberUserIds: input.memberUserIds ?? [], capabilities: input.capabilities ?? [], homeLon: input.home[0], homeLat: input.home[1], status: 'off_duty', statusAt: now, active: input.active ?? true })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new AppError(409, 'duplicate', { field: 'callSign' }, 'callSign');
  await w.tx.insert(unitStatusEvents).values({ unitId: id, at: now, fromStatus: null, toStatus: 'off_duty', userId: p.kind === 'user' ? p.id : null, username: p.username, note: 'created' });
  const st = s.putUnit(row);
  s.emit(w, 'unit_status', st.stationPath, id, publicUnit(s, st));
  return unitView(s, st, p);
}

export async function updateUnitIn(s: DispatchState, w: Write, p: Principal, id: string, patch: Partial<Omit<UnitInput, 'id'>>) {
  const st = s.visible(p, id);
  const set: Partial<typeof units.$inferInsert> = { updatedAt: s.now() };
  if (patch.callSign !== undefined && patch.callSign !== st.row.callSign) {
    if (s.byCallSign.has(patch.callSign)) throw new AppError(409, 'duplicate', { field: 'callSign' }, 'callSign');
    set.callSign = patch.callSign;
  }
  if (patch.stationId !== undefined && patch.stationId !== st.row.stationId) {
    const path = s.paths.get(patch.stationId) ?? (await s.org.paths()).paths.get(patch.stationId);
    if (!path || !coversUnit(p, path)) throw new AppError(400, 'invalid_value', { field: 'stationId', detail: 'no such station in your jurisdiction' }, 'stationId');
    s.paths.set(patch.stationId, path);
    set.stationId = patch.stationId;
  }
  if (patch.memberUserIds !== undefined || set.stationId) await checkCrew(w.tx, s.stationPath(set.stationId ?? st.row.stationId), patch.memberUserIds ?? st.row.memberUserIds);
  if (patch.kind !== undefined) set.kind = patch.kind;
  if (patch.members !== undefined) set.members = patch.members;
  if (patch.memberUserIds !== undefined) set.memberUserIds = patch.memberUserIds;
  if (patch.capabilities !== undefined) set.capabilities = patch.capabilities;
  if (patch.home !== undefined) [set.homeLon, set.homeLat] = patch.home;
  if (patch.active !== undefined) set.active = patch.active;
  const [row] = await w.tx.update(units).set(set).where(eq(units.id, id)).returning();
  if (!row.active) {
    s.state.delete(id);
    s.byCallSign.delete(row.callSign);
    return { ...unitView(s, { ...st, row }, p) };
  }
  const next = s.putUnit(row);
  s.emit(w, 'unit_status', next.stationPath, id, publicUnit(s, next));
  return unitView(s, next, p);
}

/** A crew signs in as the unit (mayActFor): only existing accounts of the unit's own station. */
async function checkCrew(db: Db, stationPath: string, userIds: readonly string[] | undefined) {
  const outsider = userIds && (await firstOutsider(db, stationPath, userIds));
  if (outsider) throw new AppError(400, 'invalid_value', { field: 'memberUserIds', detail: `${outsider} is no user of the unit’s station` }, 'memberUserIds');
}

export async function unitShiftList(s: DispatchState, p: Principal, id: string, from?: Date) {
  await s.init();
  s.visible(p, id);
  const rows = await shiftsOf(s.db, id, from ?? new Date(s.now().getTime() - 86_400_000));
  return { items: rows.map(shiftView) };
}

export async function addShiftIn(s: DispatchState, w: Write, p: Principal, id: string, sh: { startsAt: Date; endsAt: Date; note?: string }) {
  const st = s.visible(p, id);
  if (sh.endsAt.getTime() <= sh.startsAt.getTime()) throw new AppError(400, 'invalid_value', { field: 'end', detail: 'the shift must end after it starts' }, 'end');
  if (sh.endsAt.getTime() - sh.startsAt.getTime() > 24 * 3_600_000) throw new AppError(400, 'out_of_range', { field: 'end', detail: 'a shift lasts at most 24 hours' }, 'end');
  const overlap = st.shifts.some((x) => x.startsAt < sh.endsAt && sh.startsAt < x.endsAt);
  if (overlap) throw new AppError(409, 'conflict', { detail: 'the shift overlaps another shift of this unit' }, 'start');
  const [row] = await w.tx
    .insert(unitShifts)
    .values({ id: randomUUID(), unitId: id, day: localDay(sh.startsAt), startsAt: sh.startsAt, endsAt: sh.endsAt, note: sh.note ?? null, createdBy: p.username })
    .returning();
  st.shifts.push({ startsAt: row.startsAt, endsAt: row.endsAt });
  const before = st.row.status;
  await applyRoster(s, w, st, s.now());
  // onDuty changed even when the status did not: other instances re-read the unit and its shifts.
  if (st.row.status === before) s.emit(w, 'unit_status', st.stationPath, st.row.id, publicUnit(s, st));
  return shiftView(row);
}

/** Moves idle units on or off duty as their shifts start and end. */
export async function applyRosterAll(s: DispatchState, now: Date) {
  for (const st of s.state.values()) {
    try {
      if (rosterStatus(st.row.status as UnitStatus, onDuty(st.shifts, now))) await s.writes.run((w) => applyRoster(s, w, st, now));
      else st.shifts = st.shifts.filter((x) => x.endsAt.getTime() > now.getTime() - 86_400_000);
    } catch (err) {
      // Another instance moved the unit first (every instance runs the roster): changeStatus has
      // re-read it; go on with the other units.
      if (!(err instanceof AppError && err.status === 409)) throw err;
    }
  }
}

async function applyRoster(s: DispatchState, w: Write, st: UnitState, now: Date) {
  const to = rosterStatus(st.row.status as UnitStatus, onDuty(st.shifts, now));
  if (to) await changeStatus(s, w, st, to, s.systemPrincipal('roster'), { note: to === 'available' ? '上班（排班）' : '下班（排班）' });
  st.shifts = st.shifts.filter((x) => x.endsAt.getTime() > now.getTime() - 86_400_000);
}

/**
 * Writes a status change (conditional on the status we saw) with its event row, as part of `w`; the
 * unit in memory follows at once and is read again should the write roll back.
 */
export async function changeStatus(s: DispatchState, w: Write, st: UnitState, to: UnitStatus, p: Principal, opts: { note?: string; assignmentId?: string | null; incidentId?: string | null; currentAssignmentId?: string | null } = {}) {
  const now = s.now();
  const from = st.row.status;
  const set: Partial<typeof units.$inferInsert> = { status: to, statusAt: now, updatedAt: now };
  if (opts.currentAssignmentId !== undefined) set.currentAssignmentId = opts.currentAssignmentId;
  const [row] = await w.tx.update(units).set(set).where(and(eq(units.id, st.row.id), eq(units.status, from))).returning();
  if (!row) {
    const [fresh] = await w.tx.select().from(units).where(eq(units.id, st.row.id));
    if (fresh) st.row = fresh;
    st.gen++;
    throw new AppError(409, 'conflict', { detail: `unit status changed meanwhile (now ${st.row.status})` }, 'status');
  }
  await w.tx.insert(unitStatusEvents).values({ unitId: st.row.id, at: now, fromStatus: from, toStatus: to, incidentId: opts.incidentId ?? null, assignmentId: opts.assignmentId ?? null, userId: p.kind === 'user' ? p.id : null, username: p.username, note: opts.note ?? null });
  st.row = row;
  st.gen++;
  s.undoOnRollback(w, st.row.id);
  s.emit(w, 'unit_status', st.stationPath, st.row.id, publicUnit(s, st));
}

export async function statusEvents(s: DispatchState, p: Principal, id: string, limit: number) {
  await s.init();
  s.visible(p, id);
  const rows = await s.db.select().from(unitStatusEvents).where(eq(unitStatusEvents.unitId, id)).orderBy(desc(unitStatusEvents.at), desc(unitStatusEvents.id)).limit(limit);
  return { items: rows.map(statusEventView) };
}
