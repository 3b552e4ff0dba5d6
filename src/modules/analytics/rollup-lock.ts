/**
 * The rollup writers' lock (migration 0035). Every transaction writing the rollups (rounds, merges, a
 * rebuild's months, the tiers counted again) runs repeatable read and takes this lock as its first
 * statement: a table lock is taken before the transaction's snapshot, so each writer sees everything the
 * previous one committed, and all of its reads — the deltas it deletes, the incidents it recounts — agree
 * with one another. (An advisory lock is taken inside a query, after the snapshot was.)
 *
 * EXCLUSIVE for rounds and everything else; SHARE for a rebuild's months, which touch disjoint rows and
 * may run side by side. Writers of incidents never wait: their triggers' inserts take ROW EXCLUSIVE, which
 * neither mode blocks.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

export async function takeRollupLock(t: Db, mode: 'exclusive' | 'share' = 'exclusive'): Promise<void> {
  await t.execute(sql.raw('set transaction isolation level repeatable read'));
  await t.execute(sql.raw(`lock table analytics_rollup_lock in ${mode === 'share' ? 'share' : 'exclusive'} mode`));
}
