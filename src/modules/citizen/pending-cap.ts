/**
 * The per-citizen caps on unattached uploads (photos, videos) made exact. The early count before an
 * upload only spares the work; the row itself is inserted under a per-citizen advisory lock after a
 * second count in the same transaction, so uploads sent at the same moment cannot pass the cap together.
 * A loser's stored files are removed by the caller.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';

/** Runs `insert` only when `pending` (a count query) is below `cap`; answers whether it did. */
export async function insertWithinCap(db: Db, lockKey: string, pending: SQL, cap: number, insert: (tx: Db) => Promise<unknown>): Promise<boolean> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await t.execute(sql`select pg_advisory_xact_lock(hashtext(${lockKey}))`);
    const [row] = await queryRows<{ n: number }>(t, pending);
    if (Number(row?.n ?? 0) >= cap) return false;
    await insert(t);
    return true;
  });
}
