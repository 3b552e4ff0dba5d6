/** Every database test runs on both drivers; each run gets its own PostgreSQL database. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database, type Driver } from '../../src/db/client.js';

export function testDrivers(): Driver[] {
  return inject('pgAdminUrl') ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestDatabase extends Database {
  /** Connection URL of the throwaway PostgreSQL database (postgres driver only). */
  url?: string;
  /** Whether the demo city is already in it (asked for with `seeded`, and PGlite had the run's archive). */
  seeded?: boolean;
}

/** This run's PGlite archive (see global-setup.ts), or none when the file runs without the set-up. */
function pgliteTemplate(seeded: boolean): Blob | null {
  if (process.env.SHOUWANG_TEST_TEMPLATES === '0') return null;
  let files: { migrated: string; seeded: string } | undefined;
  try {
    files = inject('pgliteTemplates');
  } catch {
    return null;
  }
  const file = files?.[seeded ? 'seeded' : 'migrated'];
  return file && fs.existsSync(file) ? new Blob([fs.readFileSync(file)]) : null;
}

/**
 * A fresh, migrated database: in-memory PGlite, or a new PostgreSQL database dropped on close. With
 * `seeded`, PGlite may come with the demo city already in it (`seeded: true` on the answer): the caller
 * seeds only when it is not.
 */
export async function freshDatabase(driver: Driver, opts: { seeded?: boolean } = {}): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const template = pgliteTemplate(!!opts.seeded);
    if (template) return { ...(await openDatabase({ loadDataDir: template })), seeded: !!opts.seeded };
    const d = await openDatabase({});
    await d.migrate();
    return d;
  }
  const adminUrl = inject('pgAdminUrl');
  if (!adminUrl) throw new Error('PostgreSQL not available');
  const name = `sw_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const d = await openDatabase({ databaseUrl: u.toString(), poolSize: 5 });
  await d.migrate();
  return {
    ...d,
    url: u.toString(),
    close: async () => {
      await d.close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
