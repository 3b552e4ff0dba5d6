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
const branch = units.find((u) => u.kind === 'branch')!;
const JUDICIAL = `AG-${branch.code}-SF`;
const ROOM = `AG-${station.code}-PS`;

describe.each(testDrivers())('dispute register API on %s', (driver) => {
  let t: TestApp;
  let calltaker: Record<string, string>;
  let community: Record<string, string>;
  let chief: Record<string, string>;
  let mediator: Record<string, string>;
  let lawyer: Record<string, string>;
  let supervisor: Record<string, string>;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    [calltaker, community, chief, mediator, lawyer, supervisor, admin] = await Promise.all(['calltaker', 'community', 'chief', 'mediator', 'lawyer', 'supervisor', 'admin'].map((u) => t.login(u)));
  });
  afterAll(() => t?.close());

  const post = (url: string, headers: Record<string, string>, payload: unknown = {}, extra: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { ...headers, ...extra }, payload: payload as object });
  const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers });

  const incident = async (categoryCode: string, phone: string, at: [number, number] = [lon, lat]) => {
    const res = await post('/incidents', calltaker, { source: 'call110', categoryCode, description: '夫妻吵架，邻居报警', caller: { name: '王芳', phone }, location: { lon: at[0], lat: at[1] } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: string };
  };

  const parties = [
    { name: '王芳', phone: '13800000001', role: 'applicant' },
    { name: '李强', phone: '13800000002', role: 'respondent', relation: '丈夫' },
  ];

  it('registers a dispute from an incident in one action: type, place and caller taken from it, numbered per station and day', async () => {
    const inc = await incident('05010101', '13800000001');
    const res = await post('/disputes', community, { source: 'incident', incidentId: inc.id });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d).toMatchObject({ source: 'incident', type: 'family', status: 'registered', stationId: station.code });
    expect(d.number).toBe(`JF${station.code}${localDayCompact(new Date())}0001`);
    expect(['red', 'orange', 'yellow', 'blue']).toContain(d.riskGrade);
    expect(d.riskReasons.length).toBeGreaterThan(0);
    const detail = (await get(`/disputes/${d.id}`, community)).json();
    expect(detail.parties).toEqual([expect.objectContaining({ name: '王芳', phone: '13800000001', role: 'applicant' })]);
    expect(detail.incidents).toEqual([expect.objectContaining({ incidentId: inc.id, kind: 'origin' })]);
    // Parties typed by an officer who sees the caller masked: the caller's phone is kept on the party of their name.
    const inc2 = await incident('05010103', '13800000031');
    const typed = (await post('/disputes', community, { source: 'incident', incidentId: inc2.id, parties: [{ name: '王芳', role: 'applicant' }, { name: '赵六', role: 'respondent' }] })).json();
    const typedDetail = (await get(`/disputes/${typed.id}`, community)).json();
    expect(typedDetail.parties.map((x: { name: string; phone: string | null }) => [x.name, x.phone])).toEqual([['王芳', '13800000031'], ['赵六', null]]);
    // And from the incident's side: the register filtered by incident finds it.
    const byIncident = (await get(`/disputes?incidentId=${inc.id}`, chief)).json();
    expect(byIncident.items.map((x: { id: string }) => x.id)).toEqual([d.id]);
  });

  it('refuses bad input with a 4xx naming the field, in both languages', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ source: 'walk_in', summary: '噪音', location: { lon, lat } }, 'parties'],
      [{ source: 'fax', parties, summary: 'x', location: { lon, lat } }, 'source'],
      [{ source: 'walk_in', parties, summary: 'x', location: { lon, lat }, colour: 'red' }, 'colour'],
      [{ source: 'walk_in', parties, summary: 'x', location: { lon: 0, lat: 0 } }, 'location'],
      [{ source: 'walk_in', parties: [{ name: '甲', role: 'judge' }], summary: 'x', location: { lon, lat } }, 'parties.0.role'],
    ];
    for (const [body, field] of cases) {
      for (const lang of ['zh-CN', 'en']) {
        const res = await post('/disputes', community, body, { 'accept-language': lang });
        expect(res.statusCode, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.json().error.field, JSON.stringify(body)).toBe(field);
        expect(res.json().error.message).toMatch(lang === 'en' ? /[a-z]/ : /[\u4e00-\u9fff]/);
      }
    }
  });

  it('a retry with the same Idempotency-Key answers the same dispute and makes no second one', async () => {
    const body = { source: 'walk_in', type: 'neighbour', parties, summary: '楼上漏水', location: { lon, lat } };
    const a = await post('/disputes', community, body, { 'idempotency-key': 'disp-retry-1' });
    const b = await post('/disputes', community, body, { 'idempotency-key': 'disp-retry-1' });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    expect((await get(`/disputes?number=${a.json().number}`, chief)).json().total).toBe(1);
  });

  it('goes from registration to a performed agreement across two agencies: decline, reassign, accept, session, agreement, follow-up, close; the figures add up', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const d = (await post('/disputes', community, { source: 'walk_in', type: 'debt', parties, summary: '借款三万元未还', location: { lon, lat } })).json();
    const agencies = (await get('/agencies', community)).json() as { id: string; kind: string; mediators: { id: string; username: string }[] }[];
    const judicial = agencies.find((a) => a.id === JUDICIAL)!;
    const law = agencies.find((a) => a.id === 'AG-LAW-1')!;
    expect(judicial.mediators.map((m) => m.username)).toContain('mediator');
    const lawyerId = law.mediators.find((m) => m.username === 'lawyer')!.id;
    // To the law firm's lawyer first, who declines with a reason: the dispute goes back.
    const r1 = await post(`/disputes/${d.id}/referrals`, community, { mediationType: 'lawyer', agencyId: law.id, mediatorId: lawyerId });
    expect(r1.statusCode, r1.body).toBe(201);
    expect((await get(`/disputes/${d.id}`, lawyer)).statusCode).toBe(200);
    expect((await post(`/referrals/${r1.json().id}/decline`, lawyer, {})).json().error.field).toBe('reason');
    const declined = await post(`/referrals/${r1.json().id}/decline`, lawyer, { reason: '利益冲突' });
    expect(declined.json()).toMatchObject({ status: 'declined', reason: '利益冲突' });
    expect((await get(`/disputes/${d.id}`, community)).json().status).toBe('registered');
    // Once declined, the lawyer no longer sees it.
    expect((await get(`/disputes/${d.id}`, lawyer)).statusCode).toBe(404);
    // Reassigned by the station to the judicial office (people's mediation).
    const r2 = await post(`/referrals/${r1.json().id}/reassign`, community, { mediationType: 'people', agencyId: judicial.id, reason: '改由司法所调解' });
    expect(r2.statusCode, r2.body).toBe(201);
    const work = (await get('/referrals', mediator)).json();
    expect(work.items.map((x: { referral: { id: string } }) => x.referral.id)).toContain(r2.json().id);
    expect(work.items[0].dispute).not.toHaveProperty('parties');
    expect((await post(`/disputes/${d.id}/sessions`, mediator, { summary: '先谈' })).statusCode).toBe(409); // not accepted yet
    expect((await post(`/referrals/${r2.json().id}/accept`, mediator)).json().status).toBe('accepted');
    const s = await post(`/disputes/${d.id}/sessions`, mediator, { summary: '双方到场，同意分期还款', attendees: 3 });
    expect(s.statusCode, s.body).toBe(201);
    const detail = (await get(`/disputes/${d.id}`, mediator)).json();
    expect(detail.status).toBe('in_mediation');
    expect(detail.clocks.length).toBeGreaterThan(0);
    const [applicant, respondent] = detail.parties as { id: string }[];
    const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const ag = await post(`/disputes/${d.id}/agreement`, mediator, { text: '李强于三十日内归还王芳三万元。', performanceMethod: '银行转账', performanceDeadline: deadline, signatures: [{ partyId: applicant!.id, method: 'on_screen' }, { partyId: respondent!.id, method: 'on_screen' }] });
    expect(ag.statusCode, ag.body).toBe(201);
    expect((await get(`/disputes/${d.id}`, community)).json().status).toBe('agreed');
    expect((await post(`/disputes/${d.id}/close`, community, { outcome: 'agreement_performed' })).json().error.field).toBe('outcome');
    expect((await post(`/disputes/${d.id}/followups`, community, { method: 'visit', performance: 'performed', note: '已还清' })).statusCode).toBe(201);
    const closed = await post(`/disputes/${d.id}/close`, community, { outcome: 'agreement_performed' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', outcome: 'agreement_performed' });
    const timeline = (await get(`/disputes/${d.id}`, chief)).json().timeline.map((e: { type: string }) => e.type);
    expect(timeline).toEqual(expect.arrayContaining(['registered', 'referred', 'referral_decline', 'referral_accept', 'session', 'agreement', 'followup', 'closed']));
    const stats = (await get(`/disputes/stats?from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, chief)).json();
    expect(stats.registered).toBeGreaterThanOrEqual(1);
    expect(stats.resolved).toBeGreaterThanOrEqual(1);
    expect(stats.resolutionRate).toBeCloseTo(stats.resolved / stats.registered, 4);
    expect(stats.byStation.reduce((n: number, s: { registered: number }) => n + s.registered, 0)).toBe(stats.registered);
    expect(stats.byType.reduce((n: number, s: { resolved: number }) => n + s.resolved, 0)).toBe(stats.resolved);
    expect(stats.agreementsPerformed).toBeLessThanOrEqual(stats.agreementsSigned);
  });

  it('refuses police mediation at entry for a group fight, naming the rule', async () => {
    const inc = await incident('02010101', '13800000009');
    const d = (await post('/disputes', community, { source: 'incident', incidentId: inc.id, type: 'neighbour', parties })).json();
    const res = await post(`/disputes/${d.id}/referrals`, community, { mediationType: 'police', agencyId: ROOM });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.message).toMatch(/治安调解/);
    // People's mediation is still open to it.
    expect((await post(`/disputes/${d.id}/referrals`, community, { mediationType: 'people', agencyId: JUDICIAL })).statusCode).toBe(201);
  });

  it('a mediator sees only what is referred to them: 404 elsewhere, no register, no stream', async () => {
    const d = (await post('/disputes', community, { source: 'walk_in', type: 'tenancy', parties, summary: '押金纠纷', location: { lon, lat } })).json();
    expect((await get(`/disputes/${d.id}`, mediator)).statusCode).toBe(404);
    expect((await post(`/disputes/${d.id}/sessions`, mediator, { summary: 'x' })).statusCode).toBe(404);
    expect((await post(`/disputes/${d.id}/referrals`, mediator, { mediationType: 'people', agencyId: JUDICIAL })).statusCode).toBe(403);
    const list = (await get('/disputes?limit=500', mediator)).json();
    expect(list.items.map((x: { id: string }) => x.id)).not.toContain(d.id);
    // Every dispute event carries its station's path: the stream never sends it to a mediator (stream-client: onlyPublic).
    const events = t.events.filter((e) => e.type === 'dispute');
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => typeof e.unitPath === 'string' && e.unitPath.includes(station.code))).toBe(true);
    expect(JSON.stringify(events)).not.toContain('13800000002');
    // Consoles without the register get the event too: it names the dispute and its state, not what it is about.
    expect(JSON.stringify(events)).not.toContain('押金纠纷');
  });

  it('masks parties for roles that do not work with them, and audits every full read naming the parties shown', async () => {
    const d = (await post('/disputes', community, { source: 'walk_in', type: 'neighbour', parties, summary: '噪音', location: { lon, lat } })).json();
    const masked = (await get(`/disputes/${d.id}`, supervisor)).json();
    expect(masked.parties[1]).toMatchObject({ name: '李**', phone: '138****0002' });
    const full = (await get(`/disputes/${d.id}`, chief)).json();
    expect(full.parties[1]).toMatchObject({ name: '李强', phone: '13800000002' });
    const audit = (await get(`/audit?entity=dispute&entityId=${d.id}&limit=50`, admin)).json();
    const reads = audit.items.filter((e: { action: string }) => e.action === 'dispute.read');
    const byChief = reads.find((e: { username: string }) => e.username === 'chief');
    expect(byChief.detail.partiesUnmasked).toEqual(full.parties.map((p: { id: string }) => p.id));
    expect(reads.find((e: { username: string }) => e.username === 'supervisor').detail.partiesUnmasked).toEqual([]);
  });

  it('tells the call-taker about an open dispute at the caller’s number or place, and a new call from a party raises and links', async () => {
    const d = (await post('/disputes', community, { source: 'walk_in', type: 'family', parties: [{ name: '赵敏', phone: '13900000077', role: 'applicant' }, { name: '钱军', phone: '13900000078', role: 'respondent' }], summary: '分居期间多次争吵', location: { lon: lon + 0.002, lat } })).json();
    const hint = (await get('/disputes/hints?phone=13900000078', calltaker)).json();
    expect(hint.items).toEqual([expect.objectContaining({ id: d.id, number: d.number, matchedBy: 'phone', riskGrade: d.riskGrade, daysOpen: 0 })]);
    expect(JSON.stringify(hint)).not.toContain('钱军');
    // Asked by phone, the hint is a personal-data read: audited with the phone masked and what it found.
    const audit = (await get('/audit?action=dispute.hint&limit=20', admin)).json();
    expect(audit.items[0].detail).toMatchObject({ searchedPhone: '139****0078', found: [d.id] });
    const before = (await get(`/disputes/${d.id}`, chief)).json();
    await incident('02030102', '13900000078', [lon + 0.002, lat]);
    await incident('02030102', '13900000078', [lon + 0.002, lat]);
    await expect.poll(async () => (await get(`/disputes/${d.id}`, chief)).json().incidents.length, { timeout: 5000 }).toBe(2);
    const after = (await get(`/disputes/${d.id}`, chief)).json();
    expect(after.riskScore).toBeGreaterThan(before.riskScore);
    expect(after.riskReasons.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining([expect.stringMatching(/phone|place|repeat/)]));
  });

  it('counts at the place only incidents of the dispute kind: thefts nearby leave the grade, neighbour quarrels raise it', async () => {
    const at: [number, number] = [lon - 0.003, lat + 0.002];
    for (let i = 0; i < 4; i++) await incident('01020203', `1370000010${i}`, at);
    const register = async () => (await post('/disputes', community, { source: 'walk_in', type: 'neighbour', parties: [{ name: '孙丽', role: 'applicant' }, { name: '周涛', role: 'respondent' }], summary: '楼上漏水', location: { lon: at[0], lat: at[1] } })).json();
    const quiet = await register();
    expect(quiet.riskReasons.map((r: { code: string }) => r.code)).not.toContain('repeat_place');
    await incident('05010103', '13700000110', at);
    await incident('02030101', '13700000111', at);
    const loud = await register();
    expect(loud.riskReasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'repeat_place', points: 10 })]));
    expect(loud.riskScore).toBe(quiet.riskScore + 10);
  });

  it('a mediator reaches no other dispute or referral through any route; the receiver cannot act as the station', async () => {
    const d = (await post('/disputes', community, { source: 'walk_in', type: 'consumer', parties, summary: '退款纠纷', location: { lon, lat } })).json();
    const lawFirm = (await get('/agencies', community)).json().find((a: { id: string }) => a.id === 'AG-LAW-1');
    const r = (await post(`/disputes/${d.id}/referrals`, community, { mediationType: 'lawyer', agencyId: lawFirm.id, mediatorId: lawFirm.mediators.find((m: { username: string }) => m.username === 'lawyer').id })).json();
    const attempts: [string, string, unknown?][] = [
      ['GET', `/disputes/${d.id}`],
      ['POST', `/disputes/${d.id}/referrals`, { mediationType: 'people', agencyId: JUDICIAL }],
      ['POST', `/disputes/${d.id}/sessions`, { summary: 'x' }],
      ['POST', `/disputes/${d.id}/agreement`, { text: 'x', signatures: [{ partyId: 'p', method: 'on_screen' }] }],
      ['POST', `/disputes/${d.id}/agreement/judicial-confirmation`, {}],
      ['POST', `/disputes/${d.id}/followups`, { method: 'visit', performance: 'performed' }],
      ['POST', `/disputes/${d.id}/close`, { outcome: 'withdrawn' }],
      ['POST', `/disputes/${d.id}/steps/register_24h`, {}],
      ['POST', `/disputes/${d.id}/incidents`, { incidentId: 'x' }],
      ['POST', `/referrals/${r.id}/accept`, {}],
      ['POST', `/referrals/${r.id}/decline`, { reason: 'x' }],
      ['POST', `/referrals/${r.id}/fail`, { reason: 'x' }],
      ['POST', `/referrals/${r.id}/cancel`, { reason: 'x' }],
      ['POST', `/referrals/${r.id}/reassign`, { mediationType: 'people', agencyId: JUDICIAL, reason: 'x' }],
      ['POST', `/referrals/${r.id}/extensions`, { days: 10, consentedAt: new Date().toISOString() }],
    ];
    for (const [method, url, payload] of attempts) {
      const res = await t.app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers: mediator, payload: payload as object });
      expect([403, 404], `${method} ${url} → ${res.statusCode} ${res.body}`).toContain(res.statusCode);
    }
    expect((await get('/referrals', mediator)).json().items.map((x: { referral: { id: string } }) => x.referral.id)).not.toContain(r.id);
    expect((await get('/disputes/stats?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z', mediator)).statusCode).toBe(403);
    expect((await get('/disputes/attention', mediator)).statusCode).toBe(403);
    // The lawyer, who receives it, may not act as the station.
    expect((await post(`/referrals/${r.id}/cancel`, lawyer, { reason: 'x' })).statusCode).toBe(403);
    expect((await post(`/disputes/${d.id}/close`, lawyer, { outcome: 'withdrawn' })).statusCode).toBe(403);
  });

  it('lists for the station chief the open disputes with overdue clocks and the high-risk ones', async () => {
    const d = (await post('/disputes', community, { source: 'walk_in', type: 'neighbour', parties, summary: '占用楼道', location: { lon, lat } })).json();
    const r = (await post(`/disputes/${d.id}/referrals`, community, { mediationType: 'police', agencyId: ROOM })).json();
    expect((await post(`/referrals/${r.id}/accept`, community)).statusCode).toBe(200);
    // Accepted twelve days ago with no session: the first session (3 working days) is overdue.
    await t.database.db.execute(sql`update dispute_referrals set accepted_at = now() - interval '12 days' where id = ${r.id}`);
    const red = (await post('/disputes', community, { source: 'walk_in', type: 'family', parties, summary: '扬言要同归于尽，已动刀', injuries: true, weaponsOrThreats: true, location: { lon, lat } })).json();
    expect(['red', 'orange']).toContain(red.riskGrade);
    const att = (await get('/disputes/attention', chief)).json();
    const late = att.items.find((x: { dispute: { id: string } }) => x.dispute.id === d.id);
    expect(late.overdue.map((c: { code: string }) => c.code).length).toBeGreaterThan(0);
    expect(att.items.map((x: { dispute: { id: string } }) => x.dispute.id)).toContain(red.id);
    expect(att.items.findIndex((x: { dispute: { id: string } }) => x.dispute.id === d.id)).toBeLessThan(att.items.findIndex((x: { dispute: { id: string } }) => x.dispute.id === red.id));
  });

  it('keeps another station’s disputes out of a station user’s register', async () => {
    const [olon, olat] = otherStation.center!;
    const d = (await post('/disputes', admin, { source: 'walk_in', type: 'labour', parties, summary: '欠薪', location: { lon: olon, lat: olat } })).json();
    expect(d.stationId).toBe(otherStation.code);
    expect((await get(`/disputes/${d.id}`, chief)).statusCode).toBe(404);
    expect((await get('/disputes?limit=500', chief)).json().items.map((x: { id: string }) => x.id)).not.toContain(d.id);
  });
});
