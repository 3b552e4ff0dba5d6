import { describe, expect, it } from 'vitest';
import { parseCsv, readAddressCsv } from '../../src/modules/addresses/csv.js';

const HEADER = 'code,district,road,number,building,unit,lon,lat';

describe('CSV parsing', () => {
  it('handles quotes, doubled quotes, commas and line breaks in quoted fields, CRLF and a BOM', () => {
    const { records, errors } = parseCsv(`\ufeff${HEADER}\r\nA1,氹仔,"孫逸仙, 博士大馬路",12,"海景""大廈""","第一\n座",113.55,22.15\r\n\r\nA2,路环,竹灣馬路,3,,,113.56,22.12`);
    expect(errors).toEqual([]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
    expect(records[1].fields).toEqual(['A1', '氹仔', '孫逸仙, 博士大馬路', '12', '海景"大廈"', '第一\n座', '113.55', '22.15']);
  });

  it('reports an unterminated quote with its line', () => {
    const { errors } = parseCsv(`${HEADER}\nA1,"氹仔,x`);
    expect(errors).toEqual([{ line: 2, field: 'row', message: 'unterminated quoted field' }]);
  });
});

describe('CSV validation', () => {
  it('accepts a valid file and composes the text', () => {
    const r = readAddressCsv(`${HEADER}\nMO9900000001,澳门半岛,水坑尾街,12號,,,113.5437,22.1935\nMO9900000002,氹仔,孫逸仙博士大馬路,88,海景大廈,第一座,113.557,22.155`);
    expect(r.errors).toEqual([]);
    expect(r.rows.map((x) => x.text)).toEqual(['澳门半岛 水坑尾街12號', '氹仔 孫逸仙博士大馬路88號 海景大廈 第一座']);
    expect(r.rows[0].number).toBe('12');
  });

  it('names line and field of every error', () => {
    const csv = [
      HEADER,
      'MO9900000001,澳门半岛,水坑尾街,12,,,113.5437,22.1935',
      'bad code,澳门半岛,水坑尾街,14,,,113.5437,22.1935',
      'MO9900000003,,水坑尾街,16,,,abc,95',
      'MO9900000004,澳门半岛,水坑尾街,18',
      'MO9900000001,澳门半岛,水坑尾街,20,,,113.5437,22.1935',
      'MO9900000006,澳门半岛,水坑尾街,#12,,,113.5437,22.1935',
    ].join('\n');
    const r = readAddressCsv(csv);
    expect(r.errors).toEqual([
      { line: 3, field: 'code', message: expect.stringMatching(/upper-case/) },
      { line: 4, field: 'district', message: 'required' },
      { line: 4, field: 'lon', message: 'not a number: abc' },
      { line: 4, field: 'lat', message: 'must be within -90..90' },
      { line: 5, field: 'row', message: 'expected 8 fields, got 4' },
      { line: 6, field: 'code', message: 'duplicate of line 2' },
      { line: 7, field: 'number', message: expect.stringMatching(/door number/) },
    ]);
    expect(r.errorCount).toBe(7);
  });

  it('rejects a wrong header and an empty file', () => {
    expect(readAddressCsv('code,road,lon,lat\nA,B,1,2').errors[0]).toMatchObject({ line: 1, field: 'header' });
    expect(readAddressCsv('').errors[0]).toMatchObject({ line: 1, field: 'header' });
    expect(readAddressCsv(HEADER).errors[0]).toMatchObject({ line: 1, field: 'row' });
  });
});
