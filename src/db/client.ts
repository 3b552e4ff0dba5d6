/**
 * Opens the database: embedded PGlite (default, data in a local folder) or PostgreSQL (DATABASE_URL,
 * with a connection pool). Both speak the same SQL and use the same Drizzle schema and migrations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Driver = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  driver: Driver;
  /** Where the data lives, for messages (folder or URL without password). */
  location: string;
  ping(): Promise<void>;
  /** Applies the checked-in SQL migrations (serialised across instances on PostgreSQL). */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const MIGRATION_LOCK = 7_110_110;
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data folder; omitted = in memory (tests). */
  dataDir?: string;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  return openPglite(opts.dataDir);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pg = (await import('pg')).default;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // A dropped connection must not crash the process; the pool replaces it on the next query.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema }) as unknown as Db;
  return {
    db,
    driver: 'postgres',
    location: url.replace(/:\/\/([^:@/]+):[^@]*@/, '://$1:***@'),
    ping: async () => void (await pool.query('select 1')),
    migrate: async () => {
      const { migrate: run } = await import('drizzle-orm/node-postgres/migrator');
      // Several instances may start at once: one advisory lock on a dedicated connection serialises them.
      const lockClient = await pool.connect();
      try {
        await lockClient.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await run(db as never, { migrationsFolder: MIGRATIONS_DIR });
      } finally {
        await lockClient.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
        lockClient.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir?: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  let dir: string | undefined;
  if (dataDir) {
    dir = path.join(dataDir, 'pglite');
    fs.mkdirSync(dir, { recursive: true });
  }
  const client = dir ? new PGlite(dir) : new PGlite();
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    location: dir ?? 'memory',
    ping: async () => void (await client.query('select 1')),
    migrate: async () => {
      const { migrate: run } = await import('drizzle-orm/pglite/migrator');
      await run(db as never, { migrationsFolder: MIGRATIONS_DIR });
    },
    close: () => client.close(),
  };
}

/** Rows of a raw query, for both drivers. */
export async function queryRows<T = Record<string, unknown>>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

/** Runs one parameterised statement and answers its rows (driver-native values: Date, number, object). */
export type RawQuery = <T = Record<string, unknown>>(text: string, params?: unknown[], name?: string) => Promise<T[]>;

interface PgPoolLike {
  connect(): Promise<{ query(q: string | { name: string; text: string; values?: unknown[] }, params?: unknown[]): Promise<{ rows: unknown[] }>; release(err?: Error | boolean): void }>;
}
interface PgliteLike {
  transaction<T>(fn: (tx: { query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }> }) => Promise<T>): Promise<T>;
}

/**
 * A transaction of hand-written SQL on either driver, for hot write paths where building each
 * statement through the query builder costs more than the database does (incident creates).
 */
export async function rawTransaction<T>(db: Db, fn: (query: RawQuery) => Promise<T>): Promise<T> {
  const client = (db as unknown as { $client: PgPoolLike | PgliteLike }).$client;
  if (!('totalCount' in client)) {
    // PGlite: one connection; its transaction() holds it exclusively.
    return (client as PgliteLike).transaction((tx) => fn(async (text, params) => (await tx.query(text, params)).rows as never));
  }
  const conn = await (client as PgPoolLike).connect();
  try {
    await conn.query('begin');
    const result = await fn(async (text, params, name) => (await (name ? conn.query({ name, text, values: params }) : conn.query(text, params))).rows as never);
    await conn.query('commit');
    conn.release();
    return result;
  } catch (e) {
    await conn.query('rollback').then(
      () => conn.release(),
      (err: Error) => conn.release(err), // a broken connection is not returned to the pool
    );
    throw e;
  }
}

/**
 * One raw statement outside a transaction, on either driver. With a `name`, PostgreSQL parses and plans
 * it once per connection (a prepared statement); the text must then never change under that name.
 * PGlite has no named statements over its API and ignores the name.
 */
export async function rawQuery<T = Record<string, unknown>>(db: Db, text: string, params?: unknown[], name?: string): Promise<T[]> {
  const client = (db as unknown as { $client: { query(q: string | { name: string; text: string; values?: unknown[] }, params?: unknown[]): Promise<{ rows: unknown[] }> } }).$client;
  if (name && 'totalCount' in client) return (await client.query({ name, text, values: params })).rows as T[];
  return (await client.query(text, params)).rows as T[];
}
