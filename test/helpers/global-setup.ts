/**
 * Decides which databases the suite runs on: always PGlite; PostgreSQL too when it answers at
 * SHOUWANG_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres). On CI PostgreSQL is required.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
  return pgliteTemplates(provide);
}

/**
 * Every PGlite test database starts from an archive made here once per run: migrated, and migrated with
 * the demo city seeded (`freshDatabase`). An empty in-memory PGlite costs initdb (~3 s) plus the
 * migrations (~1 s) plus the seed (~2 s) per database; loading an archive costs under a second.
 * The archives belong to this run (the code under test is this run's) and are removed at its end.
 */
async function pgliteTemplates(provide: (key: string, value: unknown) => void) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shouwang-pglite-templates-'));
  const { openDatabase } = await import('../../src/db/client.js');
  const { seedDemo } = await import('../../src/demo/seed.js');
  const database = await openDatabase({});
  try {
    await database.migrate();
    const write = async (name: string) => {
      const file = path.join(dir, `${name}.tar`);
      fs.writeFileSync(file, Buffer.from(await (await database.dump!()).arrayBuffer()));
      return file;
    };
    const migrated = await write('migrated');
    await seedDemo(database.db);
    const seeded = await write('seeded');
    provide('pgliteTemplates', { migrated, seeded });
  } finally {
    await database.close();
  }
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string | null;
    /** Archives of a migrated PGlite database, without and with the demo city (see pgliteTemplates). */
    pgliteTemplates: { migrated: string; seeded: string } | undefined;
  }
}
