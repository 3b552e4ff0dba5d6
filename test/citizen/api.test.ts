/**
 * The citizen portal on both databases: one-time codes (hashed, expiry, rate limit, lock-out), citizen
 * isolation (another citizen's report is 404; a citizen session opens no staff route; a staff session no
 * citizen route), emergencies, duplicates within and outside the distance, voices, the routing table,
 * the review queue (accept, 12345 transfer, reject, merge) and what the citizen is told.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, ORIGIN, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';
import type { CitizenDeps } from '../../src/modules/citizen/index.js';
import { CITIZEN_KPIS } from '../../src/modules/citizen/kpis.js';
import type { Principal } from '../../src/core/access.js';

const units = demoOrganisation();
const station = units.find((u) => u.kind === 'station')!;
const otherStation = units.filter((u) => u.kind === 'station')[5]!;
const [lon, lat] = station.center!;
/** A point `m` metres north of the station's centre. */
const north = (m: number) => ({ lon, lat: lat + m / 111_195 });

const rows = (r: unknown) => ((r as { rows?: Record<string, unknown>[] }).rows ?? (r as Record<string, unknown>[]));

describe.each(testDrivers())('citizen portal API on %s', (driver) => {
  let t: TestApp;
  let chief: Record<string, string>;
  let admin: Record<string, string>;
  let a: Record<string, string>;
  let b: Record<string, string>;
  let ip = 0;
  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    [chief, admin] = await Promise.all(['chief', 'admin'].map((u) => t.login(u)));
    a = await signIn('13800000001');
    b = await signIn('13800000002');
  });
  afterAll(() => t?.close());

  const req = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, headers: Record<string, string>, payload?: unknown, remoteAddress = '127.0.0.1') =>
    t.app.inject({ method, url: `/api/v1${url}`, headers, payload: payload as object, remoteAddress });
  const cookieOf = (res: LightMyRequestResponse) => `sw_citizen=${res.cookies.find((c) => c.name === 'sw_citizen')!.value}`;

  async function signIn(phone: string): Promise<Record<string, string>> {
    const addr = `10.9.0.${++ip}`;
    const otp = await req('POST', '/citizen/otp', { origin: ORIGIN }, { phone }, addr);
    expect(otp.statusCode, otp.body).toBe(200);
    const res = await req('POST', '/citizen/session', { origin: ORIGIN }, { phone, code: otp.json().demoCode }, addr);
    expect(res.statusCode, res.body).toBe(200);
    return { cookie: cookieOf(res), origin: ORIGIN };
  }

  const report = async (who: Record<string, string>, body: Record<string, unknown>) => req('POST', '/citizen/reports', who, { serviceCode: '101', description: '楼上装修噪音很大，晚上十点还在施工', location: north(0), ...body });

  it('one-time codes: demo code marked, stored hashed, resend wait, wrong codes lock the phone', async () => {
    const phone = '13900000009';
    const first = await req('POST', '/citizen/otp', { origin: ORIGIN }, { phone }, '10.8.0.1');
    expect(first.statusCode, first.body).toBe(200);
    const code = first.json().demoCode as string;
    expect(code).toMatch(/^\d{6}$/);
    const stored = rows(await t.database.db.execute(sql`select code_hash from citizen_otps where phone = ${phone}`));
    expect(stored).toHaveLength(1);
    expect(stored[0].code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(code);
    // Asking again at once: wait.
    const again = await req('POST', '/citizen/otp', { origin: ORIGIN, 'accept-language': 'en' }, { phone }, '10.8.0.1');
    expect(again.statusCode).toBe(429);
    expect(again.json().error.code).toBe('otp_resend_wait');
    // A wrong code, then the right one after it expired (the service's clock moved on).
    const wrong = await req('POST', '/citizen/session', { origin: ORIGIN }, { phone, code: code === '000000' ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toMatchObject({ code: 'otp_wrong', field: 'code' });
    const deps = t.app.kernel.api<CitizenDeps>('citizen');
    await expect(deps.identity.signIn(phone, code, new Date(Date.now() + 6 * 60_000))).rejects.toMatchObject({ code: 'otp_expired' });
    // Brute force: ten wrong codes (fresh codes as they burn) lock the phone; the right code then fails too.
    const policy = deps.identity.policy;
    let sent = 1;
    let current = code;
    for (let i = 1; i < policy.failuresToLock; i++) {
      if (i % policy.triesPerCode === 0) {
        // Codes are sent at most every 30 s: write the next one as if it came later.
        await t.database.db.execute(sql`update citizen_otps set created_at = created_at - interval '40 seconds' where phone = ${phone}`);
        const r = await req('POST', '/citizen/otp', { origin: ORIGIN }, { phone }, '10.8.0.1');
        expect(r.statusCode, r.body).toBe(200);
        current = r.json().demoCode;
        sent++;
      }
      const w = await req('POST', '/citizen/session', { origin: ORIGIN }, { phone, code: current === '000000' ? '111111' : '000000' });
      expect(w.statusCode, `${i} ${w.body}`).toBe(401);
    }
    expect(sent).toBeGreaterThan(1);
    const locked = await req('POST', '/citizen/session', { origin: ORIGIN }, { phone, code: current });
    expect(locked.statusCode, locked.body).toBe(423);
    expect(locked.json().error.code).toBe('otp_locked');
    const noMore = await req('POST', '/citizen/otp', { origin: ORIGIN }, { phone }, '10.8.0.2');
    expect(noMore.statusCode).toBe(429);
    expect(noMore.json().error.code).toBe('otp_locked');
  });

  it('codes per IP are limited; a bad phone names the field; a foreign origin is refused', async () => {
    const limit = t.app.kernel.api<CitizenDeps>('citizen').identity.policy.codesPerIp;
    for (let i = 0; i < limit; i++) expect((await req('POST', '/citizen/otp', { origin: ORIGIN }, { phone: `137000100${String(i).padStart(2, '0')}` }, '10.7.0.1')).statusCode).toBe(200);
    const over = await req('POST', '/citizen/otp', { origin: ORIGIN }, { phone: '13700019999' }, '10.7.0.1');
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('otp_rate_ip');
    const bad = await req('POST', '/citizen/otp', { origin: ORIGIN, 'accept-language': 'en' }, { phone: '12345678901' }, '10.7.0.2');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('phone');
    expect((await req('POST', '/citizen/otp', { origin: 'https://evil.example' }, { phone: '13800000003' }, '10.7.0.3')).statusCode).toBe(403);
  });

  it('citizen isolation: another citizen gets 404; a citizen session opens no staff route; staff cannot use citizen routes', async () => {
    const made = await report(a, { serviceCode: '104', description: '在公园丢了一个黑色钱包', ignoreDuplicates: true });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id as string;
    expect(id).toMatch(/^\d+$/);
    expect((await req('GET', `/citizen/reports/${id}`, a)).statusCode).toBe(200);
    expect((await req('GET', `/citizen/reports/${id}`, b)).statusCode).toBe(404);
    expect((await req('GET', '/citizen/reports', b)).json().items.map((r: { id: string }) => r.id)).not.toContain(id);
    // A citizen's cookie is no staff session.
    for (const url of ['/incidents', '/citizen-reports', `/citizen-reports/${id}`, '/me']) expect((await req('GET', url, a)).statusCode, url).toBe(401);
    expect((await req('POST', `/citizen-reports/${id}/transitions`, a, { to: 'accepted' })).statusCode).toBe(401);
    // A staff session is no citizen.
    const staff = await req('GET', '/citizen/reports', chief);
    expect(staff.statusCode).toBe(403);
    expect(staff.json().error.code).toBe('citizen_staff_cookie');
    expect((await req('GET', '/citizen/reports', {})).statusCode).toBe(401);
    // Signed out: the cookie is dead.
    const c = await signIn('13800000005');
    expect((await req('DELETE', '/citizen/session', c)).statusCode).toBe(204);
    expect((await req('GET', '/citizen/me', c)).statusCode).toBe(401);
  });

  it('an emergency gets "call 110 now" and is not held: sent anyway it is flagged urgent', async () => {
    const check = await req('POST', '/citizen/reports/check', a, { serviceCode: '102', description: '楼下有人持刀' });
    expect(check.json().emergency).toMatchObject({ emergency: true, matched: ['持刀'] });
    expect(check.json().emergency.zh).toContain('110');
    const refused = await report(a, { serviceCode: '102', description: '楼下有人持刀', location: north(0) });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('citizen_call_110');
    const sent = await report(a, { serviceCode: '102', description: '楼下有人持刀', location: north(0), insist: true });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json()).toMatchObject({ urgent: true, status: 'received' });
    const queue = (await req('GET', '/citizen-reports?status=received', chief)).json();
    expect(queue.items[0]).toMatchObject({ id: sent.json().id, urgent: true });
  });

  it('duplicates: within the distance offered (add my voice), outside not; a new report needs confirmation', async () => {
    const orig = await report(a, { location: north(-300), ignoreDuplicates: true });
    expect(orig.statusCode, orig.body).toBe(201);
    const near = await req('POST', '/citizen/reports/check', b, { serviceCode: '101', description: '噪音', location: north(-260) });
    expect(near.json().duplicates.map((d: { id: string }) => d.id)).toEqual([orig.json().id]);
    expect(near.json().duplicates[0].distanceM).toBeGreaterThanOrEqual(39);
    expect((await req('POST', '/citizen/reports/check', b, { serviceCode: '101', location: north(-200) })).json().duplicates).toEqual([]);
    expect((await req('POST', '/citizen/reports/check', b, { serviceCode: '102', location: north(-290) })).json().duplicates).toEqual([]);
    const blocked = await report(b, { location: north(-260) });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.code).toBe('citizen_duplicates');
    const voice = await req('POST', `/citizen/reports/${orig.json().id}/voices`, b);
    expect(voice.statusCode, voice.body).toBe(200);
    expect(voice.json()).toMatchObject({ voices: 1, added: true });
    expect((await req('POST', `/citizen/reports/${orig.json().id}/voices`, b)).json()).toMatchObject({ voices: 1, added: false });
    const mine = (await req('GET', '/citizen/reports', b)).json().items.find((r: { id: string }) => r.id === orig.json().id);
    expect(mine).toMatchObject({ mine: false, voices: 1 });
  });

  it('staff review: accept, progress, resolve — the citizen follows the history and is notified; reject needs a reason the citizen reads', async () => {
    const r = (await report(a, { serviceCode: '103', description: '小区门口经常有人形迹可疑', location: north(100), ignoreDuplicates: true })).json();
    expect((await req('GET', '/citizen-reports', await t.login('officer'))).statusCode).toBe(200);
    const move = (to: string, extra: Record<string, unknown> = {}) => req('POST', `/citizen-reports/${r.id}/transitions`, chief, { to, ...extra });
    expect((await move('accepted')).statusCode).toBe(200);
    expect((await move('in_progress')).statusCode).toBe(200);
    const noOutcome = await move('resolved');
    expect(noOutcome.statusCode).toBe(400);
    expect(noOutcome.json().error.field).toBe('outcome');
    expect((await move('resolved', { reason: '已上门劝导，施工方承诺晚八点后停工' })).json()).toMatchObject({ status: 'resolved' });
    expect((await move('accepted')).statusCode).toBe(409);
    const seen = (await req('GET', `/citizen/reports/${r.id}`, a)).json();
    expect(seen.history.map((h: { status: string }) => h.status)).toEqual(['received', 'accepted', 'in_progress', 'resolved']);
    expect(seen.statusNote).toContain('劝导');
    expect(JSON.stringify(seen)).not.toContain('chief');
    const notes = (await req('GET', '/citizen/notifications?unread=true', a)).json();
    expect(notes.items.filter((n: { reportId: string }) => n.reportId === r.id).map((n: { status: string }) => n.status)).toEqual(['resolved', 'in_progress', 'accepted']);
    expect((await req('POST', '/citizen/notifications/read', a, {})).json().marked).toBeGreaterThanOrEqual(3);
    expect((await req('GET', '/citizen/notifications?unread=true', a)).json().unread).toBe(0);

    const r2 = (await report(a, { serviceCode: '103', description: '小区门口经常有人形迹可疑', location: north(200), ignoreDuplicates: true })).json();
    expect((await req('POST', `/citizen-reports/${r2.id}/transitions`, chief, { to: 'rejected' })).json().error.field).toBe('reason');
    await req('POST', `/citizen-reports/${r2.id}/transitions`, chief, { to: 'rejected', reason: '属物业管理范围，请联系物业' });
    expect((await req('GET', `/citizen/reports/${r2.id}`, a)).json()).toMatchObject({ status: 'rejected', statusNote: '属物业管理范围，请联系物业' });
  });

  it('staff merge a duplicate after submit: it joins the original and its reporter is told and follows the original', async () => {
    const orig = (await report(a, { serviceCode: '104', description: '公交站捡到一个书包', location: north(300), ignoreDuplicates: true })).json();
    const dup = (await report(b, { serviceCode: '104', description: '公交站有个书包没人要', location: north(320), ignoreDuplicates: true })).json();
    const detail = (await req('GET', `/citizen-reports/${dup.id}`, chief)).json();
    expect(detail.nearby.map((n: { id: string }) => n.id)).toContain(orig.id);
    expect((await req('POST', `/citizen-reports/${dup.id}/transitions`, chief, { to: 'duplicate', duplicateOf: dup.id })).statusCode).toBe(400);
    const merged = await req('POST', `/citizen-reports/${dup.id}/transitions`, chief, { to: 'duplicate', duplicateOf: orig.id });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json()).toMatchObject({ status: 'duplicate', duplicateOf: orig.id });
    const seen = (await req('GET', `/citizen/reports/${dup.id}`, b)).json();
    expect(seen).toMatchObject({ status: 'duplicate', duplicateOf: orig.id });
    const followed = (await req('GET', `/citizen/reports/${orig.id}`, b)).json();
    expect(followed).toMatchObject({ mine: false, voices: 1 });
    const notes = (await req('GET', '/citizen/notifications', b)).json().items;
    expect(notes.some((n: { reportId: string; status: string }) => n.reportId === dup.id && n.status === 'duplicate')).toBe(true);
  });

  it('the queue is scoped to the jurisdiction: another station’s report is 404 to this station’s chief', async () => {
    const [olon, olat] = otherStation.center!;
    const far = (await report(a, { location: { lon: olon, lat: olat }, ignoreDuplicates: true })).json();
    expect((await req('GET', `/citizen-reports/${far.id}`, chief)).statusCode).toBe(404);
    expect((await req('POST', `/citizen-reports/${far.id}/transitions`, chief, { to: 'accepted' })).statusCode).toBe(404);
    expect((await req('GET', `/citizen-reports/${far.id}`, admin)).json().unitId).toBe(otherStation.code);
  });

  it('routing table: station by place, 12345 through the incidents transfer on accept; admins edit it, others may not', async () => {
    const table = (await req('GET', '/citizen/routing', admin)).json();
    expect(table.services.find((s: { code: string }) => s.code === '301')).toMatchObject({ route: 'hotline12345', incidentCategory: '08010102' });
    expect((await req('GET', '/citizen/routing', chief)).statusCode).toBe(403);
    const light = (await report(a, { serviceCode: '301', description: '路灯不亮三天了', location: north(-100), ignoreDuplicates: true })).json();
    const accepted = await req('POST', `/citizen-reports/${light.id}/transitions`, chief, { to: 'accepted' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().incidentId).toBeTruthy();
    const inc = (await req('GET', `/incidents/${accepted.json().incidentId}`, chief)).json();
    expect(inc.status).toBe('transferred');
    expect((await req('GET', `/citizen/reports/${light.id}`, a)).json().statusNote).toContain('12345');
    // Traffic matters to a named unit: the branch here stands in for a traffic brigade.
    const branch = units.find((u) => u.kind === 'branch')!.code;
    const services = table.services.map((s: Record<string, unknown>) => (s.code === '201' ? { ...s, unitId: branch } : s));
    const put = await req('PUT', '/citizen/routing', admin, { services });
    expect(put.statusCode, put.body).toBe(200);
    const parked = (await report(a, { serviceCode: '201', description: '消防通道被占', location: north(-150), ignoreDuplicates: true })).json();
    expect((await req('GET', `/citizen-reports/${parked.id}`, admin)).json()).toMatchObject({ unitId: branch, route: 'unit' });
    const bad = await req('PUT', '/citizen/routing', admin, { services: [...services, { ...services[0] }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe(`services.${services.length}.code`);
  });

  it('figures: reports per day by channel, medians to acceptance and resolution, duplicate share', async () => {
    const bureau = units.find((u) => u.kind === 'bureau')!;
    const principal: Principal = { kind: 'user', id: 'x', username: 'analyst', displayName: 'x', roles: ['analyst'], unitId: bureau.code, unitPath: `/${bureau.code}/`, unitKind: 'bureau', scopes: [] };
    const q = { principal, from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 60_000) };
    const got = Object.fromEntries(await Promise.all(CITIZEN_KPIS.map(async (k) => [k.id, await k.measure!(t.database.db, q)] as const)));
    expect(got['citizen.reports_per_day'].numerator).toBeGreaterThan(5);
    expect(got['citizen.reports_per_day_portal'].numerator).toBe(got['citizen.reports_per_day'].numerator);
    expect(got['citizen.reports_per_day_open311'].numerator).toBe(0);
    expect(got['citizen.median_hours_to_accept'].value).not.toBeNull();
    expect(got['citizen.median_hours_to_resolve'].value).not.toBeNull();
    expect(got['citizen.duplicate_share'].numerator).toBeGreaterThanOrEqual(2); // one merge, voices
    expect(got['citizen.duplicate_share'].value).toBeGreaterThan(0);
  });
});
