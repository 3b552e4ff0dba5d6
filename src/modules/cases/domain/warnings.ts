/**
 * Warnings before a statutory clock falls due (issue 14 part 3), pure: the service hands in the clocks
 * computed at `now` and the warnings already stored for them, and gets back what to raise and what to
 * take off the tray. Zero overdue is the goal, so yellow comes first: from a lead time before the due
 * time (hours, or working days before the due day), per rule or global; red once the due time has passed.
 *
 * Once: a warning is identified by its clock (rule + subject), level and due time. A stored one is never
 * raised again. When the due time moves (an extension, a stop that ended), the old warning is resolved
 * and the new due time may warn again: the officer must hear about the new deadline too.
 */
import { localDay, localDayStart, localParts } from '../../../core/clock.js';
import { dayOf, type WorkingDayCalendar } from '../../../core/working-days.js';
import { stateAt, type ClockResult } from './calculator.js';

export type WarningLevel = 'yellow' | 'red';
export const WARNING_LEVELS: readonly WarningLevel[] = ['yellow', 'red'];

/** How long before its due time a clock turns yellow: hours, or working days before the due day. */
export type WarnLead = { hours: number } | { workingDays: number };

export interface WarningConfig {
  /** Every rule not named in `perRule`. */
  lead: WarnLead;
  perRule: Readonly<Record<string, WarnLead>>;
  /** Local hour (platform time zone: Beijing time) from which the daily digest goes out. */
  digestHour: number;
  /** What the digest lists ahead of now. */
  digestHorizonHours: number;
}

/**
 * 24 h for clocks counted in days; the clocks counted in hours get a lead in proportion, or a 24-hour
 * detention would be yellow from the moment it starts.
 */
export const DEFAULT_WARNING_CONFIG: WarningConfig = {
  lead: { hours: 24 },
  perRule: { detention_interrogation: { hours: 6 }, summons: { hours: 3 }, questioning: { hours: 2 } },
  digestHour: 8,
  digestHorizonHours: 24,
};

export const leadOf = (config: WarningConfig, rule: string): WarnLead => config.perRule[rule] ?? config.lead;

/** When the clock turns yellow (null: no due time, e.g. while stopped). */
export function yellowFrom(clock: Pick<ClockResult, 'dueAt'>, lead: WarnLead, calendar: WorkingDayCalendar): Date | null {
  if (!clock.dueAt) return null;
  if ('hours' in lead) return new Date(clock.dueAt.getTime() - lead.hours * 3_600_000);
  // From the start of the nth working day before the due day (a due Monday with 1 working day: Friday 00:00).
  return localDayStart(calendar.addWorkingDays(dayOf(clock.dueAt), -lead.workingDays));
}

/** The level a clock warns at `now`, or null (green, stopped, done). */
export function warningLevel(clock: ClockResult, now: Date, lead: WarnLead, calendar: WorkingDayCalendar): WarningLevel | null {
  const state = stateAt(clock, now);
  if (state === 'overdue') return 'red';
  if (state !== 'running') return null;
  const from = yellowFrom(clock, lead, calendar);
  return from !== null && now.getTime() >= from.getTime() ? 'yellow' : null;
}

/** A clock's identity within its case ('' for a clock of the whole case). */
export const clockKey = (rule: string, subject: string | null) => `${rule}\u0000${subject ?? ''}`;

export interface StoredWarning {
  id: string;
  rule: string;
  subject: string;
  level: WarningLevel;
  dueAt: Date;
  resolvedAt: Date | null;
}

export type Resolution = 'done' | 'stopped' | 'due_moved' | 'overdue' | 'gone' | 'closed';

export interface WarningPlan {
  raise: { clock: ClockResult; level: WarningLevel; dueAt: Date }[];
  resolve: { id: string; resolution: Resolution }[];
  /** Resolved warnings whose clock is back at the same due time and level (a voided extension): open again, quietly. */
  reopen: string[];
}

/**
 * What to do for one case. `stored`: every warning of the case (resolved ones too: they are never raised
 * twice). `closed`: the case is closed, so everything still open is resolved and nothing is raised.
 */
export function planWarnings(clocks: readonly ClockResult[], stored: readonly StoredWarning[], now: Date, config: WarningConfig, calendar: WorkingDayCalendar, closed = false): WarningPlan {
  const plan: WarningPlan = { raise: [], resolve: [], reopen: [] };
  const byClock = new Map(clocks.map((c) => [clockKey(c.rule, c.subject), c]));
  const levels = new Map<string, WarningLevel | null>();
  for (const [key, c] of byClock) levels.set(key, closed ? null : warningLevel(c, now, leadOf(config, c.rule), calendar));
  const known = new Map(stored.map((w) => [`${clockKey(w.rule, w.subject)}\u0000${w.level}\u0000${w.dueAt.getTime()}`, w]));
  for (const [key, c] of byClock) {
    const level = levels.get(key);
    if (!level || !c.dueAt) continue;
    const had = known.get(`${key}\u0000${level}\u0000${c.dueAt.getTime()}`);
    if (!had) plan.raise.push({ clock: c, level, dueAt: c.dueAt });
    else if (had.resolvedAt !== null) plan.reopen.push(had.id);
  }
  for (const w of stored) {
    if (w.resolvedAt !== null) continue;
    const key = clockKey(w.rule, w.subject);
    const c = byClock.get(key);
    const resolution = closed ? 'closed' : resolutionOf(w, c, levels.get(key) ?? null, now);
    if (resolution) plan.resolve.push({ id: w.id, resolution });
  }
  return plan;
}

function resolutionOf(w: StoredWarning, c: ClockResult | undefined, level: WarningLevel | null, now: Date): Resolution | null {
  if (!c) return 'gone';
  const state = stateAt(c, now);
  if (state === 'done') return 'done';
  if (state === 'stopped' || !c.dueAt) return 'stopped';
  if (c.dueAt.getTime() !== w.dueAt.getTime()) return 'due_moved';
  // A yellow warning gives way to the red one of the same due time.
  if (w.level === 'yellow' && level === 'red') return 'overdue';
  return null;
}

/** The daily digest: the clocks overdue and those due within the horizon, overdue first, then by due time. */
export interface DigestLine<C> {
  item: C;
  clock: ClockResult;
  overdue: boolean;
}

export function digestOf<C>(entries: readonly { item: C; clocks: readonly ClockResult[] }[], now: Date, horizonHours: number): DigestLine<C>[] {
  const until = now.getTime() + horizonHours * 3_600_000;
  const out: DigestLine<C>[] = [];
  for (const { item, clocks } of entries)
    for (const clock of clocks) {
      const state = stateAt(clock, now);
      if ((state === 'running' || state === 'overdue') && clock.dueAt && clock.dueAt.getTime() <= until) out.push({ item, clock, overdue: state === 'overdue' });
    }
  return out.sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.clock.dueAt!.getTime() - b.clock.dueAt!.getTime());
}

/** The local day whose digest is due at `now` (from the configured hour on), or null before that hour. */
export function digestDay(now: Date, digestHour: number): string | null {
  return localParts(now).hour >= digestHour ? localDay(now) : null;
}
