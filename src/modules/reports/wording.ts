/**
 * The report's sentences in the usual Chinese layout: a figure with its 同比, "无显著变化" when chance
 * explains the change (|z| ≤ 3; a duration median: its confidence intervals overlap), a rate always with
 * its two numbers. Pure.
 */
import type { FamilyRow, HeadlineFigure, HotSpotRow, ReportSnapshot, SpanMeasure } from './domain/snapshot.js';
import { calendarDaysBetween } from '../../core/working-days.js';
import { labelOf } from './domain/weeks.js';

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

function valueText(unit: string, m: SpanMeasure | null): string {
  if (!m || m.value === null) return '无数据';
  if (unit === 'count') return `${m.value} 起`;
  if (unit === 'rate') return `${pct(m.value)}（${m.numerator ?? 0}/${m.denominator ?? 0}）`;
  if (unit === 'seconds') return `${Math.round(m.value)} 秒`;
  if (unit === 'hours') return `${m.value.toFixed(1)} 小时`;
  if (unit === 'days') return `${m.value.toFixed(1)} 天`;
  return Number.isInteger(m.value) ? String(m.value) : m.value.toFixed(2);
}

/**
 * 同比 of a figure: the direction and size when significant, else 无显著变化. A duration judged from its
 * histograms (the interval medians: `z` given) reads 较去年同期缩短/延长 N 秒（显著） or 无显著变化; one not
 * judged (`z` null: other modules' medians, and reports frozen before durations were judged) keeps the
 * difference only, so a stored snapshot reads as it did.
 */
export function yoyText(f: { unit: string; significant: boolean; direction: string; change: number | null; pct: number | null; z?: number | null }): string {
  if (f.change === null) return '无可比数据';
  if (f.unit !== 'count' && f.unit !== 'rate') {
    const [digits, suffix] = f.unit === 'seconds' ? [0, ' 秒'] : f.unit === 'hours' ? [1, ' 小时'] : f.unit === 'days' ? [1, ' 天'] : [2, ''];
    const size = Math.abs(f.change).toFixed(digits);
    if (f.z !== null && f.z !== undefined) {
      if (!f.significant || f.direction === 'same') return '无显著变化';
      return `较去年同期${f.direction === 'down' ? '缩短' : '延长'} ${size}${suffix}（显著）`;
    }
    // Not judged: the difference only (its significance needs the distribution, not two numbers).
    return Number(size) === 0 ? '与去年同期持平' : `较去年同期${f.change > 0 ? '增加' : '减少'} ${size}${suffix}`;
  }
  if (!f.significant) return '无显著变化';
  const verb = f.direction === 'up' ? '上升' : '下降';
  if (f.unit === 'rate') return `同比${verb} ${Math.abs(f.change).toFixed(2)} 个百分点`;
  return f.pct === null ? `同比增加 ${Math.round(f.change)} 起` : `同比${verb} ${Math.abs(f.pct).toFixed(1)}%`;
}

export function headlineSentence(f: HeadlineFigure): string {
  return `${f.zh}：${valueText(f.unit, f.current)}，去年同期 ${valueText(f.unit, f.previous)}，${yoyText(f)}。`;
}

/** 同比 of a hot spot (a count, judged by the Poisson test). */
export function hotSpotYoy(r: HotSpotRow): string {
  return yoyText({ unit: 'count', significant: r.significant, direction: r.direction, change: r.change, pct: r.pct });
}

export function familyYoy(r: FamilyRow): string {
  return yoyText({ unit: 'count', significant: r.significant, direction: r.direction, change: r.change, pct: r.pct });
}

/** '2026-11-23' → '2026年11月23日'. */
export const zhDay = (day: string) => `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

/** '2026年11月1日至11月30日'; the year is repeated only when the period crosses one. */
export function zhSpan(from: string, to: string): string {
  const end = zhDay(to);
  return `${zhDay(from)}至${from.slice(0, 4) === to.slice(0, 4) ? end.slice(end.indexOf('年') + 1) : end}`;
}

/** How the report names its own span: 本周 for a week, 本期 for a period. */
export const spanWord = (s: Pick<ReportSnapshot, 'kind'>) => (s.kind === 'weekly' ? '本周' : '本期');

/** Days in a period, both ends included. */
export const periodDays = (from: string, to: string) => calendarDaysBetween(from, to) + 1;

/** '2026-W48' → { year: 2026, week: 48 }. */
export function weekNumber(label: string): { year: number; week: number } {
  return { year: Number(label.slice(0, 4)), week: Number(label.slice(6)) };
}

export { labelOf };

export const durationText = (s: number | null) => (s === null ? '—' : s < 60 ? `${s} 秒` : `${Math.floor(s / 60)} 分 ${s % 60} 秒`);

export const RULE_ZH: Record<string, string> = {
  iso_week: '去年同一 ISO 周（星期对齐）',
  iso_week_53: '去年第 52 周（今年为第 53 周）',
  shift_52_weeks: '52 周前同期',
  month: '去年同月',
  to_date: '去年同期（年初至今）',
  festival: '去年同一节日假期',
};
