/**
 * The Monday job: from Monday 06:00 local time, last week's report of the bureau is generated once. Each
 * instance checks every few minutes; the generation takes an advisory lock of its week and unit and
 * stores nothing when the week's bureau report exists, so several instances generate it once. A new
 * database without incidents (a first demo start) gets no report of an empty week.
 */
import { localDay, localParts } from '../../core/clock.js';
import type { Db } from '../../db/client.js';
import type { KpiEntry } from '../../kernel/kernel.js';
import type { Writes } from '../../kernel/write.js';
import { lastWeek } from './domain/weeks.js';
import { compose, latestOf, lockReport, reportUnit, storeComposed } from './store.js';

/** Local hour from which Monday's job runs (the night's incidents are recorded by then). */
export const MONDAY_HOUR = 6;

/** The week the job should have a report of at `now`, or null before Monday 06:00's first run of the week. */
export function dueWeek(now: Date) {
  const p = localParts(now);
  // weekday 1 = Monday; any later day of the week also catches up a Monday the server was down.
  if (p.weekday === 1 && p.hour < MONDAY_HOUR) return null;
  return lastWeek(localDay(now));
}

/** Generates the due week's bureau report when it is missing; answers the report's id, or null when nothing was done. */
export async function runMondayJob(deps: { db: Db; writes: Writes; kpis: readonly KpiEntry[] }, now = new Date()): Promise<string | null> {
  const week = dueWeek(now);
  if (!week) return null;
  const unit = await reportUnit(deps.db, null);
  if (await latestOf(deps.db, 'weekly', week.label, unit.id)) return null;
  const c = await compose(deps.db, deps.kpis, unit, { kind: 'weekly', ...week });
  if (c.snapshot.headline.every((f) => !f.current.value && !f.previous?.value) && c.snapshot.families.length === 0) return null;
  return deps.writes.run(async (w) => {
    // Another instance may have stored it while this one composed: under the lock, the first one wins.
    await lockReport(w, 'weekly', week.label, unit.id);
    if (await latestOf(w.tx, 'weekly', week.label, unit.id)) return null;
    return (await storeComposed(w, c, 'system')).row.id;
  });
}
