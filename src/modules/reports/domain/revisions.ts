/**
 * What changed between two snapshots of the same week and unit, in words: "本周警情数由 27 修订为 25 /
 * figure Incidents for the week revised from 27 to 25". A report never changes silently: every figure
 * that differs from the previous report of its week is named in the new one.
 */
import type { HeadlineFigure, SpanMeasure, WeeklySnapshot } from './snapshot.js';

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

function figureNotes(before: HeadlineFigure, after: HeadlineFigure): RevisionNote[] {
  const notes: RevisionNote[] = [];
  if (!same(before.current, after.current)) {
    const [a, b] = [formatMeasure(after.unit, before.current), formatMeasure(after.unit, after.current)];
    notes.push({ zh: `本周${after.zh}由 ${a} 修订为 ${b}`, en: `figure ${after.en} for the week revised from ${a} to ${b}` });
  }
  if (!same(before.previous, after.previous)) {
    const [a, b] = [formatMeasure(after.unit, before.previous), formatMeasure(after.unit, after.previous)];
    notes.push({ zh: `去年同期${after.zh}由 ${a} 修订为 ${b}`, en: `figure ${after.en} for last year's span revised from ${a} to ${b}` });
  }
  return notes;
}

/** The notes of `after` against `before` (same week and unit); empty when every figure is the same. */
export function revisionNotes(before: WeeklySnapshot, after: WeeklySnapshot): RevisionNote[] {
  const notes: RevisionNote[] = [];
  for (const f of after.headline) {
    const old = before.headline.find((x) => x.id === f.id);
    if (!old) notes.push({ zh: `新增指标：${f.zh}`, en: `figure ${f.en} added` });
    else notes.push(...figureNotes(old, f));
  }
  for (const old of before.headline) if (!after.headline.some((x) => x.id === old.id)) notes.push({ zh: `不再列出指标：${old.zh}`, en: `figure ${old.en} no longer listed` });

  const families = [...new Set([...before.families, ...after.families].map((r) => r.family))].sort();
  for (const code of families) {
    const [a, b] = [before.families.find((r) => r.family === code), after.families.find((r) => r.family === code)];
    const name = { zh: b?.zh ?? a?.zh ?? code, en: b?.en ?? a?.en ?? code };
    if ((a?.current ?? 0) !== (b?.current ?? 0)) notes.push({ zh: `本周${name.zh}警情由 ${a?.current ?? 0} 起修订为 ${b?.current ?? 0} 起`, en: `figure ${name.en} incidents for the week revised from ${a?.current ?? 0} to ${b?.current ?? 0}` });
    if ((a?.previous ?? 0) !== (b?.previous ?? 0)) notes.push({ zh: `去年同期${name.zh}警情由 ${a?.previous ?? 0} 起修订为 ${b?.previous ?? 0} 起`, en: `figure ${name.en} incidents for last year's span revised from ${a?.previous ?? 0} to ${b?.previous ?? 0}` });
  }

  if (before.notableTotal !== after.notableTotal) notes.push({ zh: `重点警情（P1）由 ${before.notableTotal} 起修订为 ${after.notableTotal} 起`, en: `figure P1 incidents for the week revised from ${before.notableTotal} to ${after.notableTotal}` });
  else if (JSON.stringify(before.notable) !== JSON.stringify(after.notable)) notes.push({ zh: '重点警情明细已更新', en: 'the list of P1 incidents was revised' });
  if (JSON.stringify(before.heat) !== JSON.stringify(after.heat)) notes.push({ zh: '时段分布已更新', en: 'the weekday × hour table was revised' });
  if (notes.length === 0 && before.asOf !== after.asOf) notes.push({ zh: `数据截至时间由 ${before.asOf} 更新为 ${after.asOf}（数字未变）`, en: `data as of ${after.asOf} instead of ${before.asOf} (no figure changed)` });
  return notes;
}
