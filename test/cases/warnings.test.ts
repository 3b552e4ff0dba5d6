import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { caseWarningsOf } from '../../src/modules/cases/index.js';
import { CaseWarnings } from '../../src/modules/cases/warnings.js';
import { DEFAULT_WARNING_CONFIG } from '../../src/modules/cases/domain/warnings.js';
import type { CaseDeps } from '../../src/modules/cases/store.js';

const units = demoOrganisation();
const otherStation = units.filter((u) => u.kind === 'station')[5]!;
const H = 3_600_000;
const MIN = 60_000;

describe.each(testDrivers())('case warnings on %s', (driver) => {
  let t: TestApp;
  let officer: Record<string, string>;
  let chief: Record<string, string>;
  let admin: Record<string, string>;
  let service: CaseWarnings;
  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    [officer, chief, admin] = await Promise.all(['officer', 'chief', 'admin'].map((u) => t.login(u)));
    service = caseWarningsOf(t.app.kernel)!;
  });
  afterAll(() => t?.close());

  const post = (url: string, headers: Record<string, string>, payload: unknown = {}) => t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload: payload as object });
  const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
  const ago = (h: number) => new Date(Date.now() - h * H).toISOString();

  async function openCase(who: Record<string, string>, body: Record<string, unknown>) {
    const res = await post('/cases', who, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: string };
  }
  async function step(id: string, body: Record<string, unknown>, who = chief) {
    const res = await post(`/cases/${id}/events`, who, body);
    expect(res.statusCode, res.body).toBe(201);
  }
  async function dueOf(id: string, rule: string, who = chief): Promise<number> {
    const c = (await get(`/cases/${id}`, who)).json().clocks.find((x: { rule: string }) => x.rule === rule);
    return new Date(c.dueAt).getTime();
  }
  /** The warning events published for a case (raised or resolved), in order. */
  const published = (caseId: string) =>
    t.events.filter((e) => e.type === 'case_warning' && e.key === caseId).map((e) => e.data as { event: string; warning: { id: string; rule: string; level: string; dueAt: string; resolution: string | null } });
  const tray = async (who: Record<string, string>) => (await get('/cases/warnings', who)).json() as { items: { id: string; caseId: string; rule: string; level: string; acked: boolean; resolution: string | null }[]; unacked: number };

  it('yellow fires before the due time and once: a second tick, and two instances ticking together, raise nothing more', async () => {
    const c = await openCase(officer, { kind: 'criminal', title: '盗窃案', acceptedAt: ago(3) });
    await step(c.id, { type: 'filed', at: ago(2) }, officer);
    await step(c.id, { type: 'detention', at: ago(1), subject: '张三' }, officer);
    const due = await dueOf(c.id, 'detention_interrogation');
    // 7 h before: still green (the 24-hour interrogation clock warns 6 h ahead).
    await service.tick(new Date(due - 7 * H));
    expect(published(c.id)).toEqual([]);
    await service.tick(new Date(due - 5 * H));
    expect(published(c.id).map((e) => [e.event, e.warning.rule, e.warning.level])).toEqual([['raised', 'detention_interrogation', 'yellow']]);
    await service.tick(new Date(due - 4 * H));
    // Another instance (its own service, its own cursor) ticking at the same time as this one.
    const other = new CaseWarnings(t.app.kernel.api<CaseDeps>('cases'), DEFAULT_WARNING_CONFIG);
    await Promise.all([service.tick(new Date(due - 3 * H)), other.tick(new Date(due - 3 * H)), other.tick(new Date(due - 3 * H))]);
    expect(published(c.id)).toHaveLength(1);
    // The event went out with the write, to the station's path: the officer and the chief are under it.
    const ev = t.events.find((e) => e.type === 'case_warning' && e.key === c.id)!;
    expect(ev.unitPath).toMatch(/\/$/);
  });

  it('red after the due time, replacing the yellow; once', async () => {
    const c = await openCase(chief, { kind: 'criminal', title: '抢夺案', acceptedAt: ago(3) });
    await step(c.id, { type: 'filed', at: ago(2) });
    await step(c.id, { type: 'detention', at: ago(1), subject: '李四' });
    const due = await dueOf(c.id, 'detention_interrogation');
    await service.tick(new Date(due - H));
    await service.tick(new Date(due + MIN));
    await service.tick(new Date(due + 10 * MIN));
    expect(published(c.id).map((e) => [e.event, e.warning.level, e.warning.resolution])).toEqual([
      ['raised', 'yellow', null],
      ['raised', 'red', null],
      ['resolved', 'yellow', 'overdue'],
    ]);
    const red = (await tray(chief)).items.filter((i) => i.caseId === c.id);
    expect(red.map((i) => i.level)).toEqual(['red']);
    // Questioning started: the clock is done, the red warning leaves the tray.
    await step(c.id, { type: 'questioning_started', at: new Date().toISOString(), subject: '李四' });
    await service.tick(new Date(due + 20 * MIN));
    expect(published(c.id).at(-1)).toMatchObject({ event: 'resolved', warning: { level: 'red', resolution: 'done' } });
    expect((await tray(chief)).items.filter((i) => i.caseId === c.id)).toEqual([]);
  });

  it('a stopped clock does not warn; an extension moves the due time, the old warning is resolved and the new due time warns again', async () => {
    const adm = await openCase(chief, { kind: 'administrative', title: '殴打他人', acceptedAt: ago(2) });
    await step(adm.id, { type: 'examination_started', at: ago(1), kind: 'injury', ref: 'JD-1' });
    const stoppedDue = (await get(`/cases/${adm.id}`, chief)).json().clocks.find((x: { rule: string }) => x.rule === 'public_order_handling').dueAt;
    expect(stoppedDue).toBeNull();
    await service.tick(new Date(Date.now() + 40 * 24 * H));
    expect(published(adm.id)).toEqual([]);

    const c = await openCase(chief, { kind: 'criminal', title: '诈骗案', acceptedAt: ago(3) });
    await step(c.id, { type: 'filed', at: ago(2) });
    await step(c.id, { type: 'detention', at: ago(1), subject: '王五' });
    await step(c.id, { type: 'questioning_started', at: ago(0.5), subject: '王五' });
    const due = await dueOf(c.id, 'arrest_request');
    await service.tick(new Date(due - 2 * H));
    expect(published(c.id).map((e) => [e.event, e.warning.rule, e.warning.level])).toEqual([['raised', 'arrest_request', 'yellow']]);
    await step(c.id, { type: 'extension', at: new Date().toISOString(), rule: 'arrest_request', extension: 'special', approver: '分局局长 刘军', amount: 2, subject: '王五' });
    const moved = await dueOf(c.id, 'arrest_request');
    expect(moved).toBeGreaterThan(due);
    await service.tick(new Date(due - H));
    expect(published(c.id).at(-1)).toMatchObject({ event: 'resolved', warning: { resolution: 'due_moved' } });
    // The old due time passes: no red for it.
    await service.tick(new Date(due + H));
    expect(published(c.id).filter((e) => e.warning.level === 'red')).toEqual([]);
    await service.tick(new Date(moved - 2 * H));
    const raised = published(c.id).filter((e) => e.event === 'raised');
    expect(raised.map((e) => new Date(e.warning.dueAt).getTime())).toEqual([due, moved]);
  });

  it('scoping: an officer sees the warnings of their own cases, the chief the station’s, not another station’s; each acknowledges for themselves', async () => {
    const elsewhere = await openCase(admin, { kind: 'criminal', title: '外所案件', stationId: otherStation.code, acceptedAt: ago(3) });
    await step(elsewhere.id, { type: 'filed', at: ago(2) }, admin);
    await step(elsewhere.id, { type: 'detention', at: ago(1), subject: '赵六' }, admin);
    const due = await dueOf(elsewhere.id, 'detention_interrogation', admin);
    await service.tick(new Date(due - H));
    expect(published(elsewhere.id)).toHaveLength(1);
    const chiefs = await tray(chief);
    expect(chiefs.items.some((i) => i.caseId === elsewhere.id)).toBe(false);
    expect((await tray(admin)).items.some((i) => i.caseId === elsewhere.id)).toBe(true);
    // The officer opened only the first case: they see its warning and none of the chief's cases.
    const officers = await tray(officer);
    expect(officers.items.length).toBeGreaterThan(0);
    expect(new Set(officers.items.map((i) => i.caseId)).size).toBe(1);
    expect(chiefs.items.length).toBeGreaterThan(officers.items.length);
    const mine = officers.items[0]!;
    const ack = await post(`/cases/warnings/${mine.id}/ack`, { ...officer, 'idempotency-key': `ack-${driver}` });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ id: mine.id, acked: true });
    expect((await tray(officer)).unacked).toBe(officers.unacked - 1);
    expect((await get('/cases/warnings?acked=false', officer)).json().items.some((i: { id: string }) => i.id === mine.id)).toBe(false);
    // The chief has not acknowledged it: still unacknowledged for them.
    expect((await tray(chief)).items.find((i) => i.id === mine.id)?.acked).toBe(false);
    // Another station's warning cannot be acknowledged from here.
    const theirs = (await tray(admin)).items.find((i) => i.caseId === elsewhere.id)!;
    expect((await post(`/cases/warnings/${theirs.id}/ack`, { ...chief, 'idempotency-key': `ack2-${driver}` })).statusCode).toBe(404);
  });

  it('GET /cases/digest: overdue clocks first, then those due within 24 h, of my station; another station’s for the bureau only', async () => {
    const res = await get('/cases/digest', chief);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.horizonHours).toBe(24);
    expect(d.items.length).toBeGreaterThan(0);
    expect(d.overdue + d.dueSoon).toBe(d.items.length);
    const firstLater = d.items.findIndex((i: { overdue: boolean }) => !i.overdue);
    if (firstLater >= 0) expect(d.items.slice(firstLater).every((i: { overdue: boolean }) => !i.overdue)).toBe(true);
    for (const i of d.items) expect(new Date(i.dueAt).getTime()).toBeLessThanOrEqual(Date.now() + 24 * H + MIN);
    expect(d.items.some((i: { stationId: string }) => i.stationId === otherStation.code)).toBe(false);
    // Another station's digest is not the chief's to read; the bureau's admin reads it.
    expect((await get(`/cases/digest?station=${otherStation.code}`, chief)).statusCode).toBe(403);
    const theirs = (await get(`/cases/digest?station=${otherStation.code}`, admin)).json();
    expect(theirs.items.every((i: { stationId: string }) => i.stationId === otherStation.code)).toBe(true);
    expect(theirs.items.length).toBeGreaterThan(0);
    expect((await get('/cases/digest?station=NOPE', admin)).statusCode).toBe(400);
  });

  it('the digest goes out at its hour, per station, once across instances', async () => {
    // 09:00 Beijing time in 60 days: after the hour, a day no tick has reached.
    const day = new Date(Date.now() + 60 * 24 * H);
    const at = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 1, 0));
    const early = new Date(at.getTime() - 2 * H); // 07:00
    expect(await service.sendDigests(early)).toBe(0);
    const other = new CaseWarnings(t.app.kernel.api<CaseDeps>('cases'), DEFAULT_WARNING_CONFIG);
    const [a, b] = await Promise.all([service.sendDigests(at), other.sendDigests(at)]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    expect(await service.sendDigests(new Date(at.getTime() + H))).toBe(0);
    const sent = t.events.filter((e) => e.type === 'case_warning' && (e.data as { event: string; digest?: { day: string } }).digest?.day === at.toISOString().slice(0, 10));
    expect(sent).toHaveLength(a + b);
    expect(new Set(sent.map((e) => e.key)).size).toBe(sent.length);
  });
});
