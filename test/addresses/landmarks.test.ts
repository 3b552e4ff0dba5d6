/**
 * Issue 11 #4: landmarks (hotels, schools, hospitals, squares, bridges, stations) beside the registry.
 * The address search offers them marked as landmarks; the demo city's list comes from its road data
 * and a list of well-known places; administrators add and edit landmarks inside their jurisdiction,
 * validated field by field and audited with what changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { auditLog, landmarks } from '../../src/db/schema.js';
import { createUserFromCli } from '../../src/modules/users/bootstrap.js';
import { demoOrganisation } from '../../src/demo/city.js';

const stations = demoOrganisation().filter((u) => u.kind === 'station');
const byCode = (code: string) => stations.find((s) => s.code === code)!;

interface Hit {
  code: string;
  text: string;
  kind?: string;
  landmarkKind?: string;
  stationId: string | null;
  alias?: string;
}

describe.each(testDrivers())('landmarks on %s', (driver) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let calltaker: Record<string, string>;
  let stationAdmin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(driver, { addresses: true });
    admin = await t.login('admin');
    calltaker = await t.login('calltaker');
    await createUserFromCli(t.database.db, { username: 'admin0101', displayName: 'admin0101', password: 'station-admin-pw-1', roles: ['admin'], unitCode: 'MO0101' });
    stationAdmin = await t.login('admin0101', 'station-admin-pw-1');
  });
  afterAll(() => t?.close());

  const search = async (q: string, limit = 8): Promise<Hit[]> => (await t.app.inject({ url: `/api/v1/addresses/search?q=${encodeURIComponent(q)}&limit=${limit}`, headers: calltaker })).json();
  const post = (payload: Record<string, unknown>, headers = admin) => t.app.inject({ method: 'POST', url: '/api/v1/landmarks', headers, payload });
  const patch = (id: string, payload: Record<string, unknown>, headers = admin) => t.app.inject({ method: 'PATCH', url: `/api/v1/landmarks/${id}`, headers, payload });
  const lastAudit = async (action: string, id: string) => (await t.database.db.select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.entityId, id))).orderBy(desc(auditLog.seq)).limit(1))[0];

  it('the address search offers a landmark, marked as one, before registry addresses that match less', async () => {
    const [first] = await search('威尼斯人酒店正门');
    expect(first).toMatchObject({ kind: 'landmark', landmarkKind: 'hotel', text: '澳門威尼斯人' });
    expect(first.code).toMatch(/^landmark:/);
    expect(first.stationId).toMatch(/^MO\d{4}$/);
    // A registry address typed in full stays first and is marked as one.
    const [addr] = await search('大学马路12');
    expect(addr.kind).toBe('address');
    expect(addr.text).toMatch(/大學大馬路12號/);
    // Other names, simplified or English: 山顶医院 is the S. Januário hospital; Border Gate is 關閘.
    expect((await search('山顶医院'))[0]).toMatchObject({ kind: 'landmark', landmarkKind: 'hospital', text: '仁伯爵綜合醫院', alias: '山頂醫院' });
    expect((await search('Border Gate'))[0]).toMatchObject({ kind: 'landmark', landmarkKind: 'border', text: '關閘' });
  });

  it('the demo list holds bridges, squares and roundabouts of the road data, inside the city', async () => {
    expect((await search('友谊大桥'))[0]).toMatchObject({ kind: 'landmark', landmarkKind: 'bridge', text: '友誼大橋' });
    expect((await search('宋玉生广场'))[0]).toMatchObject({ kind: 'landmark', landmarkKind: 'square', text: '宋玉生廣場' });
    const all = await t.database.db.select().from(landmarks);
    expect(all.filter((l) => l.source === 'roads').length).toBeGreaterThan(30);
    expect(new Set(all.map((l) => l.kind))).toEqual(new Set(['hotel', 'school', 'hospital', 'station', 'border', 'sight', 'public', 'bridge', 'square']));
    expect(all.every((l) => l.stationId !== null)).toBe(true);
    const list = (await t.app.inject({ url: `/api/v1/landmarks?q=${encodeURIComponent('大橋')}&kind=bridge`, headers: calltaker })).json();
    expect(list.items.map((l: { name: string }) => l.name)).toEqual(expect.arrayContaining(['友誼大橋', '西灣大橋', '嘉樂庇總督大橋']));
  });

  it('an administrator adds and edits landmarks; each change is audited and searchable at once', async () => {
    const [lon, lat] = byCode('MO0203').center!;
    const res = await post({ name: '望德测试小学', aliases: ['Test Primary School', ' 望德小学 ', '望德测试小学'], kind: 'school', lon, lat });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ name: '望德测试小学', aliases: ['Test Primary School', '望德小学'], kind: 'school', stationId: 'MO0203', source: 'manual', active: true });
    expect((await search('望德小学'))[0]).toMatchObject({ kind: 'landmark', text: '望德测试小学', landmarkKind: 'school' });
    await expect.poll(async () => (await lastAudit('landmark.create', created.id))?.detail).toMatchObject({ name: '望德测试小学', kind: 'school' });

    const renamed = await patch(created.id, { name: '望德实验小学', kind: 'school' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((await search('望德实验小学'))[0]?.text).toBe('望德实验小学');
    await expect.poll(async () => (await lastAudit('landmark.update', created.id))?.detail).toMatchObject({ changed: ['name'], before: { name: '望德测试小学' }, after: { name: '望德实验小学' } });

    const off = await patch(created.id, { active: false });
    expect(off.json().active).toBe(false);
    expect((await search('望德实验小学')).filter((h) => h.kind === 'landmark' && h.text === '望德实验小学')).toEqual([]);
  });

  it('refuses bad input naming the field (zh and en), duplicates, other roles and places outside the jurisdiction', async () => {
    const [lon, lat] = byCode('MO0303').center!;
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ name: '', kind: 'school', lon, lat }, 400, 'too_short', 'name'],
      [{ name: '   ', kind: 'school', lon, lat }, 400, 'too_short', 'name'],
      [{ name: '某学校', kind: 'castle', lon, lat }, 400, 'invalid_value', 'kind'],
      [{ name: '某学校', kind: 'school', lon: 200, lat }, 400, 'out_of_range', 'lon'],
      [{ name: '某学校', kind: 'school', lon }, 400, 'required', 'lat'],
      [{ name: '某学校', kind: 'school', lon, lat, colour: 'red' }, 400, 'unknown_field', 'colour'],
      [{ name: '澳門威尼斯人', kind: 'hotel', lon, lat }, 409, 'duplicate', 'name'],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error, JSON.stringify(body)).toMatchObject({ code, field });
    }
    const en = await t.app.inject({ method: 'POST', url: '/api/v1/landmarks', headers: { ...admin, 'accept-language': 'en' }, payload: { name: '某学校', kind: 'castle', lon, lat } });
    expect(en.json().error.message).toMatch(/kind/);
    expect((await post({ name: '来电人学校', kind: 'school', lon, lat }, calltaker)).statusCode).toBe(403);
    // A station's administrator places landmarks only inside the station.
    const outside = await post({ name: '别处的学校', kind: 'school', lon, lat }, stationAdmin);
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error).toMatchObject({ code: 'outside_your_jurisdiction', field: 'lon' });
    const [lon1, lat1] = byCode('MO0101').center!;
    const inside = await post({ name: '本所辖区学校', kind: 'school', lon: lon1, lat: lat1 }, stationAdmin);
    expect(inside.statusCode, inside.body).toBe(201);
    const moved = await patch(inside.json().id, { lon, lat }, stationAdmin);
    expect(moved.statusCode).toBe(403);
    expect((await patch('no-such-landmark', { active: false })).statusCode).toBe(404);
    expect((await patch(inside.json().id, {})).statusCode).toBe(400);
    expect(await t.database.db.select().from(landmarks).where(eq(landmarks.name, '别处的学校'))).toHaveLength(0);
  });
});
