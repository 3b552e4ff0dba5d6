import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { testDrivers } from '../helpers/db.js';
import { createDispatchApp, type DispatchTestApp } from './helpers.js';
import { createApiToken } from '../../src/modules/auth/service.js';
import { unitPositions, unitStatusEvents } from '../../src/modules/dispatch/schema.js';
import { leafCategories } from '../../src/modules/incidents/domain/categories.js';
import { parseCloseRules } from '../../src/modules/dispatch/domain/close-rule.js';

// Hand-checked in the demo city (Macau peninsula, station MO0101): from NEAR the incident is 244 m as
// the crow flies but 338 s by road (one-way streets and the waterfront force a detour); FAST is 710 m
// away but 66 s by road. Found with the road engine and checked on the map.
const INCIDENT = { lon: 113.544113, lat: 22.211607 };
const NEAR = { lon: 113.541644, lat: 22.211708 };
const FAST = { lon: 113.549537, lat: 22.207762 };
const MID = { lon: 113.5455, lat: 22.2105 };

const fight = leafCategories().find((c) => c.code === '02030101')!; // 殴打他人 (needs medical)
const generic = leafCategories().find((c) => !c.capabilities?.length && c.code.startsWith('02'))!;
const trafficCat = leafCategories().find((c) => c.code === '03010102')!; // 交通事故（财产损失）: traffic

describe.each(testDrivers())('dispatch API on %s', (driver) => {
  let t: DispatchTestApp;
  let calltaker: Record<string, string>;
  let dispatcher: Record<string, string>;
  let officer: Record<string, string>;
  let chief: Record<string, string>;
  beforeAll(async () => {
    t = await createDispatchApp(driver);
    [calltaker, dispatcher, officer, chief] = await Promise.all(['calltaker', 'dispatcher', 'officer', 'chief'].map((u) => t.login(u)));
  }, 60_000);
  afterAll(() => t?.close());

  const createIncident = async (body: Record<string, unknown> = {}) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: calltaker, payload: { source: 'call110', categoryCode: generic.code, description: '有人在街上吵闹', location: INCIDENT, ...body } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: string; status: string; priority: string };
  };
  const position = (unitId: string, p: { lon: number; lat: number }, headers = dispatcher, at?: string) => t.app.inject({ method: 'POST', url: `/api/v1/units/${unitId}/position`, headers, payload: { ...p, ...(at ? { at } : {}) } });
  const incident = async (id: string) => (await t.app.inject({ url: `/api/v1/incidents/${id}`, headers: dispatcher })).json();

  it('lists units by jurisdiction: the bureau sees all, a station chief only the station’s', async () => {
    const all = (await t.app.inject({ url: '/api/v1/units', headers: dispatcher })).json();
    expect(all.total).toBe(65); // 5 per station + 5 specialists per district (#11.13)
    expect(all.items.find((u: { id: string }) => u.id === 'MO0101-1')).toMatchObject({ id: 'MO0101-1', callSign: '澳门巡11', status: expect.any(String), capabilities: expect.any(Array), stale: true, position: null, currentAssignment: null });
    expect(all.items.filter((u: { status: string }) => u.status === 'available').length).toBeGreaterThan(25);
    const mine = (await t.app.inject({ url: '/api/v1/units', headers: chief })).json();
    expect(mine.total).toBe(10); // its 5 and the district's 5 specialists based at MO0101
    expect(mine.items.every((u: { stationId: string }) => u.stationId === 'MO0101')).toBe(true);
    const other = await t.app.inject({ url: '/api/v1/units/MO0303-1', headers: chief });
    expect(other.statusCode).toBe(404);
    // Analysts see the crew masked.
    const analyst = await t.login('analyst');
    const masked = (await t.app.inject({ url: '/api/v1/units/MO0101-1', headers: analyst })).json();
    expect(masked.members.every((m: string) => /^.\*+$/u.test(m))).toBe(true);
  });

  it('ranks by road ETA: the unit nearer by road beats the one nearer as the crow flies', async () => {
    expect((await position('MO0101-2', NEAR)).statusCode).toBe(202);
    expect((await position('MO0101-3', FAST)).statusCode).toBe(202);
    expect((await position('MO0101-4', MID, dispatcher, new Date(Date.now() - 300_000).toISOString())).statusCode).toBe(202);
    const inc = await createIncident();
    const res = await t.app.inject({ url: `/api/v1/incidents/${inc.id}/recommendations?limit=200`, headers: dispatcher });
    expect(res.statusCode, res.body).toBe(200);
    const recs = res.json() as { unitId: string; etaSeconds: number; stale: boolean; reason: string; positionAgeSeconds: number }[];
    const idx = (id: string) => recs.findIndex((r) => r.unitId === id);
    expect(idx('MO0101-3')).toBeLessThan(idx('MO0101-2'));
    expect(recs[0].unitId).toBe('MO0101-3');
    expect(recs[0].reason).toMatch(/^最快到达（1分\d+秒）$/);
    const near = recs[idx('MO0101-2')];
    expect(near.etaSeconds).toBeGreaterThan(4 * recs[0].etaSeconds);
    const stale = recs[idx('MO0101-4')];
    expect(stale).toMatchObject({ stale: true });
    expect(stale.positionAgeSeconds).toBeGreaterThanOrEqual(300);
    expect(stale.reason).toContain('位置过期，按派出所位置估算');
    // Ordered by effective ETA: a station-based estimate counts 180 s slower (#11.12).
    const effective = (r: (typeof recs)[number]) => r.etaSeconds + (r.stale ? 180 : 0);
    for (let i = 1; i < recs.length; i++) if (recs[i].etaSeconds !== null) expect(effective(recs[i])).toBeGreaterThanOrEqual(effective(recs[i - 1]));
    // The route of the chosen unit as GeoJSON.
    const route = await t.app.inject({ url: `/api/v1/incidents/${inc.id}/route?unitId=MO0101-3`, headers: dispatcher });
    expect(route.statusCode).toBe(200);
    expect(route.json()).toMatchObject({ type: 'Feature', geometry: { type: 'LineString' }, properties: { unitId: 'MO0101-3', seconds: recs[0].etaSeconds } });
    expect(route.json().geometry.coordinates.length).toBeGreaterThan(1);
  });

  it('plans units that cover what the category needs; linkage partners (120) are not asked of units', async () => {
    type Rec = { unitId: string; capabilityMatch: boolean; matchedCapabilities: string[]; plan: string | null; covers: string[]; missingCapabilities: string[]; linkage: string[]; reasons: { code: string }[] };
    const inc = await createIncident({ categoryCode: trafficCat.code, description: '两车刮擦，无人受伤' });
    const recs = (await t.app.inject({ url: `/api/v1/incidents/${inc.id}/recommendations?limit=200`, headers: dispatcher })).json() as Rec[];
    expect(recs.length).toBeGreaterThan(0);
    const units = (await t.app.inject({ url: '/api/v1/units', headers: dispatcher })).json().items as { id: string; capabilities: string[] }[];
    expect(recs[0]).toMatchObject({ plan: 'first', capabilityMatch: true, missingCapabilities: [], linkage: [] });
    expect(recs.filter((r) => r.plan).flatMap((r) => r.covers)).toContain('traffic');
    for (const r of recs) {
      if (units.find((u) => u.id === r.unitId)!.capabilities.includes('traffic')) expect(r).toMatchObject({ capabilityMatch: true, matchedCapabilities: ['traffic'] });
      expect(r.reasons.length).toBeGreaterThan(0);
    }
    const fightInc = await createIncident({ categoryCode: fight.code, description: '有人被打' });
    const recs2 = (await t.app.inject({ url: `/api/v1/incidents/${fightInc.id}/recommendations?limit=200`, headers: dispatcher })).json() as Rec[];
    expect(recs2[0]).toMatchObject({ plan: 'first', capabilityMatch: true, linkage: ['120'], missingCapabilities: [] });
    expect(recs2.every((r) => r.capabilityMatch || r.plan === null)).toBe(true);
  });

  it('walks an assignment: assign → dispatched → ack → en route → on scene → clear → cleared', async () => {
    const inc = await createIncident();
    const assigned = await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${inc.id}/assignments`, headers: dispatcher, payload: { unitIds: ['MO0101-1'] } });
    expect(assigned.statusCode, assigned.body).toBe(201);
    const a = assigned.json().items[0];
    expect(a).toMatchObject({ unitId: 'MO0101-1', status: 'assigned', incidentId: inc.id });
    expect((await incident(inc.id)).status).toBe('dispatched');
    // Assigning the same unit twice is refused.
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${inc.id}/assignments`, headers: dispatcher, payload: { unitIds: ['MO0101-1'] } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.field).toBe('unitIds');

    // The officer sees the assignment on the phone and acknowledges it.
    const mine = (await t.app.inject({ url: '/api/v1/me/assignment', headers: officer })).json();
    expect(mine).toMatchObject({ unit: { id: 'MO0101-1' }, assignment: { id: a.id }, incident: { id: inc.id } });
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/assignments/${a.id}/ack`, headers: officer })).json().status).toBe('acknowledged');

    const status = (s: string, extra: Record<string, unknown> = {}) => t.app.inject({ method: 'POST', url: '/api/v1/units/MO0101-1/status', headers: officer, payload: { status: s, ...extra } });
    // The crew cannot drop an assignment on its own.
    expect((await status('available')).statusCode).toBe(403);
    expect((await status('en_route')).statusCode).toBe(200);
    expect((await incident(inc.id)).status).toBe('en_route');
    expect((await status('on_scene')).statusCode).toBe(200);
    const onScene = await incident(inc.id);
    expect(onScene.status).toBe('on_scene');
    expect(onScene.times.onSceneAt).toBeTruthy();
    const cleared = await status('available', { note: '已调解' });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json()).toMatchObject({ status: 'available', currentAssignment: null });
    const done = await incident(inc.id);
    expect(done.status).toBe('cleared');
    expect(done.events.map((e: { toStatus: string }) => e.toStatus)).toEqual(['new', 'dispatched', 'en_route', 'on_scene', 'cleared']);
    const history = await t.database.db.select().from(unitStatusEvents).where(eq(unitStatusEvents.assignmentId, a.id));
    expect(history.map((e) => e.toStatus)).toEqual(['dispatched', 'en_route', 'on_scene', 'available']);
    expect((await t.app.inject({ url: '/api/v1/me/assignments', headers: officer })).json().items[0]).toMatchObject({ id: a.id, status: 'cleared' });
    const kinds = t.events.filter((e) => e.key === inc.id && e.type === 'assignment').map((e) => (e.data as { event: string }).event);
    expect(kinds).toEqual(['assigned', 'acknowledged', 'en_route', 'on_scene', 'cleared']);
    expect(t.events.some((e) => e.type === 'unit_status' && e.key === 'MO0101-1' && e.unitPath === '/MO/MO01/MO0101/')).toBe(true);
  });

  it('a clear keeps the crew’s code and note; the station reviews and closes (or its rule lets the crew close); cancel recalls an incident left without units', async () => {
    const inc = await createIncident();
    const a = (await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${inc.id}/assignments`, headers: dispatcher, payload: { unitIds: ['MO0101-1'] } })).json().items[0];
    for (const s of ['on_scene']) expect((await t.app.inject({ method: 'POST', url: '/api/v1/units/MO0101-1/status', headers: officer, payload: { status: s } })).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/units/MO0101-1/status', headers: officer, payload: { status: 'available', dispositionCode: 'D04', note: '双方已和解，当场教育' } });
    expect(res.statusCode, res.body).toBe(200);
    // Default rule (review): the report is on the incident, which waits in `cleared` for the station.
    expect(await incident(inc.id)).toMatchObject({ status: 'cleared', dispositionCode: 'D04', dispositionNote: '双方已和解，当场教育' });
    const close = await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${inc.id}/transitions`, headers: chief, payload: { to: 'closed', dispositionCode: 'D04' } });
    expect(close.statusCode, close.body).toBe(200);
    expect(await incident(inc.id)).toMatchObject({ status: 'closed', dispositionNote: '双方已和解，当场教育' });
    expect(a.status).toBe('assigned');
    // A station whose rule lets the crew close: the same clearing closes the incident.
    const config = t.dispatch.config as { closeOnClear?: unknown };
    const before = config.closeOnClear;
    config.closeOnClear = parseCloseRules('review,MO0101=officer');
    try {
      const inc3 = await createIncident();
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${inc3.id}/assignments`, headers: dispatcher, payload: { unitIds: ['MO0101-1'] } })).statusCode).toBe(201);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/units/MO0101-1/status', headers: officer, payload: { status: 'on_scene' } })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/units/MO0101-1/status', headers: officer, payload: { status: 'available', dispositionCode: 'D03', note: '已找回' } })).statusCode).toBe(200);
      expect(await incident(inc3.id)).toMatchObject({ status: 'closed', dispositionCode: 'D03', dispositionNote: '已找回' });
    } finally {
      config.closeOnClear = before;
    }

    const inc2 = await createIncident();
    const a2 = (await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${inc2.id}/assignments`, headers: dispatcher, payload: { unitIds: ['MO0101-2'] } })).json().items[0];
    const noReason = await t.app.inject({ method: 'POST', url: `/api/v1/assignments/${a2.id}/cancel`, headers: dispatcher, payload: {} });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('reason');
    const cancel = await t.app.inject({ method: 'POST', url: `/api/v1/assignments/${a2.id}/cancel`, headers: dispatcher, payload: { reason: '报警人称已离开' } });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json()).toMatchObject({ status: 'cancelled', cancelReason: '报警人称已离开' });
    expect((await incident(inc2.id)).status).toBe('new');
    expect((await t.app.inject({ url: '/api/v1/units/MO0101-2', headers: dispatcher })).json().status).toBe('available');
  });

  it('raises an alert when an assignment is not acknowledged in time, and escalates it when ignored', async () => {
    const inc = await createIncident();
    const a = (await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${inc.id}/assignments`, headers: dispatcher, payload: { unitIds: ['MO0101-3'] } })).json().items[0];
    const t0 = Date.now();
    expect(await t.dispatch.tick(new Date(t0 + 30_000))).toMatchObject({ raised: 0 });
    expect((await t.dispatch.tick(new Date(t0 + 61_000))).raised).toBeGreaterThanOrEqual(1);
    const open = (await t.app.inject({ url: '/api/v1/alerts', headers: dispatcher })).json().items as { id: string; kind: string; assignmentId: string; level: string; message: string }[];
    const alert = open.find((x) => x.assignmentId === a.id)!;
    expect(alert).toMatchObject({ kind: 'ack_timeout', level: 'alert' });
    expect(alert.message).toContain('未确认派警');
    // What the message names, for the web to say in the reader's language (issue 11 item 22).
    const unit = (await t.app.inject({ url: '/api/v1/units/MO0101-3', headers: dispatcher })).json();
    expect((alert as unknown as { params: unknown }).params).toEqual({ callSign: unit.callSign, number: inc.number, seconds: 60 });
    expect(alert.message).toBe(`${unit.callSign} 超过60秒未确认派警（警情 ${inc.number}）`);
    expect(t.events.some((e) => e.type === 'alert' && (e.data as { id: string }).id === alert.id)).toBe(true);
    await t.dispatch.tick(new Date(t0 + 125_000));
    const escalated = (await t.app.inject({ url: '/api/v1/alerts', headers: dispatcher })).json().items.find((x: { id: string }) => x.id === alert.id);
    expect(escalated.level).toBe('escalated');
    expect(escalated.message).toBe(`${alert.message}，已上报指挥长`);
    expect(escalated.params).toEqual({ callSign: unit.callSign, number: inc.number, seconds: 60 });
    expect(t.events.some((e) => e.type === 'alert' && e.unitPath === '/MO/' && (e.data as { event: string }).event === 'escalated')).toBe(true);
    const ack = await t.app.inject({ method: 'POST', url: `/api/v1/alerts/${alert.id}/ack`, headers: dispatcher });
    expect(ack.json().status).toBe('acked');
    expect((await t.app.inject({ url: '/api/v1/alerts', headers: dispatcher })).json().items.some((x: { id: string }) => x.id === alert.id)).toBe(false);
  });

  it('raises an alert for a P1 incident still unassigned after 60 s', async () => {
    const inc = await createIncident({ categoryCode: '01010103', description: '多人持械斗殴' });
    expect(inc.priority).toBe('P1');
    await t.dispatch.tick(new Date(Date.now() + 61_000));
    const open = (await t.app.inject({ url: '/api/v1/alerts', headers: dispatcher })).json().items as { kind: string; incidentId: string; params: unknown; message: string }[];
    const p1 = open.find((x) => x.kind === 'p1_unassigned' && x.incidentId === inc.id);
    expect(p1).toMatchObject({ params: { callSign: null, number: inc.number, seconds: 60 }, message: `P1警情 ${inc.number} 超过60秒未派警` });
  });

  it('takes positions in batches from a gateway token with avl:write', async () => {
    const { token } = await createApiToken(t.database.db, { name: 'avl', scopes: ['avl:write'], unitId: 'MO', createdBy: null });
    const { token: weak } = await createApiToken(t.database.db, { name: 'ro', scopes: ['roads:read'], unitId: 'MO', createdBy: null });
    const at = new Date().toISOString();
    const body = [
      { unitId: 'MO0201-1', lon: 113.5701, lat: 22.1642, at },
      { unitId: 'MO0201-2', lon: 113.5702, lat: 22.1643, at, speed: 30, heading: 90 },
      { unitId: 'NOPE', lon: 113.57, lat: 22.16, at },
    ];
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/units/positions', headers: { authorization: `Bearer ${token}` }, payload: body });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ accepted: 2, rejected: [{ index: 2, unitId: 'NOPE', code: 'unknown_unit' }] });
    const u = (await t.app.inject({ url: '/api/v1/units/MO0201-2', headers: dispatcher })).json();
    expect(u).toMatchObject({ stale: false, position: { lon: 113.5702, lat: 22.1643, speed: 30, heading: 90 } });
    const [{ n }] = await t.database.db.select({ n: sql<number>`count(*)` }).from(unitPositions).where(eq(unitPositions.unitId, 'MO0201-2'));
    expect(Number(n)).toBe(1);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/units/positions', headers: { authorization: `Bearer ${weak}` }, payload: body })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/units/positions', headers: dispatcher, payload: body })).statusCode).toBe(403);
    const tooMany = Array.from({ length: 5001 }, () => body[0]);
    const big = await t.app.inject({ method: 'POST', url: '/api/v1/units/positions', headers: { authorization: `Bearer ${token}` }, payload: tooMany });
    expect(big.statusCode).toBe(400);
    expect(t.events.filter((e) => e.type === 'unit_position' && e.key === 'MO0201-1').length).toBeGreaterThan(0);
    // The officer may report only for their own unit.
    expect((await position('MO0101-1', MID, officer)).statusCode).toBe(202);
    expect((await position('MO0101-2', MID, officer)).statusCode).toBe(403);
  });

  it('units: create, patch, shifts (admin, chief); bad input names the field', async () => {
    const admin = await t.login('admin');
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/units', headers: admin, payload: { callSign: '测试巡1', kind: 'patrol_car', stationId: 'MO0102', capabilities: ['traffic'], members: ['王伟'], home: [113.5697, 22.2002] } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect(created.json()).toMatchObject({ status: 'off_duty', onDuty: false });
    const dup = await t.app.inject({ method: 'POST', url: '/api/v1/units', headers: admin, payload: { callSign: '测试巡1', kind: 'patrol_car', stationId: 'MO0102', home: [113.5697, 22.2002] } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.field).toBe('callSign');
    const badCap = await t.app.inject({ method: 'POST', url: '/api/v1/units', headers: admin, payload: { callSign: 'x', kind: 'patrol_car', stationId: 'MO0102', capabilities: ['flying'], home: [113.5697, 22.2002] } });
    expect(badCap.statusCode).toBe(400);
    const foreign = await t.app.inject({ method: 'POST', url: '/api/v1/units', headers: chief, payload: { callSign: 'y', kind: 'foot', stationId: 'MO0102', home: [113.5697, 22.2002] } });
    expect(foreign.json().error.field).toBe('stationId');
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/units/${id}`, headers: admin, payload: { capabilities: ['traffic', 'medical'] } });
    expect(patched.json().capabilities).toEqual(['traffic', 'medical']);
    // A shift covering now puts the unit on duty.
    const now = new Date(Date.now() + 8 * 3_600_000);
    const day = now.toISOString().slice(0, 10);
    const hh = String(now.getUTCHours()).padStart(2, '0');
    const shift = await t.app.inject({ method: 'POST', url: `/api/v1/units/${id}/shifts`, headers: dispatcher, payload: { day, start: `${hh}:00`, end: `${hh}:59` } });
    expect(shift.statusCode, shift.body).toBe(201);
    const u = (await t.app.inject({ url: `/api/v1/units/${id}`, headers: dispatcher })).json();
    expect(u).toMatchObject({ onDuty: true, status: 'available' });
    expect((await t.app.inject({ url: `/api/v1/units/${id}/shifts`, headers: dispatcher })).json().items).toHaveLength(1);
    const overlap = await t.app.inject({ method: 'POST', url: `/api/v1/units/${id}/shifts`, headers: dispatcher, payload: { day, start: `${hh}:10`, end: `${hh}:20` } });
    expect(overlap.statusCode).toBe(409);
  });
});
