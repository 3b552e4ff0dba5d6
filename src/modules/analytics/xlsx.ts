/**
 * Any analytics table as an .xlsx workbook (issue 16, `exceljs`). Pure apart from the bytes: the
 * figures come in already computed (figures.ts, breakdown.ts, the heat table), so the workbook holds
 * the screen's very numbers. Sheet 1: a header block (span, jurisdiction, comparison span, generation
 * time), then the table under two header rows — zh-CN, the language of the reports it feeds, and
 * English beneath, so one file serves both readers and machines find the columns the same way in
 * either language. Sheet 2: what each figure counts (definition, numerator, denominator, version).
 */
import ExcelJS from 'exceljs';
import type { KpiEntry } from '../../kernel/kernel.js';
import type { JudgedFigure } from './figures.js';
import type { FigureScope } from './kpi-scope.js';
import type { Breakdown } from './breakdown.js';
import type { Span } from './domain/periods.js';

export const EXPORT_TABLES = ['kpis', 'heat', 'breakdown'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

export type Cell = string | number | null;
export interface Column {
  zh: string;
  en: string;
  width?: number;
  /** Excel number format, e.g. '0.0%' for a rate. */
  numFmt?: string;
}
export interface Table {
  zh: string;
  en: string;
  columns: Column[];
  rows: Cell[][];
  /** Per-row number formats (a rate's value in a column of mixed units), by row index then column index. */
  formats?: Map<number, Map<number, string>>;
}
export interface Meta {
  span: Span;
  previous: Span | null;
  /** How last year's span was chosen (to_date, iso_week, …). */
  rule: string | null;
  jurisdiction: string;
  generatedAt: Date;
  timeZone: string;
}

/** The sheet names and the row of the zh-CN column headings (the English row follows it, the data after that). */
export const DATA_SHEET = '数据 Data';
export const DEFINITION_SHEET = '指标定义 Definitions';
export const HEADING_ROW = 7;

const RULES: Record<string, string> = {
  to_date: '1月1日至今 对 去年1月1日至同日 (year to date)',
  iso_week: '同一ISO周 (same ISO week)',
  iso_week_53: '第53周 对 去年第52周 (ISO week 53 against week 52)',
  month: '同月 (same month)',
  festival: '去年同一节日假期 (same festival break)',
  shift_52_weeks: '52周前的同星期时段 (52 weeks back, same weekdays)',
};

export function verdict(f: { significant: boolean; direction: string; z: number | null }, compared: boolean): string {
  if (!compared) return '无对比 No comparison';
  if (f.z === null) return '不作判断 Not judged';
  if (!f.significant) return '无显著变化 No significant change';
  return f.direction === 'up' ? '显著上升 Significant rise' : '显著下降 Significant fall';
}

const WEEKDAYS = ['周日 Sun', '周一 Mon', '周二 Tue', '周三 Wed', '周四 Thu', '周五 Fri', '周六 Sat'];
/** Monday first, as the screen and a Chinese duty roster read it. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

/** A figure counted for another unit than the one asked (kpi-scope.ts) names that unit beside its name. */
export function kpiTable(values: readonly (JudgedFigure & { scope?: FigureScope })[], defs: ReadonlyMap<string, KpiEntry>): Table {
  const formats = new Map<number, Map<number, string>>();
  const rows = values.map((v, i) => {
    const d = defs.get(v.id);
    if (v.unit === 'rate') formats.set(i, new Map([[4, '0.0%'], [7, '0.0%']]));
    const other = v.scope && !v.scope.exact ? v.scope.name : null;
    return [v.id, `${d?.zh ?? v.id}${other ? `（按${other}统计）` : ''}`, `${d?.en ?? v.id}${other ? ` (for ${other})` : ''}`, v.unit, v.current.value, v.current.numerator, v.current.denominator, v.previous?.value ?? null, v.previous?.numerator ?? null, v.previous?.denominator ?? null, v.change, v.pct, v.z, verdict(v, v.previous !== null), v.version];
  });
  return {
    zh: '主要指标',
    en: 'Key figures',
    columns: [
      { zh: '指标编号', en: 'Id', width: 26 },
      { zh: '指标', en: 'Figure (zh)', width: 22 },
      { zh: '英文名', en: 'Figure (en)', width: 26 },
      { zh: '单位', en: 'Unit', width: 8 },
      { zh: '本期', en: 'This span', width: 12 },
      { zh: '本期分子', en: 'Numerator', width: 10 },
      { zh: '本期分母', en: 'Denominator', width: 10 },
      { zh: '去年同期', en: 'Last year', width: 12 },
      { zh: '去年分子', en: 'Numerator (last year)', width: 10 },
      { zh: '去年分母', en: 'Denominator (last year)', width: 10 },
      { zh: '变化（计数：较期望值；比率：百分点）', en: 'Change (counts: vs expected; rates: points)', width: 14 },
      { zh: '变化率 %', en: 'Change %', width: 10 },
      { zh: 'z 值', en: 'z', width: 8 },
      { zh: '判断', en: 'Verdict', width: 26 },
      { zh: '口径版本', en: 'Version', width: 8 },
    ],
    rows,
    formats,
  };
}

export function heatSheetTable(cells: readonly (readonly number[])[]): Table {
  const rows: Cell[][] = WEEK_ORDER.map((d) => [WEEKDAYS[d]!, ...cells[d]!, cells[d]!.reduce((a, b) => a + b, 0)]);
  const byHour = Array.from({ length: 24 }, (_, h) => cells.reduce((a, row) => a + (row[h] ?? 0), 0));
  rows.push(['合计 Total', ...byHour, byHour.reduce((a, b) => a + b, 0)]);
  return {
    zh: '警情时段分布（星期 × 小时）',
    en: 'Incidents by weekday × hour of day',
    columns: [{ zh: '星期', en: 'Weekday', width: 12 }, ...Array.from({ length: 24 }, (_, h) => ({ zh: `${h}时`, en: `${h}h`, width: 6 })), { zh: '合计', en: 'Total', width: 8 }],
    rows,
  };
}

const KIND_ZH: Record<string, string> = { bureau: '市局 bureau', branch: '分局 branch', station: '派出所 station', grid: '警格 grid' };

export function breakdownSheetTable(b: Breakdown): Table {
  const line = (r: Breakdown['total'], name: string): Cell[] => [name, r.code, r.kind ? (KIND_ZH[r.kind] ?? r.kind) : null, r.now, r.previous, r.expected, r.change, r.pct, r.z, verdict(r, true)];
  return {
    zh: '分级下钻',
    en: 'By unit',
    columns: [
      { zh: '单位', en: 'Unit', width: 24 },
      { zh: '编码', en: 'Code', width: 14 },
      { zh: '级别', en: 'Level', width: 14 },
      { zh: '本期警情', en: 'Incidents', width: 10 },
      { zh: '去年同期', en: 'Last year', width: 10 },
      { zh: '期望值', en: 'Expected', width: 10 },
      { zh: '变化', en: 'Change', width: 10 },
      { zh: '变化率 %', en: 'Change %', width: 10 },
      { zh: 'z 值', en: 'z', width: 8 },
      { zh: '判断', en: 'Verdict', width: 26 },
    ],
    rows: [line(b.total, `合计 Total：${b.total.name}`), ...b.children.map((c) => line(c, c.name))],
  };
}

/** 'YYYY-MM-DD HH:mm:ss' in the city's time zone. */
function localTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(at);
}

function definitionsSheet(wb: ExcelJS.Workbook, defs: readonly KpiEntry[]) {
  const ws = wb.addWorksheet(DEFINITION_SHEET);
  const cols: Column[] = [
    { zh: '指标编号', en: 'Id', width: 26 },
    { zh: '指标', en: 'Figure (zh)', width: 22 },
    { zh: '英文名', en: 'Figure (en)', width: 26 },
    { zh: '口径', en: 'Definition', width: 60 },
    { zh: '单位', en: 'Unit', width: 8 },
    { zh: '向好方向', en: 'Better', width: 8 },
    { zh: '分子', en: 'Numerator', width: 30 },
    { zh: '分母', en: 'Denominator', width: 30 },
    { zh: '不计入', en: 'Exclusions', width: 30 },
    { zh: '口径版本', en: 'Version', width: 8 },
    { zh: '所属模块', en: 'Module', width: 12 },
  ];
  ws.addRow(cols.map((c) => c.zh)).font = { bold: true };
  ws.addRow(cols.map((c) => c.en)).font = { italic: true, color: { argb: 'FF666666' } };
  cols.forEach((c, i) => (ws.getColumn(i + 1).width = c.width));
  for (const d of defs) ws.addRow([d.id, d.zh, d.en, d.definition, d.unit ?? 'value', d.better ?? 'neither', d.numerator ?? null, d.denominator ?? null, d.exclusions ?? null, d.version, d.module]);
  ws.addRow([]);
  ws.addRow(['判断 Verdict', '计数变化按泊松检验：z = 2·(√本期 − √期望值)，|z| > 3 为显著变化；比率按两比例 z 检验，同一阈值。Counts: Poisson test z = 2·(√now − √expected), |z| > 3 is a real change; rates: two-proportion z test, same threshold.']);
  ws.views = [{ state: 'frozen', ySplit: 2 }];
}

/** The workbook's bytes: the table with its header block, and the definitions of the figures it holds. */
export async function buildWorkbook(table: Table, meta: Meta, defs: readonly KpiEntry[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '守望 Shouwang';
  wb.created = meta.generatedAt;
  wb.modified = meta.generatedAt;
  const ws = wb.addWorksheet(DATA_SHEET);
  const prev = meta.previous ? `${meta.previous.from} 至 ${meta.previous.to}${meta.rule ? `（${RULES[meta.rule] ?? meta.rule}）` : ''}` : '不比较 none';
  const block: [string, string][] = [
    [`数据研判 · ${table.zh}`, `Analytics · ${table.en}`],
    ['统计时段 Span', `${meta.span.from} 至 ${meta.span.to}`],
    ['辖区 Jurisdiction', meta.jurisdiction],
    ['对比时段 Compared with', prev],
    ['生成时间 Generated', `${localTime(meta.generatedAt, meta.timeZone)} (${meta.timeZone})`],
  ];
  // Rows by number, not appended: the headings sit at HEADING_ROW whatever the block holds.
  block.forEach((r, i) => (ws.getRow(i + 1).values = r));
  ws.getRow(1).font = { bold: true, size: 14 };
  for (let r = 2; r <= block.length; r++) ws.getCell(r, 1).font = { bold: true };
  const zh = ws.getRow(HEADING_ROW);
  zh.values = table.columns.map((c) => c.zh);
  zh.font = { bold: true };
  const en = ws.getRow(HEADING_ROW + 1);
  en.values = table.columns.map((c) => c.en);
  en.font = { italic: true, color: { argb: 'FF666666' } };
  table.columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = Math.max(c.width ?? 10, i === 0 ? 20 : 0);
    if (c.numFmt) col.numFmt = c.numFmt;
  });
  table.rows.forEach((cells, i) => {
    const row = ws.getRow(HEADING_ROW + 2 + i);
    row.values = cells;
    for (const [col, fmt] of table.formats?.get(i) ?? []) row.getCell(col + 1).numFmt = fmt;
  });
  ws.views = [{ state: 'frozen', ySplit: HEADING_ROW + 1 }];
  definitionsSheet(wb, defs);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Content-Disposition for a download named in Chinese: an ASCII `filename` for old clients and the
 * UTF-8 name as RFC 5987 `filename*` (percent-encoded; the characters RFC 5987 keeps out of attr-char too).
 */
export function contentDisposition(name: string, asciiFallback: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}
