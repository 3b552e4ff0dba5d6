import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { users } from '../../src/db/schema.js';
import { hashPassword } from '../../src/modules/auth/index.js';
import { DEMO_PASSWORD } from '../../src/demo/seed.js';
import { localDay } from '../../src/core/clock.js';

const units = demoOrganisation();
const station = units.find((u) => u.kind === 'station')!;
const grid = units.find((u) => u.kind === 'grid' && u.parentKey === station.key)!;
const otherStation = units.filter((u) => u.kind === 'station')[5]!;
const otherGrid = units.find((u) => u.kind === 'grid' && u.parentKey === otherStation.key)!;

interface PlanItem { addressCode: string; reason: string }
interface PlanGrid { gridId: string; items: PlanItem[]; done: number; target: { perWeek: number }; skipped: { addressCode: string }[]; longestUnvisited: unknown[] }

describe.each(testDrivers())('community policing API on %s', (driver) => {
  let t: TestApp;
  let community: Record<string, string>;
  let chief: Record<string, string>;
  let admin: Record<string, string>;
  let stranger: Record<string, string>;
  let communityId: string;
  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false, addresses: true });
    // A community officer of another station.
    await t.database.db.insert(users).values({ id: randomUUID(), username: 'community2', displayName: '社区民警 其他所', passwordHash: await hashPassword(DEMO_PASSWORD), roles: ['community'], unitId: otherGrid.code });
    [community, chief, admin, stranger] = await Promise.all(['community', 'chief', 'admin', 'community2'].map((u) => t.login(u)));
    communityId = (await t.database.db.select().from(users).where(eq(users.username, 'community')))[0]!.id;
  });
  afterAll(() => t?.close());

  const req = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: unknown, extra: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: { ...headers, ...extra }, ...(payload === undefined ? {} : { payload: payload as object }) });

  it('the chief gives a grid its owner and target; grids show owners, target, doors and coverage', async () => {
    const refused = await req('PUT', `/grids/${grid.code}/owners`, community, { userIds: [communityId] });
    expect(refused.statusCode).toBe(403);
    const chiefId = (await t.database.db.select().from(users).where(eq(users.username, 'chief')))[0]!.id;
    const notCommunity = await req('PUT', `/grids/${grid.code}/owners`, chief, { userIds: [chiefId] });
    expect(notCommunity.statusCode).toBe(400);
    expect(notCommunity.json().error.field).toBe('userIds.0');
    const res = await req('PUT', `/grids/${grid.code}/owners`, chief, { userIds: [communityId] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: grid.code, owners: [{ id: communityId, displayName: '社区民警 刘洋' }], target: { households: 10, units: 5, perWeek: 15, isDefault: true } });
    const list = (await req('GET', '/grids?days=30', chief)).json();
    const mine = list.items.find((g: { id: string }) => g.id === grid.code);
    expect(mine.doors).toBeGreaterThan(20);
    expect(mine).toMatchObject({ visitedDoors: 0, coverage: 0, days: 30 });
    expect(list.items.every((g: { stationId: string }) => g.stationId === station.code)).toBe(true);
    // The station's community officer sees the station's grids too; another station's does not see this one.
    expect((await req('GET', `/grids/${grid.code}`, community)).statusCode).toBe(200);
    expect((await req('GET', `/grids/${grid.code}`, stranger)).statusCode).toBe(404);
  });

  it('the week’s plan: the target’s number of doors, every one different, with a reason', async () => {
    const res = await req('GET', '/me/visit-plan', community);
    expect(res.statusCode, res.body).toBe(200);
    const plan = res.json() as { week: string; grids: PlanGrid[] };
    expect(plan.grids).toHaveLength(1);
    const g = plan.grids[0]!;
    expect(g.items).toHaveLength(15);
    expect(new Set(g.items.map((i) => i.addressCode)).size).toBe(15);
    expect(g.items.every((i) => ['never_visited', 'open_dispute', 'repeat_incidents'].includes(i.reason))).toBe(true);
    expect(g.longestUnvisited.length).toBe(10);
    // Only community officers have a plan.
    expect((await req('GET', '/me/visit-plan', chief)).statusCode).toBe(403);
  });

  let visitId: string;
  it('an offline visit sent twice with the same Idempotency-Key is one record; the plan moves on', async () => {
    const plan = (await req('GET', '/me/visit-plan', community)).json() as { grids: PlanGrid[] };
    const door = plan.grids[0]!.items[0]!.addressCode;
    const body = { addressCode: door, services: ['anti_fraud_advice', 'security_check'], findings: [{ code: 'dispute', note: '楼上楼下漏水纠纷' }], visitedAt: new Date(Date.now() - 3_600_000).toISOString(), metCount: 2 };
    const a = await req('POST', '/visits', community, body, { 'idempotency-key': 'visit-offline-1' });
    expect(a.statusCode, a.body).toBe(201);
    const b = await req('POST', '/visits', community, body, { 'idempotency-key': 'visit-offline-1' });
    expect(b.statusCode, b.body).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    visitId = a.json().id;
    expect(a.json()).toMatchObject({ addressCode: door, gridId: grid.code, stationId: station.code, premises: 'household', metCount: 2, findings: [{ index: 0, code: 'dispute', followUp: null }] });
    const visits = (await req('GET', `/visits?gridId=${grid.code}`, community)).json();
    expect(visits.items.filter((v: { addressCode: string }) => v.addressCode === door)).toHaveLength(1);
    expect(visits.total).toBe(1);
    const after = (await req('GET', '/me/visit-plan', community)).json() as { grids: PlanGrid[] };
    expect(after.grids[0]!.done).toBe(1);
    expect(after.grids[0]!.items).toHaveLength(14);
    expect(after.grids[0]!.items.map((i) => i.addressCode)).not.toContain(door);
    const g = (await req('GET', `/grids/${grid.code}`, chief)).json();
    expect(g.visitedDoors).toBe(1);
    expect(g.coverage).toBeCloseTo(1 / g.doors);
  });

  it('refuses bad visits with a 4xx naming the field, in both languages', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ services: ['security_check'], findings: [] }, 'addressCode'],
      [{ addressCode: 'X1', location: { lon: 113.55, lat: 22.2 }, services: ['security_check'], findings: [] }, 'location'],
      [{ addressCode: 'NO-SUCH-CODE', services: ['security_check'], findings: [] }, 'addressCode'],
      [{ location: { lon: 0, lat: 0 }, services: ['security_check'], findings: [] }, 'location'],
      [{ location: { lon: station.center![0], lat: station.center![1] }, services: [], findings: [] }, 'services'],
      [{ location: { lon: station.center![0], lat: station.center![1] }, services: ['haircut'], findings: [] }, 'services.0'],
      [{ location: { lon: station.center![0], lat: station.center![1] }, services: ['security_check'], findings: [], visitedAt: new Date(Date.now() + 86_400_000).toISOString() }, 'visitedAt'],
      [{ location: { lon: station.center![0], lat: station.center![1] }, services: ['security_check'], findings: [], householdName: '张三' }, 'householdName'],
    ];
    for (const [body, field] of cases) {
      for (const lang of ['zh-CN', 'en']) {
        const res = await req('POST', '/visits', community, body, { 'accept-language': lang });
        expect(res.statusCode, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.json().error.field, JSON.stringify(body)).toBe(field);
      }
    }
  });

  it('jurisdiction: another station’s community officer gets 404 for the visit and 403 for a visit at our doors', async () => {
    expect((await req('GET', `/visits/${visitId}`, stranger)).statusCode).toBe(404);
    const list = (await req('GET', '/visits', stranger)).json();
    expect(list.items.map((v: { id: string }) => v.id)).not.toContain(visitId);
    expect((await req('GET', `/visits?gridId=${grid.code}`, stranger)).statusCode).toBe(404);
    const at = await req('POST', '/visits', stranger, { location: { lon: station.center![0], lat: station.center![1] }, services: ['security_check'], findings: [] });
    expect(at.statusCode).toBe(403);
    expect((await req('POST', `/visits/${visitId}/findings/0/dispute`, stranger, { parties: [{ name: '甲', role: 'applicant' }] })).statusCode).toBe(404);
    // Without a plan of their own: no grid owned.
    expect((await req('GET', '/me/visit-plan', stranger)).json().grids).toEqual([]);
  });

  it('a finding becomes a dispute of the register in one call, once', async () => {
    const res = await req('POST', `/visits/${visitId}/findings/0/dispute`, community, { parties: [{ name: '王五', role: 'applicant' }, { name: '赵六', role: 'respondent' }], type: 'neighbour' });
    expect(res.statusCode, res.body).toBe(201);
    const { followUp } = res.json();
    expect(followUp).toMatchObject({ kind: 'dispute', number: expect.stringMatching(new RegExp(`^JF${station.code}`)) });
    const d = (await req('GET', `/disputes/${followUp.id}`, community)).json();
    expect(d).toMatchObject({ source: 'visit', type: 'neighbour', summary: '楼上楼下漏水纠纷', stationId: station.code });
    expect((await req('POST', `/visits/${visitId}/findings/0/dispute`, community, { parties: [{ name: '王五', role: 'applicant' }] })).statusCode).toBe(409);
    expect((await req('POST', `/visits/${visitId}/findings/3/dispute`, community, { parties: [{ name: '王五', role: 'applicant' }] })).json().error.field).toBe('finding');
    const v = (await req('GET', `/visits/${visitId}`, chief)).json();
    expect(v.findings[0].followUp).toMatchObject({ kind: 'dispute', id: followUp.id });
    // The door now has an open dispute.
    const plan = (await req('GET', '/me/visit-plan', community)).json() as { grids: (PlanGrid & { openDisputes: { addressCode: string }[] })[] };
    expect(plan.grids[0]!.openDisputes.map((x) => x.addressCode)).toContain(v.addressCode);
  });

  it('a skip needs a reason, and takes the door out of this week’s plan', async () => {
    const plan = (await req('GET', '/me/visit-plan', community)).json() as { grids: PlanGrid[] };
    const door = plan.grids[0]!.items[0]!.addressCode;
    const none = await req('POST', '/me/visit-plan/skips', community, { addressCode: door });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.field).toBe('reason');
    const other = await req('POST', '/me/visit-plan/skips', community, { addressCode: door, reason: 'other' });
    expect(other.json().error.field).toBe('note');
    const ok = await req('POST', '/me/visit-plan/skips', community, { addressCode: door, reason: 'nobody_home' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await req('POST', '/me/visit-plan/skips', community, { addressCode: door, reason: 'nobody_home' })).statusCode).toBe(409);
    const after = (await req('GET', '/me/visit-plan', community)).json() as { grids: PlanGrid[] };
    expect(after.grids[0]!.items.map((i) => i.addressCode)).not.toContain(door);
    expect(after.grids[0]!.items).toHaveLength(14);
    expect(after.grids[0]!.skipped).toEqual([expect.objectContaining({ addressCode: door, reason: 'nobody_home' })]);
  });

  it('civic grids import from GeoJSON as versions; the police grid lists the current one', async () => {
    const [x, y] = grid.center ?? station.center!;
    const square = (d: number) => ({ type: 'Polygon', coordinates: [[[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]]] });
    const fc = (d: number) => ({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '820001-0001', name: '望德堂网格' }, geometry: square(d) }] });
    expect((await req('POST', '/civic-grids/import', chief, fc(0.0005))).statusCode).toBe(403);
    const a = await req('POST', '/civic-grids/import', admin, fc(0.0005));
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json()).toMatchObject({ new: 1, changed: 0, unchanged: 0 });
    expect((await req('POST', '/civic-grids/import', admin, fc(0.0005))).json()).toMatchObject({ new: 0, unchanged: 1 });
    expect((await req('POST', '/civic-grids/import', admin, fc(0.0007))).json()).toMatchObject({ changed: 1, items: [{ code: '820001-0001', action: 'changed', version: 2 }] });
    const bad = await req('POST', '/civic-grids/import', admin, { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '!' }, geometry: square(0.001) }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('features.0.properties.code');
    const list = (await req('GET', '/civic-grids', chief)).json();
    expect(list.items).toEqual([expect.objectContaining({ code: '820001-0001', version: 2, stationId: station.code })]);
    const policeGrid = list.items[0].policeGridId as string;
    const detail = (await req('GET', `/grids/${policeGrid}`, chief)).json();
    expect(detail.civicGrids).toEqual([expect.objectContaining({ code: '820001-0001', version: 2 })]);
  });

  it('figures: visits per officer per week against the target, and the KPIs', async () => {
    const f = (await req('GET', '/grids/visit-figures?weeks=2', chief)).json();
    expect(f.weeks).toHaveLength(2);
    const row = f.officers.find((o: { officerId: string }) => o.officerId === communityId);
    expect(row).toMatchObject({ target: { households: 10, units: 5, perWeek: 15 } });
    expect(row.weeks.at(-1)).toMatchObject({ households: 1, units: 0, total: 1, met: false });
    expect((await req('GET', '/grids/visit-figures', community)).statusCode).toBe(403);
    const today = localDay(new Date());
    const from = localDay(new Date(Date.now() - 6 * 86_400_000));
    const ids = ['community.visit_target_rate', 'community.visits_per_officer_week', 'community.address_coverage', 'community.findings_to_disputes'];
    const res = await req('GET', `/kpis/values?from=${from}&to=${today}&compare=none&${ids.map((i) => `ids=${i}`).join('&')}`, chief);
    expect(res.statusCode, res.body).toBe(200);
    const byId = new Map(res.json().items.map((k: { id: string; current: unknown }) => [k.id, k.current]));
    expect(byId.get('community.findings_to_disputes')).toMatchObject({ numerator: 1, denominator: 1 });
    expect(byId.get('community.visit_target_rate')).toMatchObject({ numerator: 1 });
    expect((byId.get('community.address_coverage') as { numerator: number }).numerator).toBe(1);
    // Over 10 days the officer-weeks are a fraction (10/7 per owner): still a figure, against last year too.
    const ten = await req('GET', `/kpis/values?from=${localDay(new Date(Date.now() - 9 * 86_400_000))}&to=${today}&ids=community.visits_per_officer_week`, chief);
    expect(ten.statusCode, ten.body).toBe(200);
    expect(ten.json().items[0].current.denominator % 1).not.toBe(0);
  });
});
