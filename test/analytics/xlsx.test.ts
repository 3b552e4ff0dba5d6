/** The .xlsx builder's pure parts: the RFC 5987 file name and the verdict words; a workbook round trip. */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { buildWorkbook, contentDisposition, DATA_SHEET, DEFINITION_SHEET, heatSheetTable, HEADING_ROW, verdict } from '../../src/modules/analytics/xlsx.js';

describe('analytics .xlsx', () => {
  it('names a Chinese file with RFC 5987 and an ASCII fallback', () => {
    const cd = contentDisposition('数据研判-分级下钻-高新(分局)\'s.xlsx', 'analytics-breakdown-"x".xlsx');
    expect(cd).toBe(`attachment; filename="analytics-breakdown-_x_.xlsx"; filename*=UTF-8''%E6%95%B0%E6%8D%AE%E7%A0%94%E5%88%A4-%E5%88%86%E7%BA%A7%E4%B8%8B%E9%92%BB-%E9%AB%98%E6%96%B0%28%E5%88%86%E5%B1%80%29%27s.xlsx`);
    expect(decodeURIComponent(cd.split("UTF-8''")[1]!)).toBe('数据研判-分级下钻-高新(分局)\'s.xlsx');
  });

  it('words a change as the screen does: no significant change unless |z| > 3', () => {
    expect(verdict({ significant: false, direction: 'same', z: 1.2 }, true)).toMatch(/^无显著变化/);
    expect(verdict({ significant: true, direction: 'up', z: 4 }, true)).toMatch(/^显著上升/);
    expect(verdict({ significant: true, direction: 'down', z: -4 }, true)).toMatch(/^显著下降/);
    expect(verdict({ significant: false, direction: 'same', z: null }, true)).toMatch(/^不作判断/);
    expect(verdict({ significant: false, direction: 'same', z: null }, false)).toMatch(/^无对比/);
  });

  it('writes the header block, the two heading rows and the table where a reader looks for them', async () => {
    const cells = Array.from({ length: 7 }, (_, d) => Array.from({ length: 24 }, (_, h) => d * 100 + h));
    const bytes = await buildWorkbook(heatSheetTable(cells), { span: { from: '2026-11-23', to: '2026-11-29' }, previous: null, rule: null, jurisdiction: '示范市公安局', generatedAt: new Date('2026-12-01T02:00:00Z'), timeZone: 'Asia/Shanghai' }, []);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(DATA_SHEET)!;
    expect(ws.getCell(3, 2).value).toBe('示范市公安局');
    expect(ws.getCell(5, 2).value).toBe('2026-12-01 10:00:00 (Asia/Shanghai)');
    expect([ws.getCell(HEADING_ROW, 2).value, ws.getCell(HEADING_ROW + 1, 2).value]).toEqual(['0时', '0h']);
    // Monday first; Sunday (row 0 of the API) last, then the totals.
    expect(ws.getCell(HEADING_ROW + 2, 1).value).toBe('周一 Mon');
    expect(ws.getCell(HEADING_ROW + 8, 3).value).toBe(1);
    expect(ws.getCell(HEADING_ROW + 9, 26).value).toBe(cells.flat().reduce((a, b) => a + b, 0));
    expect(wb.getWorksheet(DEFINITION_SHEET)).toBeTruthy();
  });
});
