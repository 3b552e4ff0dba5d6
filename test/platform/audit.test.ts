import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { appendAudit, verifyAudit } from '../../src/modules/audit/store.js';
import type { Db } from '../../src/db/client.js';
import { auditLog } from '../../src/db/schema.js';
import { rowHash } from '../../src/modules/audit/chain.js';
import { eq } from 'drizzle-orm';

/** Tampering needs the append-only trigger out of the way, as a database superuser could do. */
async function tamper(db: Db, statement: ReturnType<typeof sql>) {
  await db.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
  try {
    await db.execute(statement);
  } finally {
    await db.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
  }
}

const entry = (i: number) => ({ userId: null, username: `u${i}`, roles: ['admin'], unitId: 'MO', action: 'test.write', entity: 'thing', entityId: String(i), outcome: 'success', requestId: `r${i}`, clientIp: '127.0.0.1', detail: { i, nested: { b: 2, a: 1 } } });

describe.each(testDrivers())('audit log on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t?.close());

  it('records sign-ins (success and failure), writes and reads of the log itself', async () => {
    const admin = await t.login('admin');
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'nope' }, headers: { origin: 'http://localhost:80' } });
    await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { name: 'gw', scopes: ['org:read'], unitId: 'MO' } });
    const res = await t.app.inject({ url: '/api/v1/audit?limit=20', headers: admin });
    expect(res.statusCode).toBe(200);
    const actions = res.json().items.map((r: { action: string; outcome: string }) => `${r.action}:${r.outcome}`);
    expect(actions).toContain('auth.login:success');
    expect(actions).toContain('auth.login:failure');
    expect(actions).toContain('token.create:success');
    const again = await t.app.inject({ url: '/api/v1/audit?limit=5', headers: admin });
    expect(again.json().items[0]).toMatchObject({ action: 'audit.search', username: 'admin', entity: 'audit_log', outcome: 'success' });
    expect(again.json().items[0].requestId).toBeTruthy();
  });

  it('verifies an intact chain and counts its rows', async () => {
    for (let i = 0; i < 20; i++) await appendAudit(t.database.db, entry(i));
    const r = await verifyAudit(t.database.db);
    expect(r.ok).toBe(true);
    const res = (await t.database.db.execute(sql`select count(*)::int as n from audit_log`)) as unknown as { rows: { n: number }[] };
    const n = res.rows[0].n;
    expect(r.rows).toBe(Number(n));
  });

  it('the database refuses UPDATE and DELETE on the log', async () => {
    await expect(t.database.db.execute(sql`update audit_log set outcome = 'x' where seq = 1`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`delete from audit_log where seq = 1`)).rejects.toThrow();
  });

});

describe.each(testDrivers())('audit tampering on %s', (driver) => {
  /** A fresh log of n rows for each case, so the cases do not disturb one another. */
  async function withLog(n: number, fn: (db: Db) => Promise<void>) {
    const t = await createTestApp(driver, { seed: false, roads: false });
    try {
      for (let i = 0; i < n; i++) await appendAudit(t.database.db, entry(i));
      expect((await verifyAudit(t.database.db)).ok).toBe(true);
      await fn(t.database.db);
    } finally {
      await t.close();
    }
  }

  it('names the first changed row', () =>
    withLog(10, async (db) => {
      await tamper(db, sql`update audit_log set username = 'mallory' where seq = 5`);
      expect(await verifyAudit(db)).toMatchObject({ ok: false, firstBadSeq: 5 });
    }));

  it('detects a changed row whose own hash was recomputed: the next link breaks', () =>
    withLog(10, async (db) => {
      const [row] = (await db.select().from(auditLog).where(eq(auditLog.seq, 7)));
      const forged = { ...row, seq: Number(row.seq), outcome: 'failure' };
      const hash = rowHash(forged, row.prevHash);
      await tamper(db, sql`update audit_log set outcome = 'failure', hash = ${hash} where seq = 7`);
      const r = await verifyAudit(db);
      expect(r).toMatchObject({ ok: false, firstBadSeq: 8 });
      if (!r.ok) expect(r.reason).toContain('row 7');
    }));

  it('names a removed middle row', () =>
    withLog(10, async (db) => {
      await tamper(db, sql`delete from audit_log where seq = 4`);
      expect(await verifyAudit(db)).toMatchObject({ ok: false, firstBadSeq: 4 });
    }));

  it('detects rows removed from the end through the chain head', () =>
    withLog(6, async (db) => {
      await tamper(db, sql`delete from audit_log where seq >= 5`);
      expect(await verifyAudit(db)).toMatchObject({ ok: false, firstBadSeq: 5 });
    }));
});

describe('audit log written by two server instances at once (postgres)', () => {
  it('keeps one gap-free chain: each instance chains onto its own last head and falls back to the lock when the other moved it', async () => {
    const { freshDatabase } = await import('../helpers/db.js');
    const { openDatabase } = await import('../../src/db/client.js');
    if (!testDrivers().includes('postgres')) return;
    const a = await freshDatabase('postgres');
    const b = await openDatabase({ databaseUrl: a.url!, poolSize: 3 });
    try {
      const appends: Promise<number>[] = [];
      for (let round = 0; round < 30; round++) {
        for (let i = 0; i < 5; i++) appends.push(appendAudit(a.db, entry(round * 10 + i)), appendAudit(b.db, entry(round * 10 + 5 + i)));
        if (round % 3 === 0) await Promise.all(appends);
      }
      const seqs = await Promise.all(appends);
      expect(new Set(seqs).size).toBe(300);
      expect(Math.max(...seqs)).toBe(300);
      expect(await verifyAudit(a.db)).toMatchObject({ ok: true, rows: 300, lastSeq: 300 });
    } finally {
      await b.close();
      await a.close();
    }
  });
});
