/** What other modules may ask about accounts: read through here, never from the `users` table. */
import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { orgUnits, users } from '../../db/schema.js';

/**
 * Of these user ids, the first that is not an account of the station (at the station or one of its
 * grids). `db` may be the caller's open transaction.
 */
export async function firstOutsider(db: Db, stationPath: string, userIds: readonly string[]): Promise<string | undefined> {
  if (!userIds.length) return undefined;
  const rows = await db.select({ id: users.id, path: orgUnits.path }).from(users).innerJoin(orgUnits, eq(orgUnits.id, users.unitId)).where(inArray(users.id, [...userIds]));
  const paths = new Map(rows.map((r) => [r.id, r.path]));
  return userIds.find((id) => !paths.get(id)?.startsWith(stationPath));
}

/** Every account with its unit, oldest first (the demo sign-in page lists the demo accounts). */
export async function accountsWithUnits(db: Db) {
  return db.select({ u: users, unit: orgUnits }).from(users).innerJoin(orgUnits, eq(orgUnits.id, users.unitId)).orderBy(asc(users.createdAt));
}

/** Accounts by id, as other modules may show them (no password, no lock-out state). `db` may be an open transaction. */
export async function accountsByIds(db: Db, ids: readonly string[]) {
  if (!ids.length) return [];
  return db.select({ id: users.id, username: users.username, displayName: users.displayName, roles: users.roles, unitId: users.unitId, disabled: users.disabled }).from(users).where(inArray(users.id, [...ids]));
}
