/**
 * A report (weekly or period) as a .docx in the usual Chinese layout (title, period, 一、总体情况 … 四、重点警情,
 * 五、热点区域, revision notes, the snapshot's hash and as-of time in the footer), built from the stored
 * snapshot alone (a snapshot stored before hot spots existed renders without that section).
 *
 * Byte for byte reproducible: the `docx` package stamps the core properties with the time of building,
 * draws element ids from Math.random and zips with the current time; here the core properties are the
 * snapshot's as-of time, the ids come from a generator seeded with the snapshot hash, and every zip entry
 * carries the as-of time. Fonts are named (宋体/黑体, Times New Roman), never embedded.
 */
import { AlignmentType, BorderStyle, Document, Footer, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { localParts } from '../../core/clock.js';
import type { HotSpotSection, ReportSnapshot } from './domain/snapshot.js';
import type { RevisionNote } from './domain/revisions.js';
import { heatChartPng, HEAT_CHART } from './chart.js';
import { durationText, familyYoy, headlineSentence, hotSpotYoy, periodDays, RULE_ZH, spanWord, weekNumber, zhDay, zhSpan } from './wording.js';
import { pinZipDates } from './zip-dates.js';
import { mulberry32 } from '../../core/random.js';

export interface DocxInput {
  snapshot: ReportSnapshot;
  hash: string;
  revisionNotes: readonly RevisionNote[];
  revision: number;
}

const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体', cs: 'Times New Roman' };
const HEAD_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体', cs: 'Times New Roman' };

const localText = (iso: string) => {
  const p = localParts(new Date(iso));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
};

const para = (text: string, o: { bold?: boolean; size?: number; center?: boolean; head?: boolean; indent?: boolean } = {}) =>
  new Paragraph({
    alignment: o.center ? AlignmentType.CENTER : AlignmentType.LEFT,
    spacing: { after: 120, line: 360 },
    indent: o.indent ? { firstLine: 480 } : undefined,
    children: [new TextRun({ text, bold: o.bold, size: o.size, font: o.head ? HEAD_FONT : BODY_FONT })],
  });

const cell = (text: string, head = false) =>
  new TableCell({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text, bold: head, size: 21, font: head ? HEAD_FONT : BODY_FONT })] })] });

const line = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const table = (head: string[], rows: string[][]) =>
  new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { top: line, bottom: line, left: line, right: line, insideHorizontal: line, insideVertical: line },
    rows: [new TableRow({ tableHeader: true, children: head.map((h) => cell(h, true)) }), ...rows.map((r) => new TableRow({ children: r.map((c) => cell(c)) }))],
  });

function coreXml(title: string, at: string) {
  // As `docx` writes it, with the snapshot's as-of time instead of the build time.
  const when = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const esc = title.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>${esc}</dc:title><dc:creator>守望 Shouwang</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified></cp:coreProperties>`;
}

/** A deterministic generator standing in for Math.random while `docx` builds: seeded by the snapshot's hash. */
const seeded = (hash: string): (() => number) => mulberry32(parseInt(hash.slice(0, 8), 16));

export function reportTitle(s: ReportSnapshot): string {
  if (s.kind === 'period') return `守望 ${s.unit.name} ${zhSpan(s.from, s.to)}警情报告`;
  const w = weekNumber(s.week);
  return `守望 ${s.unit.name} ${w.year}年第${w.week}周警情周报`;
}

const SECTION = ['一', '二', '三', '四', '五', '六', '七'];
/** A cell's area by H3 resolution (km²). */
const H3_AREA: Record<number, string> = { 7: '5', 8: '0.7', 9: '0.1' };

function hotSpotsPart(h: HotSpotSection, word: string): (Paragraph | Table)[] {
  if (!h.cells.length) return [para(`${word}无可定位的警情。`, { indent: true })];
  return [
    para(`按 H3 网格（分辨率 ${h.resolution}，每格约 ${H3_AREA[h.resolution] ?? '?'} 平方公里）统计，${word}共 ${h.total} 个网格有警情，警情最多的 ${h.cells.length} 个如下（区域以其中警情最多的派出所命名，坐标为网格中心）：`, { indent: true }),
    table(
      ['序号', '区域', 'H3 网格', '中心（纬度, 经度）', `${word}（起）`, '去年同期（起）', '同比'],
      h.cells.map((c, i) => [String(i + 1), `${c.stationName}辖区`, c.cell, `${c.lat.toFixed(4)}, ${c.lon.toFixed(4)}`, String(c.count), String(c.previous), hotSpotYoy(c)]),
    ),
  ];
}

function body(s: ReportSnapshot, chart: Buffer, input: DocxInput) {
  const word = spanWord(s);
  const out: (Paragraph | Table)[] = [
    para(reportTitle(s), { bold: true, size: 40, center: true, head: true }),
    para(s.kind === 'weekly' ? `统计时段：${zhDay(s.from)}（周一）至 ${zhDay(s.to)}（周日）` : `统计时段：${zhDay(s.from)} 至 ${zhDay(s.to)}（共 ${periodDays(s.from, s.to)} 天）`, { center: true }),
    para(`同比时段：${zhDay(s.compare.from)} 至 ${zhDay(s.compare.to)}（${RULE_ZH[s.compare.rule] ?? s.compare.rule}）`, { center: true }),
    ...(s.compare.cut ? [para(`时段含今日：本期统计至 ${localText(s.compare.cut.current)}，去年同期统计至 ${localText(s.compare.cut.previous)}（同一时刻）`, { center: true })] : []),
    para(`数据截至：${localText(s.asOf)}（${s.timeZone}）${input.revision > 1 ? `\u3000第 ${input.revision} 版` : ''}`, { center: true }),
    para('一、总体情况', { bold: true, size: 32, head: true }),
    ...s.headline.map((f) => para(headlineSentence(f), { indent: true })),
    para('注：同比变化经统计检验（计数为泊松检验，比率为两比例检验，|z| > 3 为显著）；未达显著的变化标注为“无显著变化”。', { size: 18, indent: true }),
    para('二、分类情况', { bold: true, size: 32, head: true }),
    s.families.length ? table(['警情类别', `${word}（起）`, '去年同期（起）', '同比'], s.families.map((r) => [`${r.family} ${r.zh}`, String(r.current), String(r.previous), familyYoy(r)])) : para(`${word}无警情。`, { indent: true }),
    para('三、时段分布', { bold: true, size: 32, head: true }),
    para('按星期与时段（本地时间，小时）统计的警情数，颜色越深警情越多：', { indent: true }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new ImageRun({ type: 'png', data: chart, transformation: { width: 600, height: Math.round((600 * HEAT_CHART.height) / HEAT_CHART.width) }, altText: { id: '1', name: 'heat', title: '时段分布', description: '按星期与小时的警情热力表' } })] }),
    para('四、重点警情', { bold: true, size: 32, head: true }),
  ];
  if (s.notable.length) {
    out.push(para(`${word}一级（P1）警情 ${s.notableTotal} 起${s.notableTotal > s.notable.length ? `，列出前 ${s.notable.length} 起` : ''}：`, { indent: true }));
    out.push(
      table(
        ['警情编号', '类别', '派出所', '接警时间', '派警用时', '到场用时'],
        s.notable.map((i) => [i.number, i.categoryName, i.stationName, localText(i.recordedAt), durationText(i.intervals.dispatch), durationText(i.intervals.response)]),
      ),
    );
  } else out.push(para(`${word}无一级（P1）警情。`, { indent: true }));
  let next = 4;
  if (s.hotspots) out.push(para(`${SECTION[next++]}、热点区域`, { bold: true, size: 32, head: true }), ...hotSpotsPart(s.hotspots, word));
  if (input.revisionNotes.length) {
    out.push(para(`${SECTION[next]}、修订说明`, { bold: true, size: 32, head: true }));
    out.push(para(`本报告为第 ${input.revision} 版，与上一版相比：`, { indent: true }));
    for (const n of input.revisionNotes) out.push(para(`· ${n.zh}（${n.en}）`, { indent: true }));
  }
  return out;
}

/** The .docx bytes of a stored report: the same snapshot, hash and notes give the same bytes. */
export async function reportDocx(input: DocxInput): Promise<Buffer> {
  const s = input.snapshot;
  const chart = await heatChartPng(s.heat);
  const random = Math.random;
  let packed: Promise<Buffer>;
  // Synchronous from here to the Packer's promise: nothing else runs while Math.random is the seeded one.
  Math.random = seeded(input.hash);
  try {
    const doc = new Document({
      creator: '守望 Shouwang',
      title: reportTitle(s),
      styles: { default: { document: { run: { font: BODY_FONT, size: 24 } } } },
      sections: [
        {
          properties: { page: { margin: { top: 1440, bottom: 1440, left: 1587, right: 1474 } } },
          footers: { default: new Footer({ children: [para(`快照 SHA-256：${input.hash}\u3000数据截至：${localText(s.asOf)}`, { size: 16, center: true })] }) },
          children: body(s, chart, input),
        },
      ],
    });
    packed = Packer.toBuffer(doc, undefined, [{ path: 'docProps/core.xml', data: coreXml(reportTitle(s), s.asOf) }]);
  } finally {
    Math.random = random;
  }
  return pinZipDates(await packed, new Date(s.asOf));
}
