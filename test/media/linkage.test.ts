/**
 * Body-cam linkage (issue 14 part 4): automatic by officer + assignment window (a recording straddling
 * two assignments links to both; the margin counts; a case opened from the incident sees it), manual
 * linkage of a case step, a required step without recording needs a reason, the linkage rate, and the
 * retention purge (expired deleted and audited; evidence hold and major cases kept).
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDrivers } from '../helpers/db.js';
import { auditLog, orgUnits } from '../../src/db/schema.js';
import { assignments, units } from '../../src/modules/dispatch/schema.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { linkageRate, purgeExpiredMedia } from '../../src/modules/media/index.js';
import { api, bytes, H, mediaApp, upload, userId, type MediaTestApp } from './helpers.js';

const station = demoOrganisation().find((u) => u.kind === 'station')!;
const [lon, lat] = station.center!;
const MIN = 60_000;

describe.each(testDrivers())('media linkage on %s', (driver) => {
  let t: MediaTestApp;
  let officer: Record<string, string>;
  let chief: Record<string, string>;
  let calltaker: Record<string, string>;
  let admin: Record<string, string>;
  let officerId: string;
  const bureau = { unitId: 'x', unitPath: '', unitKind: 'bureau' };
  beforeAll(async () => {
    t = await mediaApp(driver);
    [officer, chief, calltaker, admin] = await Promise.all(['officer', 'chief', 'calltaker', 'admin'].map((u) => t.login(u)));
    officerId = await userId(t, admin, 'officer');
    const [root] = await t.database.db.select().from(orgUnits).where(eq(orgUnits.kind, 'bureau'));
    Object.assign(bureau, { unitId: root!.id, unitPath: root!.path });
    await t.database.db.insert(units).values({ id: 'U-MEDIA', callSign: '巡1', kind: 'patrol_car', stationId: station.code, memberUserIds: [officerId], homeLon: lon, homeLat: lat });
  });
  afterAll(() => t?.close());

  async function incident(): Promise<string> {
    const res = await api(t).post('/incidents', calltaker, { source: 'call110', categoryCode: '02030101', description: '殴打他人', caller: { name: '王芳', phone: '13800000099' }, location: { lon, lat } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  }

  async function assignment(incidentId: string, assignedAt: Date, minutes: number): Promise<string> {
    const id = randomUUID();
    await t.database.db.insert(assignments).values({ id, incidentId, unitId: 'U-MEDIA', stationId: station.code, priority: 'P2', status: 'cleared', assignedAt, onSceneAt: new Date(assignedAt.getTime() + 5 * MIN), clearedAt: new Date(assignedAt.getTime() + minutes * MIN) });
    return id;
  }

  it('links a recording to every assignment of its officer whose window (± 5 min) it overlaps, and to the cases of those incidents', async () => {
    const a = api(t);
    const t0 = new Date(Date.now() - 20 * H);
    const [i1, i2, i3] = [await incident(), await incident(), await incident()];
    const a1 = await assignment(i1, t0, 30);
    const a2 = await assignment(i2, new Date(t0.getTime() + 40 * MIN), 30);
    await assignment(i3, new Date(t0.getTime() + 4 * H), 30);
    // Straddles the end of the first and the start of the second.
    const both = await upload(t, officer, bytes(2000), { officerId, from: new Date(t0.getTime() + 20 * MIN), to: new Date(t0.getTime() + 45 * MIN) });
    const info = (await a.get(`/media/${both}/info`, officer)).json();
    expect(info.links.map((l: { id: string; how: string; assignmentId: string }) => [l.id, l.how, l.assignmentId]).sort()).toEqual([[i1, 'auto', a1], [i2, 'auto', a2]].sort());
    // Ends 3 minutes before the dispatch: within the margin.
    const before = await upload(t, officer, bytes(1000), { officerId, from: new Date(t0.getTime() - 20 * MIN), to: new Date(t0.getTime() - 3 * MIN) });
    expect((await a.get(`/media/${before}/info`, officer)).json().links.map((l: { id: string }) => l.id)).toEqual([i1]);
    // Between assignments, beyond the margin: no link.
    const none = await upload(t, officer, bytes(1000), { officerId, from: new Date(t0.getTime() + 2 * H), to: new Date(t0.getTime() + 2.5 * H) });
    expect((await a.get(`/media/${none}/info`, officer)).json().links).toEqual([]);
    // Another officer's recording in the same window: not linked.
    const chiefId = await userId(t, admin, 'chief');
    const other = await upload(t, chief, bytes(1000), { officerId: chiefId, from: new Date(t0.getTime() + 20 * MIN), to: new Date(t0.getTime() + 25 * MIN) });
    expect((await a.get(`/media/${other}/info`, chief)).json().links).toEqual([]);
    // A case opened from the incident afterwards sees the recordings through it.
    const c = (await a.post('/cases', chief, { kind: 'criminal', incidentIds: [i2] })).json();
    expect((await a.get(`/media?caseId=${c.id}`, chief)).json().items.map((m: { id: string }) => m.id)).toEqual([both]);
    const card = (await a.get(`/cases/${c.id}/media`, chief)).json();
    expect(card.recordings.map((m: { id: string }) => m.id)).toEqual([both]);
    expect((await a.get(`/media?incidentId=${i1}`, chief)).json().items.map((m: { id: string }) => m.id).sort()).toEqual([both, before].sort());
  });

  it('asks a reason for a required step without recording; a manual link covers a step; the linkage rate counts both', async () => {
    const a = api(t);
    const base = new Date(Date.now() - 50 * H);
    const from = new Date(base.getTime() - H);
    const to = new Date(base.getTime() + 10 * H);
    const empty = await linkageRate(t.database.db, bureau, from, to);
    const c = (await a.post('/cases', chief, { kind: 'criminal', title: '盗窃案', acceptedAt: base.toISOString() })).json();
    const step = (body: object) => a.post(`/cases/${c.id}/events`, chief, body);
    const det = (await step({ type: 'detention', at: new Date(base.getTime() + H).toISOString(), subject: '张三' })).json().event;
    const sei = (await step({ type: 'seizure', at: new Date(base.getTime() + 2 * H).toISOString(), subject: '手机' })).json().event;
    const card = (await a.get(`/cases/${c.id}/media`, chief)).json();
    expect(card.steps.map((s: { type: string; mediaIds: string[]; exemption: null }) => [s.type, s.mediaIds.length, s.exemption])).toEqual([['detention', 0, null], ['seizure', 0, null]]);
    // No reason, or a comment missing: refused naming the field.
    const noReason = await a.post('/media/exemptions', chief, { stepKind: 'case_event', stepId: det.id, caseId: c.id, comment: '记录仪故障' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('reason');
    expect((await a.post('/media/exemptions', chief, { stepKind: 'case_event', stepId: det.id, caseId: c.id, reason: 'device_fault' })).json().error.field).toBe('comment');
    expect((await a.post('/media/exemptions', chief, { stepKind: 'case_event', stepId: 'nope', caseId: c.id, reason: 'other', comment: '说明' })).json().error.field).toBe('stepId');
    const ok = await a.post('/media/exemptions', chief, { stepKind: 'case_event', stepId: det.id, caseId: c.id, reason: 'device_fault', comment: '记录仪故障，已报修' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await a.post('/media/exemptions', chief, { stepKind: 'case_event', stepId: det.id, caseId: c.id, reason: 'other', comment: '再次' })).statusCode).toBe(409);
    // The seizure: filmed, linked by hand to its step.
    const rec = await upload(t, officer, bytes(1000), { officerId, from: new Date(base.getTime() + 5 * H), to: new Date(base.getTime() + 5.1 * H) });
    const linked = await a.post(`/cases/${c.id}/media`, chief, { mediaId: rec, eventId: sei.id });
    expect(linked.statusCode, linked.body).toBe(201);
    expect(linked.json().links).toContainEqual({ kind: 'case', id: c.id, how: 'manual', assignmentId: null, eventId: sei.id });
    const after = (await a.get(`/cases/${c.id}/media`, chief)).json();
    expect(after.steps.map((s: { type: string; mediaIds: string[]; exemption: { reason: string } | null }) => [s.type, s.mediaIds, s.exemption?.reason ?? null])).toEqual([['detention', [], 'device_fault'], ['seizure', [rec], null]]);
    // A 110 response on scene without recording, in the same period.
    const i = await incident();
    const resp = await assignment(i, new Date(base.getTime() + 7 * H), 20);
    const rate = await linkageRate(t.database.db, bureau, from, to);
    expect(rate.required - empty.required).toBe(3);
    expect(rate.linked - empty.linked).toBe(1);
    expect(rate.justified - empty.justified).toBe(1);
    expect(rate.missing - empty.missing).toBe(1);
    expect((await a.post('/media/exemptions', chief, { stepKind: 'assignment', stepId: resp, reason: 'battery', comment: '电量耗尽' })).statusCode).toBe(201);
    expect((await linkageRate(t.database.db, bureau, from, to)).missing - empty.missing).toBe(0);
    const http = (await a.get(`/media/linkage?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`, chief)).json();
    expect(http.required).toBeGreaterThanOrEqual(3);
  });

  it('purges recordings past their retention, audits each deletion, keeps evidence and major cases', async () => {
    const a = api(t);
    const old = (d: number) => new Date(Date.now() - d * 86_400_000);
    const expired = await upload(t, officer, bytes(500), { officerId, from: old(200), to: old(199.9) });
    const held = await upload(t, officer, bytes(500), { officerId, from: old(200), to: old(199.9) });
    const major = await upload(t, officer, bytes(500), { officerId, from: old(200), to: old(199.9) });
    const recent = await upload(t, officer, bytes(500), { officerId, from: old(20), to: old(19.9) });
    expect((await a.post(`/media/${held}/hold`, chief, { reason: '作为证据保全' })).statusCode).toBe(200);
    const c = (await a.post('/cases', chief, { kind: 'criminal', title: '重大案件', acceptedAt: old(1).toISOString() })).json();
    const ext = await a.post(`/cases/${c.id}/events`, chief, { type: 'extension', at: new Date().toISOString(), rule: 'filing_review', extension: 'major_case', approver: '县级公安机关负责人' });
    expect(ext.statusCode, ext.body).toBe(201);
    expect((await a.post(`/cases/${c.id}/media`, chief, { mediaId: major })).statusCode).toBe(201);
    const file = (id: string) => fs.readdirSync(path.join(t.dataDir, 'media', 'objects'), { recursive: true }).map(String).some((f) => f.endsWith(id));
    expect(file(expired)).toBe(true);
    const out = await purgeExpiredMedia(t.deps);
    expect(out.purged).toBe(1);
    expect(file(expired)).toBe(false);
    for (const id of [held, major, recent]) expect(file(id)).toBe(true);
    expect((await a.get(`/media/${expired}/info`, chief)).json().status).toBe('purged');
    expect((await a.get(`/media/${expired}`, chief)).statusCode).toBe(410);
    const audit = await t.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'media.purge'), eq(auditLog.entityId, expired)));
    expect(audit).toHaveLength(1);
    expect((await purgeExpiredMedia(t.deps)).purged).toBe(0);
  });
});
