/** The organisation tree in the database; every read is limited to the principal's jurisdiction. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { orgUnits, users } from '../../db/schema.js';
import { coversUnit, underPath, unitScope, type Principal } from '../../core/access.js';
import { AppError, notFound } from '../../core/errors.js';

export const UNIT_KINDS = ['bureau', 'branch', 'station', 'grid'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** Which kind of unit may sit under which. */
const CHILD_OF: Record<UnitKind, UnitKind | null> = { bureau: null, branch: 'bureau', station: 'branch', grid: 'station' };

export type UnitRow = typeof orgUnits.$inferSelect;

export function unitSummary(u: UnitRow) {
  return { id: u.id, parentId: u.parentId, kind: u.kind, code: u.code, name: u.name, path: u.path };
}

export async function listUnits(db: Db, p: Principal) {
  return db.select().from(orgUnits).where(unitScope(p, orgUnits.id)).orderBy(asc(orgUnits.path));
}

export async function getUnit(db: Db, p: Principal, id: string): Promise<UnitRow> {
  const [u] = await db.select().from(orgUnits).where(eq(orgUnits.id, id));
  // Outside the jurisdiction looks the same as absent: no probing of other stations' ids.
  if (!u || !coversUnit(p, u.path)) throw notFound('org_unit');
  return u;
}

export async function countUsersUnder(db: Db, unit: UnitRow): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)` })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.unitId))
    .where(underPath(orgUnits.path, unit.path));
  return Number(r.n);
}

export interface NewUnit {
  id?: string;
  parentId: string | null;
  kind: UnitKind;
  code: string;
  name: string;
  polygon?: unknown;
}

export async function insertUnit(db: Db, input: NewUnit, parent: UnitRow | null): Promise<UnitRow> {
  const expectedParentKind = CHILD_OF[input.kind];
  if (expectedParentKind === null ? parent !== null : parent?.kind !== expectedParentKind) {
    throw new AppError(400, 'invalid_value', { field: 'parentId', detail: expectedParentKind ? `a ${input.kind} must sit under a ${expectedParentKind}` : 'a bureau has no parent' }, 'parentId');
  }
  const [dup] = await db.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.code, input.code));
  if (dup) throw new AppError(409, 'duplicate', { field: 'code' }, 'code');
  const id = input.id ?? input.code;
  const row = { id, parentId: parent?.id ?? null, kind: input.kind, code: input.code, name: input.name, path: `${parent?.path ?? '/'}${id}/`, polygon: input.polygon ?? null };
  const [created] = await db.insert(orgUnits).values(row).returning();
  return created;
}

export async function rootUnit(db: Db): Promise<UnitRow | undefined> {
  const [u] = await db.select().from(orgUnits).where(and(eq(orgUnits.kind, 'bureau'))).orderBy(asc(orgUnits.createdAt)).limit(1);
  return u;
}
