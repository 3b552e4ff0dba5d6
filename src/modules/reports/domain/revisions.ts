/**
 * What changed between two snapshots of the same week (or period) and unit, in words: "本周警情数由 27
 * 修订为 25 / figure Incidents for the week revised from 27 to 25". A report never changes silently: every
 * figure that differs from the previous report of its span is named in the new one, hot spots included.
 */
import type { HeadlineFigure, HotSpotRow, HotSpotSection, ReportSnapshot, SpanMeasure } from './snapshot.js';

export interface RevisionNote {
  zh: string;
  en: string;
}

/** A figure as printed: a rate in per cent with its two numbers, a duration in seconds, a count as is. */
export function formatMeasure(unit: string, m: SpanMeasure | null): string {
  if (!m || m.value === null) return '—';
  if (unit === 'rate') return `${(m.value * 100).toFixed(2)}% (${m.numerator ?? 0}/${m.denominator ?? 0})`;
  if (unit === 'seconds') return `${Math.round(m.value)} s`;
  return Number.isInteger(m.value) ? String(m.value) : m.value.toFixed(2);
}

const same = (a: SpanMeasure | null, b: SpanMeasure | null) => (a?.value ?? null) === (b?.value ?? null) && (a?.numerator ?? null) === (b?.numerator ?? null) && (a?.denominator ?? null) === (b?.denominator ?? null);

/** How the notes name the report's own span: 本周 / for the week, 本期 / for the period. */
interface SpanWords {
  zh: string;
  en: string;
}

const wordsOf = (s: ReportSnapshot): SpanWords => (s.kind === 'weekly' ? { zh: '本周', en: 'for the week' } : { zh: '本期', en: 'for the period' });

/** A hot spot as the notes name it: its station and its cell. */
export const hotSpotName = (c: Pick<HotSpotRow, 'cell' | 'stationName'>) => ({ zh: `${c.stationName}辖区 ${c.cell}`, en: `${c.stationName} area ${c.cell}` });

function hotSpotNotes(before: HotSpotSection | undefined, after: HotSpotSection | undefined, w: SpanWords): RevisionNote[] {
  if (!after) return [];
  if (!before) return [{ zh: '新增“热点区域”一节', en: 'the hot spots section was added' }];
  const notes: RevisionNote[] = [];
  for (const c of after.cells) {
    const old = before.cells.find((x) => x.cell === c.cell);
    const n = hotSpotName(c);
    if (!old) notes.push({ zh: `新列为热点：${n.zh}（${c.count} 起）`, en: `hot spot ${n.en} now listed (${c.count} incidents)` });
    else {
      if (old.count !== c.count) notes.push({ zh: `热点 ${n.zh} ${w.zh}警情由 ${old.count} 起修订为 ${c.count} 起`, en: `hot spot ${n.en} incidents ${w.en} revised from ${old.count} to ${c.count}` });
      if (old.previous !== c.previous) notes.push({ zh: `热点 ${n.zh} 去年同期警情由 ${old.previous} 起修订为 ${c.previous} 起`, en: `hot spot ${n.en} incidents for last year's span revised from ${old.previous} to ${c.previous}` });
    }
  }
  for (const old of before.cells) if (!after.cells.some((x) => x.cell === old.cell)) notes.push({ zh: `不再列为热点：${hotSpotName(old).zh}`, en: `hot spot ${hotSpotName(old).en} no longer listed` });
  return notes;
}

function figureNotes(before: HeadlineFigure, after: HeadlineFigure, w: SpanWords): RevisionNote[] {
  const notes: RevisionNote[] = [];
  if (!same(before.current, after.current)) {
    const [a, b] = [formatMeasure(after.unit, before.current), formatMeasure(after.unit, after.current)];
    notes.push({ zh: `${w.zh}${after.zh}由 ${a} 修订为 ${b}`, en: `figure ${after.en} ${w.en} revised from ${a} to ${b}` });
  }
  if (!same(before.previous, after.previous)) {
    const [a, b] = [formatMeasure(after.unit, before.previous), formatMeasure(after.unit, after.previous)];
    notes.push({ zh: `去年同期${after.zh}由 ${a} 修订为 ${b}`, en: `figure ${after.en} for last year's span revised from ${a} to ${b}` });
  }
  return notes;
}

/** The notes of `after` against `before` (same kind, span and unit); empty when every figure is the same. */
export function revisionNotes(before: ReportSnapshot, after: ReportSnapshot): RevisionNote[] {
  const w = wordsOf(after);
  const notes: RevisionNote[] = [];
  for (const f of after.headline) {
    const old = before.headline.find((x) => x.id === f.id);
    if (!old) notes.push({ zh: `新增指标：${f.zh}`, en: `figure ${f.en} added` });
    else notes.push(...figureNotes(old, f, w));
  }
  for (const old of before.headline) if (!after.headline.some((x) => x.id === old.id)) notes.push({ zh: `不再列出指标：${old.zh}`, en: `figure ${old.en} no longer listed` });

  const families = [...new Set([...before.families, ...after.families].map((r) => r.family))].sort();
  for (const code of families) {
    const [a, b] = [before.families.find((r) => r.family === code), after.families.find((r) => r.family === code)];
    const name = { zh: b?.zh ?? a?.zh ?? code, en: b?.en ?? a?.en ?? code };
    if ((a?.current ?? 0) !== (b?.current ?? 0)) notes.push({ zh: `${w.zh}${name.zh}警情由 ${a?.current ?? 0} 起修订为 ${b?.current ?? 0} 起`, en: `figure ${name.en} incidents ${w.en} revised from ${a?.current ?? 0} to ${b?.current ?? 0}` });
    if ((a?.previous ?? 0) !== (b?.previous ?? 0)) notes.push({ zh: `去年同期${name.zh}警情由 ${a?.previous ?? 0} 起修订为 ${b?.previous ?? 0} 起`, en: `figure ${name.en} incidents for last year's span revised from ${a?.previous ?? 0} to ${b?.previous ?? 0}` });
  }

  if (before.notableTotal !== after.notableTotal) notes.push({ zh: `重点警情（P1）由 ${before.notableTotal} 起修订为 ${after.notableTotal} 起`, en: `figure P1 incidents ${w.en} revised from ${before.notableTotal} to ${after.notableTotal}` });
  else if (JSON.stringify(before.notable) !== JSON.stringify(after.notable)) notes.push({ zh: '重点警情明细已更新', en: 'the list of P1 incidents was revised' });
  if (JSON.stringify(before.heat) !== JSON.stringify(after.heat)) notes.push({ zh: '时段分布已更新', en: 'the weekday × hour table was revised' });
  notes.push(...hotSpotNotes(before.hotspots, after.hotspots, w));
  if (notes.length === 0 && before.asOf !== after.asOf) notes.push({ zh: `数据截至时间由 ${before.asOf} 更新为 ${after.asOf}（数字未变）`, en: `data as of ${after.asOf} instead of ${before.asOf} (no figure changed)` });
  return notes;
}
