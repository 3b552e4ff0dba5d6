/**
 * A migrated database a bench may fill and throw away: a temporary database on the PostgreSQL server of
 * DATABASE_URL (dropped afterwards; its URL is the third argument, for a server in another process), or
 * PGlite in memory when it is unset.
 */
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/client.js';

/**
 * `opts.keep` names a database that is kept afterwards and used again by the next run (created when
 * missing, migrated to the current schema): a bench that fills it for many minutes fills it once.
 */
export async function withScratchDatabase<T>(name: string, fn: (driver: 'postgres' | 'pglite', database: Database, url?: string) => Promise<T>, opts: { poolSize?: number; keep?: string } = {}): Promise<T> {
  const pgUrl = process.env.DATABASE_URL;
  if (!pgUrl) {
    const database = await openDatabase({});
    try {
      await database.migrate();
      return await fn('pglite', database);
    } finally {
      await database.close();
    }
  }
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  if (opts.keep && !/^[a-z][a-z0-9_]{0,40}$/.test(opts.keep)) throw new Error(`not a database name: ${opts.keep}`);
  const db = opts.keep ?? `sw_bench_${name}_${process.pid}`;
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [db])).rowCount;
  if (!exists) await admin.query(`create database ${db}`);
  const u = new URL(pgUrl);
  u.pathname = `/${db}`;
  const database = await openDatabase({ databaseUrl: u.toString(), poolSize: opts.poolSize ?? 5 });
  try {
    await database.migrate();
    return await fn('postgres', database, u.toString());
  } finally {
    await database.close();
    if (!opts.keep) await admin.query(`drop database if exists ${db} with (force)`).catch(() => {});
    await admin.end().catch(() => {});
  }
}
