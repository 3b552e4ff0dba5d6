/**
 * A temporary table of the caller's transaction (rounds and rebuild months: saved rows, net changes, a
 * batch of deltas, a month's incidents). Dropped first: the name may be left from an earlier step of the
 * same transaction; dropped again at commit.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

export async function transactionTable(t: Db, name: string, as: SQL): Promise<void> {
  await t.execute(sql.raw(`drop table if exists ${name}`));
  await t.execute(sql`create temp table ${sql.raw(name)} on commit drop as ${as}`);
}
