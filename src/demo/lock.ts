/**
 * Start-up work that several instances starting at once against one PostgreSQL database must not do
 * side by side (creating the demo city, its units and its address registry on an empty database).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';

export const STARTUP_LOCK = 7_110_200;

/**
 * Runs `fn` while holding a PostgreSQL advisory lock, so that a second instance waits and then finds the
 * work done. The lock is held by a transaction on a connection of its own (`fn` uses the pool as usual)
 * and is released when `fn` ends — or when the process dies, with its connection. On PGlite (one process
 * per data folder, one connection) `fn` simply runs.
 */
export async function underStartupLock<T>(database: Database, fn: () => Promise<T>, key = STARTUP_LOCK): Promise<T> {
  if (database.driver !== 'postgres') return fn();
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  let failed!: (err: unknown) => void;
  const acquired = new Promise<void>((resolve, reject) => {
    locked = resolve;
    failed = reject;
  });
  const holder = database.db
    .transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${key})`);
      locked();
      await released;
    })
    .catch((err: unknown) => failed(err)); // before the lock: fn must not run; after: too late to matter
  await acquired;
  try {
    return await fn();
  } finally {
    release();
    await holder;
  }
}
