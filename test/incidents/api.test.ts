import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { leafCategories } from '../../src/modules/incidents/domain/categories.js';
import { localDayCompact } from '../../src/modules/incidents/domain/numbering.js';

const stations = demoOrganisation().filter((u) => u.kind === 'station');
const [lon, lat] = stations[0].center!;
const fight = leafCategories().find((c) => c.code.startsWith('02'))!; // 治安 family
const noise = leafCategories().find((c) => /噪音/.test(c.name)) ?? fight;

describe.each(testDrivers())('110 intake API on %s', (driver) => {
  let t: TestApp;
  let calltaker: Record<string, string>;
  let dispatcher: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(driver, { addresses: true });
    calltaker = await t.login('calltaker');
    dispatcher = await t.login('dispatcher');
  });
  afterAll(() => t?.close());

  const create = (body: Record<string, unknown>, headers = calltaker) => t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers, payload: { source: 'call110', categoryCode: fight.code, description: '有人在街上打架', location: { lon, lat }, ...body } });

  it('records an incident: numbered per station and day without gaps, located, prioritised', async () => {
    const a = await create({ description: '有人持刀打架，有人受伤', caller: { name: '王五', phone: '13812345678' } });
    expect(a.statusCode).toBe(201);
    const inc = a.json();
    expect(inc.status).toBe('new');
    expect(inc.priority).toBe('P1');
    expect(inc.stationId).toBe(stations[0].code);
    expect(inc.number).toBe(`J${stations[0].code}${localDayCompact(new Date())}0001`);
    const b = await create({});
    expect(b.json().number).toBe(`J${stations[0].code}${localDayCompact(new Date())}0002`);
    // Same family, same place, minutes apart: offered as a duplicate of the first.
    expect(b.json().duplicateCandidates.map((d: { id: string }) => d.id)).toContain(inc.id);
  });

  it('refuses bad input with a clear 4xx naming the field', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ categoryCode: '999999' }, 'unknown_category', 'categoryCode'],
      [{ categoryCode: fight.code.slice(0, 2) }, 'category_not_leaf', 'categoryCode'],
      [{ location: { lon: 0, lat: 0 } }, 'outside_jurisdiction', 'location'],
      [{ addressCode: 'NOPE123' }, 'unknown_address', 'addressCode'],
      [{ description: 'x'.repeat(4001) }, 'too_long', 'description'],
      [{ location: { lon: 200, lat: 0 } }, 'out_of_range', 'location.lon'],
      [{ source: 'fax' }, 'invalid_value', 'source'],
      [{ color: 'red' }, 'unknown_field', 'color'],
    ];
    for (const [body, code, field] of cases) {
      const res = await create(body);
      expect(res.statusCode, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.json().error, JSON.stringify(body)).toMatchObject({ code, field });
    }
  });

  it('keeps awkward text exactly (quotes, backslashes, braces, commas, emoji) and refuses NUL with a 400', async () => {
    const text = `他说"快来"\\ {a,b} 'x', NULL, \\N 🚓 ｛全角｝ \t tab`;
    const a = await create({ description: text, caller: { name: `O'Brien "\\"`, phone: '138 1234-5678' }, address: '{1,2}' });
    expect(a.statusCode).toBe(201);
    const got = (await t.app.inject({ url: `/api/v1/incidents/${a.json().id}`, headers: calltaker })).json();
    expect(got.description).toBe(text.trim());
    expect(got.caller).toEqual({ name: `O'Brien "\\"`, phone: '13812345678' });
    expect(got.address).toBe('{1,2}');
    const nul = await create({ description: 'a\u0000b' });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.field).toBe('description');
  });

  it('takes place and text from a standard address code', async () => {
    const hit = (await t.app.inject({ url: `/api/v1/addresses/search?q=${encodeURIComponent('大學大馬路')}`, headers: calltaker })).json()[0];
    const res = await create({ location: undefined, addressCode: hit.code });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ addressCode: hit.code, address: hit.text, location: { lon: hit.lon, lat: hit.lat } });
  });

  it('a lower priority than suggested needs a reason', async () => {
    const res = await create({ description: '有人持刀', priority: 'P4' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('priorityReason');
    const ok = await create({ description: '有人持刀', priority: 'P4', priorityReason: '报警人称是水果刀削水果，误会' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ priority: 'P4', suggestedPriority: 'P1' });
  });

  it('walks the lifecycle; an illegal transition is a 409 naming the current status; closing needs a disposition', async () => {
    const id = (await create({ caller: { phone: '13900001111' } })).json().id;
    const move = (to: string, extra: Record<string, unknown> = {}, headers = dispatcher) => t.app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/transitions`, headers, payload: { to, ...extra } });
    expect((await move('dispatched')).statusCode).toBe(200);
    const illegal = await move('closed', { dispositionCode: 'D04' });
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json().error.message).toContain('已派警'); // the current status, named (not its code, #11.22)
    expect((await move('en_route')).statusCode).toBe(200);
    expect((await move('on_scene')).statusCode).toBe(200);
    expect((await move('cleared')).statusCode).toBe(200);
    const noDisposition = await move('closed');
    expect(noDisposition.statusCode).toBe(400);
    expect(noDisposition.json().error.field).toBe('dispositionCode');
    const closed = await move('closed', { dispositionCode: 'D04' });
    expect(closed.statusCode).toBe(200);
    expect(closed.json().times.closedAt).toBeTruthy();
    expect((await move('dispatched')).statusCode).toBe(409);
    const detail = await t.app.inject({ url: `/api/v1/incidents/${id}`, headers: dispatcher });
    expect(detail.json().events.map((e: { toStatus: string }) => e.toStatus)).toEqual(['new', 'dispatched', 'en_route', 'on_scene', 'cleared', 'closed']);
    // Closing created the satisfaction callback.
    expect(detail.json().callback).toMatchObject({ status: 'pending' });
  });

  it('callbacks: dissatisfied needs a reason and goes to the station chief for review', async () => {
    const list = await t.app.inject({ url: '/api/v1/callbacks?status=pending', headers: calltaker });
    const cb = list.json().items[0];
    expect(cb).toBeTruthy();
    const noReason = await t.app.inject({ method: 'POST', url: `/api/v1/callbacks/${cb.id}`, headers: calltaker, payload: { outcome: 'dissatisfied' } });
    expect(noReason.json().error.field).toBe('reason');
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/callbacks/${cb.id}`, headers: calltaker, payload: { outcome: 'dissatisfied', reason: '出警太慢' } });
    expect(res.json()).toMatchObject({ status: 'done', reviewStatus: 'pending' });
    const chief = await t.login('chief');
    const review = await t.app.inject({ url: '/api/v1/callbacks?review=pending', headers: chief });
    expect(review.json().items.map((c: { id: string }) => c.id)).toContain(cb.id);
    const done = await t.app.inject({ method: 'POST', url: `/api/v1/callbacks/${cb.id}/review`, headers: chief, payload: { note: '已约谈出警民警' } });
    expect(done.json().reviewStatus).toBe('reviewed');
  });

  it('merges a duplicate into its master and unmerges it', async () => {
    const master = (await create({})).json();
    const dup = (await create({})).json();
    const merged = await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${dup.id}/merge`, headers: calltaker, payload: { masterId: master.id } });
    expect(merged.json()).toMatchObject({ status: 'merged', masterId: master.id });
    const m = await t.app.inject({ url: `/api/v1/incidents/${master.id}`, headers: calltaker });
    expect(m.json().mergedIncidents.map((x: { id: string }) => x.id)).toContain(dup.id);
    const un = await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${dup.id}/unmerge`, headers: calltaker, payload: { reason: '不是同一起' } });
    expect(un.json()).toMatchObject({ status: 'new', masterId: null });
    const audit = await t.app.inject({ url: `/api/v1/audit?entityId=${dup.id}`, headers: await t.login('admin') });
    expect(audit.json().items.map((r: { action: string }) => r.action)).toEqual(expect.arrayContaining(['incident.merge', 'incident.unmerge']));
  });

  it('shows caller and place history and flags a repeat location', async () => {
    const phone = '13722223333';
    for (let i = 0; i < 3; i++) await create({ caller: { phone }, categoryCode: noise.code, description: '楼上噪音' });
    const h = await t.app.inject({ url: `/api/v1/incidents/history?phone=${phone}&lon=${lon}&lat=${lat}`, headers: calltaker });
    expect(h.statusCode).toBe(200);
    expect(h.json().caller).toHaveLength(3);
    expect(h.json().repeatLocation).toBe(true);
  });

  it('masks the caller for roles that do not need them', async () => {
    const id = (await create({ caller: { name: '李四', phone: '13812345678' } })).json().id;
    const analyst = await t.app.inject({ url: `/api/v1/incidents/${id}`, headers: await t.login('analyst') });
    expect(analyst.json().caller).toEqual({ name: '李**', phone: '138****5678' });
    const ct = await t.app.inject({ url: `/api/v1/incidents/${id}`, headers: calltaker });
    expect(ct.json().caller).toEqual({ name: '李四', phone: '13812345678' });
  });

  it('a station user sees only the station’s incidents', async () => {
    const other = stations[stations.length - 1];
    await create({ location: { lon: other.center![0], lat: other.center![1] } });
    const chief = await t.login('chief'); // chief of the first station
    const list = await t.app.inject({ url: '/api/v1/incidents?limit=500', headers: chief });
    expect(list.json().items.length).toBeGreaterThan(0);
    expect(list.json().items.every((i: { stationId: string }) => i.stationId === stations[0].code)).toBe(true);
  });

  it('transfers to 12345 and tracks the answer', async () => {
    const id = (await create({})).json().id;
    const tr = await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/transfers`, headers: calltaker, payload: { target: '12345', reason: '路灯损坏，属市政' } });
    expect(tr.statusCode).toBe(201);
    expect(tr.json()).toMatchObject({ target: '12345', status: 'sent', overdue: false });
    const ans = await t.app.inject({ method: 'POST', url: `/api/v1/transfers/${tr.json().id}/answer`, headers: calltaker, payload: { answer: '已派市政维修', externalRef: 'G-2026-1' } });
    expect(ans.json()).toMatchObject({ status: 'answered', externalRef: 'G-2026-1' });
  });

  it('12345 work orders come in over a token, once per reference, and report their outcome', async () => {
    const admin = await t.login('admin');
    const token = (await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { name: '12345', scopes: ['hotline12345'], unitId: 'MO' } })).json().token;
    const bearer = { authorization: `Bearer ${token}` };
    const order = { externalRef: 'WO-1', description: '群众反映有人在小区内聚众赌博', location: { lon, lat } };
    const a = await t.app.inject({ method: 'POST', url: '/api/v1/hotline/orders', headers: bearer, payload: order });
    expect(a.statusCode).toBe(201);
    const b = await t.app.inject({ method: 'POST', url: '/api/v1/hotline/orders', headers: bearer, payload: order });
    expect(b.statusCode).toBe(200);
    expect(b.json().incidentId).toBe(a.json().incidentId);
    const s = await t.app.inject({ url: '/api/v1/hotline/orders/WO-1', headers: bearer });
    expect(s.json()).toMatchObject({ status: 'new', number: a.json().number });
    const inc = await t.app.inject({ url: `/api/v1/incidents/${a.json().incidentId}`, headers: dispatcher });
    expect(inc.json().source).toBe('hotline12345');
  });

  it('idempotent creates: a retry with the same key records nothing new', async () => {
    const headers = { ...calltaker, 'idempotency-key': 'call-42' };
    const a = await create({ description: '幂等测试' }, headers);
    const b = await create({ description: '幂等测试' }, headers);
    expect(b.headers['idempotent-replayed']).toBe('true');
    // The same answer, rebuilt from the stored reference: number, duplicates offered and all.
    expect(a.json().duplicateCandidates.length).toBeGreaterThan(0);
    expect(b.json()).toEqual(a.json());
    const list = await t.app.inject({ url: '/api/v1/incidents?mine=true&limit=500', headers: calltaker });
    expect(list.json().items.filter((i: { description: string }) => i.description === '幂等测试')).toHaveLength(1);
  });
});
