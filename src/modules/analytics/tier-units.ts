/**
 * What every tier of the rollups shares (span-rollups.ts, packed-spans.ts): the local calendar the days
 * and months are cut by, and which unit's rows a principal reads.
 */
import { localDay, localDayStart } from '../../core/clock.js';
import { seesEverything, type Principal } from '../../core/access.js';
import type { LocalCalendar } from './domain/tiers.js';

export const LOCAL_CALENDAR: LocalCalendar = { dayOf: (t) => localDay(t), dayStart: (d) => localDayStart(d) };

/** The unit whose rows a principal reads: '' for one who sees the whole city, else their unit. */
export const unitKeyOf = (p: Principal): string => (seesEverything(p) ? '' : p.unitId);
