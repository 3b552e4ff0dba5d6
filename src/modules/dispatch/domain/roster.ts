/** Duty roster rules (pure): who is on duty at an instant, and shift times in local time (the configured zone, src/core/clock.ts). */
import { localDayStart } from '../../incidents/index.js';

export interface Shift {
  startsAt: Date;
  endsAt: Date;
}

/** True when one of the shifts covers `at` (start inclusive, end exclusive). */
export function onDuty(shifts: readonly Shift[], at: Date): boolean {
  const t = at.getTime();
  return shifts.some((s) => s.startsAt.getTime() <= t && t < s.endsAt.getTime());
}

/**
 * A shift given as a local day and 'HH:MM' times: an end at or before the start runs into the next
 * day (night shift 20:00–08:00). Returns null for a malformed time.
 */
export function shiftTimes(day: string, start: string, end: string): Shift | null {
  const m1 = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(start);
  const m2 = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(end);
  if (!m1 || !m2) return null;
  const base = localDayStart(day).getTime();
  const s = base + (Number(m1[1]) * 60 + Number(m1[2])) * 60_000;
  let e = base + (Number(m2[1]) * 60 + Number(m2[2])) * 60_000;
  if (e <= s) e += 86_400_000;
  return { startsAt: new Date(s), endsAt: new Date(e) };
}
