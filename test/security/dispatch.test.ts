/**
 * Issue 9, dispatch side: a refused reassign changes nothing (M9), crews only of the unit's station
 * (L9), only the MQTT subscriber is the trusted AVL feed (C2), the officer's read of the caller is
 * named in the audit log (M7), dates on the roster (M2), an acknowledgement never revives a cancel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { testDrivers } from '../helpers/db.js';
import { createDispatchApp, type DispatchTestApp } from '../dispatch/helpers.js';
import { leafCategories } from '../../src/modules/incidents/domain/categories.js';
import { auditLog, users } from '../../src/db/schema.js';
import { MQTT_FEED } from '../../src/modules/dispatch/service.js';

const INCIDENT = { lon: 113.544113, lat: 22.211607 }; // station MO0101
const generic = leafCategories().find((c) => !c.capabilities?.length && c.code.startsWith('02'))!;

describe.each(testDrivers())('dispatch security (issue 9) on %s', (driver) => {
  let t: DispatchTestApp;
  let calltaker: Record<string, string>;
  let dispatcher: Record<string, string>;
  let officer: Record<string, string>;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createDispatchApp(driver);
    [calltaker, dispatcher, officer, admin] = await Promise.all(['calltaker', 'dispatcher', 'officer', 'admin'].map((u) => t.login(u)));
  }, 60_000);
  afterAll(() => t?.close());

  const createIncident = async (body: Record<string, unknown> = {}) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: calltaker, payload: { source: 'call110', categoryCode: generic.code, description: '有人在街上吵闹', location: INCIDENT, ...body } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };
  const assign = async (incidentId: string, unitId: string) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${incidentId}/assignments`, headers: dispatcher, payload: { unitIds: [unitId] } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().items[0] as { id: string };
  };
  const get = async (url: string) => (await t.app.inject({ url, headers: dispatcher })).json();
  const userId = async (username: string) => (await t.database.db.select({ id: users.id }).from(users).where(eq(users.username, username)))[0].id;

  it('M9: a refused reassign leaves the assignment, the unit and the incident as they were', async () => {
    const inc = await createIncident();
    const a = await assign(inc.id, 'MO0102-1');
    const busy = await createIncident();
    await assign(busy.id, 'MO0102-2');
    const snapshot = async () => ({ assignments: (await get(`/api/v1/incidents/${inc.id}/assignments`)).items, incident: (await get(`/api/v1/incidents/${inc.id}`)).status, unit: (await get('/api/v1/units/MO0102-1')).status });
    const before = await snapshot();
    expect(before).toMatchObject({ incident: 'dispatched', unit: 'dispatched', assignments: [{ id: a.id, status: 'assigned' }] });
    for (const [unitId, status, field] of [
      ['no-such-unit', 400, 'unitId'],
      ['MO0102-2', 409, 'unitId'], // already dispatched to another incident
      ['MO0102-1', 409, 'unitId'], // the unit it already has
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/assignments/${a.id}/reassign`, headers: dispatcher, payload: { unitId, reason: '就近改派' } });
      expect(res.statusCode, `${unitId}: ${res.body}`).toBe(status);
      expect(res.json().error.field).toBe(field);
      expect(await snapshot()).toEqual(before);
    }
    const ok = await t.app.inject({ method: 'POST', url: `/api/v1/assignments/${a.id}/reassign`, headers: dispatcher, payload: { unitId: 'MO0102-3', reason: '就近改派' } });
    expect(ok.statusCode, ok.body).toBe(201);
    const after = await snapshot();
    expect(after.assignments.map((x: { unitId: string; status: string }) => [x.unitId, x.status])).toEqual([
      ['MO0102-1', 'cancelled'],
      ['MO0102-3', 'assigned'],
    ]);
    expect(after).toMatchObject({ incident: 'dispatched', unit: 'available' });
  });

  it('an acknowledgement racing a cancel never revives the cancelled assignment', async () => {
    for (let round = 0; round < 4; round++) {
      const inc = await createIncident();
      const a = await assign(inc.id, 'MO0101-1'); // the officer's unit
      const [ack, cancel] = await Promise.all([
        t.app.inject({ method: 'POST', url: `/api/v1/assignments/${a.id}/ack`, headers: officer }),
        t.app.inject({ method: 'POST', url: `/api/v1/assignments/${a.id}/cancel`, headers: dispatcher, payload: { reason: '报警人称已离开' } }),
      ]);
      expect(cancel.statusCode, cancel.body).toBe(200);
      expect([200, 409], ack.body).toContain(ack.statusCode);
      const [after] = (await get(`/api/v1/incidents/${inc.id}/assignments`)).items;
      expect(after.status).toBe('cancelled');
      expect((await get('/api/v1/units/MO0101-1')).currentAssignment).toBeNull();
    }
  });

  it('L9: a unit’s crew are existing users of its station, on create and on change', async () => {
    const officerId = await userId('officer'); // station MO0101
    const unit = (stationId: string, memberUserIds: string[], callSign: string) => t.app.inject({ method: 'POST', url: '/api/v1/units', headers: admin, payload: { callSign, kind: 'foot', stationId, memberUserIds, home: [113.5697, 22.2002] } });
    for (const [stationId, ids] of [
      ['MO0101', ['no-such-user']],
      ['MO0102', [officerId]],
      ['MO0101', [await userId('dispatcher')]], // bureau staff are no station's crew
    ] as const) {
      const res = await unit(stationId, [...ids], `乘员测试${stationId}`);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.field).toBe('memberUserIds');
    }
    const ok = await unit('MO0101', [officerId], '乘员测试');
    expect(ok.statusCode, ok.body).toBe(201);
    const patch = (body: Record<string, unknown>) => t.app.inject({ method: 'PATCH', url: `/api/v1/units/${ok.json().id}`, headers: admin, payload: body });
    for (const body of [{ memberUserIds: ['no-such-user'] }, { stationId: 'MO0102' }]) {
      const res = await patch(body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.field).toBe('memberUserIds');
    }
    expect((await get(`/api/v1/units/${ok.json().id}`)).memberUserIds).toEqual([officerId]);
    expect((await patch({ stationId: 'MO0102', memberUserIds: [] })).statusCode).toBe(200);
  });

  it('C2: a report without a principal is refused; only the MQTT subscriber’s mark is the trusted feed', async () => {
    const report = { unitId: 'MO0201-3', lon: 113.5701, lat: 22.1642 };
    await expect(t.dispatch.reportPositions(null as never, [report])).rejects.toMatchObject({ status: 401 });
    await expect(t.dispatch.reportPositions(undefined as never, [report])).rejects.toMatchObject({ status: 401 });
    expect((await get('/api/v1/units/MO0201-3')).position).toBeNull();
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/units/positions', payload: [{ ...report, at: new Date().toISOString() }] });
    expect(anonymous.statusCode).toBe(401);
    expect((await get('/api/v1/units/MO0201-3')).position).toBeNull();
    expect(await t.dispatch.reportPositions(MQTT_FEED, [report])).toMatchObject({ accepted: 1, rejected: [] });
    expect((await get('/api/v1/units/MO0201-3')).position).toMatchObject({ lon: 113.5701, lat: 22.1642 });
  });

  it('M7: the officer’s read of the caller on the assignment names the incident in the audit row', async () => {
    const inc = await createIncident({ caller: { name: '周八', phone: '13811112222' } });
    await assign(inc.id, 'MO0101-1'); // the officer's unit
    const mine = (await t.app.inject({ url: '/api/v1/me/assignment', headers: officer })).json();
    expect(mine.incident).toMatchObject({ id: inc.id, caller: { name: '周八', phone: '13811112222' } });
    const [row] = await t.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'assignment.mine'), eq(auditLog.username, 'officer'))).orderBy(desc(auditLog.seq)).limit(1);
    expect(row.detail).toMatchObject({ callerUnmasked: [inc.id] });
    expect(row.entityId).toBe(mine.assignment.id);
  });

  it('M2: the roster refuses an unstorable date naming the field', async () => {
    const res = await t.app.inject({ url: `/api/v1/units/MO0101-1/shifts?from=${encodeURIComponent('9999-12-31T23:59:59-14:00')}`, headers: dispatcher });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.field).toBe('from');
    const batch = await t.app.inject({ method: 'POST', url: '/api/v1/units/MO0101-1/position', headers: dispatcher, payload: { lon: 113.54, lat: 22.2, at: '2016-12-31T23:59:60Z' } });
    expect(batch.statusCode).toBe(400);
    expect(batch.json().error.field).toBe('at');
    // A shift's local day: a real calendar day in the same years as every instant.
    for (const day of ['9999-12-31', '0000-01-01', '2024-02-30', '2023-02-29']) {
      const shift = await t.app.inject({ method: 'POST', url: '/api/v1/units/MO0101-5/shifts', headers: dispatcher, payload: { day, start: '20:00', end: '08:00' } });
      expect(shift.statusCode, `${day}: ${shift.body}`).toBe(400);
      expect(shift.json().error.field).toBe('day');
    }
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/units/MO0101-5/shifts', headers: dispatcher, payload: { day: '2024-02-29', start: '20:00', end: '08:00' } })).statusCode).toBe(201);
  });
});
