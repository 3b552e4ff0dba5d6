/**
 * The period report on both databases: any span of whole days, the same mechanics as the week (the same
 * snapshot → the same hash and the same .docx bytes, a late correction → a new revision whose notes name
 * it), the hot spots section in both kinds, the fields named in a refusal, scoping, and the archive
 * listing both kinds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { rawQuery } from '../../src/db/client.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { localDay } from '../../src/core/clock.js';
import { addCalendarDays } from '../../src/core/working-days.js';
import { snapshotHash } from '../../src/modules/reports/domain/canonical.js';
import { labelOf } from '../../src/modules/reports/domain/weeks.js';
import { unzipEntry } from './unzip.js';

const stations = demoOrganisation().filter((u) => u.kind === 'station');

interface HotSpot {
  cell: string;
  stationId: string;
  stationName: string;
  count: number;
  previous: number;
  significant: boolean;
  lat: number;
  lon: number;
}

describe.each(testDrivers())('the period report on %s', (driver) => {
  let t: TestApp;
  let analyst: Record<string, string>;
  const today = localDay(new Date());
  const from = addCalendarDays(today, -9);
  const label = `${from}~${today}`;
  const numbers: string[] = [];
  let chiefStation = '';
  let chiefName = '';
  let chiefCenter: [number, number] = [0, 0];
  let otherId = '';

  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    analyst = await t.login('analyst');
    const calltaker = await t.login('calltaker');
    const [chief] = await rawQuery<{ unit_id: string; code: string; name: string }>(t.database.db, `select u.unit_id, o.code, o.name from users u join org_units o on o.id = u.unit_id where u.username = 'chief'`);
    [chiefStation, chiefName] = [chief!.unit_id, chief!.name];
    const other = stations.find((s) => s.code !== chief!.code)!;
    const at = stations.find((s) => s.code === chief!.code)!;
    chiefCenter = at.center!;
    otherId = (await rawQuery<{ id: string }>(t.database.db, `select id from org_units where code = $1`, [other.code]))[0]!.id;
    // Three thefts at the chief's station (one hot spot), one elsewhere.
    for (const s of [at, at, at, other]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: calltaker, payload: { source: 'call110', categoryCode: '01020202', description: '时段报告测试', caller: { name: '李四', phone: '13900139000' }, location: { lon: s.center![0], lat: s.center![1] } } });
      expect(res.statusCode, res.body).toBe(201);
      numbers.push(res.json().number);
    }
  }, 120_000);
  afterAll(() => t?.close());

  const generate = (headers: Record<string, string>, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/v1/reports/period', headers, payload });
  const detailOf = async (id: string) => (await t.app.inject({ method: 'GET', url: `/api/v1/reports/${id}`, headers: analyst })).json();

  it('generates a period’s report with its hot spots; the same data answers the same report, and the .docx is the same bytes', async () => {
    const first = await generate(analyst, { from, to: today });
    expect(first.statusCode, first.body).toBe(201);
    const r = first.json();
    expect(r).toMatchObject({ kind: 'period', label, week: null, from, to: today, revision: 1, revisesId: null, revisions: [], unchanged: false });

    const again = await generate(analyst, { from, to: today });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id: r.id, snapshotHash: r.snapshotHash, unchanged: true });

    const detail = await detailOf(r.id);
    expect(snapshotHash(detail.snapshot)).toBe(r.snapshotHash);
    const s = detail.snapshot;
    expect(s).toMatchObject({ format: 1, kind: 'period', label, from, to: today });
    expect(s.week).toBeUndefined();
    // The span holds today: both spans end at the same time of day, the time of the span's last change
    // (not the clock: the second generation above gave the same hash).
    const cut = s.compare.cut;
    expect(cut, 'a span that holds today is cut').toBeTruthy();
    const timeOfDay = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { timeZone: s.timeZone, hour12: false });
    expect(timeOfDay(cut.previous)).toBe(timeOfDay(cut.current));
    expect(new Date(cut.current).getTime()).toBeGreaterThan(Date.now() - 3_600_000 * 2);
    // A span of whole past days is not cut.
    const past = await generate(analyst, { from, to: addCalendarDays(today, -1) });
    expect(past.statusCode, past.body).toBe(201);
    expect((await detailOf(past.json().id)).snapshot.compare.cut).toBeUndefined();
    expect(s.headline.find((f: { id: string }) => f.id === 'incident.count').current.value).toBeGreaterThanOrEqual(4);
    // Hot spots: the chief's station's cell first (three incidents), named after the station, judged against last year.
    expect(s.hotspots.resolution).toBe(8);
    const top: HotSpot = s.hotspots.cells[0];
    expect(top).toMatchObject({ count: 3, previous: 0, stationId: chiefStation, stationName: chiefName });
    expect(top.cell).toMatch(/^[0-9a-f]{15}$/);
    expect(Math.abs(top.lat - chiefCenter[1]) + Math.abs(top.lon - chiefCenter[0])).toBeLessThan(0.02);
    expect(s.hotspots.cells.length).toBeLessThanOrEqual(10);
    expect(JSON.stringify(s)).not.toMatch(/李四|13900139000|时段报告测试/);

    const a = await t.app.inject({ method: 'GET', url: `/api/v1/reports/${r.id}/docx`, headers: analyst });
    const b = await t.app.inject({ method: 'GET', url: `/api/v1/reports/${r.id}/docx`, headers: analyst });
    expect(a.statusCode).toBe(200);
    expect(a.headers['content-disposition']).toContain(`shouwang-period-${from}_${today}-r1.docx`);
    expect(a.rawPayload.equals(b.rawPayload)).toBe(true);
    const xml = unzipEntry(a.rawPayload, 'word/document.xml');
    const zh = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
    for (const text of ['警情报告', '统计时段', '共 10 天', '一、总体情况', '二、分类情况', '本期（起）', '五、热点区域', `${chiefName}辖区`, top.cell, zh(from), zh(today)]) expect(xml, text).toContain(text);
    expect(xml).not.toContain('周报');
    expect(unzipEntry(a.rawPayload, 'word/footer1.xml')).toContain(r.snapshotHash);
  }, 120_000);

  it('a late correction (an incident moved by SQL) makes a new revision whose notes name the changed hot spots', async () => {
    const before = (await generate(analyst, { from, to: today })).json();
    await rawQuery(t.database.db, `update incidents set lon = $1, lat = $2 where number = $3`, [chiefCenter[0], chiefCenter[1], numbers[3]]);
    const res = await generate(analyst, { from, to: today });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({ kind: 'period', revision: before.revision + 1, revisesId: before.id, unchanged: false });
    expect(r.snapshotHash).not.toBe(before.snapshotHash);
    const notes = r.revisions.map((n: { en: string }) => n.en);
    expect(notes.some((n: string) => /^hot spot .* incidents for the period revised from 3 to 4$/.test(n)), notes.join('\n')).toBe(true);
    expect(notes.some((n: string) => /^hot spot .* no longer listed$/.test(n)), notes.join('\n')).toBe(true);
    const xml = unzipEntry((await t.app.inject({ method: 'GET', url: `/api/v1/reports/${r.id}/docx`, headers: analyst })).rawPayload, 'word/document.xml');
    expect(xml).toContain('六、修订说明');
    expect(xml).toContain('修订为 4 起');
  }, 120_000);

  it('the weekly report has the hot spots section too, and the archive lists both kinds', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports/weekly', headers: analyst, payload: { week: labelOf(today) } });
    expect(res.statusCode, res.body).toBe(201);
    const s = (await detailOf(res.json().id)).snapshot;
    expect(s).toMatchObject({ kind: 'weekly', week: labelOf(today) });
    expect(s.hotspots.cells[0].stationId).toBe(chiefStation);
    const items = (await t.app.inject({ method: 'GET', url: '/api/v1/reports', headers: analyst })).json().items;
    expect(new Set(items.map((x: { kind: string }) => x.kind))).toEqual(new Set(['weekly', 'period']));
    expect(items.find((x: { kind: string }) => x.kind === 'weekly')).toMatchObject({ label: labelOf(today), week: labelOf(today) });
    const periods = (await t.app.inject({ method: 'GET', url: '/api/v1/reports?kind=period', headers: analyst })).json().items;
    expect(periods.length).toBeGreaterThanOrEqual(2);
    expect(periods.every((x: { kind: string; label: string }) => x.kind === 'period' && x.label.startsWith(`${from}~`))).toBe(true);
  }, 120_000);

  it('refuses a bad period with 400 naming the field, in zh-CN and English', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ from: '2026-13-01', to: today }, 'from', /from/],
      [{ from, to: '2026-02-30' }, 'to', /to/],
      [{ to: today }, 'from', /from/],
      [{ from: today, to: from }, 'to', /before the first/],
      [{ from, to: addCalendarDays(today, 1) }, 'to', /after today/],
      [{ from: addCalendarDays(today, -400), to: today }, 'to', /at most 400 days/],
    ];
    for (const [payload, field, en] of cases) {
      const zh = await generate(analyst, payload);
      expect([JSON.stringify(payload), zh.statusCode]).toEqual([JSON.stringify(payload), 400]);
      expect(zh.json().error.field).toBe(field);
      expect(zh.json().error.message).toContain(field);
      expect(zh.json().error.message).toMatch(/[\u4e00-\u9fff]/);
      const enRes = await t.app.inject({ method: 'POST', url: '/api/v1/reports/period', headers: { ...analyst, 'accept-language': 'en' }, payload });
      expect(enRes.json().error.message).toMatch(en);
    }
    // 400 days are allowed.
    expect((await generate(analyst, { from: addCalendarDays(today, -399), to: today })).statusCode).toBe(201);
  }, 120_000);

  it('scopes: a unit’s period report counts that unit’s incidents; a chief may read his station’s but not generate', async () => {
    const res = await generate(analyst, { from, to: today, unitId: chiefStation });
    expect(res.statusCode, res.body).toBe(201);
    const s = (await detailOf(res.json().id)).snapshot;
    expect(s.unit.id).toBe(chiefStation);
    expect(s.hotspots.cells.every((c: HotSpot) => c.stationId === chiefStation)).toBe(true);
    const chief = await t.login('chief');
    expect((await generate(chief, { from, to: today })).statusCode).toBe(403);
    expect((await generate(chief, { from, to: today, unitId: otherId })).statusCode).toBe(403);
    expect((await generate(analyst, { from, to: today, unitId: 'no-such-unit' })).statusCode).toBe(404);
    const seen = (await t.app.inject({ method: 'GET', url: '/api/v1/reports?kind=period', headers: chief })).json().items;
    expect(seen.map((x: { unitId: string }) => x.unitId)).toEqual([chiefStation]);
  }, 120_000);
});
