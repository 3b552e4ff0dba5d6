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
  /** PGlite only: the whole database as one archive, to start others from (`OpenOptions.loadDataDir`). */
  dump?(): Promise<Blob>;
  close(): Promise<void>;
}

const MIGRATION_LOCK = 7_110_110;
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data folder; omitted = in memory (tests). */
  dataDir?: string;
  /** PGlite in memory only: start from this archive (`Database.dump`) instead of an empty cluster (tests: ~1 s instead of ~3 s for initdb plus the migrations). */
  loadDataDir?: Blob;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  return openPglite(opts.dataDir, opts.loadDataDir);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pg = (await import('pg')).default;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  // No JIT: our statements are short, and their row estimates (a range join per stale hour) are often far too
  // high, so Postgres compiled them — measured: 348 ms of JIT in a 1.3 s rollup recount of 148 hours.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c jit=off' });
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

async function openPglite(dataDir?: string, loadDataDir?: Blob): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  let dir: string | undefined;
  if (dataDir) {
    dir = path.join(dataDir, 'pglite');
    fs.mkdirSync(dir, { recursive: true });
  }
  const client = dir ? new PGlite(dir) : loadDataDir ? new PGlite({ loadDataDir }) : new PGlite();
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
    dump: () => client.dumpDataDir('none'),
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

type Querier = { query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }> };

/** Whether the database is the embedded PGlite (one connection in this process) rather than a pool. */
export function isEmbedded(db: Db): boolean {
  return !('totalCount' in (db as unknown as { $client: object }).$client);
}

/** A value as an SQL literal, for EXECUTE (PGlite): strings quoted (standard_conforming_strings), numbers as they are. */
function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError(`not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const text = v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : JSON.stringify(v);
  if (text.includes('\u0000')) throw new RangeError('NUL character in a parameter');
  return `'${text.replaceAll("'", "''")}'`;
}

const preparedOnPglite = new WeakMap<object, Set<string>>();

/**
 * A named statement on PGlite: PGlite's API has no named statements, so it is PREPAREd once in its single
 * session and run with EXECUTE and literal arguments. Planning a large statement costs PGlite (WebAssembly)
 * several milliseconds: this saves it on every call. Every `$n` in `text` must have its type given
 * (a cast, or a column or function it feeds).
 */
async function pgliteNamed(owner: object, q: Querier, name: string, text: string, params: unknown[] = []): Promise<unknown[]> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new RangeError(`bad statement name: ${name}`);
  let names = preparedOnPglite.get(owner);
  if (!names) {
    preparedOnPglite.set(owner, (names = new Set()));
    // Plan once: the same plan serves every batch (the rows come in one JSON parameter).
    await q.query('set plan_cache_mode = force_generic_plan');
  }
  if (!names.has(name)) {
    try {
      await q.query(`prepare ${name} as ${text}`);
    } catch (e) {
      if ((e as { code?: string }).code !== '42P05') throw e; // already prepared (by a call that failed later)
    }
    names.add(name);
  }
  const args = params.length ? `(${params.map(sqlLiteral).join(', ')})` : '';
  return (await q.query(`execute ${name}${args}`)).rows;
}

/**
 * A transaction of hand-written SQL on either driver, for hot write paths where building each
 * statement through the query builder costs more than the database does (incident creates).
 */
export async function rawTransaction<T>(db: Db, fn: (query: RawQuery) => Promise<T>): Promise<T> {
  const client = (db as unknown as { $client: PgPoolLike | PgliteLike }).$client;
  if (isEmbedded(db)) {
    // PGlite: one connection; its transaction() holds it exclusively.
    return (client as PgliteLike).transaction((tx) => fn(async (text, params, name) => (name ? await pgliteNamed(client, tx, name, text, params) : (await tx.query(text, params)).rows) as never));
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
 * One raw statement outside a transaction, on either driver. With a `name` it is parsed and planned
 * once (PostgreSQL: per pooled connection; PGlite: once for its one session), so the text must never
 * change under that name.
 */
export async function rawQuery<T = Record<string, unknown>>(db: Db, text: string, params?: unknown[], name?: string): Promise<T[]> {
  const client = (db as unknown as { $client: { query(q: string | { name: string; text: string; values?: unknown[] }, params?: unknown[]): Promise<{ rows: unknown[] }> } }).$client;
  if (!name) return (await client.query(text, params)).rows as T[];
  if (!isEmbedded(db)) return (await client.query({ name, text, values: params })).rows as T[];
  return (await pgliteNamed(client, client as Querier, name, text, params)) as T[];
}
