/**
 * Which period a request names: `from` and `to`, whole local days, from ≤ to ≤ today, at most
 * MAX_PERIOD_DAYS (a year and a month: a year's report with room for a fiscal or a school year). Pure;
 * the errors name the field, in both languages.
 */
import { calendarDaysBetween, isDay } from '../../../core/working-days.js';
import type { ReportSpan } from './snapshot.js';

export const MAX_PERIOD_DAYS = 400;

export class PeriodInputError extends Error {
  constructor(
    readonly field: 'from' | 'to',
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${field}: ${en}`);
  }
}

/** '2026-11-01~2026-11-30': the label a period report is stored and listed under. */
export const periodLabel = (from: string, to: string) => `${from}~${to}`;

export function choosePeriod(input: { from?: string; to?: string }, today: string): ReportSpan {
  const { from, to } = input;
  if (from === undefined) throw new PeriodInputError('from', '请给出开始日期（YYYY-MM-DD）', 'give the first day (YYYY-MM-DD)');
  if (to === undefined) throw new PeriodInputError('to', '请给出结束日期（YYYY-MM-DD）', 'give the last day (YYYY-MM-DD)');
  if (!isDay(from)) throw new PeriodInputError('from', '不是有效日期（YYYY-MM-DD）', 'not a day (YYYY-MM-DD)');
  if (!isDay(to)) throw new PeriodInputError('to', '不是有效日期（YYYY-MM-DD）', 'not a day (YYYY-MM-DD)');
  if (from > to) throw new PeriodInputError('to', '结束日期早于开始日期', 'the last day is before the first');
  if (to > today) throw new PeriodInputError('to', '结束日期不能晚于今天', 'the last day cannot be after today');
  const days = calendarDaysBetween(from, to) + 1;
  if (days > MAX_PERIOD_DAYS) throw new PeriodInputError('to', `时段不能超过 ${MAX_PERIOD_DAYS} 天（所选 ${days} 天）`, `a period is at most ${MAX_PERIOD_DAYS} days (this one is ${days})`);
  return { kind: 'period', label: periodLabel(from, to), from, to };
}
