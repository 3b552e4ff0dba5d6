/**
 * What the media module (body-cam linkage, issue 14 part 4) reads of dispatch, through the dispatch
 * index: the assignments an officer worked in a time interval, and the 110 responses (assignments that
 * reached the scene) of a jurisdiction in a period. Reads only.
 */
import { and, gte, isNotNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { unitScope, type Principal } from '../../core/access.js';
import { assignments, unitStatusEvents, units } from './schema.js';

export interface CrewAssignment {
  id: string;
  incidentId: string;
  unitId: string;
  stationId: string;
  assignedAt: Date;
  onSceneAt: Date | null;
  /** Cleared or cancelled; null while running. */
  endedAt: Date | null;
}

const view = (r: typeof assignments.$inferSelect): CrewAssignment => ({ id: r.id, incidentId: r.incidentId, unitId: r.unitId, stationId: r.stationId, assignedAt: r.assignedAt, onSceneAt: r.onSceneAt, endedAt: r.clearedAt ?? r.cancelledAt ?? null });

/**
 * Assignments whose window (dispatched → cleared or cancelled, open while running) overlaps [from, to],
 * of a unit the officer crews (units.member_user_ids) or on which the officer reported a status.
 */
export async function crewAssignments(db: Db, userId: string, from: Date, to: Date): Promise<CrewAssignment[]> {
  const rows = await db
    .select()
    .from(assignments)
    .where(
      and(
        lte(assignments.assignedAt, to),
        sql`coalesce(${assignments.clearedAt}, ${assignments.cancelledAt}, 'infinity'::timestamptz) >= ${from}`,
        or(
          sql`${assignments.unitId} in (select ${units.id} from ${units} where ${userId} = any(${units.memberUserIds}))`,
          sql`${assignments.id} in (select ${unitStatusEvents.assignmentId} from ${unitStatusEvents} where ${unitStatusEvents.userId} = ${userId} and ${unitStatusEvents.at} >= ${new Date(from.getTime() - 86_400_000)} and ${unitStatusEvents.at} <= ${new Date(to.getTime() + 86_400_000)})`,
        ),
      ),
    )
    .limit(500);
  return rows.map(view);
}

/** The 110 responses of a jurisdiction: assignments that reached the scene in [from, to). */
export async function onSceneAssignments(db: Db, scope: Pick<Principal, 'unitPath'>, from: Date, to: Date): Promise<CrewAssignment[]> {
  const rows = await db
    .select()
    .from(assignments)
    .where(and(isNotNull(assignments.onSceneAt), gte(assignments.onSceneAt, from), lt(assignments.onSceneAt, to), unitScope(scope as Principal, assignments.stationId)))
    .limit(100_000);
  return rows.map(view);
}

/** One assignment by id (for a no-recording reason on a 110 response), or null. */
export async function assignmentById(db: Db, id: string): Promise<CrewAssignment | null> {
  const [r] = await db.select().from(assignments).where(sql`${assignments.id} = ${id}`);
  return r ? view(r) : null;
}
