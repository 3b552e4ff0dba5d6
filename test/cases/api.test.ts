import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { localDayCompact } from '../../src/core/clock.js';

const units = demoOrganisation();
const station = units.find((u) => u.kind === 'station')!;
const otherStation = units.filter((u) => u.kind === 'station')[5]!;
const [lon, lat] = station.center!;
const H = 3_600_000;

describe.each(testDrivers())('cases API on %s', (driver) => {
  let t: TestApp;
  let calltaker: Record<string, string>;
  let chief: Record<string, string>;
  let community: Record<string, string>;
  let supervisor: Record<string, string>;
  let admin: Record<string, string>;
  let dispatcher: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    [calltaker, chief, community, supervisor, admin, dispatcher] = await Promise.all(['calltaker', 'chief', 'community', 'supervisor', 'admin', 'dispatcher'].map((u) => t.login(u)));
  });
  afterAll(() => t?.close());

  const post = (url: string, headers: Record<string, string>, payload: unknown = {}, extra: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { ...headers, ...extra }, payload: payload as object });
  const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
  const ago = (h: number) => new Date(Date.now() - h * H).toISOString();

  async function incident() {
    const res = await post('/incidents', calltaker, { source: 'call110', categoryCode: '02030101', description: '酒后殴打他人', caller: { name: '王芳', phone: '13800000099' }, location: { lon, lat } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: string };
  }

  it('opens a criminal case from an incident: numbered per station and day, its filing-review clock running', async () => {
    const inc = await incident();
    const inc2 = await incident();
    const res = await post('/cases', chief, { kind: 'criminal', incidentIds: [inc.id, inc2.id], acceptedAt: ago(2) });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({ kind: 'criminal', incidentId: inc.id, incidentIds: [inc.id, inc2.id], stationId: station.code, status: 'open', officer: 'chief', nextDueRule: 'filing_review' });
    expect(c.number).toBe(`AJ${station.code}${localDayCompact(new Date())}0001`);
    expect(c.title).toContain(inc.number);
    const d = (await get(`/cases/${c.id}`, chief)).json();
    expect(d.events.map((e: { type: string }) => e.type)).toEqual(['accepted']);
    const review = d.clocks.find((x: { rule: string }) => x.rule === 'filing_review');
    expect(review).toMatchObject({ state: 'running', colour: 'green', custody: false });
    // 3 days, the day of acceptance not counted, a last day off moved to the next working day.
    const due = new Date(review.dueAt).getTime() - new Date(ago(2)).getTime();
    expect(due).toBeGreaterThan(3 * 24 * H - 2 * H);
    expect(due).toBeLessThan(12 * 24 * H);
    expect(review.explanation.length).toBeGreaterThan(0);
    // An administrative case has no filing review.
    const adm = (await post('/cases', chief, { kind: 'administrative', title: '噪音扰民', acceptedAt: ago(1) })).json();
    expect((await get(`/cases/${adm.id}`, chief)).json().clocks.map((x: { rule: string }) => x.rule)).not.toContain('filing_review');
  });

  it('records steps checked with the steps before them; a detention not questioned in 24 h is red on the board, first', async () => {
    const c = (await post('/cases', chief, { kind: 'criminal', title: '盗窃案', acceptedAt: ago(30) })).json();
    const step = (body: Record<string, unknown>, lang = 'zh-CN') => post(`/cases/${c.id}/events`, chief, body, { 'accept-language': lang });
    const filed = await step({ type: 'filed', at: ago(29) });
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json().case.nextDueRule).toBeNull();
    const detained = await step({ type: 'detention', at: ago(26), subject: '张三' });
    expect(detained.statusCode, detained.body).toBe(201);
    expect(detained.json().case).toMatchObject({ nextDueRule: 'detention_interrogation', overdueClocks: 1 });
    const board = (await get('/cases/board?leadHours=24', supervisor)).json();
    expect(board.items[0]).toMatchObject({ caseId: c.id, rule: 'detention_interrogation', subject: '张三', colour: 'red', custody: true });
    expect(board.items[0].leftMinutes).toBeLessThan(0);
    expect(board.counts.red).toBeGreaterThanOrEqual(1);
    // The board as the contract's list: only overdue clocks, or those due before a time.
    const overdue = (await get('/clocks?state=overdue', supervisor)).json();
    expect(overdue.items.length).toBeGreaterThan(0);
    expect(overdue.items.every((i: { state: string }) => i.state === 'overdue')).toBe(true);
    const soon = (await get(`/clocks?dueBefore=${encodeURIComponent(new Date(Date.now() + 3 * 86_400_000).toISOString())}`, supervisor)).json();
    expect(soon.items.every((i: { dueAt: string | null }) => i.dueAt !== null && new Date(i.dueAt).getTime() < Date.now() + 3 * 86_400_000)).toBe(true);
    expect(soon.items.map((i: { rule: string }) => i.rule)).toContain('arrest_request');
    // Questioned (late): the clock is done, off the board.
    expect((await step({ type: 'questioning_started', at: ago(1), subject: '张三' })).statusCode).toBe(201);
    const after = (await get('/cases/board', supervisor)).json();
    expect(after.items.filter((i: { caseId: string; rule: string }) => i.caseId === c.id && i.rule === 'detention_interrogation')).toEqual([]);
    const d = (await get(`/cases/${c.id}?lang=en`, chief)).json();
    const interrogation = d.clocks.find((x: { rule: string }) => x.rule === 'detention_interrogation');
    expect(interrogation).toMatchObject({ state: 'done', name: 'Interrogation after detention', subject: '张三' });
  });

  it('refuses a bad step naming the field, in both languages, and stores nothing', async () => {
    const c = (await post('/cases', chief, { kind: 'criminal', title: '诈骗案', acceptedAt: ago(5) })).json();
    const bad: [Record<string, unknown>, string][] = [
      [{ type: 'arrested_maybe', at: ago(1) }, 'type'],
      [{ type: 'filed', at: 'yesterday' }, 'at'],
      [{ type: 'filed', at: new Date(Date.now() + 48 * H).toISOString() }, 'at'],
      [{ type: 'examination_started', at: ago(1) }, 'kind'],
      [{ type: 'extension', at: ago(1), rule: 'filing_review', extension: 'major_case' }, 'approver'],
      [{ type: 'examination_ended', at: ago(1), ref: 'X1' }, 'ref'],
    ];
    for (const [body, field] of bad)
      for (const lang of ['zh-CN', 'en']) {
        const res = await post(`/cases/${c.id}/events`, chief, body, { 'accept-language': lang });
        expect(res.statusCode, `${JSON.stringify(body)} ${res.body}`).toBe(400);
        expect(res.json().error.field, JSON.stringify(body)).toBe(field);
        expect(res.json().error.message).toMatch(lang === 'en' ? /[a-z]/ : /[\u4e00-\u9fff]/);
      }
    expect((await get(`/cases/${c.id}`, chief)).json().events).toHaveLength(1);
    // The officer in charge must be an account of the handling station.
    const accounts = (await get(`/users?q=community&limit=5`, admin)).json().items as { id: string; username: string }[];
    const mine = await post('/cases', chief, { kind: 'criminal', title: '承办人', officerId: accounts.find((u) => u.username === 'community')!.id });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(mine.json().officer).toBe('community');
    const nobody = await post('/cases', chief, { kind: 'criminal', title: '承办人', officerId: 'no-such-user' });
    expect(nobody.statusCode).toBe(400);
    expect(nobody.json().error.field).toBe('officerId');
    const noKind = await post('/cases', chief, { title: 'x' });
    expect(noKind.statusCode).toBe(400);
    expect(noKind.json().error.field).toBe('kind');
  });

  it('a retry with the same Idempotency-Key answers the same case; steps are append-only in the database', async () => {
    const body = { kind: 'administrative', title: '寻衅滋事', acceptedAt: ago(3) };
    const a = await post('/cases', chief, body, { 'idempotency-key': 'case-retry-1' });
    const b = await post('/cases', chief, body, { 'idempotency-key': 'case-retry-1' });
    expect(a.statusCode).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    const rows = await t.database.db.execute(sql`select count(*)::int as n from cases where title = '寻衅滋事'`);
    expect((rows as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(1);
    const refusal = (q: Promise<unknown>) => q.then(() => 'changed', (e: Error & { cause?: Error }) => `${e.message} ${e.cause?.message ?? ''}`);
    expect(await refusal(t.database.db.execute(sql`update case_events set type = 'filed' where case_id = ${a.json().id}`))).toMatch(/append-only/);
    expect(await refusal(t.database.db.execute(sql`delete from case_events where case_id = ${a.json().id}`))).toMatch(/append-only/);
    // The open is audited with the case as its entity.
    const audit = (await get(`/audit?entity=case&entityId=${a.json().id}&limit=10`, admin)).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toContain('case.open');
  });

  it('keeps cases inside their station: another station answers 404, a dispatcher has no cases at all', async () => {
    const other = (await post('/cases', admin, { kind: 'criminal', title: '别所案件', stationId: otherStation.code, acceptedAt: ago(1) })).json();
    expect(other.stationId).toBe(otherStation.code);
    expect((await get(`/cases/${other.id}`, chief)).statusCode).toBe(404);
    expect((await post(`/cases/${other.id}/events`, chief, { type: 'filed', at: ago(0) })).statusCode).toBe(404);
    expect((await get('/cases', chief)).json().items.map((c: { id: string }) => c.id)).not.toContain(other.id);
    expect((await get('/cases', community)).statusCode).toBe(200);
    expect((await post('/cases', chief, { kind: 'criminal', title: 'x', stationId: otherStation.code })).statusCode).toBe(403);
    expect((await get('/cases', dispatcher)).statusCode).toBe(403);
    expect((await get('/cases/board', chief)).statusCode).toBe(200);
  });

  it('closes on 结案 and then takes only a voiding of a wrong record', async () => {
    const c = (await post('/cases', chief, { kind: 'administrative', title: '殴打他人（调解）', acceptedAt: ago(10) })).json();
    const closed = await post(`/cases/${c.id}/events`, chief, { type: 'closed', at: ago(1) });
    expect(closed.statusCode, closed.body).toBe(201);
    expect(closed.json().case).toMatchObject({ status: 'closed', nextDueRule: null });
    const late = await post(`/cases/${c.id}/events`, chief, { type: 'summons', at: ago(0), subject: '李四' });
    expect(late.statusCode).toBe(409);
    expect((await get('/cases?open=false', chief)).json().items.map((x: { id: string }) => x.id)).toContain(c.id);
  });

  it("lists an incident's cases, open and closed, whether it is the first or a later linked incident", async () => {
    const [a, b, lone] = [await incident(), await incident(), await incident()];
    const first = (await post('/cases', chief, { kind: 'criminal', incidentIds: [a.id], acceptedAt: ago(3) })).json();
    const both = (await post('/cases', chief, { kind: 'administrative', incidentIds: [b.id, a.id], acceptedAt: ago(2) })).json();
    expect((await post(`/cases/${both.id}/events`, chief, { type: 'closed', at: ago(1) })).statusCode).toBe(201);
    const ids = async (q: string) => (await get(`/cases?${q}`, chief)).json().items.map((x: { id: string }) => x.id).sort();
    expect(await ids(`incidentId=${a.id}`)).toEqual([first.id, both.id].sort());
    expect(await ids(`incidentId=${a.id}&open=true`)).toEqual([first.id]);
    expect(await ids(`incidentId=${b.id}`)).toEqual([both.id]);
    expect(await ids(`incidentId=${lone.id}`)).toEqual([]);
  });
});
