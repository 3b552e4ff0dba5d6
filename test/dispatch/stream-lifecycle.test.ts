/**
 * The lifecycle of an assignment as a dispatcher's console sees it over the WebSocket stream: the
 * application as start.ts builds it (its bus, publish, DispatchService, IncidentService), listening.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/config.js';
import { seedDemo } from '../../src/demo/seed.js';
import { seedDemoUnits } from '../../src/demo/units.js';
import { MemoryBus } from '../../src/modules/realtime/memory-bus.js';
import type { ServerMessage } from '../../src/modules/realtime/stream-client.js';
import { leafCategories } from '../../src/modules/incidents/domain/categories.js';
import { freshDatabase, type TestDatabase } from '../helpers/db.js';
import { demoRoads, signInHeaders } from '../helpers/app.js';
import { TestClient } from '../realtime/helpers.js';

const generic = leafCategories().find((c) => !c.capabilities?.length && c.code.startsWith('02'))!;
const UNIT = 'MO0101-1';

describe('an assignment’s lifecycle on the event stream', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let url: string;
  const bus = new MemoryBus();

  beforeAll(async () => {
    database = await freshDatabase('pglite');
    await seedDemo(database.db);
    await seedDemoUnits(database.db);
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, database, db: database.db, roads: await demoRoads(), bus }, { logger: false });
    await app.ctx.dispatch!.applyRosterAll();
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    url = address.replace('http', 'ws') + '/api/v1/stream';
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.close();
    await bus.close();
  });

  const login = (username: string) => signInHeaders(app, username);

  it('delivers incident, assignment and unit status events of assign → ack → en route → on scene → clear, in seq order, once each', async () => {
    const [calltaker, dispatcher, officer] = await Promise.all([login('calltaker'), login('dispatcher'), login('officer')]);
    expect((await app.inject({ url: `/api/v1/units/${UNIT}`, headers: dispatcher })).json().status).toBe('available');
    const c = await TestClient.open(url, { cookie: dispatcher.cookie });
    await c.waitFor((x) => x.messages.length >= 1, 5000, 'hello');
    const hello = c.messages[0];
    expect(hello).toMatchObject({ type: 'hello', data: { resumed: false } });

    const created = await app.inject({ method: 'POST', url: '/api/v1/incidents', headers: calltaker, payload: { source: 'call110', categoryCode: generic.code, description: '有人在街上吵闹', location: { lon: 113.544113, lat: 22.211607 } } });
    expect(created.statusCode, created.body).toBe(201);
    const incId = (created.json() as { id: string }).id;

    // What the console shows of one event: its type and the state it carries.
    const summary = (m: ServerMessage) => {
      const d = m.data as { event?: string; status?: string; incident?: { status: string }; unitId?: string };
      if (m.type === 'incident') return `incident ${d.event}:${d.incident!.status}`;
      if (m.type === 'assignment') return `assignment ${d.event}:${d.unitId}`;
      if (m.type === 'unit_status') return `unit_status ${m.key}:${d.status}`;
      return m.type;
    };
    const ours = () => c.events().filter((m) => m.key === incId || m.key === UNIT);
    let expected: string[] = ['incident created:new'];
    const step = async (what: string, f: () => Promise<{ statusCode: number; body: string }>, events: string[]) => {
      const res = await f();
      expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(300);
      expected = [...expected, ...events];
      // Each step's events arrive before the next step starts, so the order below is the order of the writes.
      await c.waitFor(() => ours().length >= expected.length, 5000, `${what} events`);
    };
    await c.waitFor(() => ours().length >= 1, 5000, 'incident created');

    let assignmentId = '';
    await step(
      'assign',
      async () => {
        const r = await app.inject({ method: 'POST', url: `/api/v1/incidents/${incId}/assignments`, headers: dispatcher, payload: { unitIds: [UNIT] } });
        assignmentId = r.json().items?.[0]?.id;
        return r;
      },
      [`unit_status ${UNIT}:dispatched`, `assignment assigned:${UNIT}`, 'incident transition:dispatched'],
    );
    await step('ack', () => app.inject({ method: 'POST', url: `/api/v1/assignments/${assignmentId}/ack`, headers: officer }), [`assignment acknowledged:${UNIT}`]);
    const status = (s: string, extra: Record<string, unknown> = {}) => () => app.inject({ method: 'POST', url: `/api/v1/units/${UNIT}/status`, headers: officer, payload: { status: s, ...extra } });
    await step('en route', status('en_route'), [`unit_status ${UNIT}:en_route`, `assignment en_route:${UNIT}`, 'incident transition:en_route']);
    await step('on scene', status('on_scene'), [`unit_status ${UNIT}:on_scene`, `assignment on_scene:${UNIT}`, 'incident transition:on_scene']);
    await step('clear', status('available', { note: '已调解' }), [`unit_status ${UNIT}:available`, `assignment cleared:${UNIT}`, 'incident transition:cleared']);

    // Nothing more comes for this incident or unit.
    await new Promise((r) => setTimeout(r, 200));
    const got = ours();
    expect(got.map(summary)).toEqual(expected);
    for (const m of got.filter((x) => x.type === 'assignment')) expect(m.data).toMatchObject({ id: assignmentId, incidentId: incId });

    // The whole filtered view of this client: seqs strictly increasing from hello, without gaps (a
    // city-wide dispatcher sees every event and no positions were thinned), none twice.
    const all = c.events();
    const seqs = all.map((m) => m.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => hello.seq + 1 + i));
    expect(seqs[seqs.length - 1]).toBe(bus.lastSeq());
    await c.close();
  });
});
