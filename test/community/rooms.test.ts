import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { users } from '../../src/db/schema.js';
import { hashPassword } from '../../src/modules/auth/index.js';
import { DEMO_PASSWORD } from '../../src/demo/seed.js';
import { localDay } from '../../src/core/clock.js';
import { receptionAt, USUAL_HOURS } from '../../src/modules/community/index.js';

const units = demoOrganisation();
const station = units.find((u) => u.kind === 'station')!;
const otherStation = units.filter((u) => u.kind === 'station')[5]!;
const [lon, lat] = station.center!;
const ALWAYS = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, opens: '00:00', closes: '24:00' }));

describe.each(testDrivers())('community police rooms, finding → 12345 / task, on %s', (driver) => {
  let t: TestApp;
  let community: Record<string, string>;
  let chief: Record<string, string>;
  let otherChief: Record<string, string>;
  let communityId: string;
  let officerId: string;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-community-photos-'));
    process.env.SHOUWANG_MEDIA_DIR = dir;
    t = await createTestApp(driver, { roads: false, addresses: true });
    await t.database.db.insert(users).values({ id: randomUUID(), username: 'chief2', displayName: '所长 其他所', passwordHash: await hashPassword(DEMO_PASSWORD), roles: ['chief'], unitId: otherStation.code });
    [community, chief, otherChief] = await Promise.all(['community', 'chief', 'chief2'].map((u) => t.login(u)));
    const id = async (username: string) => (await t.database.db.select().from(users).where(eq(users.username, username)))[0]!.id;
    [communityId, officerId] = await Promise.all([id('community'), id('officer')]);
  });
  afterAll(async () => {
    await t?.close();
    delete process.env.SHOUWANG_MEDIA_DIR;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const req = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Record<string, string>, payload?: unknown, extra: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: { ...headers, ...extra }, ...(payload === undefined ? {} : { payload: payload as object }) });

  let roomId: string;
  it('the chief opens a room (Idempotency-Key: once); bad input is refused naming the field', async () => {
    const body = { name: '望德堂社区警务室', address: '望德堂街 1 號', location: { lon, lat }, officerIds: [communityId, officerId], hours: USUAL_HOURS, phone: '0853-2857 0001' };
    expect((await req('POST', '/police-rooms', community, body)).statusCode).toBe(403);
    const a = await req('POST', '/police-rooms', chief, body, { 'idempotency-key': 'room-1' });
    expect(a.statusCode, a.body).toBe(201);
    const b = await req('POST', '/police-rooms', chief, body, { 'idempotency-key': 'room-1' });
    expect(b.json().id).toBe(a.json().id);
    roomId = a.json().id;
    expect(a.json()).toMatchObject({ stationId: station.code, officers: [{ id: communityId, displayName: '社区民警 刘洋' }, { id: officerId }], visitors: 0, days: 30, openNow: receptionAt(USUAL_HOURS, Date.now()).open });
    const bad: [Record<string, unknown>, string, number][] = [
      [{ ...body, hours: [{ day: 1, opens: '09:00', closes: '12:00' }, { day: 1, opens: '11:00', closes: '13:00' }] }, 'hours.1', 400],
      [{ ...body, hours: [{ day: 1, opens: '12:00', closes: '09:00' }] }, 'hours.0.closes', 400],
      [{ ...body, hours: [{ day: 8, opens: '09:00', closes: '12:00' }] }, 'hours.0.day', 400],
      [{ ...body, officerIds: [randomUUID()] }, 'officerIds.0', 400],
      [{ ...body, location: { lon: 0, lat: 0 } }, 'location', 400],
    ];
    for (const [b2, field, status] of bad) {
      for (const lang of ['zh-CN', 'en']) {
        const res = await req('POST', '/police-rooms', chief, b2, { 'accept-language': lang });
        expect(res.statusCode, JSON.stringify(b2)).toBe(status);
        expect(res.json().error.field).toBe(field);
      }
    }
    // Another station's chief cannot open a room in our station.
    expect((await req('POST', '/police-rooms', otherChief, { ...body, officerIds: [] })).statusCode).toBe(403);
  });

  it('jurisdiction: another station’s chief gets 404 on the room, its log and its changes', async () => {
    expect((await req('GET', `/police-rooms/${roomId}`, chief)).statusCode).toBe(200);
    expect((await req('GET', `/police-rooms/${roomId}`, otherChief)).statusCode).toBe(404);
    expect((await req('GET', `/police-rooms/${roomId}/visitors`, otherChief)).statusCode).toBe(404);
    expect((await req('PATCH', `/police-rooms/${roomId}`, otherChief, { phone: null })).statusCode).toBe(404);
    expect((await req('POST', `/police-rooms/${roomId}/visitors`, otherChief, { purpose: 'consultation', visitors: 1 })).statusCode).toBe(404);
    expect((await req('GET', '/police-rooms', otherChief)).json().items.map((r: { id: string }) => r.id)).not.toContain(roomId);
  });

  it('the chief changes the hours; the room is open now when its hours say so', async () => {
    const res = await req('PATCH', `/police-rooms/${roomId}`, chief, { hours: ALWAYS, phone: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ openNow: true, closesAt: null, phone: null });
    expect((await req('PATCH', `/police-rooms/${roomId}`, chief, {})).statusCode).toBe(400);
    // A place in another station's area is outside the chief's jurisdiction.
    expect((await req('PATCH', `/police-rooms/${roomId}`, chief, { location: { lon: otherStation.center![0], lat: otherStation.center![1] } })).statusCode).toBe(403);
  });

  it('the officer logs visitors by purpose (a count, no names; once per Idempotency-Key); counts by purpose', async () => {
    const a = await req('POST', `/police-rooms/${roomId}/visitors`, community, { purpose: 'paperwork', visitors: 2 }, { 'idempotency-key': 'visitors-1' });
    expect(a.statusCode, a.body).toBe(201);
    expect((await req('POST', `/police-rooms/${roomId}/visitors`, community, { purpose: 'paperwork', visitors: 2 }, { 'idempotency-key': 'visitors-1' })).json().id).toBe(a.json().id);
    expect((await req('POST', `/police-rooms/${roomId}/visitors`, community, { purpose: 'consultation', visitors: 1, note: '咨询居住证' })).statusCode).toBe(201);
    const bad: [Record<string, unknown>, string][] = [
      [{ purpose: 'gossip', visitors: 1 }, 'purpose'],
      [{ purpose: 'dispute', visitors: 0 }, 'visitors'],
      [{ purpose: 'dispute', visitors: 1, case: { kind: 'dispute', id: randomUUID() } }, 'case.id'],
      [{ purpose: 'dispute', visitors: 1, name: '张三' }, 'name'],
    ];
    for (const [body, field] of bad) {
      const res = await req('POST', `/police-rooms/${roomId}/visitors`, community, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.field).toBe(field);
    }
    const log = (await req('GET', `/police-rooms/${roomId}/visitors`, chief)).json();
    expect(log).toMatchObject({ entries: 2, visitors: 3, visitorsByPurpose: { paperwork: 2, consultation: 1, dispute: 0 } });
    expect(log.items[0]).toMatchObject({ case: null, recordedBy: 'community' });
    const mine = (await req('GET', '/police-rooms?mine=true', community)).json();
    expect(mine.items).toEqual([expect.objectContaining({ id: roomId, visitors: 3, visitorsByPurpose: expect.objectContaining({ paperwork: 2 }) })]);
    expect((await req('GET', '/police-rooms?mine=true', chief)).json().items).toEqual([]);
  });

  it('the public list (no sign-in): public fields only, nearest first, open now', async () => {
    const far = await req('POST', '/police-rooms', otherChief, { name: '远处警务室', address: '远处', location: { lon: otherStation.center![0], lat: otherStation.center![1] }, hours: [] });
    expect(far.statusCode, far.body).toBe(201);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/public/police-rooms?lon=${lon}&lat=${lat}&limit=5` });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as Record<string, unknown>[];
    expect(items.map((r) => r.id)).toEqual([roomId, far.json().id]);
    expect(items[0]).toMatchObject({ name: '望德堂社区警务室', openNow: true, distanceM: 0 });
    expect(items[1]).toMatchObject({ openNow: false, nextOpensAt: null });
    expect((items[1]!.distanceM as number) > 0).toBe(true);
    for (const r of items) expect(Object.keys(r).sort()).toEqual(['address', 'closesAt', 'distanceM', 'hours', 'id', 'location', 'name', 'nextOpensAt', 'openNow']);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/public/police-rooms?lon=${lon}` })).json().error.field).toBe('lat');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/public/police-rooms?limit=1' })).json().items).toHaveLength(1);
  });

  it('a finding becomes a 12345 transfer (incidents’ transfer path) or a task of the grid’s officer, once each; the visit shows where they went', async () => {
    const v = await req('POST', '/visits', community, { location: { lon, lat }, services: ['security_check'], findings: [{ code: 'public_facility', note: '路灯不亮' }, { code: 'fire_hazard', note: '楼道堆放杂物' }] });
    expect(v.statusCode, v.body).toBe(201);
    const id = v.json().id as string;
    expect((await req('POST', `/visits/${id}/findings/0/hotline12345`, community, { categoryCode: '01010101' })).json().error.field).toBe('categoryCode');
    const h = await req('POST', `/visits/${id}/findings/0/hotline12345`, community, {}, { 'idempotency-key': 'hotline-1' });
    expect(h.statusCode, h.body).toBe(201);
    expect(h.json().followUp).toMatchObject({ kind: 'hotline12345', number: expect.any(String) });
    // A retry with the same key: the same answer, no second incident.
    expect((await req('POST', `/visits/${id}/findings/0/hotline12345`, community, {}, { 'idempotency-key': 'hotline-1' })).json()).toEqual(h.json());
    expect((await req('POST', `/visits/${id}/findings/0/hotline12345`, community, {})).statusCode).toBe(409);
    expect((await req('POST', `/visits/${id}/findings/0/task`, community, {})).statusCode).toBe(409);
    const inc = (await req('GET', `/incidents/${h.json().followUp.id}`, chief)).json();
    expect(inc).toMatchObject({ status: 'transferred', categoryCode: '08010102', source: 'officer' });
    expect(inc.description).toContain('路灯不亮');

    expect((await req('POST', `/visits/${id}/findings/1/task`, community, { dueOn: '2001-01-01' })).json().error.field).toBe('dueOn');
    const task = await req('POST', `/visits/${id}/findings/1/task`, community, {});
    expect(task.statusCode, task.body).toBe(201);
    const taskId = task.json().followUp.id as string;
    const mine = (await req('GET', '/me/tasks', community)).json();
    expect(mine.items).toEqual([expect.objectContaining({ id: taskId, title: '楼道堆放杂物', status: 'open', ownerId: communityId, overdue: false, dueOn: expect.any(String) })]);
    expect(mine.items[0].dueOn > localDay(new Date())).toBe(true);
    const detail = (await req('GET', `/visits/${id}`, chief)).json();
    expect(detail.findings.map((f: { followUp: { kind: string } }) => f.followUp.kind)).toEqual(['hotline12345', 'task']);
    expect((await req('POST', `/tasks/${taskId}/close`, otherChief, {})).statusCode).toBe(404);
    const closed = await req('POST', `/tasks/${taskId}/close`, community, { note: '已清理' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'done', closingNote: '已清理' });
    expect((await req('POST', `/tasks/${taskId}/close`, community, {})).statusCode).toBe(409);
  });

  it('KPI: police-room visitors per day is a value (visitors ÷ days)', async () => {
    const today = localDay(new Date());
    const from = localDay(new Date(Date.now() - 9 * 86_400_000));
    const res = await req('GET', `/kpis/values?from=${from}&to=${today}&compare=none&ids=community.police_room_visitors_per_day`, chief);
    expect(res.statusCode, res.body).toBe(200);
    const k = res.json().items[0];
    expect(k.unit).toBe('value');
    expect(k.current.numerator).toBe(3);
    expect(k.current.denominator).toBeGreaterThan(0);
    expect(k.current.value).toBeCloseTo(3 / k.current.denominator);
    const other = (await req('GET', `/kpis/values?from=${from}&to=${today}&compare=none&ids=community.police_room_visitors_per_day`, otherChief)).json();
    expect(other.items[0].current.numerator).toBe(0);
  });

  it('photos of a visit: EXIF and GPS stripped (read back), at most 6, only staff of the jurisdiction see them', async () => {
    const v = await req('POST', '/visits', community, { location: { lon, lat }, services: ['security_check'], findings: [] });
    const id = v.json().id as string;
    const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 40, g: 90, b: 200 } } })
      .jpeg()
      .withExif({ IFD0: { Make: 'PhoneMaker' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '22/1 12/1 0/1' } })
      .toBuffer();
    const up = (body: Buffer, who = community, type = 'image/jpeg') => t.app.inject({ method: 'POST', url: `/api/v1/visits/${id}/photos`, headers: { ...who, 'content-type': type }, payload: body });
    const first = await up(jpeg);
    expect(first.statusCode, first.body).toBe(201);
    const back = await t.app.inject({ method: 'GET', url: `/api/v1/visits/${id}/photos/${first.json().id}`, headers: chief });
    expect(back.statusCode).toBe(200);
    const meta = await sharp(back.rawPayload).metadata();
    expect(meta.exif).toBeUndefined();
    expect(back.rawPayload.includes(Buffer.from('PhoneMaker'))).toBe(false);
    expect((await sharp((await t.app.inject({ method: 'GET', url: `/api/v1/visits/${id}/photos/${first.json().id}?thumb=true`, headers: chief })).rawPayload).metadata()).width).toBe(320);
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(2000)]);
    expect((await up(elf, community, 'application/octet-stream')).statusCode).toBe(415);
    expect((await up(jpeg, otherChief)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/visits/${id}/photos/${first.json().id}`, headers: otherChief })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/visits/${id}/photos`, headers: otherChief })).statusCode).toBe(404);
    for (let i = 1; i < 6; i++) expect((await up(jpeg)).statusCode).toBe(201);
    expect((await up(jpeg)).statusCode).toBe(409);
    expect((await req('GET', `/visits/${id}/photos`, chief)).json().items).toHaveLength(6);
  });
});
