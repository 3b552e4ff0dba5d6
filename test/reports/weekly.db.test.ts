/**
 * The weekly report on both databases: generation, the same snapshot → the same hash and the same .docx
 * bytes, a late correction (a category family changed by SQL) → a new revision with a note in the answer
 * and in the .docx, scoping (a unit's report, a chief sees only his station's), a bad week → 400 naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { rawQuery } from '../../src/db/client.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { localDay, localDayStart, timeZone } from '../../src/core/clock.js';
import { snapshotHash } from '../../src/modules/reports/domain/canonical.js';
import { labelOf } from '../../src/modules/reports/domain/weeks.js';
import { runMondayJob } from '../../src/modules/reports/weekly-job.js';
import { unzipEntry } from './unzip.js';

const stations = demoOrganisation().filter((u) => u.kind === 'station');

describe.each(testDrivers())('the weekly report on %s', (driver) => {
  let t: TestApp;
  let analyst: Record<string, string>;
  const week = labelOf(localDay(new Date()));
  const numbers: string[] = [];
  let chiefStation = '';

  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    analyst = await t.login('analyst');
    const calltaker = await t.login('calltaker');
    const [chief] = await rawQuery<{ unit_id: string; code: string }>(t.database.db, `select u.unit_id, o.code from users u join org_units o on o.id = u.unit_id where u.username = 'chief'`);
    chiefStation = chief!.unit_id;
    const other = stations.find((s) => s.code !== chief!.code)!;
    const at = stations.find((s) => s.code === chief!.code)!;
    // At the chief's station: two P1 (homicide) and one theft; elsewhere: one theft.
    for (const [s, code] of [[at, '01010101'], [at, '01010101'], [at, '01020202'], [other, '01020202']] as const) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: calltaker, payload: { source: 'call110', categoryCode: code, description: '周报测试', caller: { name: '张三', phone: '13800138000' }, location: { lon: s.center![0], lat: s.center![1] } } });
      expect(res.statusCode, res.body).toBe(201);
      numbers.push(res.json().number);
    }
  }, 120_000);
  afterAll(() => t?.close());

  const generate = (headers: Record<string, string>, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/v1/reports/weekly', headers, payload });

  it('generates the week’s bureau report; the same data answers the same report and hash, and the .docx is the same bytes', async () => {
    const first = await generate(analyst, { week });
    expect(first.statusCode, first.body).toBe(201);
    const r = first.json();
    expect(r).toMatchObject({ week, revision: 1, revisesId: null, revisions: [], unchanged: false });
    expect(r.snapshotHash).toMatch(/^[0-9a-f]{64}$/);

    const again = await generate(analyst, { weekStart: r.from });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id: r.id, snapshotHash: r.snapshotHash, unchanged: true });
    expect(again.json().message.en).toMatch(/has not changed/);

    // The stored snapshot hashes to the stored hash (the canonical form survives jsonb).
    const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/reports/${r.id}`, headers: analyst })).json();
    expect(snapshotHash(detail.snapshot)).toBe(r.snapshotHash);
    const s = detail.snapshot;
    expect(s.headline.find((f: { id: string }) => f.id === 'incident.count').current.value).toBeGreaterThanOrEqual(4);
    expect(s.heat).toHaveLength(7);
    // P1 incidents: numbers, category, station — never the caller.
    const mine = s.notable.filter((i: { number: string }) => numbers.includes(i.number));
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({ categoryName: '杀人', stationId: chiefStation });
    expect(JSON.stringify(s)).not.toMatch(/张三|13800138000|周报测试/);

    const a = await t.app.inject({ method: 'GET', url: `/api/v1/reports/${r.id}/docx`, headers: analyst });
    const b = await t.app.inject({ method: 'GET', url: `/api/v1/reports/${r.id}/docx`, headers: analyst });
    expect(a.statusCode).toBe(200);
    expect(a.headers['content-type']).toContain('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(a.headers['content-disposition']).toContain(`shouwang-weekly-${week}-r1.docx`);
    expect(a.rawPayload.equals(b.rawPayload)).toBe(true);
    const xml = unzipEntry(a.rawPayload, 'word/document.xml');
    for (const text of ['警情周报', '一、总体情况', '二、分类情况', '三、时段分布', '四、重点警情', '五、热点区域', '杀人']) expect(xml).toContain(text);
    expect(xml).not.toContain('张三');
    expect(unzipEntry(a.rawPayload, 'word/footer1.xml')).toContain(r.snapshotHash);

    // Another process (a restart) renders the stored snapshot to the same bytes.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-report-'));
    fs.writeFileSync(path.join(dir, 'r.json'), JSON.stringify(detail));
    execFileSync(process.execPath, ['--import', 'tsx', path.resolve('test/reports/render-docx.ts'), path.join(dir, 'r.json'), path.join(dir, 'r.docx')], { env: { ...process.env, SHOUWANG_TIME_ZONE: timeZone() } });
    expect(fs.readFileSync(path.join(dir, 'r.docx')).equals(a.rawPayload)).toBe(true);
    fs.rmSync(dir, { recursive: true });
  }, 120_000);

  it('a late correction of an incident makes a new revision whose notes name the changed figures, in the answer and the .docx', async () => {
    const before = (await generate(analyst, { week })).json();
    // A theft re-classified as a public-order matter straight in SQL (family 01 → 02).
    await rawQuery(t.database.db, `update incidents set category_family = '02' where number = $1`, [numbers[3]]);
    const res = await generate(analyst, { week });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({ revision: before.revision + 1, revisesId: before.id, unchanged: false });
    expect(r.snapshotHash).not.toBe(before.snapshotHash);
    const notes = r.revisions.map((n: { en: string }) => n.en);
    expect(notes.some((n: string) => /incidents for the week revised from \d+ to \d+/.test(n))).toBe(true);
    const docx = await t.app.inject({ method: 'GET', url: `/api/v1/reports/${r.id}/docx`, headers: analyst });
    const xml = unzipEntry(docx.rawPayload, 'word/document.xml');
    expect(xml).toContain('修订说明');
    expect(xml).toContain(r.revisions[0].zh);
    // The archive lists both revisions.
    const list = (await t.app.inject({ method: 'GET', url: `/api/v1/reports?week=${week}`, headers: analyst })).json().items;
    expect(list.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([before.id, r.id]));
  }, 120_000);

  it('scopes: a unit’s report counts that unit’s incidents; a chief reads his station’s reports only and may not generate', async () => {
    const res = await generate(analyst, { week, unitId: chiefStation });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/reports/${id}`, headers: analyst })).json();
    expect(detail.snapshot.unit.id).toBe(chiefStation);
    expect(detail.snapshot.notable.every((i: { stationId: string }) => i.stationId === chiefStation)).toBe(true);
    const bureau = (await t.app.inject({ method: 'GET', url: `/api/v1/reports?week=${week}`, headers: analyst })).json().items.find((x: { unitId: string }) => x.unitId !== chiefStation);
    const count = (s: { headline: { id: string; current: { value: number } }[] }) => s.headline.find((f) => f.id === 'incident.count')!.current.value;
    const bureauSnap = (await t.app.inject({ method: 'GET', url: `/api/v1/reports/${bureau.id}`, headers: analyst })).json().snapshot;
    expect(count(detail.snapshot)).toBeLessThan(count(bureauSnap));

    const chief = await t.login('chief');
    const seen = (await t.app.inject({ method: 'GET', url: '/api/v1/reports', headers: chief })).json().items;
    expect(seen.map((x: { unitId: string }) => x.unitId)).toEqual([chiefStation]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/reports/${bureau.id}`, headers: chief })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/reports/${bureau.id}/docx`, headers: chief })).statusCode).toBe(404);
    expect((await generate(chief, { week })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/reports', headers: await t.login('calltaker') })).statusCode).toBe(403);
  }, 120_000);

  it('refuses a bad week with 400 naming the field', async () => {
    for (const [payload, field] of [[{ week: '2026-W60' }, 'week'], [{ week: 'W48' }, 'week'], [{ weekStart: '2026-11-24' }, 'weekStart'], [{}, 'week'], [{ week: '2099-W01' }, 'week']] as const) {
      const res = await generate(analyst, payload);
      expect([JSON.stringify(payload), res.statusCode]).toEqual([JSON.stringify(payload), 400]);
      expect(res.json().error.field).toBe(field);
    }
  });

  it('the Monday job generates last week’s bureau report once, and nothing for an empty week', async () => {
    const deps = { db: t.database.db, writes: t.app.kernel.writes, kpis: t.app.kernel.kpis };
    // Noon today: past Monday 06:00 whatever day the test runs.
    const now = new Date(localDayStart(localDay(new Date())).getTime() + 12 * 3_600_000);
    // Last week has no incidents in a fresh database: no report of an empty week.
    expect(await runMondayJob(deps, now)).toBeNull();
    await rawQuery(t.database.db, `update incidents set recorded_at = recorded_at - interval '7 days' where number = $1`, [numbers[0]]);
    const id = await runMondayJob(deps, now);
    expect(id).toEqual(expect.any(String));
    expect(await runMondayJob(deps, now)).toBeNull();
    const last = (await t.app.inject({ method: 'GET', url: `/api/v1/reports/${id}`, headers: analyst })).json();
    expect(last).toMatchObject({ createdBy: 'system', revision: 1 });
    expect(last.week).not.toBe(week);
  }, 120_000);
});
