/** Every database test runs on both drivers; each run gets its own PostgreSQL database. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database, type Driver } from '../../src/db/client.js';

export function testDrivers(): Driver[] {
  return inject('pgAdminUrl') ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestDatabase extends Database {
  /** Connection URL of the throwaway PostgreSQL database (postgres driver only). */
  url?: string;
}

/** A fresh, migrated database: in-memory PGlite, or a new PostgreSQL database dropped on close. */
export async function freshDatabase(driver: Driver): Promise<TestDatabase> {
  if (driver === 'pglite') {
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
