/** Database access of dispatch that is not a single obvious query: loading state, the track, purging. */
import { and, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { assignments, unitPositions, units, unitShifts } from './schema.js';

export type UnitRow = typeof units.$inferSelect;
export type ShiftRow = typeof unitShifts.$inferSelect;
export type AssignmentRow = typeof assignments.$inferSelect;
export type TrackRow = typeof unitPositions.$inferInsert;

export const ACTIVE_ASSIGNMENT_STATUSES = ['assigned', 'acknowledged', 'en_route', 'on_scene'] as const;

export async function loadUnits(db: Db): Promise<UnitRow[]> {
  return db.select().from(units).where(eq(units.active, true));
}

/** Shifts still running or to come (ended at most a day ago). */
export async function loadShifts(db: Db, now: Date): Promise<ShiftRow[]> {
  return db.select().from(unitShifts).where(gt(unitShifts.endsAt, new Date(now.getTime() - 86_400_000)));
}

/** The latest stored track point of every unit. */
export async function loadLatestPositions(db: Db): Promise<{ unitId: string; at: Date; lon: number; lat: number; speed: number | null; heading: number | null }[]> {
  const res = await db.execute(sql`select distinct on (unit_id) unit_id, at, lon, lat, speed, heading from unit_positions order by unit_id, at desc`);
  const rows = (res as unknown as { rows: Record<string, unknown>[] }).rows ?? (res as unknown as Record<string, unknown>[]);
  return rows.map((r) => ({ unitId: String(r.unit_id), at: new Date(r.at as string), lon: Number(r.lon), lat: Number(r.lat), speed: r.speed === null ? null : Number(r.speed), heading: r.heading === null ? null : Number(r.heading) }));
}

export async function loadActiveAssignments(db: Db): Promise<AssignmentRow[]> {
  return db.select().from(assignments).where(inArray(assignments.status, [...ACTIVE_ASSIGNMENT_STATUSES]));
}

/** Writes track rows in chunks (one multi-row insert per 1,000). */
export async function insertTrack(db: Db, rows: TrackRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await db.insert(unitPositions).values(rows.slice(i, i + 1000));
}

/** Deletes track rows older than the retention; returns how many. */
export async function purgeTrack(db: Db, before: Date): Promise<number> {
  const res = await db.delete(unitPositions).where(lt(unitPositions.at, before)).returning({ id: unitPositions.id });
  return res.length;
}

export async function shiftsOf(db: Db, unitId: string, from: Date): Promise<ShiftRow[]> {
  return db.select().from(unitShifts).where(and(eq(unitShifts.unitId, unitId), gt(unitShifts.endsAt, from))).orderBy(unitShifts.startsAt);
}

export async function unitRow(db: Db, id: string): Promise<UnitRow | undefined> {
  const [r] = await db.select().from(units).where(eq(units.id, id));
  return r;
}


