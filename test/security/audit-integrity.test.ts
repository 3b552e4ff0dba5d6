/**
 * Issue 9 C4: one audit row that cannot be stored fails alone, never the rows grouped with it; a write
 * whose audit row fails is not answered as a success; strings the database cannot hold (lone
 * surrogates, NUL) are stored as U+FFFD so that they cannot poison a row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ORIGIN, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { appendAudit, pendingAuditJson, recoverPendingAudit, verifyAudit, type AuditEntry } from '../../src/modules/audit/store.js';
import { rawQuery } from '../../src/db/client.js';
import { auditLog } from '../../src/db/schema.js';
import { eq, inArray } from 'drizzle-orm';

const entry = (i: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({ userId: null, username: `poison-${i}`, roles: [], unitId: 'MO', action: 'test.poison', entity: 'thing', entityId: `p${i}`, outcome: 'success', requestId: null, clientIp: null, detail: { i }, ...extra });

describe.each(testDrivers())('audit integrity on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t?.close());

  it('a row that cannot be written fails alone; the rows grouped with it are committed', async () => {
    const results = await Promise.allSettled([
      ...Array.from({ length: 15 }, (_, i) => appendAudit(t.database.db, entry(i))),
      appendAudit(t.database.db, entry(99, { at: new Date(Number.NaN) })),
      ...Array.from({ length: 15 }, (_, i) => appendAudit(t.database.db, entry(i + 15))),
    ]);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(results[15].status).toBe('rejected');
    const ids = Array.from({ length: 30 }, (_, i) => `p${i}`);
    const rows = await t.database.db.select().from(auditLog).where(inArray(auditLog.entityId, ids));
    expect(rows).toHaveLength(30);
    expect((await verifyAudit(t.database.db)).ok).toBe(true);
  });

  it('lone surrogates and NUL characters do not poison a row: stored as U+FFFD and the chain verifies', async () => {
    const results = await Promise.allSettled([
      appendAudit(t.database.db, entry(200, { username: '\ud800', detail: { name: 'a\udc00b', nul: 'x\u0000y', deep: [{ k: '\ud83d' }] } })),
      ...Array.from({ length: 10 }, (_, i) => appendAudit(t.database.db, entry(201 + i))),
    ]);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const [row] = await t.database.db.select().from(auditLog).where(eq(auditLog.entityId, 'p200'));
    expect(row.username).toBe('\ufffd');
    expect(row.detail).toEqual({ name: 'a\ufffdb', nul: 'x\ufffdy', deep: [{ k: '\ufffd' }] });
    expect((await verifyAudit(t.database.db)).ok).toBe(true);
  });

  it('30 creates beside 10 sign-ins with a lone surrogate: every acknowledged create has its audit row', async () => {
    const calltaker = await t.login('calltaker');
    const creates = Array.from({ length: 30 }, (_, i) =>
      t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: calltaker, payload: { source: 'call110', categoryCode: '01010101', location: { lon: 113.5435, lat: 22.1987 }, description: `c4 ${i}`, caller: { phone: '13800138000' } } }),
    );
    const logins = Array.from({ length: 10 }, () => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: ORIGIN, 'content-type': 'application/json' }, payload: '{"username":"\\ud800","password":"x"}' }));
    const answers = await Promise.all([...creates, ...logins]);
    for (const l of answers.slice(30)) expect(l.statusCode).toBeLessThan(500);
    const created = answers.slice(0, 30).filter((r) => r.statusCode === 201).map((r) => r.json().id as string);
    expect(created).toHaveLength(30);
    const rows = await t.database.db.select().from(auditLog).where(inArray(auditLog.entityId, created));
    expect(new Set(rows.map((r) => r.entityId)).size).toBe(30);
    expect((await verifyAudit(t.database.db)).ok).toBe(true);
  });

  it('H5: an entry a write stored but nobody chained (crash) is chained at the next start, once', async () => {
    const db = t.database.db;
    const stored = (key: string, i: number) => rawQuery(db, 'insert into audit_pending (request_key, entry) values ($1, $2::jsonb)', [key, pendingAuditJson(entry(i, { at: new Date() }))]);
    await stored('crash-1', 301);
    await stored('crash-2', 302);
    expect(await recoverPendingAudit(db)).toBe(2);
    const rows = await db.select().from(auditLog).where(inArray(auditLog.entityId, ['p301', 'p302']));
    expect(rows).toHaveLength(2);
    expect(rows[0].detail).toMatchObject({ recovered: true });
    // The writer that stored crash-1 was alive after all (another instance): its late append is not a second row.
    await appendAudit(db, { ...entry(301), pendingKey: 'crash-1' });
    expect(await db.select().from(auditLog).where(eq(auditLog.entityId, 'p301'))).toHaveLength(1);
    // The usual way: the writer chains its own entry and the pending copy goes in the same statement.
    await stored('live-1', 303);
    await appendAudit(db, { ...entry(303), pendingKey: 'live-1' });
    expect(await rawQuery(db, 'select 1 from audit_pending')).toHaveLength(0);
    expect(await recoverPendingAudit(db)).toBe(0);
    expect(await db.select().from(auditLog).where(eq(auditLog.entityId, 'p303'))).toHaveLength(1);
    expect((await verifyAudit(db)).ok).toBe(true);
  });
});
