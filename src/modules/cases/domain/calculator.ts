/**
 * The statutory clocks of a case, computed from its stored events and the rule table only — never from
 * the time now (`stateAt` compares a result with now). Counting after 刑事诉讼法第105条: the start hour
 * or day is not counted; months run to the same date; a period whose last day is a day off ends on the
 * next working day, except a custody period, which never moves. Stop intervals (鉴定…) are merged and
 * excluded once; extensions count within their maximum when granted before the period ran out; a
 * restart counts again from its own time. Everything is recomputed from the full list on every call, so
 * an edited or replaced event can never leave a stop or an extension counted twice.
 */
import { localDayStart } from '../../../core/clock.js';
import { addCalendarDays, dayOf, dueAtEndOfDay, type Day, type WorkingDayCalendar } from '../../../core/working-days.js';
import { effectiveEvents, type CaseEvent, type ExaminationKind, type Label } from './events.js';
import { addUnits, dayAt, dayIndex, extendPast, measure, mergeSpans, nextLocalHour, stopDays, type MonthEnd, type Span } from './periods.js';
import type { CaseKind, ExtensionRule, LengthUnit, Rule } from './rules.js';
import { explainClock } from './explain.js';

export interface ClockOptions {
  /** Only the rules of this kind of case; all rules when absent. */
  caseKind?: CaseKind;
  /** Language of `explanation` (default zh). */
  lang?: 'zh' | 'en';
  monthEnd?: MonthEnd;
  /** False: leave `explanation` empty (a bulk recompute needs only the times). */
  explain?: boolean;
}

export interface ClockStop {
  from: Date;
  /** Null while the stop is open. */
  to: Date | null;
  kind?: ExaminationKind;
}

export interface ClockExtension {
  id: string;
  at: Date;
  /** The approver. */
  by: string;
  amount: number;
  unit: LengthUnit;
  mode: 'add' | 'total';
}

export interface RefusedExtension {
  at: Date;
  by: string;
  reason: Label;
}

export type ClockState = 'running' | 'stopped' | 'done' | 'overdue';

export interface ClockResult {
  rule: string;
  zh: string;
  en: string;
  /** The person or thing of a per-subject clock. */
  subject: string | null;
  basis: string;
  custody: boolean;
  /** The event the count runs from (the last restart, if any). */
  startsAt: Date;
  restarts: Date[];
  /** Where counting begins: the next hour, or the start of the next day. */
  countsFrom: Date;
  /** The period's length in the rule's unit, extensions included. */
  length: { amount: number; unit: LengthUnit };
  /** The last day of the period before any move off a day off (null for hours, or while stopped). */
  lastDay: Day | null;
  /** Null while stopped. */
  dueAt: Date | null;
  stops: ClockStop[];
  /** Excluded by the stops, merged: days (working days for a working-day rule) or, for hours, milliseconds. */
  excluded: number;
  extensions: ClockExtension[];
  refusedExtensions: RefusedExtension[];
  doneAt: Date | null;
  explanation: string[];
}

/** The state of a clock at `now`. */
export function stateAt(result: ClockResult, now: Date): ClockState {
  if (result.doneAt && result.doneAt.getTime() <= now.getTime()) return 'done';
  if (result.dueAt === null) return 'stopped';
  return now.getTime() > result.dueAt.getTime() ? 'overdue' : 'running';
}

/** Done after its due time. */
export function doneLate(result: ClockResult): boolean {
  return result.doneAt !== null && result.dueAt !== null && result.doneAt.getTime() > result.dueAt.getTime();
}

interface Period {
  countsFrom: Date;
  lastDay: Day | null;
  dueDay: Day | null;
  dueAt: Date | null;
  excluded: number;
}

/** The due time of a period of `total` units from `startAt`, with `stops` (already clipped) not counted. */
function period(rule: Rule, startAt: Date, total: number, stops: readonly ClockStop[], calendar: WorkingDayCalendar, monthEnd: MonthEnd): Period {
  const unit = rule.length.unit;
  if (unit === 'hours') {
    const countsFrom = nextLocalHour(startAt);
    const lo = countsFrom.getTime();
    const union = mergeSpans(stops.map((s) => ({ from: s.from.getTime(), to: s.to === null ? Infinity : s.to.getTime() })));
    const base = lo + total * 3_600_000;
    const r = extendPast(base, (end) => measure(union, lo, end), (k) => base + k);
    return { countsFrom, lastDay: null, dueDay: null, dueAt: r && new Date(r.end), excluded: r?.excluded ?? 0 };
  }
  const startDay = dayOf(startAt);
  const countsFrom = localDayStart(addCalendarDays(startDay, 1));
  const baseLast = addUnits(startDay, unit, total, calendar, monthEnd);
  const union: Span[] = mergeSpans(stops.map((s) => stopDays(s.from, s.to)));
  const working = unit === 'working_days';
  const weigh = (a: number, b: number) => {
    if (!working) return b - a;
    let n = 0;
    for (let i = a; i < b; i++) if (calendar.isWorkingDay(dayAt(i))) n++;
    return n;
  };
  const lo = dayIndex(startDay) + 1;
  const shift = (k: number) => dayIndex(working ? calendar.addWorkingDays(baseLast, k) : addCalendarDays(baseLast, k));
  const r = extendPast(dayIndex(baseLast), (end) => measure(union, lo, end + 1, weigh), shift);
  if (!r) return { countsFrom, lastDay: null, dueDay: null, dueAt: null, excluded: 0 };
  const lastDay = dayAt(r.end);
  // Working days end on a working day already; hours never move; custody never moves (刑诉法第105条).
  const dueDay = unit !== 'working_days' && !rule.custody ? calendar.nextWorkingDay(lastDay) : lastDay;
  return { countsFrom, lastDay, dueDay, dueAt: dueAtEndOfDay(dueDay), excluded: r.excluded };
}

/** Intervals of the rule's stop pairs: each end closes the earliest open start with the same subject and ref. */
function stopIntervals(rule: Rule, events: readonly CaseEvent[]): ClockStop[] {
  const out: ClockStop[] = [];
  for (const pair of rule.stops) {
    const open = new Map<string, CaseEvent[]>();
    const closed: ClockStop[] = [];
    for (const e of events) {
      const key = `${e.subject ?? ''}\u0000${e.ref ?? ''}`;
      if (e.type === pair.start) open.set(key, [...(open.get(key) ?? []), e]);
      else if (e.type === pair.end) {
        const s = open.get(key)?.shift();
        if (s) closed.push({ from: s.at, to: e.at, kind: s.kind });
      }
    }
    const still = [...open.values()].flat().map((s): ClockStop => ({ from: s.at, to: null, kind: s.kind }));
    for (const s of [...closed, ...still]) if (!pair.kinds || (s.kind !== undefined && pair.kinds.includes(s.kind))) out.push(s);
  }
  return out.sort((a, b) => a.from.getTime() - b.from.getTime() || (a.to?.getTime() ?? Infinity) - (b.to?.getTime() ?? Infinity));
}

/** The stops as they stood at `t`: later ones unknown, those not yet ended open. */
const asOf = (stops: readonly ClockStop[], t: Date): ClockStop[] =>
  stops.filter((s) => s.from.getTime() <= t.getTime()).map((s) => (s.to !== null && s.to.getTime() > t.getTime() ? { ...s, to: null } : s));

const refusal = (zh: string, en: string): Label => ({ zh, en });

/** Which extension an event asks for, and why it cannot count (null when it counts). */
function judgeExtension(rule: Rule, e: CaseEvent, granted: Map<string, number>, total: number, due: Date | null): { ext?: ExtensionRule; amount: number; reason: Label | null } {
  const usable = (x: ExtensionRule) => (granted.get(x.id) ?? 0) < x.maxTimes && (x.after === undefined || granted.has(x.after));
  const ext = e.extension !== undefined ? rule.extensions.find((x) => x.id === e.extension) : (rule.extensions.find(usable) ?? rule.extensions[0]);
  const amount = e.amount ?? ext?.amount ?? 0;
  if (!ext) return { amount, reason: refusal(`没有此种延长：${String(e.extension)}`, `No such extension: ${String(e.extension)}`) };
  if (!e.approver) return { ext, amount, reason: refusal('未写明批准人', 'No approver') };
  if ((granted.get(ext.id) ?? 0) >= ext.maxTimes) return { ext, amount, reason: refusal(`${ext.zh}最多${ext.maxTimes}次`, `${ext.en}: at most ${ext.maxTimes} time(s)`) };
  if (ext.after !== undefined && !granted.has(ext.after)) return { ext, amount, reason: refusal(`须先经“${ext.after}”延长`, `Needs the "${ext.after}" extension first`) };
  const min = ext.mode === 'add' ? (ext.min ?? 1) : total + 1;
  if (!Number.isInteger(amount) || amount < min || amount > ext.amount) return { ext, amount, reason: refusal(`数额须在${min}–${ext.amount}之间`, `Amount must be between ${min} and ${ext.amount}`) };
  if (due !== null && e.at.getTime() > due.getTime()) return { ext, amount, reason: refusal('批准时期限已届满', 'Granted after the period ran out') };
  return { ext, amount, reason: null };
}

function computeClock(rule: Rule, subject: string | null, events: readonly CaseEvent[], calendar: WorkingDayCalendar, options: ClockOptions): ClockResult | null {
  const mine = rule.perSubject ? events.filter((e) => e.subject === undefined || e.subject === subject) : events;
  const start = mine.find((e) => rule.start.includes(e.type) && (!rule.perSubject || (e.subject ?? null) === subject));
  if (!start) return null;
  const t0 = start.at.getTime();
  const done = mine.find((e) => rule.doneBy.includes(e.type) && e.at.getTime() >= t0);
  const doneMs = done ? done.at.getTime() : Infinity;
  // Restarts, stops and extensions after the clock is done change nothing: a done clock stays done.
  const restarts = mine.filter((e) => rule.restartBy.includes(e.type) && e.at.getTime() > t0 && e.at.getTime() < doneMs);
  const startsAt = restarts.length > 0 ? restarts[restarts.length - 1].at : start.at;
  const from = startsAt.getTime();
  const stops = stopIntervals(rule, mine).filter((s) => (s.to === null || s.to.getTime() > from) && s.from.getTime() < doneMs);
  // A stop still open when the clock is done counts up to that moment only.
  const counted = stops.map((s) => ({ ...s, to: done && (s.to === null || s.to.getTime() > doneMs) ? done.at : s.to }));
  const monthEnd = options.monthEnd ?? 'same_date';

  let total = rule.length.amount;
  const granted = new Map<string, number>();
  const extensions: ClockExtension[] = [];
  const refusedExtensions: RefusedExtension[] = [];
  for (const e of mine) {
    if (e.type !== 'extension' || e.rule !== rule.id || e.at.getTime() < from || e.at.getTime() >= doneMs) continue;
    // Timely means before the period ran out as it stood then: stops recorded later do not make it so.
    const due = period(rule, startsAt, total, asOf(counted, e.at), calendar, monthEnd).dueAt;
    const { ext, amount, reason } = judgeExtension(rule, e, granted, total, due);
    if (reason || !ext) {
      refusedExtensions.push({ at: e.at, by: e.approver ?? '', reason: reason ?? refusal('无效', 'Invalid') });
      continue;
    }
    granted.set(ext.id, (granted.get(ext.id) ?? 0) + 1);
    total = ext.mode === 'add' ? total + amount : Math.max(total, amount);
    extensions.push({ id: ext.id, at: e.at, by: e.approver!, amount, unit: rule.length.unit, mode: ext.mode });
  }
  const p = period(rule, startsAt, total, counted, calendar, monthEnd);
  const result: ClockResult = {
    rule: rule.id,
    zh: rule.zh,
    en: rule.en,
    subject,
    basis: rule.basis,
    custody: rule.custody,
    startsAt,
    restarts: restarts.map((e) => e.at),
    countsFrom: p.countsFrom,
    length: { amount: total, unit: rule.length.unit },
    lastDay: p.lastDay,
    dueAt: p.dueAt,
    stops,
    excluded: p.excluded,
    extensions,
    refusedExtensions,
    doneAt: done?.at ?? null,
    explanation: [],
  };
  if (options.explain === false) return result;
  const initial = period(rule, startsAt, rule.length.amount, [], calendar, monthEnd);
  const extended = period(rule, startsAt, total, [], calendar, monthEnd);
  result.explanation = explainClock(result, {
    rule,
    start,
    done,
    restarts,
    initialEnd: initial.lastDay ?? initial.dueAt!,
    extendedEnd: extended.lastDay ?? extended.dueAt!,
    dueDay: p.dueDay,
    calendar,
    lang: options.lang ?? 'zh',
  });
  return result;
}

/** Every clock the events start, in the order of the rule table, per subject in name order. */
export function computeClocks(events: readonly CaseEvent[], rules: readonly Rule[], calendar: WorkingDayCalendar, options: ClockOptions = {}): ClockResult[] {
  const inForce = effectiveEvents(events);
  const results: ClockResult[] = [];
  // Most rules never start in a given case: skip them before any per-rule work (bench:cases recomputes 200,000 cases).
  const types = new Set<string>();
  for (const e of inForce) types.add(e.type);
  for (const rule of rules) {
    if (options.caseKind && !rule.caseKinds.includes(options.caseKind)) continue;
    if (!rule.start.some((t) => types.has(t))) continue;
    const subjects = rule.perSubject ? [...new Set(inForce.filter((e) => rule.start.includes(e.type)).map((e) => e.subject ?? null))].sort(bySubject) : [null];
    for (const subject of subjects) {
      const r = computeClock(rule, subject, inForce, calendar, options);
      if (r) results.push(r);
    }
  }
  return results;
}

const bySubject = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
