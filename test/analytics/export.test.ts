/**
 * The .xlsx export (GET /analytics/export.xlsx): the workbook opens with exceljs, its header block names
 * the span, jurisdiction and comparison span, its cells hold the JSON endpoints' very numbers (key
 * figures, heat table, drill-down), the second sheet defines every figure, the Chinese file name comes
 * as RFC 5987, an export leaves an audit row, and a bad table is refused naming the field. Both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { localDay } from '../../src/core/clock.js';
import { rawQuery } from '../../src/db/client.js';
import { DATA_SHEET, DEFINITION_SHEET, HEADING_ROW } from '../../src/modules/analytics/xlsx.js';

const stations = demoOrganisation().filter((u) => u.kind === 'station');

async function open(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const data = wb.getWorksheet(DATA_SHEET)!;
  const defs = wb.getWorksheet(DEFINITION_SHEET)!;
  const value = (r: number, c: number) => {
    const v = data.getCell(r, c).value;
    return v === undefined ? null : v;
  };
  /** The table's data rows (below the two heading rows) as arrays of cell values. */
  const rows = () => {
    const out: unknown[][] = [];
    for (let r = HEADING_ROW + 2; r <= data.rowCount; r++) out.push(Array.from({ length: data.columnCount }, (_, i) => value(r, i + 1)));
    return out;
  };
  return { data, defs, value, rows };
}

describe.each(testDrivers())('GET /analytics/export.xlsx on %s', (driver) => {
  let t: TestApp;
  const today = localDay(new Date());
  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    const calltaker = await t.login('calltaker');
    for (const s of [stations[0]!, stations[1]!, stations[stations.length - 1]!]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: calltaker, payload: { source: 'call110', categoryCode: '02030101', description: '导出测试', location: { lon: s.center![0], lat: s.center![1] } } });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(() => t?.close());

  const span = `from=${today}&to=${today}`;
  const json = async (url: string) => (await t.app.inject({ method: 'GET', url, headers: await t.login('analyst') })).json();
  const xlsx = async (query: string, user = 'analyst') => t.app.inject({ method: 'GET', url: `/api/v1/analytics/export.xlsx?${query}`, headers: await t.login(user) });

  it('exports the key figures with the JSON endpoint’s numbers, a header block and the definitions sheet', async () => {
    await expect.poll(async () => (await json(`/api/v1/kpis/values?ids=incident.count&${span}`)).items[0].current.value, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    const res = await xlsx(`table=kpis&${span}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const cd = String(res.headers['content-disposition']);
    expect(cd).toMatch(/^attachment; filename="analytics-kpis-[\x20-\x7e]+\.xlsx"; filename\*=UTF-8''/);
    expect(decodeURIComponent(cd.split("UTF-8''")[1]!)).toBe(`数据研判-主要指标-${(await json(`/api/v1/analytics/breakdown?${span}`)).unit.name}-${today}至${today}.xlsx`);

    const values = (await json(`/api/v1/kpis/values?${span}`)).items as { id: string; current: { value: number | null; numerator: number | null; denominator: number | null }; previous: { value: number | null; from: string; to: string }; change: number | null; z: number | null; version: number }[];
    const book = await open(res.rawPayload);
    expect(book.value(2, 2)).toBe(`${today} 至 ${today}`);
    expect(String(book.value(4, 2))).toContain(`${values[0]!.previous.from} 至 ${values[0]!.previous.to}`);
    expect(String(book.value(5, 1))).toContain('生成时间');
    expect(book.value(HEADING_ROW, 1)).toBe('指标编号');
    expect(book.value(HEADING_ROW + 1, 1)).toBe('Id');
    const rows = book.rows();
    expect(rows.map((r) => r[0])).toEqual(values.map((v) => v.id));
    for (const [i, v] of values.entries()) {
      expect(rows[i]!.slice(4, 7), v.id).toEqual([v.current.value, v.current.numerator, v.current.denominator]);
      expect(rows[i]![7], v.id).toBe(v.previous.value);
      expect([rows[i]![10], rows[i]![12], rows[i]![14]], v.id).toEqual([v.change, v.z, v.version]);
    }
    // Every exported figure is defined in the second sheet, with its version.
    const defined = new Set<unknown>();
    book.defs.eachRow((row) => void defined.add(row.getCell(1).value));
    for (const v of values) expect(defined.has(v.id), v.id).toBe(true);

    // The export is audited: who, which table, which span.
    const audit = await rawQuery<{ detail: unknown; username: string }>(t.database.db, `select detail, username from audit_log where action = 'analytics.export' order by seq desc limit 1`);
    expect(audit[0]?.username).toBe('analyst');
    expect(JSON.stringify(audit[0]?.detail)).toContain('"table":"kpis"');
  });

  it('exports the heat table and the drill-down with the same cells as their JSON answers', async () => {
    const heat = (await json(`/api/v1/analytics/heat?${span}`)).cells as number[][];
    const hb = await open((await xlsx(`table=heat&${span}`)).rawPayload);
    const hrows = hb.rows();
    // Monday first; a total column and a total row.
    for (const [i, d] of [1, 2, 3, 4, 5, 6, 0].entries()) expect(hrows[i]!.slice(1, 25)).toEqual(heat[d]);
    expect(hrows[7]![25]).toBe(heat.flat().reduce((a, b) => a + b, 0));
    expect(hb.value(4, 2)).toContain('none');

    const bd = await json(`/api/v1/analytics/breakdown?${span}`);
    const bb = await open((await xlsx(`table=breakdown&${span}`)).rawPayload);
    const brows = bb.rows();
    expect(brows).toHaveLength(1 + bd.children.length);
    expect(brows[0]!.slice(3, 5)).toEqual([bd.total.now, bd.total.previous]);
    for (const [i, c] of (bd.children as { name: string; now: number; previous: number; z: number }[]).entries()) expect([brows[i + 1]![0], ...brows[i + 1]!.slice(3, 5), brows[i + 1]![8]]).toEqual([c.name, c.now, c.previous, c.z]);
    expect(bb.value(3, 2)).toBe(bd.unit.name);
  });

  it('narrows to a unit of the jurisdiction, refuses one outside it, and a bad table naming the field', async () => {
    const station = (await json(`/api/v1/analytics/breakdown?${span}`)).children.find((c: { now: number; id: string }) => c.now > 0 && c.id).id as string;
    const narrowed = await open((await xlsx(`table=breakdown&${span}&unitId=${station}`)).rawPayload);
    const stationTotal = (await json(`/api/v1/analytics/breakdown?${span}&unitId=${station}`)).total.now;
    expect(narrowed.rows()[0]![3]).toBe(stationTotal);
    // Every module's figure computes for the narrowed jurisdiction; the count is the drill-down's.
    const kpis = await xlsx(`table=kpis&${span}&unitId=${station}`);
    expect(kpis.statusCode, kpis.body).toBe(200);
    expect((await open(kpis.rawPayload)).rows().find((r) => r[0] === 'incident.count')![4]).toBe(stationTotal);
    const bureauId = (await json(`/api/v1/analytics/breakdown?${span}`)).unit.id;
    const refused = await xlsx(`table=kpis&${span}&unitId=${bureauId}`, 'chief');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ field: 'unitId' });
    const bad = await xlsx(`table=nope&${span}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ field: 'table' });
    expect((await xlsx(`table=kpis&${span}`, 'calltaker')).statusCode).toBe(403);
  });
});
