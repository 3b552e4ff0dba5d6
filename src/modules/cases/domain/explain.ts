/**
 * A clock's arithmetic, line by line (start, counted days, extensions, stops excluded, days off
 * skipped, due): what `shouwang clocks explain` prints, so a supervisor can check every deadline by
 * hand. Pure text from a computed result.
 */
import { localParts } from '../../../core/clock.js';
import { addCalendarDays, calendarDaysBetween, dayOf, weekdayOf, type Day, type WorkingDayCalendar } from '../../../core/working-days.js';
import type { ClockResult } from './calculator.js';
import { EVENT_LABELS, EXAMINATION_LABELS, type CaseEvent } from './events.js';
import type { LengthUnit, Rule } from './rules.js';

type Lang = 'zh' | 'en';

export interface ExplainContext {
  rule: Rule;
  start: CaseEvent;
  done: CaseEvent | undefined;
  restarts: CaseEvent[];
  /** End of the period as the rule sets it, and with the extensions granted (a day, or an instant for hours). */
  initialEnd: Day | Date;
  extendedEnd: Day | Date;
  dueDay: Day | null;
  calendar: WorkingDayCalendar;
  lang: Lang;
}

const UNITS: Record<LengthUnit, { zh: string; en: string }> = {
  hours: { zh: '小时', en: 'hours' },
  days: { zh: '日', en: 'days' },
  working_days: { zh: '个工作日', en: 'working days' },
  months: { zh: '个月', en: 'months' },
};
const WEEKDAYS = { zh: ['周日', '周一', '周二', '周三', '周四', '周五', '周六'], en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] };
/** Days off listed one by one up to this many; a longer run is summarised. */
const LIST_MAX = 10;

/** 'YYYY-MM-DD HH:mm' in the platform's zone. */
export function formatLocal(at: Date): string {
  const p = localParts(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

function dayLabel(day: Day, calendar: WorkingDayCalendar, lang: Lang): string {
  const kind = calendar.dayKind(day);
  const tag = { holiday: { zh: '，法定节假日', en: ', holiday' }, adjusted_workday: { zh: '，调休上班', en: ', worked weekend' }, weekend: { zh: '', en: '' }, workday: { zh: '', en: '' } }[kind][lang];
  return lang === 'zh' ? `${day}（${WEEKDAYS.zh[weekdayOf(day)]}${tag}）` : `${day} (${WEEKDAYS.en[weekdayOf(day)]}${tag})`;
}

const endLabel = (end: Day | Date, calendar: WorkingDayCalendar, lang: Lang) => (typeof end === 'string' ? dayLabel(end, calendar, lang) : formatLocal(end));

function hoursAndMinutes(ms: number, lang: Lang): string {
  const minutes = Math.round(ms / 60_000);
  const [h, m] = [Math.floor(minutes / 60), minutes % 60];
  return lang === 'zh' ? `${h}小时${m > 0 ? `${m}分` : ''}` : `${h} h${m > 0 ? ` ${m} min` : ''}`;
}

/** Days off in (from, to], listed or summarised. */
function daysOff(from: Day, to: Day, calendar: WorkingDayCalendar, lang: Lang): string | null {
  const off: Day[] = [];
  const n = calendarDaysBetween(from, to);
  for (let i = 1; i <= n; i++) {
    const d = addCalendarDays(from, i);
    if (!calendar.isWorkingDay(d)) off.push(d);
  }
  if (off.length === 0) return null;
  const list = off.length <= LIST_MAX ? off.join(lang === 'zh' ? '、' : ', ') : `${off[0]} … ${off[off.length - 1]}`;
  return lang === 'zh' ? `跳过休息日 ${off.length} 日：${list}` : `Skipped ${off.length} days off: ${list}`;
}

export function explainClock(r: ClockResult, c: ExplainContext): string[] {
  const { rule, calendar, lang } = c;
  const t = (zh: string, en: string) => (lang === 'zh' ? zh : en);
  const label = (e: CaseEvent) => EVENT_LABELS[e.type][lang];
  const unit = UNITS[r.length.unit][lang];
  const lines: string[] = [];
  const who = r.subject === null ? '' : t(`（对象：${r.subject}）`, ` (subject: ${r.subject})`);
  lines.push(t(`起算：${formatLocal(c.start.at)} ${label(c.start)}${who}`, `Start: ${formatLocal(c.start.at)} ${label(c.start)}${who}`));
  for (const e of c.restarts)
    lines.push(t(`重新计算：${formatLocal(e.at)} ${label(e)}，此前的延长和停止不再计入`, `Restart: ${formatLocal(e.at)} ${label(e)}; earlier extensions and stops no longer count`));
  if (r.length.unit === 'hours') lines.push(t(`期间开始的时不计入：自 ${formatLocal(r.countsFrom)} 起算`, `The start hour is not counted: counting from ${formatLocal(r.countsFrom)}`));
  else lines.push(t(`期间开始的日（${dayOf(r.startsAt)}）不计入：自 ${dayOf(r.countsFrom)} 起算`, `The start day (${dayOf(r.startsAt)}) is not counted: counting from ${dayOf(r.countsFrom)}`));
  lines.push(t(`期限 ${rule.length.amount}${unit} → ${endLabel(c.initialEnd, calendar, lang)}`, `Period ${rule.length.amount} ${unit} → ${endLabel(c.initialEnd, calendar, lang)}`));
  for (const x of r.extensions) {
    const ext = rule.extensions.find((e) => e.id === x.id);
    const how = x.mode === 'add' ? t(`延长 ${x.amount}${unit}`, `+${x.amount} ${unit}`) : t(`延长至 ${x.amount}${unit}`, `to ${x.amount} ${unit}`);
    lines.push(t(`延长（${ext?.zh ?? x.id}）：${how}，${x.by} 批准（${formatLocal(x.at)}）`, `Extension (${ext?.en ?? x.id}): ${how}, approved by ${x.by} (${formatLocal(x.at)})`));
  }
  for (const x of r.refusedExtensions) lines.push(t(`不计入的延长：${formatLocal(x.at)} ${x.by}——${x.reason.zh}`, `Extension not counted: ${formatLocal(x.at)} ${x.by} — ${x.reason.en}`));
  if (r.extensions.length > 0) lines.push(t(`延长后共 ${r.length.amount}${unit} → ${endLabel(c.extendedEnd, calendar, lang)}`, `Extended to ${r.length.amount} ${unit} → ${endLabel(c.extendedEnd, calendar, lang)}`));
  for (const s of r.stops) {
    const what = s.kind ? EXAMINATION_LABELS[s.kind][lang] : t('停止计算', 'stop');
    lines.push(t(`不计入期间：${what} ${formatLocal(s.from)} → ${s.to ? formatLocal(s.to) : '尚未结束'}`, `Not counted: ${what} ${formatLocal(s.from)} → ${s.to ? formatLocal(s.to) : 'still open'}`));
  }
  if (r.stops.length > 0 && r.dueAt !== null) {
    const amount = r.length.unit === 'hours' ? hoursAndMinutes(r.excluded, lang) : `${r.excluded}${r.length.unit === 'working_days' ? unit : t('日', ' days')}`;
    const to = r.lastDay ? dayLabel(r.lastDay, calendar, lang) : formatLocal(r.dueAt);
    lines.push(t(`合并后不计入 ${amount}（重叠部分只计一次）→ ${to}`, `Excluded once merged: ${amount} (overlaps counted once) → ${to}`));
  }
  if (r.length.unit === 'working_days' && r.lastDay) {
    const skipped = daysOff(dayOf(r.startsAt), r.lastDay, calendar, lang);
    if (skipped) lines.push(skipped);
  }
  if (r.lastDay && c.dueDay && !calendar.isWorkingDay(r.lastDay)) {
    if (c.dueDay !== r.lastDay)
      lines.push(t(`最后一日 ${dayLabel(r.lastDay, calendar, lang)}为休息日，顺延至 ${dayLabel(c.dueDay, calendar, lang)}`, `The last day ${dayLabel(r.lastDay, calendar, lang)} is a day off: moved to ${dayLabel(c.dueDay, calendar, lang)}`));
    else if (r.custody) lines.push(t(`最后一日为休息日，但在押期间不因节假日延长（刑事诉讼法第一百零五条）`, `The last day is a day off, but custody is never extended for it (CPL art. 105)`));
  }
  if (r.dueAt === null) {
    const open = r.stops.find((s) => s.to === null);
    lines.push(t(`停止计算中：${open ? formatLocal(open.from) : ''} 起尚未结束，届满时间待定`, `Stopped: open since ${open ? formatLocal(open.from) : '?'}; no due time until it ends`));
  } else lines.push(t(`届满：${formatLocal(r.dueAt)}`, `Due: ${formatLocal(r.dueAt)}`));
  if (c.done) {
    const late = r.dueAt !== null && c.done.at.getTime() > r.dueAt.getTime();
    lines.push(t(`完成：${formatLocal(c.done.at)} ${label(c.done)}${late ? '（超期）' : ''}`, `Done: ${formatLocal(c.done.at)} ${label(c.done)}${late ? ' (late)' : ''}`));
  }
  return lines;
}

/** The text of `shouwang clocks explain`: every clock with its basis and arithmetic. */
export function explainClocks(results: readonly ClockResult[], lang: Lang = 'zh'): string {
  const blocks = results.map((r) => {
    const who = r.subject === null ? '' : lang === 'zh' ? `（对象：${r.subject}）` : ` (subject: ${r.subject})`;
    const head = `■ ${lang === 'zh' ? r.zh : r.en} [${r.rule}]${who}`;
    const basis = `  ${lang === 'zh' ? '依据' : 'Basis'}: ${r.basis}`;
    return [head, basis, ...r.explanation.map((l) => `  ${l}`)].join('\n');
  });
  return blocks.join('\n\n') + (blocks.length > 0 ? '\n' : '');
}
