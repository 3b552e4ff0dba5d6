/**
 * Which week a request names: `week` ('2026-W48') or `weekStart` (its Monday), exactly one. Pure (the
 * ISO week rules are analytics'); the errors name the field, in both languages.
 */
import { addCalendarDays, isDay, weekdayOf } from '../../../core/working-days.js';
import { formatIsoWeek, isoWeekOf, isoWeekSpan, parseIsoWeek } from '../../analytics/index.js';

export interface WeekChoice {
  label: string;
  from: string;
  to: string;
}

export class WeekInputError extends Error {
  constructor(
    readonly field: 'week' | 'weekStart',
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${field}: ${en}`);
  }
}

/** ISO week label → its Monday–Sunday (analytics' ISO week rules), null when there is no such week. */
export function weekOfLabel(label: string): WeekChoice | null {
  const w = parseIsoWeek(label);
  return w ? { label, ...isoWeekSpan(w.year, w.week) } : null;
}

/** The ISO week label of a day. */
export function labelOf(day: string): string {
  return formatIsoWeek(isoWeekOf(day));
}

/** The week a request names; `today` (local) bounds it: a week that has not begun has no figures. */
export function chooseWeek(input: { week?: string; weekStart?: string }, today: string): WeekChoice {
  if (input.week !== undefined && input.weekStart !== undefined) throw new WeekInputError('week', '请只给出 week 或 weekStart 之一', 'give either week or weekStart, not both');
  let w: WeekChoice | null;
  if (input.weekStart !== undefined) {
    if (!isDay(input.weekStart)) throw new WeekInputError('weekStart', '不是有效日期（YYYY-MM-DD）', 'not a day (YYYY-MM-DD)');
    if (weekdayOf(input.weekStart) !== 1) throw new WeekInputError('weekStart', '周报的起始日必须是星期一', 'a week starts on a Monday');
    w = weekOfLabel(labelOf(input.weekStart));
  } else if (input.week !== undefined) {
    w = weekOfLabel(input.week);
    if (!w) throw new WeekInputError('week', '不是有效的 ISO 周（如 2026-W48）', 'not an ISO week (e.g. 2026-W48)');
  } else throw new WeekInputError('week', '请给出 week（如 2026-W48）或 weekStart（星期一）', 'give week (e.g. 2026-W48) or weekStart (a Monday)');
  if (!w) throw new WeekInputError('weekStart', '不是有效的周', 'not a week');
  if (w.from > today) throw new WeekInputError(input.weekStart !== undefined ? 'weekStart' : 'week', '该周尚未开始', 'the week has not begun');
  return w;
}

/** The week before the one `today` is in (the Monday job's week). */
export function lastWeek(today: string): WeekChoice {
  const monday = addCalendarDays(today, -((weekdayOf(today) + 6) % 7));
  return weekOfLabel(labelOf(addCalendarDays(monday, -7)))!;
}
