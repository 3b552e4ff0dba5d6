/**
 * The board's clock cache (clock-cache.ts): keyed by case id and version, so a step recorded — through
 * this instance or another one on the same database — changes the next board answer at once; bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp, signInHeaders, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { buildApp } from '../../src/server/app.js';
import { ClockCache, clockCacheOf } from '../../src/modules/cases/clock-cache.js';
import type { CaseDeps } from '../../src/modules/cases/index.js';
import { CLOCK_RULES } from '../../src/modules/cases/domain/rules.js';
import { defaultCalendar } from '../../src/core/working-days.js';
import type { CaseRow } from '../../src/modules/cases/store.js';

const H = 3_600_000;
const row = (id: string, version: number) => ({ id, version }) as CaseRow;

describe('ClockCache', () => {
  it('answers only at the exact version, keeps the most recently used within its bound, never goes back to an older version', () => {
    const c = new ClockCache(CLOCK_RULES, defaultCalendar(), 3);
    for (const id of ['a', 'b', 'c']) c.set({ row: row(id, 1), clocks: [] });
    expect(c.get('a', 1)).toBeDefined();
    expect(c.get('a', 2)).toBeUndefined();
    c.set({ row: row('d', 1), clocks: [] });
    // 'a' was used last: 'b' goes.
    expect(c.size).toBe(3);
    expect(c.get('b', 1)).toBeUndefined();
    expect(c.get('a', 1)).toBeDefined();
    c.set({ row: row('a', 3), clocks: [] });
    c.set({ row: row('a', 2), clocks: [] });
    expect(c.get('a', 3)).toBeDefined();
    expect(c.get('a', 2)).toBeUndefined();
  });
});

describe.each(testDrivers())('the board with cached clocks on %s', (driver) => {
  let t: TestApp;
  let other: FastifyInstance;
  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    // A second instance on the same database: its own memory, the same rows.
    other = await buildApp({ config: t.config, database: t.database, db: t.database.db, publish: () => {} }, { logger: false });
    await other.ready();
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  const ago = (h: number) => new Date(Date.now() - h * H).toISOString();
  type Item = { caseId: string; rule: string; subject: string | null; colour: string; name: string };

  it('a step recorded on either instance changes the next board answer of both; names follow the language from the same cache', async () => {
    const [chief, supervisor] = await Promise.all([t.login('chief'), t.login('supervisor')]);
    const [otherChief, otherSupervisor] = await Promise.all([signInHeaders(other, 'chief'), signInHeaders(other, 'supervisor')]);
    const post = (app: FastifyInstance, url: string, headers: Record<string, string>, payload: object) => app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload });
    const board = async (app: FastifyInstance, headers: Record<string, string>, caseId: string, lang = 'zh') => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/cases/board?leadHours=24&lang=${lang}`, headers });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { items: Item[] }).items.filter((i) => i.caseId === caseId);
    };
    const c = (await post(t.app, '/cases', chief, { kind: 'criminal', title: '盗窃案', acceptedAt: ago(30) })).json() as { id: string };
    expect((await post(t.app, `/cases/${c.id}/events`, chief, { type: 'filed', at: ago(29) })).statusCode).toBe(201);
    expect((await post(t.app, `/cases/${c.id}/events`, chief, { type: 'detention', at: ago(26), subject: '张三' })).statusCode).toBe(201);

    const cache = clockCacheOf((t.app as unknown as { kernel: { api<T>(n: string): T } }).kernel.api<CaseDeps>('cases'));
    const first = await board(t.app, supervisor, c.id);
    expect(first.map((i) => i.rule).sort()).toEqual(['arrest_request', 'detention_interrogation']);
    expect(first.find((i) => i.rule === 'detention_interrogation')).toMatchObject({ colour: 'red', subject: '张三', name: '拘留后讯问' });
    expect(await board(other, otherSupervisor, c.id)).toEqual(first);
    // Read again: answered from the cache, in the other language as well.
    const hits = cache.hits;
    const en = await board(t.app, supervisor, c.id, 'en');
    expect(cache.hits).toBeGreaterThan(hits);
    expect(en.find((i) => i.rule === 'detention_interrogation')!.name).toBe('Interrogation after detention');

    // Questioned on the other instance: this one's cached clocks are of an older version, not used.
    expect((await post(other, `/cases/${c.id}/events`, otherChief, { type: 'questioning_started', at: ago(1), subject: '张三' })).statusCode).toBe(201);
    expect((await board(t.app, supervisor, c.id)).map((i) => i.rule)).toEqual(['arrest_request']);
    // And the request for arrest approval on this one: the other's board changes at once too.
    expect((await post(t.app, `/cases/${c.id}/events`, chief, { type: 'arrest_requested', at: ago(0.5), subject: '张三' })).statusCode).toBe(201);
    expect((await board(other, otherSupervisor, c.id)).map((i) => i.rule)).not.toContain('arrest_request');
    expect(await board(t.app, supervisor, c.id)).toEqual(await board(other, otherSupervisor, c.id));
    // Closed: off the board on both.
    expect((await post(other, `/cases/${c.id}/events`, otherChief, { type: 'closed', at: ago(0.1) })).statusCode).toBe(201);
    expect(await board(t.app, supervisor, c.id)).toEqual([]);
    expect(await board(other, otherSupervisor, c.id)).toEqual([]);
  });
});
