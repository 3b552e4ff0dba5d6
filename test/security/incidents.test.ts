/**
 * Issue 9, intake side: dates that parse but cannot be stored (H2, M2), one incident per 12345 order
 * under concurrency (H3), 12345 outcomes scoped to the jurisdiction (M4), station codes with `_`/`-`
 * (M6), caller data masked in lists and named in the audit log when read (M7), stable paging (M10),
 * and follow-ups (callbacks, transfer answers) recorded once under concurrent posts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq, sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { leafCategories } from '../../src/modules/incidents/domain/categories.js';
import { localDayCompact } from '../../src/modules/incidents/domain/numbering.js';
import { createApiToken } from '../../src/modules/auth/service.js';
import { createUserFromCli } from '../../src/modules/users/bootstrap.js';
import { auditLog, incidentEvents, incidents } from '../../src/db/schema.js';
import { INSTANT_PATTERN } from '../../src/core/typebox.js';

const stations = demoOrganisation().filter((u) => u.kind === 'station');
const [stationA, stationB] = [stations[0], stations[stations.length - 1]];
const [lon, lat] = stationA.center!;
const fight = leafCategories().find((c) => c.code.startsWith('02'))!;
const UNSTORABLE = ['2016-12-31T23:59:60Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59-14:00', '2020-01-01T00:00:00+08'];
const PASSWORD = 'shouwang-test-9';

type Item = { id: string; caller: { name: string | null; phone: string | null } };
const isMasked = (c: Item['caller']) => (c.name === null || /^.\*\*$/u.test(c.name)) && (c.phone === null || c.phone.includes('*'));

describe.each(testDrivers())('intake security (issue 9) on %s', (driver) => {
  let t: TestApp;
  let calltaker: Record<string, string>;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(driver);
    [calltaker, admin] = await Promise.all([t.login('calltaker'), t.login('admin')]);
  });
  afterAll(() => t?.close());

  const create = (body: Record<string, unknown>, headers: Record<string, string> = calltaker) =>
    t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers, payload: { source: 'call110', categoryCode: fight.code, description: '有人在街上打架', location: { lon, lat }, ...body } });
  const countWhere = async (cond: ReturnType<typeof eq>) => Number((await t.database.db.select({ n: sql<number>`count(*)` }).from(incidents).where(cond))[0].n);
  const stationUser = async (username: string, roles: string[], unitCode: string) => {
    await createUserFromCli(t.database.db, { username, displayName: username, password: PASSWORD, roles, unitCode });
    return t.login(username, PASSWORD);
  };
  const lastAudit = async (action: string) => (await t.database.db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.seq)).limit(1))[0];

  describe('H2/M2 dates', () => {
    it('an unstorable callStartedAt is a 400 naming the field, before anything is written, even with one Idempotency-Key', async () => {
      const headers = { ...calltaker, 'idempotency-key': 'leap-second' };
      for (let i = 0; i < 3; i++) {
        const res = await create({ description: '闰秒测试', callStartedAt: '2016-12-31T23:59:60Z' }, headers);
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().error.field).toBe('callStartedAt');
      }
      expect(await countWhere(eq(incidents.description, '闰秒测试'))).toBe(0);
    });

    it('every date field of every route refuses what cannot be stored with a 400 naming it', async () => {
      for (const bad of UNSTORABLE) {
        for (const field of ['callStartedAt', 'answeredAt']) {
          const res = await create({ [field]: bad });
          expect(res.statusCode, `${field}=${bad}: ${res.body}`).toBe(400);
          expect(res.json().error.field).toBe(field);
        }
        const q = encodeURIComponent(bad);
        for (const [url, field, headers] of [
          [`/api/v1/incidents?from=${q}`, 'from', calltaker],
          [`/api/v1/incidents?to=${q}`, 'to', calltaker],
          [`/api/v1/audit?from=${q}`, 'from', admin],
          [`/api/v1/audit?to=${q}`, 'to', admin],
          [`/api/v1/units/MO0101-1/shifts?from=${q}`, 'from', calltaker],
        ] as const) {
          const res = await t.app.inject({ url, headers });
          expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
          expect(res.json().error.field).toBe(field);
        }
      }
    });

    it('ordinary instants are still accepted and kept', async () => {
      const res = await create({ callStartedAt: '2024-02-29T10:00:00+08:00', answeredAt: '2024-02-29T10:00:05.25Z' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().times).toMatchObject({ callStartedAt: '2024-02-29T02:00:00.000Z', answeredAt: '2024-02-29T10:00:05.250Z' });
      const list = await t.app.inject({ url: `/api/v1/incidents?from=${encodeURIComponent('2000-01-01T00:00:00+08:00')}&to=2199-12-31T23:59:59Z&limit=1`, headers: calltaker });
      expect(list.statusCode, list.body).toBe(200);
    });

    it('one date type: every date-time in the API description carries the shared bounds', () => {
      const found: string[] = [];
      const walk = (node: unknown, path: string) => {
        if (!node || typeof node !== 'object') return;
        const o = node as Record<string, unknown>;
        if (o.format === 'date-time') {
          found.push(path);
          expect(o.pattern, path).toBe(INSTANT_PATTERN);
        }
        for (const [k, v] of Object.entries(o)) walk(v, `${path}/${k}`);
      };
      walk((t.app as unknown as { swagger(): unknown }).swagger(), '');
      expect(found.length).toBeGreaterThanOrEqual(8);
    });
  });

  describe('12345 orders', () => {
    let tokenA: string;
    let tokenB: string;
    let bureauToken: string;
    beforeAll(async () => {
      const mk = async (unitId: string) => (await createApiToken(t.database.db, { name: `12345 ${unitId}`, scopes: ['hotline12345'], unitId, createdBy: null })).token;
      [tokenA, tokenB, bureauToken] = await Promise.all([mk(stationA.code), mk(stationB.code), mk('MO')]);
    });
    const order = (token: string, ref: string, at = stationB.center!) =>
      t.app.inject({ method: 'POST', url: '/api/v1/hotline/orders', headers: { authorization: `Bearer ${token}` }, payload: { externalRef: ref, description: '群众反映有人在小区内聚众赌博', location: { lon: at[0], lat: at[1] } } });
    const outcome = (headers: Record<string, string>, ref: string) => t.app.inject({ url: `/api/v1/hotline/orders/${ref}`, headers });

    it('H3: 20 concurrent posts of one order make one incident; the others hear about that one', async () => {
      const res = await Promise.all(Array.from({ length: 20 }, () => order(bureauToken, 'WO-RACE')));
      for (const r of res) expect([200, 201], r.body).toContain(r.statusCode);
      expect(res.filter((r) => r.statusCode === 201)).toHaveLength(1);
      expect(new Set(res.map((r) => r.json().incidentId)).size).toBe(1);
      expect(await countWhere(eq(incidents.externalRef, 'WO-RACE'))).toBe(1);
    });

    it('M4: another station’s order outcome is not found, by reading it or by posting its reference again', async () => {
      expect((await order(tokenB, 'WO-B1')).statusCode).toBe(201);
      expect((await outcome({ authorization: `Bearer ${tokenB}` }, 'WO-B1')).statusCode).toBe(200);
      expect((await outcome(admin, 'WO-B1')).statusCode).toBe(200); // the bureau
      const readers = [{ authorization: `Bearer ${tokenA}` }, await stationUser('ct-a', ['calltaker'], stationA.code), await stationUser('disp-a', ['dispatcher'], stationA.code), await stationUser('admin-a', ['admin'], stationA.code)];
      for (const headers of readers) {
        const res = await outcome(headers, 'WO-B1');
        expect(res.statusCode, res.body).toBe(404);
        expect(res.body).not.toContain('"number"');
      }
      const again = await order(tokenA, 'WO-B1');
      expect(again.statusCode, again.body).toBe(409);
      expect(again.json().error.field).toBe('externalRef');
      expect(again.body).not.toMatch(/"(status|number|incidentId)"/);
      expect(await countWhere(eq(incidents.externalRef, 'WO-B1'))).toBe(1);
      // The gateway that sent an order follows it, wherever the incident lies.
      expect((await order(tokenA, 'WO-A-in-B')).statusCode).toBe(201);
      expect((await outcome({ authorization: `Bearer ${tokenA}` }, 'WO-A-in-B')).json()).toMatchObject({ externalRef: 'WO-A-in-B', status: 'new' });
    });
  });

  it('M6: a station whose code has "_" and "-" numbers its incidents', async () => {
    const st = await t.app.inject({ method: 'POST', url: '/api/v1/org/units', headers: admin, payload: { parentId: 'MO01', kind: 'station', code: 'RT_X-1', name: '测试派出所' } });
    expect(st.statusCode, st.body).toBe(201);
    const res = await create({ location: undefined, stationId: st.json().id });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().number).toBe(`JRT_X-1${localDayCompact(new Date())}0001`);
  });

  it('M5 (duplicate panel): a station code with "_" is not a wildcard over other stations', async () => {
    for (const code of ['RT_Y', 'RTZY']) expect((await t.app.inject({ method: 'POST', url: '/api/v1/org/units', headers: admin, payload: { parentId: 'MO01', kind: 'station', code, name: code } })).statusCode).toBe(201);
    const other = await create({ stationId: 'RTZY', description: '通配符测试' });
    expect(other.json().stationId).toBe('RTZY');
    const chiefY = await stationUser('chief-rt-y', ['chief'], 'RT_Y');
    const dups = await t.app.inject({ url: `/api/v1/incidents/duplicates?categoryCode=${fight.code}&lon=${lon}&lat=${lat}`, headers: chiefY });
    expect(dups.statusCode).toBe(200);
    expect(dups.json().items.map((i: Item) => i.id)).not.toContain(other.json().id);
  });

  describe('M7 caller data', () => {
    const phone = '13655556666';
    let first: { id: string };
    beforeAll(async () => {
      first = (await create({ caller: { name: '赵六', phone } })).json();
    });

    it('lists and duplicate panels show callers masked, to every role', async () => {
      for (const who of ['calltaker', 'dispatcher', 'admin']) {
        const headers = await t.login(who);
        const list = (await t.app.inject({ url: '/api/v1/incidents?limit=500', headers })).json().items as Item[];
        expect(list.some((i) => i.id === first.id)).toBe(true);
        for (const i of list) expect(isMasked(i.caller), `${who} ${JSON.stringify(i.caller)}`).toBe(true);
        const dups = (await t.app.inject({ url: `/api/v1/incidents/duplicates?categoryCode=${fight.code}&lon=${lon}&lat=${lat}`, headers })).json().items as Item[];
        expect(dups.some((i) => i.id === first.id)).toBe(true);
        for (const i of dups) expect(isMasked(i.caller)).toBe(true);
      }
    });

    it('the call being taken is shown in full; the duplicates offered with it are masked', async () => {
      const res = (await create({ caller: { name: '孙七', phone: '13900002222' } })).json();
      expect(res.caller).toEqual({ name: '孙七', phone: '13900002222' });
      expect(res.duplicateCandidates.some((d: Item) => d.id === first.id)).toBe(true);
      for (const d of res.duplicateCandidates as Item[]) expect(isMasked(d.caller)).toBe(true);
    });

    it('a full read leaves an audit row naming the incidents whose caller was shown', async () => {
      const detail = await t.app.inject({ url: `/api/v1/incidents/${first.id}`, headers: calltaker });
      expect(detail.json().caller).toEqual({ name: '赵六', phone });
      const readRow = await lastAudit('incident.read');
      expect(readRow).toMatchObject({ username: 'calltaker', entityId: first.id });
      expect(readRow.detail).toMatchObject({ callerUnmasked: [first.id] });

      const second = (await create({ caller: { name: '赵六', phone }, location: { lon: stationB.center![0], lat: stationB.center![1] } })).json();
      const h = (await t.app.inject({ url: `/api/v1/incidents/history?phone=${phone}&lon=${lon}&lat=${lat}`, headers: calltaker })).json();
      expect(h.caller.map((i: Item) => i.id).sort()).toEqual([first.id, second.id].sort());
      for (const i of h.caller as Item[]) expect(i.caller.phone).toBe(phone);
      for (const i of h.place as Item[]) expect(isMasked(i.caller)).toBe(true);
      const histRow = await lastAudit('incident.history');
      expect((histRow.detail as { callerUnmasked: string[] }).callerUnmasked.sort()).toEqual([first.id, second.id].sort());
    });

    it('an analyst’s masked read names no incident as unmasked', async () => {
      await t.app.inject({ url: `/api/v1/incidents/${first.id}`, headers: await t.login('analyst') });
      const row = (await t.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'incident.read'), eq(auditLog.username, 'analyst'))).orderBy(desc(auditLog.seq)).limit(1))[0];
      expect(row.detail).toMatchObject({ callerUnmasked: [] });
    });
  });

  it('a callback, its review and a transfer answer are recorded once under concurrent posts', async () => {
    const id = (await create({ caller: { phone: '13977778888' } })).json().id;
    const dispatcher = await t.login('dispatcher');
    const move = (to: string, extra: Record<string, unknown> = {}) => t.app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/transitions`, headers: dispatcher, payload: { to, ...extra } });
    for (const to of ['dispatched', 'en_route', 'on_scene', 'cleared']) expect((await move(to)).statusCode).toBe(200);
    expect((await move('closed', { dispositionCode: 'D04' })).statusCode).toBe(200);
    const cb = (await t.app.inject({ url: '/api/v1/callbacks?status=pending&limit=500', headers: admin })).json().items.find((c: { incidentId: string }) => c.incidentId === id);
    expect(cb, 'callback task').toBeTruthy();
    const post = (url: string, payload: Record<string, unknown>) => Promise.all(Array.from({ length: 8 }, () => t.app.inject({ method: 'POST', url, headers: admin, payload })));
    const once = (res: { statusCode: number; body: string }[]) => expect(res.map((r) => r.statusCode).sort(), res[0].body).toEqual([200, ...Array(7).fill(409)]);
    once(await post(`/api/v1/callbacks/${cb.id}`, { outcome: 'dissatisfied', reason: '出警太慢' }));
    once(await post(`/api/v1/callbacks/${cb.id}/review`, { note: '已约谈' }));
    const other = (await create({})).json().id;
    const tr = await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${other}/transfers`, headers: calltaker, payload: { target: '12345', reason: '市政' } });
    expect(tr.statusCode, tr.body).toBe(201);
    once(await post(`/api/v1/transfers/${tr.json().id}/answer`, { answer: '已处理' }));
    const events = async (incidentId: string, type: string) => Number((await t.database.db.select({ n: sql<number>`count(*)` }).from(incidentEvents).where(and(eq(incidentEvents.incidentId, incidentId), eq(incidentEvents.type, type))))[0].n);
    expect(await events(id, 'callback')).toBe(1);
    expect(await events(other, 'transfer_answered')).toBe(1);
  });

  it('M10: paging through incidents recorded at the same instant returns each exactly once', async () => {
    const mine = await stationUser('ct-paging', ['calltaker'], 'MO');
    const n = 60;
    for (let i = 0; i < n; i++) expect((await create({ description: `分页 ${i}`, priority: 'P1' }, mine)).statusCode).toBe(201);
    // Imported history and bursts share time stamps: a sort by time alone leaves ties in any order.
    await t.database.db.update(incidents).set({ recordedAt: new Date('2025-01-01T00:00:00Z') }).where(eq(incidents.createdBy, 'ct-paging'));
    await t.database.db.execute(sql`analyze incidents`);
    const seen: string[] = [];
    for (let offset = 0; offset < n; offset += 7) {
      const page = await t.app.inject({ url: `/api/v1/incidents?mine=true&priority=P1&status=new&status=dispatched&limit=7&offset=${offset}`, headers: mine });
      seen.push(...(page.json().items as Item[]).map((i) => i.id));
    }
    expect(seen).toHaveLength(n);
    expect(new Set(seen).size).toBe(n);
  });
});
