/**
 * Issue 13: a volunteer (义警) is not staff. Through every API route of the application, the demo
 * `volunteer` reaches only its own session and the volunteer module's own routes; incidents, disputes and
 * units answer 403 or 404 (also with real ids), and the event stream is refused to them — and a stream
 * client with a volunteer principal would deliver nothing of a station.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { policyAllows, type Principal } from '../../src/core/access.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { MemoryBus } from '../../src/modules/realtime/memory-bus.js';
import { StreamClient } from '../../src/modules/realtime/stream-client.js';
import { EVENT_TYPES } from '../../src/modules/realtime/types.js';
import { TestClient } from '../realtime/helpers.js';

const units = demoOrganisation();
const station = units.find((u) => u.kind === 'station')!;
const [lon, lat] = station.center!;

/** What a volunteer may call: their own session, and the volunteer module. */
const VOLUNTEER_MAY = [/^\/api\/v1\/me$/, /^\/api\/v1\/auth\/(logout|password)$/, /^\/api\/v1\/volunteer/, /^\/api\/v1\/shifts/, /^\/api\/v1\/defence-groups/];

const volunteerPrincipal: Principal = { kind: 'user', id: 'v', username: 'volunteer', displayName: 'v', roles: ['volunteer'], unitId: station.code, unitPath: `/MO/x/${station.code}/`, unitKind: 'station', scopes: [] };

describe.each(testDrivers())('volunteer isolation on %s', (driver) => {
  let t: TestApp;
  let volunteer: Record<string, string>;
  const ids: { incident?: string; dispute?: string; unit?: string } = {};

  beforeAll(async () => {
    t = await createTestApp(driver, { dispatch: true });
    volunteer = await t.login('volunteer');
    const calltaker = await t.login('calltaker');
    const inc = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: calltaker, payload: { source: 'call110', categoryCode: '05010101', description: '邻居两家吵架', caller: { name: '王芳', phone: '13800000001' }, location: { lon, lat } } });
    expect(inc.statusCode, inc.body).toBe(201);
    ids.incident = inc.json().id;
    const community = await t.login('community');
    const d = await t.app.inject({ method: 'POST', url: '/api/v1/disputes', headers: community, payload: { source: 'incident', incidentId: ids.incident } });
    expect(d.statusCode, d.body).toBe(201);
    ids.dispute = d.json().id;
    const dispatcher = await t.login('dispatcher');
    const u = await t.app.inject({ url: '/api/v1/units', headers: dispatcher });
    ids.unit = (u.json().items as { id: string }[])[0]?.id;
  });
  afterAll(() => t?.close());

  const apiRoutes = () => t.app.routeTable.filter((r) => r.url.startsWith('/api/v1/'));

  it('the routes whose policy lets a volunteer in are only their session and the volunteer module', () => {
    const open = apiRoutes()
      .filter((r) => r.policy && r.policy !== 'public' && policyAllows(r.policy, volunteerPrincipal) === 'ok')
      .map((r) => `${r.method} ${r.url}`);
    expect(open.filter((x) => !VOLUNTEER_MAY.some((re) => re.test(x.split(' ')[1]!)))).toEqual([]);
    expect(open).toContain('GET /api/v1/me');
  });

  it('every other route answers the volunteer 403 (nothing is shown, nothing is written)', async () => {
    const leaks: string[] = [];
    for (const route of apiRoutes()) {
      if (route.policy === 'public' || VOLUNTEER_MAY.some((re) => re.test(route.url))) continue;
      const url = route.url.replace(/:(\w+)/g, 'no-such-$1');
      const res = await t.app.inject({ method: route.method as 'GET', url, headers: volunteer, ...(route.method === 'GET' ? {} : { payload: {} }) });
      if (res.statusCode !== 403) leaks.push(`${route.method} ${route.url}: ${res.statusCode} ${res.body.slice(0, 80)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('real incidents, disputes and units of the volunteer’s own station answer 403 or 404', async () => {
    expect(ids.incident && ids.dispute && ids.unit).toBeTruthy();
    const urls = [
      '/api/v1/incidents',
      `/api/v1/incidents/${ids.incident}`,
      `/api/v1/incidents/${ids.incident}/assignments`,
      '/api/v1/disputes',
      `/api/v1/disputes/${ids.dispute}`,
      '/api/v1/units',
      `/api/v1/units/${ids.unit}`,
      '/api/v1/me/assignment',
      '/api/v1/users',
      '/api/v1/org/units',
    ];
    for (const url of urls) {
      const res = await t.app.inject({ url, headers: volunteer });
      expect([403, 404], `${url}: ${res.statusCode}`).toContain(res.statusCode);
      expect(res.body).not.toContain(ids.incident!);
    }
    const write = await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${ids.incident}/transitions`, headers: volunteer, payload: { to: 'cancelled', reason: 'x' } });
    expect([403, 404]).toContain(write.statusCode);
  });

  it('the event stream refuses a volunteer (403 before the upgrade)', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = address.replace('http', 'ws') + '/api/v1/stream';
    await expect(TestClient.open(url, { cookie: volunteer.cookie! })).rejects.toMatchObject({ statusCode: 403 });
    // The set-up is right: the chief of the same station is let in.
    const chief = await t.login('chief');
    const c = await TestClient.open(url, { cookie: chief.cookie! });
    await c.waitFor((x) => x.messages.length >= 1);
    await c.close();
  });
});

describe('a stream client with a volunteer principal', () => {
  it('delivers no incident, unit or dispute event of their station (nor any other station-scoped event)', async () => {
    const bus = new MemoryBus();
    const sent: string[] = [];
    const client = new StreamClient(bus, volunteerPrincipal, { bufferedAmount: 0, send: (x) => void sent.push(x), drop: () => {} });
    await client.start();
    for (const type of EVENT_TYPES) await bus.publish({ type, unitPath: volunteerPrincipal.unitPath, key: `k-${type}`, at: new Date().toISOString(), data: { secret: true } });
    await new Promise((r) => setTimeout(r, 50));
    const delivered = sent.map((s) => JSON.parse(s) as { type: string }).filter((m) => m.type !== 'hello');
    expect(delivered).toEqual([]);
    client.close();
    await bus.close();
  });
});
