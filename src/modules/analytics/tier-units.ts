/**
 * What every tier of the rollups shares (span-rollups.ts, packed-spans.ts): the local calendar the days
 * and months are cut by, and which unit's rows a principal reads.
 */
import { sql } from 'drizzle-orm';
import { localDay, localDayStart } from '../../core/clock.js';
import { seesEverything, type Principal } from '../../core/access.js';
import type { LocalCalendar } from './domain/tiers.js';

export const LOCAL_CALENDAR: LocalCalendar = { dayOf: (t) => localDay(t), dayStart: (d) => localDayStart(d) };

/** The unit whose rows a principal reads: '' for one who sees the whole city, else their unit. */
export const unitKeyOf = (p: Principal): string => (seesEverything(p) ? '' : p.unitId);

/**
 * `unit_id in (every unit the table holds)`, the units found by a skip scan of its primary key (unit_id
 * first), so a month's rows are found by their key, unit by unit — the tier has no index by day, and a
 * scan of the whole table every month made the rebuild quadratic.
 */
export const unitsIn = (table: string, column = 'unit_id') => sql`${sql.raw(column)} in (
  with recursive u(id) as (
    (select unit_id from ${sql.raw(table)} order by unit_id limit 1)
    union all
    select (select unit_id from ${sql.raw(table)} where unit_id > u.id order by unit_id limit 1) from u where u.id is not null)
  select id from u where id is not null)`;
