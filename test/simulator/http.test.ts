/** The simulator over the REST API of a listening server (what `shouwang simulate` does). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createApiToken } from '../../src/modules/auth/service.js';
import { CitySimulator } from '../../src/demo/simulator/engine.js';
import { HttpTarget } from '../../src/demo/simulator/http.js';

describe('city simulator over HTTP', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await createTestApp('pglite', { dispatch: true });
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = address.replace('localhost', '127.0.0.1');
  }, 120_000);
  afterAll(() => t?.close());

  it('signs in as the dispatcher, records, dispatches and drives units through the API', async () => {
    const { token } = await createApiToken(t.database.db, { name: 'simulator AVL', scopes: ['avl:write'], unitId: 'MO', createdBy: 'test' });
    const target = new HttpTarget({ url, avlToken: token });
    await target.login();
    // Twenty simulated minutes at speed ×6 of a busy evening, stepped without waiting.
    const sim = new CitySimulator({ target, rate: 40, speed: 6, seed: 3, startAt: new Date('2025-12-31T21:00:00+08:00') });
    for (let s = 0; s < 200; s++) await sim.step(1);
    expect(sim.stats.errors, sim.stats.lastError ?? '').toBe(0);
    expect(sim.stats.created).toBeGreaterThan(5);
    expect(sim.stats.assigned).toBeGreaterThan(3);
    expect(sim.stats.enRoute).toBeGreaterThan(2);
    expect(sim.stats.positions).toBeGreaterThan(1000);
    expect(sim.stats.positionsRejected).toBe(0);
    const units = (await t.app.inject({ url: '/api/v1/units', headers: await t.login('dispatcher') })).json().items as { status: string; position: unknown }[];
    expect(units.filter((u) => u.position !== null).length).toBeGreaterThan(30);
    expect(units.some((u) => u.status === 'en_route' || u.status === 'on_scene')).toBe(true);
    // Without a token each position is its own request, as the dispatcher.
    const single = new HttpTarget({ url });
    const r = await single.reportPositions([{ unitId: 'MO0101-2', lon: 113.5493717, lat: 22.2069761, at: new Date().toISOString(), speed: 0, heading: 0 }]);
    expect(r).toEqual({ accepted: 1, rejected: 0 });
  }, 60_000);
});
