/**
 * Issue 13, volunteers (义警) and linked defence, through the API on both databases: teams, the fair
 * sign-up window, max people under many concurrent sign-ups (no over-booking), approval, geofenced
 * check-in (inside / boundary / outside, and outside the window), check-out and the hours ledger,
 * reports to the station, the short-shift alert (once per shift, once across instances), and a member's
 * alert that records an incident and notifies group and station.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { auditLog, auditPending, users } from '../../src/db/schema.js';
import { VolunteerWatch } from '../../src/modules/volunteers/watch.js';
import { Batcher } from '../../src/core/batcher.js';
import type { VolunteersApi } from '../../src/modules/volunteers/index.js';
import { VOLUNTEER_KPIS } from '../../src/modules/volunteers/kpis.js';
import type { Principal } from '../../src/core/access.js';

const units = demoOrganisation();
const stations = units.filter((u) => u.kind === 'station');
const station = stations[0]!;
const other = stations[stations.length - 1]!;
const [lon, lat] = station.center!;
const H = 3_600_000;
const square = (x: number, y: number, half = 0.002) => ({ type: 'Polygon', coordinates: [[[x - half, y - half], [x + half, y - half], [x + half, y + half], [x - half, y + half], [x - half, y - half]]] });
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

describe.each(testDrivers())('volunteers API on %s', (driver) => {
  let t: TestApp;
  let chief: Record<string, string>;
  let volunteer: Record<string, string>;
  let otherChief: Record<string, string>;
  let teamId: string;
  const crowd: Record<string, string>[] = [];

  const post = (url: string, headers: Record<string, string>, payload: unknown = {}) => t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload: payload as object });
  const get = (url: string, headers: Record<string, string>) => t.app.inject({ url: `/api/v1${url}`, headers });
  const shift = async (body: Record<string, unknown>) => {
    const res = await post('/shifts', chief, { teamId, startsAt: inMinutes(5), endsAt: inMinutes(185), area: square(lon, lat), ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; taken: number; signupOpen: boolean };
  };

  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    [chief, volunteer] = await Promise.all([t.login('chief'), t.login('volunteer')]);
    const admin = await t.login('admin');
    // A chief of another station, and twenty volunteers of the first station for the crowd.
    const mk = async (username: string, roles: string[], unitId: string) => {
      const res = await post('/users', admin, { username, displayName: username, password: 'password-123', roles, unitId });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    await mk('chief_other', ['chief'], other.code);
    const crowdIds: string[] = [];
    for (let i = 0; i < 20; i++) crowdIds.push(await mk(`crowd${i}`, ['volunteer'], station.code));
    await t.database.db.update(users).set({ mustChangePassword: false });
    otherChief = await t.login('chief_other', 'password-123');
    const team = await post('/volunteer-teams', chief, { name: '测试巡逻队' });
    expect(team.statusCode, team.body).toBe(201);
    teamId = team.json().id;
    for (const id of crowdIds) expect((await post(`/volunteer-teams/${teamId}/members`, chief, { userId: id, skills: ['急救'] })).statusCode).toBe(201);
    const me = await get('/me', volunteer);
    expect((await post(`/volunteer-teams/${teamId}/members`, chief, { userId: me.json().id })).statusCode).toBe(201);
    for (let i = 0; i < 20; i++) crowd.push(await t.login(`crowd${i}`, 'password-123'));
  });
  afterAll(() => t?.close());

  it('the demo volunteer belongs to a team of the demo chief’s station; a volunteer sees only their own teams', async () => {
    const mine = (await get('/volunteer-teams', volunteer)).json().items as { id: string; stationId: string; mine: boolean }[];
    expect(mine.length).toBe(2);
    expect(mine.every((x) => x.mine && x.stationId === station.code)).toBe(true);
    const chiefs = (await get('/volunteer-teams', chief)).json().items as { id: string }[];
    expect(chiefs.length).toBe(6);
    expect((await get('/volunteer-teams', otherChief)).json().items).toEqual([]);
    expect((await get(`/volunteer-teams/${teamId}`, otherChief)).statusCode).toBe(404);
    const detail = (await get(`/volunteer-teams/${teamId}`, chief)).json();
    expect(detail.memberList.length).toBe(21);
    expect(JSON.stringify(detail)).not.toMatch(/phone|13\d{9}/);
  });

  it('refuses a non-volunteer account as member and a bad shift with the field named', async () => {
    const officer = await t.database.db.select({ id: users.id }).from(users).where(eq(users.username, 'officer'));
    const res = await post(`/volunteer-teams/${teamId}/members`, chief, { userId: officer[0]!.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('userId');
    const bad = await post('/shifts', chief, { teamId, startsAt: inMinutes(60), endsAt: inMinutes(30), area: square(lon, lat) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('endsAt');
    const open = await post('/shifts', chief, { teamId, startsAt: inMinutes(60), endsAt: inMinutes(120), area: { type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.01, lat], [lon, lat + 0.01], [lon + 0.02, lat + 0.02]]] } });
    expect(open.statusCode).toBe(400);
    expect(open.json().error.field).toBe('area');
    expect((await post('/shifts', otherChief, { teamId, startsAt: inMinutes(60), endsAt: inMinutes(120), area: square(lon, lat) })).statusCode).toBe(404);
  });

  it('sign-up opens N hours ahead (fair) and closes at the start', async () => {
    const later = await shift({ startsAt: inMinutes(100 * 60), endsAt: inMinutes(103 * 60), signupOpensHours: 72 });
    expect(later.signupOpen).toBe(false);
    const res = await post(`/shifts/${later.id}/signups`, volunteer, {});
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/报名尚未开放/);
    const en = await t.app.inject({ method: 'POST', url: `/api/v1/shifts/${later.id}/signups`, headers: { ...volunteer, 'accept-language': 'en' }, payload: {} });
    expect(en.json().error.message).toMatch(/sign-up opens at/);
    const wide = await shift({ startsAt: inMinutes(100 * 60), endsAt: inMinutes(103 * 60), signupOpensHours: 120 });
    expect((await post(`/shifts/${wide.id}/signups`, volunteer, {})).statusCode).toBe(201);
    const open = (await get('/shifts?open=true', volunteer)).json().items as { id: string }[];
    expect(open.map((s) => s.id)).toContain(wide.id);
    expect(open.map((s) => s.id)).not.toContain(later.id);
  });

  it('never over-books: twenty concurrent sign-ups for five places give five', async () => {
    const s = await shift({ maxPeople: 5, minPeople: 2 });
    const answers = await Promise.all(crowd.map((h) => post(`/shifts/${s.id}/signups`, h, {})));
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes.filter((c) => c === 201).length).toBe(5);
    expect(codes.filter((c) => c !== 201).every((c) => c === 409)).toBe(true);
    const after = (await get(`/shifts/${s.id}`, chief)).json();
    expect(after.taken).toBe(5);
    const list = (await get(`/shifts/${s.id}/signups`, chief)).json().items as { status: string }[];
    expect(list.filter((x) => x.status === 'confirmed').length).toBe(5);
    // Twice by the same person at once: one place.
    const twice = await shift({ maxPeople: 5 });
    const two = await Promise.all([post(`/shifts/${twice.id}/signups`, crowd[0]!, {}), post(`/shifts/${twice.id}/signups`, crowd[0]!, {})]);
    expect(two.map((x) => x.statusCode).sort()).toEqual([201, 409]);
    expect((await get(`/shifts/${twice.id}`, chief)).json().taken).toBe(1);
  });

  it('a shift that asks for approval holds the place pending until a leader or the station approves; cancel frees it', async () => {
    const s = await shift({ needsApproval: true, maxPeople: 2 });
    const a = await post(`/shifts/${s.id}/signups`, crowd[1]!, {});
    expect(a.json().status).toBe('pending');
    expect((await post(`/shifts/${s.id}/checkin`, crowd[1]!, { lon, lat })).statusCode).toBe(409);
    // A volunteer who is not a leader cannot approve; the station can.
    expect((await post(`/shifts/${s.id}/signups/${a.json().id}/approve`, crowd[2]!, {})).statusCode).toBe(403);
    const ok = await post(`/shifts/${s.id}/signups/${a.json().id}/approve`, chief, {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('confirmed');
    const b = await post(`/shifts/${s.id}/signups`, crowd[2]!, {});
    expect((await post(`/shifts/${s.id}/signups`, crowd[3]!, {})).statusCode).toBe(409);
    // Someone else's sign-up is not there for a volunteer; their own cancel frees the place.
    expect((await post(`/shifts/${s.id}/signups/${b.json().id}/cancel`, crowd[3]!, {})).statusCode).toBe(404);
    expect((await post(`/shifts/${s.id}/signups/${b.json().id}/cancel`, crowd[2]!, {})).json().status).toBe('cancelled');
    expect((await post(`/shifts/${s.id}/signups`, crowd[3]!, {})).statusCode).toBe(201);
  });

  it('check-in: inside and on the boundary are in; outside is refused naming the field, in zh and en; too early is refused', async () => {
    const s = await shift({ maxPeople: 10 });
    for (const h of [volunteer, crowd[4]!, crowd[5]!]) expect((await post(`/shifts/${s.id}/signups`, h, {})).statusCode).toBe(201);
    const outside = await post(`/shifts/${s.id}/checkin`, volunteer, { lon: lon + 0.01, lat });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().error.field).toBe('lon');
    expect(outside.json().error.message).toMatch(/不在班次巡逻区域内/);
    const en = await t.app.inject({ method: 'POST', url: `/api/v1/shifts/${s.id}/checkin`, headers: { ...volunteer, 'accept-language': 'en' }, payload: { lon: lon + 0.01, lat } });
    expect(en.json().error.message).toMatch(/outside the shift’s patrol area/);
    const inside = await post(`/shifts/${s.id}/checkin`, volunteer, { lon, lat });
    expect(inside.statusCode, inside.body).toBe(200);
    expect(inside.json().checkedInAt).toBeTruthy();
    const boundary = await post(`/shifts/${s.id}/checkin`, crowd[4]!, { lon: lon + 0.002, lat });
    expect(boundary.statusCode, boundary.body).toBe(200);
    // Not signed up: no check-in.
    expect((await post(`/shifts/${s.id}/checkin`, crowd[6]!, { lon, lat })).statusCode).toBe(409);
    // Outside the window: a shift two hours ahead (grace 15 minutes).
    const later = await shift({ startsAt: inMinutes(120), endsAt: inMinutes(240) });
    await post(`/shifts/${later.id}/signups`, crowd[5]!, {});
    const early = await post(`/shifts/${later.id}/checkin`, crowd[5]!, { lon, lat });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toMatch(/未到签到时间/);
    // The chief sees who is on duty now; no position is told.
    const duty = (await get('/volunteer-duty', chief)).json();
    expect(duty.people).toBe(2);
    expect(JSON.stringify(duty)).not.toMatch(/"lon"|"lat"/);
    expect((await get('/volunteer-duty', otherChief)).json().people).toBe(0);
    // Check-out writes the ledger (hours capped to the shift: it has not started yet, so none).
    const out = await post(`/shifts/${s.id}/checkout`, volunteer, {});
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json()).toMatchObject({ hours: 0, points: 0 });
    const again = await post(`/shifts/${s.id}/checkout`, volunteer, {});
    expect(again.statusCode).toBe(200);
    const hours = (await get('/volunteer/me/hours', volunteer)).json();
    expect(hours.shifts).toBe(1);
  });

  it('concurrent check-ins go in one batch: each answered alone, a twin answers the first, a retried key replays, each audited', async () => {
    const s = await shift({ maxPeople: 10 });
    for (const h of crowd.slice(8, 12)) expect((await post(`/shifts/${s.id}/signups`, h, {})).statusCode).toBe(201);
    const send = (h: Record<string, string>, key: string, at = { lon, lat }) => post(`/shifts/${s.id}/checkin`, { ...h, 'idempotency-key': `${s.id}-${key}` }, at);
    // Four volunteers at once, one of them twice (another key), one outside the area.
    const res = await Promise.all([send(crowd[8]!, 'a'), send(crowd[9]!, 'b'), send(crowd[10]!, 'c'), send(crowd[10]!, 'c2'), send(crowd[11]!, 'd', { lon: lon + 0.01, lat })]);
    expect(res.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 422]);
    expect(res[4]!.json().error.field).toBe('lon');
    expect(res[3]!.json().checkedInAt).toBe(res[2]!.json().checkedInAt);
    // A retry with the same key is the stored answer; the same key with another body is refused.
    const again = await send(crowd[8]!, 'a');
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(res[0]!.json());
    expect((await send(crowd[9]!, 'b', { lon: lon + 0.0001, lat })).statusCode).toBe(422);
    // The one outside checks in from inside afterwards.
    expect((await send(crowd[11]!, 'd2')).statusCode).toBe(200);
    // Every check-in left its audit row naming the sign-up, and none is left unchained (the chaining
    // follows the answer at once: the batched writes have landed when the batchers are idle).
    await Batcher.idle(5000);
    const ids = [...new Set([res[0]!, res[1]!, res[2]!].map((r) => r.json().id as string))];
    const audited = await t.database.db.select({ entityId: auditLog.entityId, outcome: auditLog.outcome }).from(auditLog).where(and(eq(auditLog.action, 'volunteer.checkin'), inArray(auditLog.entityId, ids)));
    for (const id of ids) expect(audited.filter((a) => a.entityId === id && a.outcome === 'success').length).toBeGreaterThanOrEqual(1);
    expect(audited.filter((a) => a.entityId === res[2]!.json().id).length).toBe(2);
    const pending = await t.database.db.select({ entry: auditPending.entry }).from(auditPending);
    expect(pending.filter((p) => ids.includes(String((p.entry as { entityId?: string }).entityId)))).toEqual([]);
    const signups = (await get(`/shifts/${s.id}/signups`, chief)).json().items as { userId: string; checkedInAt: string | null }[];
    expect(signups.filter((x) => x.checkedInAt).length).toBe(4);
  });

  it('the batched check-in caches a shift’s times and area, yet a shift changed behind its back is checked against what it is now', async () => {
    const s = await shift({ maxPeople: 10 });
    for (const h of [crowd[12]!, crowd[13]!, crowd[14]!]) expect((await post(`/shifts/${s.id}/signups`, h, {})).statusCode).toBe(201);
    // The first check-in reads the shift into the cache; the boundary counts as inside, just beyond does not.
    expect((await post(`/shifts/${s.id}/checkin`, crowd[12]!, { lon: lon - 0.002, lat: lat + 0.002 })).statusCode).toBe(200);
    const beyond = await post(`/shifts/${s.id}/checkin`, crowd[13]!, { lon: lon - 0.002, lat: lat + 0.0021 });
    expect(beyond.statusCode).toBe(422);
    expect(beyond.json().error.field).toBe('lon');
    // Another instance (here: SQL) ended the shift: the cached window would still let one in; the statement does not.
    await t.database.db.execute(sql`update volunteer_shifts set starts_at = now() - interval '5 hours', ends_at = now() - interval '2 hours' where id = ${s.id}`);
    const late = await post(`/shifts/${s.id}/checkin`, crowd[13]!, { lon, lat });
    expect(late.statusCode, late.body).toBe(409);
    expect(late.json().error.message).toMatch(/班次已结束/);
    // The next one is refused from the re-read shift, the same answer, nothing written.
    expect((await post(`/shifts/${s.id}/checkin`, crowd[14]!, { lon, lat })).statusCode).toBe(409);
    const signups = (await get(`/shifts/${s.id}/signups`, chief)).json().items as { checkedInAt: string | null }[];
    expect(signups.filter((x) => x.checkedInAt).length).toBe(1);
    // Checked out at the shift's end (it has ended): nothing left open for the ledger test.
    expect((await post(`/shifts/${s.id}/checkout`, crowd[12]!, {})).statusCode).toBe(200);
  });

  it('the ledger counts check-in to check-out capped at the shift’s end, and closes forgotten check-outs', async () => {
    const { service } = t.app.kernel.api<VolunteersApi>('volunteers');
    const s = await shift({ maxPeople: 10 });
    await post(`/shifts/${s.id}/signups`, crowd[7]!, {});
    expect((await post(`/shifts/${s.id}/checkin`, crowd[7]!, { lon, lat })).statusCode).toBe(200);
    // Move the shift into the past: it ran from 5 h ago to 2 h ago and the volunteer checked in 4 h ago.
    await t.database.db.execute(sql`update volunteer_shifts set starts_at = now() - interval '5 hours', ends_at = now() - interval '2 hours' where id = ${s.id}`);
    await t.database.db.execute(sql`update volunteer_signups set checked_in_at = now() - interval '4 hours' where shift_id = ${s.id}`);
    expect(await service.closeEnded()).toBe(1);
    const hours = (await get('/volunteer/me/hours', crowd[7]!)).json();
    expect(hours.hours).toBeCloseTo(2, 1);
    expect(hours.points).toBe(4);
    expect(await service.closeEnded()).toBe(0);
  });

  it('a volunteer’s report goes to their station, not to another', async () => {
    const res = await post('/volunteer-reports', volunteer, { text: '巷口路灯坏了，晚上很暗', place: '巷口', lon, lat, category: 'facility' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'new', stationId: station.code });
    expect(t.events.some((e) => e.type === 'volunteer' && (e.data as { event: string }).event === 'report')).toBe(true);
    const list = (await get('/volunteer-reports', chief)).json().items as { id: string }[];
    expect(list.map((x) => x.id)).toContain(res.json().id);
    expect((await get('/volunteer-reports', otherChief)).json().items).toEqual([]);
    const seen = await post(`/volunteer-reports/${res.json().id}/status`, chief, { status: 'seen' });
    expect(seen.json().status).toBe('seen');
    expect((await post('/volunteer-reports', volunteer, { text: 'x', lon })).json().error.field).toBe('lat');
  });

  it('a shift short of people 24 h before alerts the chief once per shift, also across instances', async () => {
    const { service, watch } = t.app.kernel.api<VolunteersApi>('volunteers');
    const s = await shift({ startsAt: inMinutes(20 * 60), endsAt: inMinutes(23 * 60), minPeople: 3, maxPeople: 5 });
    await post(`/shifts/${s.id}/signups`, crowd[8]!, {});
    const before = t.events.length;
    const second = new VolunteerWatch(service);
    const [a, b] = await Promise.all([watch.alertShort(), second.alertShort()]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 50));
    const alerts = t.events.slice(before).filter((e) => e.type === 'volunteer' && (e.data as { event: string }).event === 'shift_short' && e.key === s.id);
    expect(alerts.length).toBe(1);
    expect(alerts[0]!.unitPath).toContain(`/${station.code}/`);
    expect(await watch.alertShort()).toBe(0);
    expect(await second.alertShort()).toBe(0);
  });

  it('a member’s alert records an incident at the member’s address and notifies the group and the station', async () => {
    const groups = (await get('/defence-groups', volunteer)).json().items as { id: string; myMemberId: string | null; members: { contact: string; contactChannel: string }[] }[];
    expect(groups.length).toBe(1);
    const g = groups[0]!;
    expect(g.myMemberId).toBeTruthy();
    // Other members' phones are masked for a member.
    expect(g.members.filter((m) => m.contactChannel === 'phone').slice(1).every((m) => m.contact.includes('****'))).toBe(true);
    const before = t.events.length;
    const res = await post(`/defence-groups/${g.id}/alerts`, volunteer, { kind: 'robbery', note: '有人抢了柜台' });
    expect(res.statusCode, res.body).toBe(201);
    const alert = res.json();
    expect(alert.notified).toBe(g.members.length - 1);
    expect(alert.incidentNumber).toBeTruthy();
    const inc = await get(`/incidents/${alert.incidentId}`, chief);
    expect(inc.statusCode).toBe(200);
    expect(inc.json()).toMatchObject({ stationId: station.code, categoryCode: '01020101' });
    await new Promise((r) => setTimeout(r, 50));
    const evts = t.events.slice(before);
    expect(evts.some((e) => e.type === 'volunteer' && (e.data as { event: string }).event === 'defence_alert')).toBe(true);
    expect(evts.some((e) => e.type === 'incident')).toBe(true);
    // The group's members see it on their page; the volunteer is not given the incident's id.
    const mine = (await get('/defence-groups/alerts', volunteer)).json().items as { id: string; incidentId: string | null }[];
    expect(mine[0]).toMatchObject({ id: alert.id, incidentId: null });
    expect((await get('/defence-groups/alerts', otherChief)).json().items).toEqual([]);
    // Not a member: refused.
    expect((await post(`/defence-groups/${g.id}/alerts`, crowd[9]!, { kind: 'theft' })).statusCode).toBe(404);
  });

  it('KPIs: volunteer hours and shift fill rate of the jurisdiction', async () => {
    const bureau: Principal = { kind: 'user', id: 'x', username: 'x', displayName: 'x', roles: ['analyst'], unitId: 'MO', unitPath: '/MO/', unitKind: 'bureau', scopes: [] };
    const from = new Date(Date.now() - 7 * 24 * H);
    const to = new Date(Date.now() + 7 * 24 * H);
    const [hours, fill] = VOLUNTEER_KPIS;
    const h = await hours!.measure!(t.database.db, { principal: bureau, from, to });
    expect(h.value).toBeGreaterThan(0);
    const f = await fill!.measure!(t.database.db, { principal: bureau, from, to });
    expect(f.denominator).toBeGreaterThan(40);
    expect(f.value).toBeGreaterThan(0);
    expect(f.value).toBeLessThan(1);
  });
});
