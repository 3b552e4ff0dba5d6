import { describe, expect, it } from 'vitest';
import { validate as validateXml } from 'fast-xml-parser';
import { duplicatesOf, metresBetween } from '../../../src/modules/citizen/domain/geo.js';
import { idText, listArg, reportId, splitFormat, toXml } from '../../../src/modules/citizen/domain/open311.js';
import { routeReport } from '../../../src/modules/citizen/domain/routing.js';

const at = { lon: 113.55, lat: 22.2 };
/** A point `m` metres north of `at`. */
const north = (m: number) => ({ lon: at.lon, lat: at.lat + m / 111_195 });

describe('duplicates before submit', () => {
  const c = (id: string, m: number, extra: Partial<{ serviceCode: string; open: boolean }> = {}) => ({ id, serviceCode: '101', open: true, ...north(m), ...extra });
  it('offers open reports of the same category within the radius, nearest first', () => {
    const got = duplicatesOf(at, '101', 75, [c('far', 90), c('near', 20), c('edge', 74), c('closed', 10, { open: false }), c('other', 5, { serviceCode: '102' })]);
    expect(got.map((x) => x.id)).toEqual(['near', 'edge']);
    expect(metresBetween(at, north(74))).toBeGreaterThan(73);
  });
  it('a per-category radius', () => {
    expect(duplicatesOf(at, '101', 150, [c('a', 120)]).map((x) => x.id)).toEqual(['a']);
    expect(duplicatesOf(at, '101', 50, [c('a', 60)])).toEqual([]);
  });
});

describe('routing table', () => {
  const units = new Set(['TB1', 'S1']);
  it.each([
    [{ code: '101', route: 'station' as const, unitId: null }, 'S1', { unitId: 'S1', applied: 'station', transferTo12345: false }],
    [{ code: '201', route: 'unit' as const, unitId: 'TB1' }, 'S1', { unitId: 'TB1', applied: 'unit', transferTo12345: false }],
    [{ code: '201', route: 'unit' as const, unitId: null }, 'S1', { unitId: 'S1', applied: 'station', transferTo12345: false }],
    [{ code: '201', route: 'unit' as const, unitId: 'GONE' }, 'S1', { unitId: 'S1', applied: 'station', transferTo12345: false }],
    [{ code: '301', route: 'hotline12345' as const, unitId: null }, 'S1', { unitId: 'S1', applied: 'hotline12345', transferTo12345: true }],
  ])('%o at %s', (service, station, want) => expect(routeReport(service, station, (id) => units.has(id))).toEqual(want));
  it('outside every station: nowhere (unless a named unit owns it)', () => {
    expect(routeReport({ code: '101', route: 'station', unitId: null }, null, () => true)).toBeNull();
  });
});

describe('Open311 quirks', () => {
  it('ids and codes as numbers or strings', () => {
    expect(idText(1)).toBe('1');
    expect(idText('001')).toBe('001');
    expect(idText({})).toBeNull();
    expect(reportId(12)).toBe(12);
    expect(reportId('12')).toBe(12);
    expect(reportId('1e3')).toBeNull();
    expect(reportId('-1')).toBeNull();
    expect(splitFormat('12.XML')).toEqual({ name: '12', format: 'xml' });
    expect(splitFormat('12.csv')).toBeNull();
    expect(listArg('1, 2,,3')).toEqual(['1', '2', '3']);
  });
  it('XML is well-formed, escaped, and in the spec’s element names', () => {
    const xml = toXml('service_requests', [{ service_request_id: '1', description: 'a < b & "c" \u0001', media_url: null }]);
    expect(validateXml(xml)).toBe(true);
    expect(xml).toContain('<service_requests>\n  <request>\n    <service_request_id>1</service_request_id>');
    expect(xml).toContain('<media_url/>');
  });
});
