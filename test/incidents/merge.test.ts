/**
 * Merging a duplicate (#11.15): two P1 calls about one fight raise two P1-unassigned alerts; the
 * dispatcher merges the later into the earlier. The duplicate is closed as merged with the link both
 * ways (masterId; the master's merged incidents and duplicate_linked event), one audit row, the incident
 * event, and its alert resolved in the same transaction — one alert remains, the master's. A merge whose
 * alert cannot be resolved changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDrivers } from '../helpers/db.js';
import { createDispatchApp, type DispatchTestApp } from '../dispatch/helpers.js';
import { auditLog } from '../../src/db/schema.js';
import { dispatchAlerts } from '../../src/modules/dispatch/schema.js';

const PLACE = { lon: 113.544113, lat: 22.211607 };
const BRAWL = '01010103'; // 多人持械斗殴: P1

interface Alert {
  id: string;
  kind: string;
  incidentId: string;
}

describe.each(testDrivers())('merging a duplicate incident on %s', (driver) => {
  let t: DispatchTestApp;
  let calltaker: Record<string, string>;
  let dispatcher: Record<string, string>;
  beforeAll(async () => {
    t = await createDispatchApp(driver);
    [calltaker, dispatcher] = await Promise.all(['calltaker', 'dispatcher'].map((u) => t.login(u)));
  }, 60_000);
  afterAll(() => t?.close());

  const create = async (description: string, dx = 0) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: calltaker, payload: { source: 'call110', categoryCode: BRAWL, description, location: { lon: PLACE.lon + dx, lat: PLACE.lat } } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: string; priority: string; duplicateCandidates: { id: string }[] };
  };
  const p1Alerts = async () => ((await t.app.inject({ url: '/api/v1/alerts', headers: dispatcher })).json().items as Alert[]).filter((a) => a.kind === 'p1_unassigned');
  const detail = async (id: string) => (await t.app.inject({ url: `/api/v1/incidents/${id}`, headers: dispatcher })).json();
  const merge = (id: string, masterId: string) => t.app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/merge`, headers: dispatcher, payload: { masterId } });

  /** Two P1 calls about one fight, 20 m apart, each with its P1-unassigned alert. */
  const twoCalls = async (tag: string) => {
    const master = await create(`${tag} 多人持械斗殴，有人受伤`);
    const dup = await create(`${tag} 街口有人打架，拿着棍子`, 0.0002);
    expect(master.priority).toBe('P1');
    expect(dup.priority).toBe('P1');
    expect(dup.duplicateCandidates.map((d) => d.id), 'offered as a duplicate of the first call').toContain(master.id);
    await t.dispatch.tick(new Date(Date.now() + 61_000));
    const ids = (await p1Alerts()).map((a) => a.incidentId);
    expect(ids).toContain(master.id);
    expect(ids).toContain(dup.id);
    return { master, dup };
  };

  it('closes the duplicate as merged, links both ways, audits it and resolves its alert: one alert remains', async () => {
    const { master, dup } = await twoCalls('A');
    const before = t.events.length;
    const res = await merge(dup.id, master.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: dup.id, status: 'merged' });

    const open = await p1Alerts();
    expect(open.filter((a) => a.incidentId === dup.id || a.incidentId === master.id).map((a) => a.incidentId)).toEqual([master.id]);
    const [dupAlert] = await t.database.db.select().from(dispatchAlerts).where(and(eq(dispatchAlerts.incidentId, dup.id), eq(dispatchAlerts.kind, 'p1_unassigned')));
    expect(dupAlert).toMatchObject({ status: 'resolved' });
    expect(dupAlert.resolvedAt).toBeInstanceOf(Date);

    const d = await detail(dup.id);
    expect(d).toMatchObject({ status: 'merged', masterId: master.id });
    expect(d.events.find((e: { type: string }) => e.type === 'merged')).toMatchObject({ fromStatus: 'new', toStatus: 'merged', username: 'dispatcher', detail: { masterId: master.id, masterNumber: master.number } });
    const m = await detail(master.id);
    expect(m.status).toBe('new');
    expect(m.mergedIncidents).toEqual([{ id: dup.id, number: dup.number }]);
    expect(m.events.find((e: { type: string }) => e.type === 'duplicate_linked')).toMatchObject({ detail: { duplicateId: dup.id, duplicateNumber: dup.number } });

    const after = t.events.slice(before);
    expect(after.some((e) => e.type === 'incident' && e.key === dup.id && (e.data as { event: string }).event === 'merged')).toBe(true);
    expect(after.some((e) => e.type === 'alert' && (e.data as { event: string; id: string }).event === 'resolved' && (e.data as { id: string }).id === dupAlert.id)).toBe(true);

    await expect
      .poll(async () => (await t.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'incident.merge'), eq(auditLog.entityId, dup.id)))).map((r) => [r.username, r.outcome]))
      .toEqual([['dispatcher', 'success']]);

    // The alert tick does not raise a new one for the merged duplicate.
    await t.dispatch.tick(new Date(Date.now() + 120_000));
    expect((await p1Alerts()).some((a) => a.incidentId === dup.id)).toBe(false);
  });

  it('refuses a second merge and a merge into a merged incident, leaving the master’s alert open', async () => {
    const { master, dup } = await twoCalls('B');
    expect((await merge(dup.id, master.id)).statusCode).toBe(200);
    expect((await merge(dup.id, master.id)).statusCode).toBe(409);
    const third = await create('B 第三个报警人', 0.0001);
    expect((await merge(third.id, dup.id)).statusCode).toBe(409);
    expect((await p1Alerts()).some((a) => a.incidentId === master.id)).toBe(true);
    const calltakerMerge = await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${third.id}/merge`, headers: await t.login('analyst'), payload: { masterId: master.id } });
    expect(calltakerMerge.statusCode, 'an analyst may not merge').toBe(403);
  });

  it('changes nothing when the alert cannot be resolved: the merge, its audit row and its events are one transaction', async () => {
    const { master, dup } = await twoCalls('C');
    const before = t.events.length;
    const spy = vi.spyOn(t.dispatch, 'incidentEndedIn').mockRejectedValueOnce(new Error('alert store down'));
    const res = await merge(dup.id, master.id);
    spy.mockRestore();
    expect(res.statusCode).toBe(500);
    expect((await detail(dup.id)).status).toBe('new');
    expect((await detail(master.id)).mergedIncidents).toEqual([]);
    expect((await p1Alerts()).some((a) => a.incidentId === dup.id)).toBe(true);
    expect(t.events.slice(before).some((e) => e.type === 'incident' && e.key === dup.id)).toBe(false);
    expect(await t.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'incident.merge'), eq(auditLog.entityId, dup.id), eq(auditLog.outcome, 'success')))).toEqual([]);
    // Retried, it goes through.
    expect((await merge(dup.id, master.id)).statusCode).toBe(200);
  });
});
