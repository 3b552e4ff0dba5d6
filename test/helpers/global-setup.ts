/**
 * Decides which databases the suite runs on: always PGlite; PostgreSQL too when it answers at
 * SHOUWANG_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres). On CI PostgreSQL is required.
 */
import pg from 'pg';

export default async function setup({ provide }: { provide: (key: string, value: unknown) => void }) {
  const url = process.env.SHOUWANG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let pgUrl: string | null = null;
  if (process.env.SHOUWANG_TEST_PG !== '0') {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      pgUrl = url;
    } catch (err) {
      if (process.env.CI) throw new Error(`PostgreSQL is required on CI but not reachable at ${url}: ${(err as Error).message}`);
      console.warn(`\n[shouwang tests] PostgreSQL not reachable at ${url}: database tests run on PGlite only.\n`);
    } finally {
      await client.end().catch(() => {});
    }
  }
  provide('pgAdminUrl', pgUrl);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string | null;
  }
}
