/**
 * 随手拍, satisfaction, safety notices and the public map on both databases: evidence and plate rules,
 * one reward per violation under concurrent verdicts (the first valid report only; the others are
 * duplicates of it), not valid with a reason the reporter reads, isolation (another citizen, Open311, the
 * public map never see a violation report), ratings once and only of resolved reports, the 110 callback
 * survey answered online (recorded as the phone callback is, counted by the KPI), notices by area, the
 * public map's public fields only, and the figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { citizenHeaders, createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { leafCategories } from '../../src/modules/incidents/domain/categories.js';
import { CITIZEN_MORE_KPIS } from '../../src/modules/citizen/kpis-more.js';
import { INCIDENT_KPIS } from '../../src/modules/incidents/kpis.js';
import type { Principal } from '../../src/core/access.js';

const units = demoOrganisation();
const stations = units.filter((u) => u.kind === 'station');
const station = stations[0]!;
const otherStation = stations[5]!;
const [lon, lat] = station.center!;
const north = (m: number) => ({ lon, lat: lat + m / 111_195 });
const fight = leafCategories().find((c) => c.code.startsWith('02'))!;
const rows = (r: unknown) => ((r as { rows?: Record<string, unknown>[] }).rows ?? (r as Record<string, unknown>[]));

describe.each(testDrivers())('随手拍, satisfaction, notices, public map on %s', (driver) => {
  let t: TestApp;
  let dir: string;
  let chief: Record<string, string>;
  let admin: Record<string, string>;
  const cit: Record<string, Record<string, string>> = {};
  const phones = { a: '13800000021', b: '13800000022', c: '13800000023' } as const;
  let jpeg: Buffer;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-citizen-tv-'));
    process.env.SHOUWANG_MEDIA_DIR = dir;
    t = await createTestApp(driver, { roads: false });
    [chief, admin] = await Promise.all(['chief', 'admin'].map((u) => t.login(u)));
    let n = 0;
    for (const [name, phone] of Object.entries(phones)) {
      const addr = `10.5.0.${++n}`;
      cit[name] = await citizenHeaders(t.app, phone, addr);
    }
    jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 30, g: 90, b: 160 } } }).jpeg().toBuffer();
  });
  afterAll(async () => {
    await t?.close();
    delete process.env.SHOUWANG_MEDIA_DIR;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const req = (method: 'GET' | 'POST' | 'DELETE', url: string, headers: Record<string, string>, payload?: unknown) => t.app.inject({ method, url: `/api/v1${url}`, headers, payload: payload as object });
  const photo = async (who: Record<string, string>) => (await t.app.inject({ method: 'POST', url: '/api/v1/citizen/photos', headers: { ...who, 'content-type': 'image/jpeg' }, payload: jpeg })).json().id as string;
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  const violation = async (who: Record<string, string>, body: Record<string, unknown> = {}) =>
    req('POST', '/citizen/violations', who, { plate: '粤A 12345', violationType: 'bus_lane', observedAt: minutesAgo(20), location: north(0), mediaIds: body.mediaIds ?? [await photo(who), await photo(who)], ...body });
  const review = (id: string, body: Record<string, unknown>) => req('POST', `/citizen-reports/${id}/violation-review`, chief, body);

  it('随手拍: evidence, plate and time are checked and the field named; the report is routed and in the review queue', async () => {
    // Refused before any photo is looked at (so these name photos that do not exist).
    const two = ['p1', 'p2'];
    const one = await violation(cit.a, { mediaIds: ['p1'] });
    expect(one.statusCode).toBe(400);
    expect(one.json().error.field).toBe('mediaIds');
    expect((await violation(cit.a, { plate: '12', mediaIds: two })).json().error.field).toBe('plate');
    expect((await violation(cit.a, { observedAt: new Date(Date.now() + 3_600_000).toISOString(), mediaIds: two })).json().error.field).toBe('observedAt');
    expect((await violation(cit.a, { observedAt: minutesAgo(8 * 1440), mediaIds: two })).json().error.field).toBe('observedAt');
    expect((await violation(cit.a, { mediaIds: two })).json().error.field).toBe('mediaIds');
    const ok = await violation(cit.a);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ plate: '粤A12345', violationType: 'bus_lane', verdict: 'pending', rewarded: false, status: 'received' });
    const staff = await req('GET', `/citizen-reports/${ok.json().reportId}`, chief);
    expect(staff.json()).toMatchObject({ serviceCode: 'TV', status: 'received', photos: expect.any(Array) });
    expect(staff.json().photos).toHaveLength(2);
  });

  it('isolation: another citizen, a voice, Open311 and the public map never reach a violation report', async () => {
    const mine = (await violation(cit.a, { plate: 'MA1234', violationType: 'illegal_parking' })).json();
    expect((await req('GET', `/citizen/reports/${mine.reportId}`, cit.b)).statusCode).toBe(404);
    expect((await req('POST', `/citizen/reports/${mine.reportId}/voices`, cit.b)).statusCode).toBe(404);
    expect((await req('GET', `/citizen/reports/${mine.reportId}`, cit.b)).statusCode).toBe(404);
    expect((await req('GET', '/citizen/violations', cit.b)).json().items).toEqual([]);
    expect((await req('GET', '/citizen/violations', cit.a)).json().items.map((v: { reportId: string }) => v.reportId)).toContain(mine.reportId);
    expect((await t.app.inject({ url: `/open311/v2/requests/${mine.reportId}.json` })).statusCode).toBe(404);
    const listed = (await t.app.inject({ url: '/open311/v2/requests.json' })).json() as { service_request_id: string }[];
    expect(listed.map((r) => r.service_request_id)).not.toContain(mine.reportId);
    const map = (await t.app.inject({ url: `/api/v1/public/citizen-reports?bbox=${lon - 0.05},${lat - 0.05},${lon + 0.05},${lat + 0.05}` })).json();
    expect(map.items.map((i: { category: { code: string } }) => i.category.code)).not.toContain('TV');
  });

  it('not valid needs a reason the reporter reads', async () => {
    const r = (await violation(cit.b, { plate: '粤B54321', violationType: 'red_light' })).json();
    const none = await review(r.reportId, { verdict: 'not_valid' });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.field).toBe('reason');
    const done = await review(r.reportId, { verdict: 'not_valid', reason: '照片看不清车牌' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ verdict: 'not_valid', rewarded: false, reviewedBy: 'chief' });
    const seen = (await req('GET', '/citizen/violations', cit.b)).json().items.find((v: { reportId: string }) => v.reportId === r.reportId);
    expect(seen).toMatchObject({ verdict: 'not_valid', verdictReason: '照片看不清车牌', status: 'rejected' });
    expect(seen.statusNote).toContain('照片看不清车牌');
    expect((await review(r.reportId, { verdict: 'valid' })).statusCode).toBe(409);
  });

  it('one reward per violation: concurrent valid verdicts reward exactly the first; the others are duplicates of it', async () => {
    const plate = '粤C88888';
    const made = [];
    for (const [i, who] of [cit.a, cit.b, cit.c, cit.a].entries()) made.push((await violation(who, { plate, violationType: 'phone_driving', observedAt: minutesAgo(25 - i * 5), location: north(i * 30) })).json().reportId as string);
    const answers = await Promise.all(made.map((id) => review(id, { verdict: 'valid' })));
    for (const a of answers) expect(a.statusCode, a.body).toBe(200);
    const rewarded = answers.filter((a) => a.json().rewarded);
    expect(rewarded).toHaveLength(1);
    const first = rewarded[0]!.json().reportId;
    for (const a of answers.filter((x) => !x.json().rewarded)) expect(a.json()).toMatchObject({ verdict: 'duplicate', rewardOf: first });
    const stored = rows(await t.database.db.execute(sql`select count(*)::int as n from citizen_violations where plate = ${plate} and rewarded`));
    expect(Number(stored[0]!.n)).toBe(1);
    // The same plate and type 3 hours earlier is another violation: its own reward.
    const earlier = (await violation(cit.b, { plate, violationType: 'phone_driving', observedAt: minutesAgo(200) })).json();
    expect((await review(earlier.reportId, { verdict: 'valid' })).json()).toMatchObject({ verdict: 'valid', rewarded: true });
    // 500 m away, same time: another violation too; another type: too.
    const far = (await violation(cit.c, { plate, violationType: 'phone_driving', observedAt: minutesAgo(20), location: north(500) })).json();
    expect((await review(far.reportId, { verdict: 'valid' })).json().rewarded).toBe(true);
    // A duplicate's reporter reads that someone reported it first, never whose report it was.
    const dupId = answers.find((a) => !a.json().rewarded)!.json().reportId;
    const owner = [cit.a, cit.b, cit.c, cit.a][made.indexOf(dupId)]!;
    const seen = (await req('GET', `/citizen/reports/${dupId}`, owner)).json();
    expect(seen.status).toBe('duplicate');
    expect(seen.duplicateOf).toBeNull();
    expect(seen.statusNote).toContain('先行举报');
    expect(JSON.stringify(seen.history)).not.toContain(`#${first}`);
  });

  it('ratings: only of my resolved report, 1–5, once', async () => {
    const r = (await req('POST', '/citizen/reports', cit.a, { serviceCode: '101', description: '夜间施工噪音', location: north(-300), ignoreDuplicates: true })).json();
    expect((await req('POST', `/citizen/reports/${r.id}/rating`, cit.a, { score: 5 })).statusCode).toBe(409);
    await req('POST', `/citizen-reports/${r.id}/transitions`, chief, { to: 'resolved', reason: '已责令停工' });
    expect((await req('POST', `/citizen/reports/${r.id}/rating`, cit.b, { score: 5 })).statusCode).toBe(404);
    expect((await req('POST', `/citizen/reports/${r.id}/rating`, cit.a, { score: 6 })).json().error.field).toBe('score');
    const ok = await req('POST', `/citizen/reports/${r.id}/rating`, cit.a, { score: 4, comment: '处理及时' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await req('POST', `/citizen/reports/${r.id}/rating`, cit.a, { score: 1 })).statusCode).toBe(409);
    expect((await req('GET', '/citizen/ratings', cit.a)).json().items).toContainEqual(expect.objectContaining({ reportId: r.id, score: 4 }));
  });

  it('the callback survey of my 110 call answered online: recorded as the phone callback is, channel online, counted', async () => {
    const calltaker = await t.login('calltaker');
    const dispatcher = await t.login('dispatcher');
    const inc = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: calltaker, payload: { source: 'call110', categoryCode: fight.code, description: '有人在街上打架', location: { lon, lat }, caller: { phone: phones.b } } });
    expect(inc.statusCode, inc.body).toBe(201);
    const id = inc.json().id;
    for (const to of ['dispatched', 'en_route', 'on_scene', 'cleared']) expect((await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/transitions`, headers: dispatcher, payload: { to } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/transitions`, headers: dispatcher, payload: { to: 'closed', dispositionCode: 'D04' } })).statusCode).toBe(200);
    expect((await req('GET', '/citizen/surveys', cit.a)).json().items).toEqual([]);
    const surveys = (await req('GET', '/citizen/surveys', cit.b)).json().items;
    expect(surveys).toHaveLength(1);
    expect((await req('POST', `/citizen/surveys/${surveys[0].id}`, cit.a, { outcome: 'satisfied' })).statusCode).toBe(404);
    expect((await req('POST', `/citizen/surveys/${surveys[0].id}`, cit.b, { outcome: 'dissatisfied' })).json().error.field).toBe('reason');
    const ok = await req('POST', `/citizen/surveys/${surveys[0].id}`, cit.b, { outcome: 'satisfied' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ outcome: 'satisfied', channel: 'online' });
    expect((await req('POST', `/citizen/surveys/${surveys[0].id}`, cit.b, { outcome: 'satisfied' })).statusCode).toBe(404);
    const detail = (await t.app.inject({ url: `/api/v1/incidents/${id}`, headers: dispatcher })).json();
    expect(detail.callback).toMatchObject({ status: 'done', outcome: 'satisfied', doneBy: 'online' });
    const bureau = units.find((u) => u.kind === 'bureau')!;
    const principal: Principal = { kind: 'user', id: 'x', username: 'analyst', displayName: 'x', roles: ['analyst'], unitId: bureau.code, unitPath: `/${bureau.code}/`, unitKind: 'bureau', scopes: [] };
    const q = { principal, from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 60_000) };
    const cb = await INCIDENT_KPIS.find((k) => k.id === 'incident.satisfaction')!.measure!(t.database.db, q);
    expect(cb.denominator).toBeGreaterThanOrEqual(1);
    const more = Object.fromEntries(await Promise.all(CITIZEN_MORE_KPIS.map(async (k) => [k.id, await k.measure!(t.database.db, q)] as const)));
    // Judged: not valid 1, valid 3 + 3 duplicates; ratings: one 4; online surveys: one satisfied.
    expect(more['citizen.violation_validity_share']).toMatchObject({ numerator: 6, denominator: 7 });
    expect(more['citizen.satisfaction']).toMatchObject({ numerator: 2, denominator: 2, value: 1 });
  });

  it('safety notices: a chief for a station of theirs, the whole city only city-wide; public read by area', async () => {
    const body = (extra: Record<string, unknown>) => ({ title: '防范电信诈骗', body: '冒充客服退款的都是诈骗', validFrom: minutesAgo(5), validTo: new Date(Date.now() + 86_400_000).toISOString(), stationId: station.code, ...extra });
    const mine = await req('POST', '/citizen-notices', chief, body({}));
    expect(mine.statusCode, mine.body).toBe(201);
    expect((await req('POST', '/citizen-notices', chief, body({ stationId: null }))).json().error.field).toBe('stationId');
    expect((await req('POST', '/citizen-notices', chief, body({ stationId: otherStation.code }))).json().error.field).toBe('stationId');
    expect((await req('POST', '/citizen-notices', chief, body({ validTo: minutesAgo(10) }))).json().error.field).toBe('validTo');
    const city = await req('POST', '/citizen-notices', admin, body({ title: '暴雨预警', stationId: null }));
    expect(city.statusCode, city.body).toBe(201);
    const later = await req('POST', '/citizen-notices', admin, body({ title: '明天的提示', stationId: null, validFrom: new Date(Date.now() + 3_600_000).toISOString() }));
    expect(later.statusCode).toBe(201);
    expect((await req('POST', '/citizen-notices', cit.a, body({}))).statusCode).toBe(401);
    const here = (await t.app.inject({ url: `/api/v1/public/notices?lon=${lon}&lat=${lat}` })).json().items.map((n: { title: string }) => n.title);
    expect(here).toEqual(expect.arrayContaining(['防范电信诈骗', '暴雨预警']));
    expect(here).not.toContain('明天的提示');
    const [olon, olat] = otherStation.center!;
    const there = (await t.app.inject({ url: `/api/v1/public/notices?lon=${olon}&lat=${olat}` })).json().items.map((n: { title: string }) => n.title);
    expect(there).toEqual(['暴雨预警']);
    expect((await req('DELETE', `/citizen-notices/${mine.json().id}`, chief)).json().withdrawn).toBe(true);
    expect((await t.app.inject({ url: `/api/v1/public/notices?stationId=${station.code}` })).json().items.map((n: { title: string }) => n.title)).toEqual(['暴雨预警']);
  });

  it('the public map: public fields only, place rounded to about 100 m, at most 500, the box checked', async () => {
    const at = north(-600);
    const r = (await req('POST', '/citizen/reports', cit.c, { serviceCode: '102', description: '小区门口路灯下有可疑人员徘徊 私密细节', location: at, ignoreDuplicates: true })).json();
    expect(r.id).toBeTruthy();
    const box = `${lon - 0.02},${lat - 0.02},${lon + 0.02},${lat + 0.02}`;
    const res = await t.app.inject({ url: `/api/v1/public/citizen-reports?bbox=${box}` });
    expect(res.statusCode, res.body).toBe(200);
    const text = res.body;
    expect(text).not.toContain('私密细节');
    expect(text).not.toContain(phones.c);
    const item = res.json().items.find((i: { lat: number; category: { code: string } }) => i.category.code === '102' && Math.abs(i.lat - at.lat) < 0.001);
    expect(item).toBeTruthy();
    expect(Object.keys(item).sort()).toEqual(['ageHours', 'area', 'category', 'lat', 'lon', 'status']);
    expect(Math.round(item.lat * 1000) / 1000).toBe(item.lat);
    expect(item.area).toBe(station.name);
    expect((await t.app.inject({ url: '/api/v1/public/citizen-reports?bbox=1,2,3' })).json().error.field).toBe('bbox');
    // More than 500 open reports in the box: 500 answered, marked truncated.
    await t.database.db.execute(sql`insert into citizen_reports (citizen_id, channel, service_code, description, lon, lat, station_id, unit_id, route, status, token)
      select null, 'demo', '101', 'x', ${lon} + g * 0.00001, ${lat}, ${station.code}, ${station.code}, 'station', 'received', 'bulk-' || g from generate_series(1, 510) g`);
    const many = (await t.app.inject({ url: `/api/v1/public/citizen-reports?bbox=${box}` })).json();
    expect(many.items).toHaveLength(500);
    expect(many.truncated).toBe(true);
  });
});
