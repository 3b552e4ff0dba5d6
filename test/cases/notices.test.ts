import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { localDay } from '../../src/core/clock.js';
import { REVIEW_CHECKLIST } from '../../src/modules/cases/domain/review.js';
import { provideCaseLinkage, type CaseDeps } from '../../src/modules/cases/index.js';

const units = demoOrganisation();
const otherStation = units.filter((u) => u.kind === 'station')[5]!;
const H = 3_600_000;

describe.each(testDrivers())('supervision notices, reviews and figures on %s', (driver) => {
  let t: TestApp;
  let chief: Record<string, string>;
  let officer: Record<string, string>;
  let supervisor: Record<string, string>;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    [chief, officer, supervisor, admin] = await Promise.all(['chief', 'officer', 'supervisor', 'admin'].map((u) => t.login(u)));
  });
  afterAll(() => t?.close());

  const post = (url: string, headers: Record<string, string>, payload: unknown = {}, extra: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { ...headers, ...extra }, payload: payload as object });
  const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
  const ago = (h: number) => new Date(Date.now() - h * H).toISOString();
  const inH = (h: number) => new Date(Date.now() + h * H).toISOString();
  const openCase = async (title: string, who = chief, extra: Record<string, unknown> = {}) => {
    const res = await post('/cases', who, { kind: 'administrative', title, acceptedAt: ago(30), ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: string; stationId: string };
  };
  const issue = (caseId: string, body: Record<string, unknown> = {}, who = supervisor, extra: Record<string, string> = {}) =>
    post(`/cases/${caseId}/notices`, who, { items: [{ type: 'no_recording', description: '传唤未全程录音录像' }, { type: 'documents', description: '询问笔录未签名' }], answerDueAt: inH(72), ...body }, extra);

  it('issue → answer → return → answer → accept, numbered after the case, every step audited', async () => {
    const c = await openCase('殴打他人案（督察）');
    const res = await issue(c.id);
    expect(res.statusCode, res.body).toBe(201);
    const n = res.json();
    expect(n).toMatchObject({ number: `${c.number}-01`, caseId: c.id, caseNumber: c.number, state: 'issued', stationId: c.stationId, officer: 'chief', overdue: false, late: false, issuedBy: 'supervisor' });
    expect(n.items.map((i: { type: string }) => i.type)).toEqual(['no_recording', 'documents']);
    // The supervisor cannot answer (no case.answer) and the station cannot verify (no case.notice).
    expect((await post(`/notices/${n.id}/answer`, supervisor, { text: 'x' })).statusCode).toBe(403);
    expect((await post(`/notices/${n.id}/verify`, chief, { result: 'accepted' })).statusCode).toBe(403);
    // Verifying before the answer is refused on the state.
    expect((await post(`/notices/${n.id}/verify`, supervisor, { result: 'accepted' })).statusCode).toBe(409);
    const a1 = await post(`/notices/${n.id}/answer`, chief, { text: '已补充录像说明，笔录已补签' });
    expect(a1.statusCode, a1.body).toBe(200);
    expect(a1.json()).toMatchObject({ state: 'answered', late: false });
    expect(a1.json().firstAnsweredAt).toBeTruthy();
    // Returned: a reason and a new due date are both needed.
    expect((await post(`/notices/${n.id}/verify`, supervisor, { result: 'returned', answerDueAt: inH(48) })).json().error.field).toBe('comment');
    expect((await post(`/notices/${n.id}/verify`, supervisor, { result: 'returned', comment: '说明不充分' })).json().error.field).toBe('answerDueAt');
    const back = await post(`/notices/${n.id}/verify`, supervisor, { result: 'returned', comment: '说明不充分', answerDueAt: inH(48) });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().state).toBe('returned');
    // The officer in charge is the chief here: another officer of the station may not answer.
    expect((await post(`/notices/${n.id}/answer`, officer, { text: '我来回复' })).statusCode).toBe(403);
    expect((await post(`/notices/${n.id}/answer`, chief, { text: '已重新整改并附录像编号' })).json().state).toBe('answered');
    const done = await post(`/notices/${n.id}/verify`, supervisor, { result: 'accepted', comment: '整改到位' });
    expect(done.json()).toMatchObject({ state: 'accepted', late: false });
    expect(done.json().steps.map((s: { action: string }) => s.action)).toEqual(['answer', 'return', 'answer', 'accept']);
    expect((await post(`/notices/${n.id}/answer`, chief, { text: '再答' })).statusCode).toBe(409);
    const audit = (await get(`/audit?entity=case_notice&entityId=${n.id}&limit=20`, admin)).json();
    expect(audit.items.filter((e: { detail: { status: number } }) => e.detail.status === 200).map((e: { action: string }) => e.action).sort()).toEqual(['case.notice.answer', 'case.notice.answer', 'case.notice.verify', 'case.notice.verify']);
    expect((await issue(c.id)).json().number).toBe(`${c.number}-02`);
  });

  it('a notice past its due date is overdue until answered, and the late answer stays late', async () => {
    const c = await openCase('噪音扰民（超期回复）');
    const n = (await issue(c.id)).json();
    await t.database.db.execute(sql`update case_notices set answer_due_at = now() - interval '2 hours' where id = ${n.id}`);
    expect((await get(`/notices/${n.id}`, chief)).json()).toMatchObject({ overdue: true });
    const overdue = (await get('/notices?overdue=true', supervisor)).json();
    expect(overdue.items.map((x: { id: string }) => x.id)).toContain(n.id);
    expect(overdue.items.every((x: { overdue: boolean }) => x.overdue)).toBe(true);
    expect((await get('/notices?overdue=false', supervisor)).json().items.map((x: { id: string }) => x.id)).not.toContain(n.id);
    const a = (await post(`/notices/${n.id}/answer`, chief, { text: '已整改' })).json();
    expect(a).toMatchObject({ state: 'answered', overdue: false, late: true });
    expect((await get('/notices?state=answered', supervisor)).json().items.every((x: { state: string }) => x.state === 'answered')).toBe(true);
  });

  it('refuses bad input naming the field, in both languages, and a case outside the jurisdiction', async () => {
    const c = await openCase('寻衅滋事（字段）');
    const bad: [Record<string, unknown>, string][] = [
      [{ items: [] }, 'items'],
      [{ items: [{ type: 'bribery', description: 'x' }] }, 'items.0.type'],
      [{ items: [{ type: 'documents', description: '   ' }] }, 'items.0.description'],
      [{ answerDueAt: ago(1) }, 'answerDueAt'],
      [{ answerDueAt: 'next week' }, 'answerDueAt'],
      [{ answerDueAt: inH(24 * 90) }, 'answerDueAt'],
    ];
    for (const [body, field] of bad)
      for (const lang of ['zh-CN', 'en']) {
        const res = await issue(c.id, body, supervisor, { 'accept-language': lang });
        expect(res.statusCode, `${JSON.stringify(body)} ${res.body}`).toBe(400);
        expect(res.json().error.field, JSON.stringify(body)).toBe(field);
        expect(res.json().error.message).toMatch(lang === 'en' ? /[a-z]/ : /[\u4e00-\u9fff]/);
      }
    expect((await get(`/notices?caseId=${c.id}`, supervisor)).json().total).toBe(0);
    const n = (await issue(c.id)).json();
    expect((await post(`/notices/${n.id}/answer`, chief, { text: '' })).json().error.field).toBe('text');
    expect((await post(`/notices/${n.id}/verify`, supervisor, { result: 'maybe' })).json().error.field).toBe('result');
    expect((await get('/cases/stats?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', supervisor)).json().error.field).toBe('from');
  });

  it('a retry with the same Idempotency-Key answers the same notice; two answers at once change it once', async () => {
    const c = await openCase('盗窃（重试）');
    const due = { answerDueAt: inH(72) };
    const a = await issue(c.id, due, supervisor, { 'idempotency-key': 'notice-retry-1' });
    const b = await issue(c.id, due, supervisor, { 'idempotency-key': 'notice-retry-1' });
    expect(a.statusCode).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    expect((await get(`/notices?caseId=${c.id}`, supervisor)).json().total).toBe(1);
    const id = a.json().id as string;
    const [x, y] = await Promise.all([post(`/notices/${id}/answer`, chief, { text: '甲' }), post(`/notices/${id}/answer`, chief, { text: '乙' })]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    const n = (await get(`/notices/${id}`, chief)).json();
    expect(n.steps).toHaveLength(1);
    expect(n.version).toBe(2);
  });

  it('keeps notices inside their station: the station sees its own, the bureau all', async () => {
    const other = await openCase('别所案件（督察）', admin, { stationId: otherStation.code });
    const n = (await issue(other.id, {}, admin)).json();
    expect(n.stationId).toBe(otherStation.code);
    expect((await get(`/notices/${n.id}`, chief)).statusCode).toBe(404);
    expect((await post(`/notices/${n.id}/answer`, chief, { text: 'x' })).statusCode).toBe(404);
    expect((await get('/notices?limit=200', chief)).json().items.map((x: { id: string }) => x.id)).not.toContain(n.id);
    expect((await get('/notices?limit=200', admin)).json().items.map((x: { id: string }) => x.id)).toContain(n.id);
    expect((await post(`/cases/${other.id}/notices`, chief, {})).statusCode).toBe(403);
    const mine = (await get('/cases/stats', chief)).json();
    expect(mine.byStation.every((s: { stationId: string }) => s.stationId !== otherStation.code)).toBe(true);
    expect((await get('/cases/stats', admin)).json().byStation.map((s: { stationId: string }) => s.stationId)).toContain(otherStation.code);
  });

  it('reviews a closed case once (一案一评), scored from the checklist', async () => {
    const c = await openCase('殴打他人（评查）');
    const items = REVIEW_CHECKLIST.map((i) => ({ id: i.id, result: i.id === 'recording' ? 'unmet' : i.id === 'property' ? 'na' : 'met', ...(i.id === 'recording' ? { note: '询问未录像' } : {}) }));
    const open = await post(`/cases/${c.id}/review`, supervisor, { items });
    expect(open.statusCode).toBe(409);
    expect((await post(`/cases/${c.id}/events`, chief, { type: 'closed', at: ago(1) })).statusCode).toBe(201);
    expect((await post(`/cases/${c.id}/review`, supervisor, { items: items.slice(1) })).json().error.field).toBe('items');
    expect((await post(`/cases/${c.id}/review`, chief, { items })).statusCode).toBe(403);
    const r = await post(`/cases/${c.id}/review`, supervisor, { items, comment: '总体规范' }, { 'idempotency-key': 'review-1' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ score: 88.9, grade: 'good', reviewedBy: 'supervisor', comment: '总体规范' });
    expect((await post(`/cases/${c.id}/review`, supervisor, { items, comment: '总体规范' }, { 'idempotency-key': 'review-1' })).json().id).toBe(r.json().id);
    expect((await post(`/cases/${c.id}/review`, supervisor, { items })).statusCode).toBe(409);
    expect((await get(`/cases/${c.id}/review`, chief)).json().review).toMatchObject({ id: r.json().id, score: 88.9 });
  });

  it('answers the figures of the jurisdiction: overdue cases, notices on time, problems by type, by station and officer', async () => {
    const c = await openCase('故意伤害（统计）', chief, { kind: 'criminal' });
    expect((await post(`/cases/${c.id}/events`, chief, { type: 'filed', at: ago(29) })).statusCode).toBe(201);
    expect((await post(`/cases/${c.id}/events`, chief, { type: 'detention', at: ago(26), subject: '某甲' })).statusCode).toBe(201);
    await issue(c.id, { items: [{ type: 'account_freeze', description: '冻结未附审批' }] });
    const s = await get('/cases/stats', supervisor);
    expect(s.statusCode, s.body).toBe(200);
    const f = s.json();
    expect(f.overdue).toBeGreaterThanOrEqual(1);
    expect(f.noticesTotal).toBeGreaterThanOrEqual(4);
    expect(f.noticesOnTime).toBeGreaterThanOrEqual(1);
    expect(f.noticesOnTime).toBeLessThan(f.noticesTotal);
    expect(f.problemsByType.find((p: { type: string }) => p.type === 'account_freeze')).toMatchObject({ count: 1 });
    expect(f.problemsByType[0].type).toBe('no_recording');
    // Detention steps with no recording linked: the media module answers a rate of 0 (never null once it is wired).
    expect(f.linkageRate).toBe(0);
    expect(f.reviews).toBeGreaterThanOrEqual(1);
    expect(f.byStation.find((x: { stationId: string }) => x.stationId === c.stationId)).toMatchObject({ overdue: expect.any(Number) });
    expect(f.byOfficer.find((x: { officer: string }) => x.officer === 'chief').overdue).toBeGreaterThanOrEqual(1);
    // A period in the past has none of today's notices.
    const old = (await get('/cases/stats?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z', supervisor)).json();
    expect(old).toMatchObject({ noticesTotal: 0, medianLeftAtCompletionHours: null });
    expect((await get('/cases/stats', officer)).statusCode).toBe(403);
    // The linkage rate comes from whoever provides it (the media module), asked with the caller and period.
    const asked: string[] = [];
    provideCaseLinkage(t.app.kernel.api<CaseDeps>('cases'), async (p, from, to) => {
      asked.push(`${p.username} ${to.getTime() - from.getTime()}`);
      return 0.75;
    });
    expect((await get('/cases/stats?from=2026-01-01T00:00:00Z&to=2026-01-31T00:00:00Z', supervisor)).json().linkageRate).toBe(0.75);
    expect(asked).toEqual([`supervisor ${30 * 24 * H}`]);
    // The same figures as KPIs (the analytics module's values): notices on time as a rate with its two numbers.
    const today = localDay(new Date());
    const kpi = await get(`/kpis/values?ids=case.notices_on_time&ids=case.overdue_cases&from=${today}&to=${today}&compare=none`, supervisor);
    expect(kpi.statusCode, kpi.body).toBe(200);
    const [onTime, overdue] = kpi.json().items;
    expect(onTime).toMatchObject({ id: 'case.notices_on_time', unit: 'rate', better: 'up' });
    expect(onTime.current.denominator).toBeGreaterThanOrEqual(4);
    expect(overdue).toMatchObject({ id: 'case.overdue_cases', unit: 'count', better: 'down' });
    expect(overdue.current.value).toBeGreaterThanOrEqual(1);
  });
});
