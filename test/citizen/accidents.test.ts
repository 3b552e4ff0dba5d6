/**
 * 快处快赔 on both databases: driver A starts an accident with photos and gets a shared code, driver B
 * joins on their own session, the chief of the station determines liability, both confirm, the insurer's
 * reference closes it; a third citizen sees none of it (404); wrong codes are limited; an injury ends the
 * online path (call 110); staff reads are audited; the KPI counts handled-online over all reported.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { rawQuery } from '../../src/db/client.js';
import { citizenHeaders, createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { ACCIDENT_KPIS } from '../../src/modules/citizen/accident/kpis.js';
import type { Principal } from '../../src/core/access.js';
import type { CitizenDeps } from '../../src/modules/citizen/index.js';
import { seedDemoAccidents } from '../../src/demo/citizen-accidents.js';

const units = demoOrganisation();
const station = units.find((u) => u.kind === 'station')!;
const [lon, lat] = station.center!;

describe.each(testDrivers())('快处快赔 API on %s', (driver) => {
  let t: TestApp;
  let dir: string;
  let chief: Record<string, string>;
  const cit: Record<string, Record<string, string>> = {};
  let ip = 0;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-accident-'));
    process.env.SHOUWANG_MEDIA_DIR = dir;
    t = await createTestApp(driver, { roads: false });
    chief = await t.login('chief');
    for (const [name, phone] of [['a', '13800000031'], ['b', '13800000032'], ['c', '13800000033'], ['d', '13800000034']]) {
      const addr = `10.5.0.${++ip}`;
      cit[name] = await citizenHeaders(t.app, phone, addr);
    }
  });
  afterAll(async () => {
    await t?.close();
    delete process.env.SHOUWANG_MEDIA_DIR;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const req = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: unknown) => t.app.inject({ method, url: `/api/v1${url}`, headers, payload: payload as object });
  const photo = async (who: Record<string, string>) => {
    const img = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#369' } }).jpeg().toBuffer();
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/citizen/photos', headers: { ...who, 'content-type': 'image/jpeg' }, payload: img });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const start = (who: Record<string, string>, extra: Record<string, unknown> = {}) =>
    req('POST', '/citizen/accidents', who, { kind: 'minor_accident', location: { lon, lat }, placeText: '新马路近议事亭前地', plate: '粤A12345', insurer: '中国人保', statement: '我直行，对方从右侧变道刮擦我车左后门', ...extra });

  it('the whole flow: start, join by code, submit, determine, both confirm, insurer reference; isolation and audit', async () => {
    const pa = await photo(cit.a);
    const made = await start(cit.a, { mediaIds: [pa] });
    expect(made.statusCode, made.body).toBe(201);
    const acc = made.json();
    expect(acc).toMatchObject({ kind: 'minor_accident', status: 'drafted', myRole: 'a' });
    expect(acc.code).toMatch(/^\d{6}$/);
    expect(new Date(acc.codeExpiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    // Kept only hashed.
    const stored = await rawQuery<{ code_hash: string }>(t.database.db, `select code_hash from citizen_accidents where id = ${Number(acc.id)}`);
    expect(stored[0].code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(acc.code);

    // Not before B joined.
    const early = await req('POST', `/citizen/accidents/${acc.id}/submit`, cit.a);
    expect(early.statusCode).toBe(409);
    // A cannot join their own accident; C (a stranger) sees nothing of it.
    expect((await req('POST', '/citizen/accidents/join', cit.a, { code: acc.code, plate: 'MX-12-34', insurer: '平安', statement: '对方追尾我车' })).statusCode).toBe(400);
    for (const url of [`/citizen/accidents/${acc.id}`, `/citizen/accidents/${acc.id}/agreement.docx`, `/citizen/accidents/${acc.id}/photos/${pa}`]) expect((await req('GET', url, cit.c)).statusCode, url).toBe(404);
    expect((await req('POST', `/citizen/accidents/${acc.id}/confirm`, cit.c)).statusCode).toBe(404);
    expect((await req('GET', '/citizen/accidents', cit.c)).json().items).toHaveLength(0);

    const pb = await photo(cit.b);
    const joined = await req('POST', '/citizen/accidents/join', cit.b, { code: ` ${acc.code.slice(0, 3)} ${acc.code.slice(3)}`, plate: 'mx-12-34', insurer: '平安保险', statement: '我在变道时与对方车辆发生刮擦', mediaIds: [pb] });
    expect(joined.statusCode, joined.body).toBe(200);
    expect(joined.json()).toMatchObject({ status: 'joined', myRole: 'b' });
    expect(joined.json().parties.map((p: { plate: string }) => p.plate)).toEqual(['粤A12345', 'MX1234']);
    // B sees A's photo; the code is spent.
    expect((await req('GET', `/citizen/accidents/${acc.id}/photos/${pa}?thumb=true`, cit.b)).statusCode).toBe(200);
    expect((await req('POST', '/citizen/accidents/join', cit.c, { code: acc.code, plate: '粤B00001', insurer: 'X', statement: '我也想加入' })).statusCode).toBe(404);

    expect((await req('POST', `/citizen/accidents/${acc.id}/submit`, cit.b)).json().status).toBe('submitted');

    // The officer's queue: awaiting determination first; phones masked; the read audited.
    const queue = await req('GET', '/citizen-accidents?status=submitted', chief);
    expect(queue.statusCode, queue.body).toBe(200);
    expect(queue.json().items.map((i: { id: string }) => i.id)).toContain(acc.id);
    const detail = await req('GET', `/citizen-accidents/${acc.id}`, chief);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json().parties[0].phone).toMatch(/^138\*{4}\d{4}$/);
    expect(detail.json().parties[1].statement).toContain('变道');
    const audited = await rawQuery<{ action: string; username: string }>(t.database.db, `select action, username from audit_log where entity = 'citizen_accident' and entity_id = '${acc.id}' and action = 'citizen.accident.read'`);
    expect(audited.map((a) => a.username)).toContain('chief');
    // A citizen cookie opens no officer route.
    expect((await req('GET', `/citizen-accidents/${acc.id}`, cit.a)).statusCode).toBe(401);

    const bad = await req('POST', `/citizen-accidents/${acc.id}/determine`, { ...chief, 'accept-language': 'en' }, { liability: 'b_main', reason: ' ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('reason');
    const det = await req('POST', `/citizen-accidents/${acc.id}/determine`, chief, { liability: 'b_main', reason: '乙方变道未让直行车辆先行', videoLink: 'https://meet.example/kpkc' });
    expect(det.statusCode, det.body).toBe(200);
    expect(det.json().agreement).toContain('甲方负次要责任，乙方负主要责任');
    expect(det.json().agreement).toContain('警号 chief');

    // Both confirm on their own phones.
    const ca = await req('POST', `/citizen/accidents/${acc.id}/confirm`, cit.a);
    expect(ca.json()).toMatchObject({ status: 'liability_determined' });
    expect((await req('POST', `/citizen/accidents/${acc.id}/confirm`, cit.a)).statusCode).toBe(409);
    expect((await req('POST', `/citizen-accidents/${acc.id}/close`, chief, { insurerRef: 'PA-1' })).statusCode).toBe(409);
    const cb = await req('POST', `/citizen/accidents/${acc.id}/confirm`, cit.b);
    expect(cb.json()).toMatchObject({ status: 'agreed', liability: 'b_main' });
    expect(cb.json().parties.every((p: { confirmed: boolean }) => p.confirmed)).toBe(true);

    const docx = await req('GET', `/citizen/accidents/${acc.id}/agreement.docx`, cit.b);
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');

    const closed = await req('POST', `/citizen-accidents/${acc.id}/close`, { ...chief, 'idempotency-key': `close-${driver}` }, { insurerRef: 'PICC-2026-12-0001' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', insurerRef: 'PICC-2026-12-0001' });
    const a = await req('GET', `/citizen/accidents/${acc.id}`, cit.a);
    expect(a.json().history.map((h: { status: string }) => h.status)).toEqual(['drafted', 'joined', 'submitted', 'liability_determined', 'confirmed', 'agreed', 'closed']);
    expect(JSON.stringify(a.json())).not.toContain('chief"');
  });

  it('brute force on the shared code: 5 wrong codes, then even the right one is refused', async () => {
    const acc = (await start(cit.a, { plate: '粤A54321' })).json();
    const wrong = acc.code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const r = await req('POST', '/citizen/accidents/join', cit.d, { code: wrong, plate: '粤B11111', insurer: '太平洋', statement: '对方倒车撞到我的车' });
      expect(r.statusCode, r.body).toBe(404);
      expect(r.json().error.field).toBe('code');
    }
    const locked = await req('POST', '/citizen/accidents/join', cit.d, { code: acc.code, plate: '粤B11111', insurer: '太平洋', statement: '对方倒车撞到我的车' });
    expect(locked.statusCode).toBe(429);
    // Another citizen is not locked out by d's tries: B joins fine.
    expect((await req('POST', '/citizen/accidents/join', cit.b, { code: acc.code, plate: '粤B22222', insurer: '太平洋', statement: '对方倒车撞到我的车' })).statusCode).toBe(200);
  });

  it('an injury ends the online path with "call 110"; so does a refusal after joining', async () => {
    const hurt = await start(cit.a, { injury: true, plate: '粤A99999' });
    expect(hurt.statusCode, hurt.body).toBe(201);
    expect(hurt.json()).toMatchObject({ status: 'escalated_to_110', code: null });
    expect(hurt.json().call110.zh).toContain('110');
    expect((await req('POST', `/citizen/accidents/${hurt.json().id}/submit`, cit.a)).statusCode).toBe(409);

    const acc = (await start(cit.a, { plate: '粤A88888' })).json();
    await req('POST', '/citizen/accidents/join', cit.c, { code: acc.code, plate: '粤C12345', insurer: '大地保险', statement: '对方急刹我追尾了' });
    const esc = await req('POST', `/citizen/accidents/${acc.id}/escalate`, cit.c, { reason: 'injury' });
    expect(esc.statusCode, esc.body).toBe(200);
    expect(esc.json()).toMatchObject({ status: 'escalated_to_110' });
    expect(esc.json().call110.en).toContain('call 110');
    expect((await req('POST', `/citizen-accidents/${acc.id}/determine`, chief, { liability: 'equal', reason: '同等' })).statusCode).toBe(409);
  });

  it('KPI: handled online over every accident reported, as whole numbers', async () => {
    const root = units.find((u) => u.kind === 'bureau')!;
    const p: Principal = { kind: 'user', id: 'x', username: 'x', displayName: 'x', roles: ['admin'], unitId: root.code, unitPath: `/${root.code}/`, unitKind: 'bureau', scopes: [] };
    const m = (await ACCIDENT_KPIS[0].measure!(t.database.db, { principal: p, from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 60_000) })) as { value: number | null; numerator: number; denominator: number };
    // 4 accidents: 1 closed online, 1 joined (still open), 2 escalated.
    expect(m).toMatchObject({ numerator: 1, denominator: 4 });
    expect(m.value).toBeCloseTo(0.25);
    expect(Number.isInteger(m.numerator) && Number.isInteger(m.denominator)).toBe(true);
  });

  it('the demo: ≥ 90% handled online over two months, one awaiting determination now, once per database', async () => {
    const deps = t.app.kernel.api<CitizenDeps>('citizen');
    expect(await seedDemoAccidents(deps, t.database.db)).toBe(26);
    expect(await seedDemoAccidents(deps, t.database.db)).toBe(0);
    const rows = await rawQuery<{ status: string; n: number }>(t.database.db, `select status, count(*)::int as n from citizen_accidents where channel = 'demo' group by status`);
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    expect(by).toMatchObject({ closed: 23, agreed: 1, escalated_to_110: 1, submitted: 1 });
    const root = units.find((u) => u.kind === 'bureau')!;
    const p: Principal = { kind: 'user', id: 'x', username: 'x', displayName: 'x', roles: ['admin'], unitId: root.code, unitPath: `/${root.code}/`, unitKind: 'bureau', scopes: [] };
    const m = (await ACCIDENT_KPIS[0].measure!(t.database.db, { principal: p, from: new Date(Date.now() - 62 * 86_400_000), to: new Date(Date.now() - 2 * 3_600_000) })) as { value: number };
    expect(m.value).toBeGreaterThanOrEqual(0.9);
    // The open one is in the chief's queue, awaiting determination.
    const q = await req('GET', '/citizen-accidents?status=submitted', chief);
    expect(q.json().items.some((i: { parties: { plate: string }[] }) => i.parties.length === 2)).toBe(true);
  });
});
