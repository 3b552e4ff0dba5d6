/**
 * The video inspection log (视频巡查, issue 14): an inspection is logged and listed newest first, a problem
 * needs its type (400 naming the field), another station's recording is 404, a second station's
 * supervisor does not see the first's log; the KPI media.inspections counts them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { inspectionCount } from '../../src/modules/media/inspections.js';
import { inspectionRefusal } from '../../src/modules/media/domain/inspections.js';
import { api, bytes, H, mediaApp, upload, userId, type MediaTestApp } from './helpers.js';

const otherStation = demoOrganisation().filter((u) => u.kind === 'station')[5]!;

describe('inspectionRefusal', () => {
  it('asks a problem its type and refuses a type on a recording in order', () => {
    expect(inspectionRefusal({ result: 'ok' })).toBeNull();
    expect(inspectionRefusal({ result: 'problem', problemType: 'no_recording' })).toBeNull();
    expect(inspectionRefusal({ result: 'problem' })?.field).toBe('problemType');
    expect(inspectionRefusal({ result: 'ok', problemType: 'other' })?.field).toBe('problemType');
  });
});

describe.each(testDrivers())('media inspections on %s', (driver) => {
  let t: MediaTestApp;
  let officer: Record<string, string>;
  let supervisor: Record<string, string>;
  let admin: Record<string, string>;
  let far: Record<string, string>;
  let officerId: string;
  let farOfficerId: string;
  const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * H);

  beforeAll(async () => {
    t = await mediaApp(driver);
    [officer, supervisor, admin] = await Promise.all(['officer', 'supervisor', 'admin'].map((u) => t.login(u)));
    officerId = await userId(t, admin, 'officer');
    const a = api(t);
    const sup = await a.post('/users', admin, { username: 'supervisor_far', displayName: '法制员 远', password: 'shouwang-demo-far', roles: ['supervisor'], unitId: otherStation.code });
    expect(sup.statusCode, sup.body).toBe(201);
    const off = await a.post('/users', admin, { username: 'officer_far2', displayName: '民警 远二', password: 'shouwang-demo-far', roles: ['officer'], unitId: otherStation.code });
    expect(off.statusCode, off.body).toBe(201);
    farOfficerId = off.json().id;
    far = await t.login('supervisor_far', 'shouwang-demo-far');
  });
  afterAll(() => t?.close());

  it('logs an inspection and lists it, newest first, filtered by result; a problem needs its type', async () => {
    const a = api(t);
    const since = new Date();
    const rec = await upload(t, officer, bytes(1000), { officerId, from: at(3), to: at(2.9) });
    const ok = await a.post(`/media/${rec}/inspections`, supervisor, { result: 'ok', note: '  规范  ' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ mediaId: rec, inspector: 'supervisor', result: 'ok', problemType: null, note: '规范', caseId: null });
    const noType = await a.post(`/media/${rec}/inspections`, supervisor, { result: 'problem', note: '未告知' });
    expect(noType.statusCode).toBe(400);
    expect(noType.json().error.field).toBe('problemType');
    const bad = await a.post(`/media/${rec}/inspections`, supervisor, { result: 'problem', problemType: 'rights_notice', note: '未告知权利' });
    expect(bad.statusCode, bad.body).toBe(201);
    const log = (await a.get(`/media/inspections?from=${encodeURIComponent(since.toISOString())}`, supervisor)).json();
    expect(log.total).toBe(2);
    expect(log.items.map((i: { id: string }) => i.id)).toEqual([bad.json().id, ok.json().id]);
    const problems = (await a.get(`/media/inspections?result=problem&mediaId=${rec}`, supervisor)).json();
    expect(problems.items.map((i: { problemType: string }) => i.problemType)).toEqual(['rights_notice']);
    // An officer cannot inspect; the audit trail has the inspection.
    expect((await a.post(`/media/${rec}/inspections`, officer, { result: 'ok' })).statusCode).toBe(403);
    const bureau = { principal: { unitId: 'x', unitPath: '', unitKind: 'bureau', roles: ['admin'], username: 'admin' } as never, from: since, to: new Date(Date.now() + H) };
    expect((await inspectionCount(t.database.db, bureau)).value).toBeGreaterThanOrEqual(2);
  });

  it('keeps the log inside the jurisdiction: another station’s recording is 404, its supervisor sees only its own log', async () => {
    const a = api(t);
    const mine = await upload(t, officer, bytes(1000), { officerId, from: at(5), to: at(4.9) });
    const theirs = await upload(t, admin, bytes(1000), { officerId: farOfficerId, from: at(5), to: at(4.9) });
    expect((await a.post(`/media/${theirs}/inspections`, supervisor, { result: 'ok' })).statusCode).toBe(404);
    expect((await a.post(`/media/${mine}/inspections`, far, { result: 'ok' })).statusCode).toBe(404);
    const first = (await a.post(`/media/${mine}/inspections`, supervisor, { result: 'problem', problemType: 'no_recording' })).json();
    const second = await a.post(`/media/${theirs}/inspections`, far, { result: 'ok' });
    expect(second.statusCode, second.body).toBe(201);
    const farLog = (await a.get('/media/inspections?limit=500', far)).json().items.map((i: { id: string }) => i.id);
    expect(farLog).toEqual([second.json().id]);
    const nearLog = (await a.get('/media/inspections?limit=500', supervisor)).json().items.map((i: { id: string }) => i.id);
    expect(nearLog).toContain(first.id);
    expect(nearLog).not.toContain(second.json().id);
    const all = (await a.get('/media/inspections?limit=500', admin)).json().items.map((i: { id: string }) => i.id);
    expect(all).toEqual(expect.arrayContaining([first.id, second.json().id]));
  });
});
