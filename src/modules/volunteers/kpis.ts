/**
 * The volunteers' figures for analytics (PRODUCT.md "Measures"): volunteer hours served, and the shift
 * fill rate — shifts that had at least their minimum confirmed ÷ shifts held, both over the shifts that
 * started in the period in the jurisdiction (cancelled shifts left out).
 */
import { and, gte, isNull, lt, sql } from 'drizzle-orm';
import { unitScope } from '../../core/access.js';
import type { KpiDef, KpiMeasure, KpiQuery } from '../../kernel/module.js';
import type { Db } from '../../db/client.js';
import { volunteerLedger, volunteerShifts } from './schema.js';

const num = (x: unknown) => Number(x ?? 0);

async function hours(db: Db, q: KpiQuery): Promise<KpiMeasure> {
  const [r] = await db
    .select({ h: sql<number>`coalesce(sum(${volunteerLedger.hours}), 0)` })
    .from(volunteerLedger)
    .where(and(unitScope(q.principal, volunteerLedger.stationId), gte(volunteerLedger.at, q.from), lt(volunteerLedger.at, q.to)));
  return { value: Math.round(num(r?.h) * 100) / 100 };
}

async function fillRate(db: Db, q: KpiQuery): Promise<KpiMeasure> {
  const [r] = await db
    .select({ total: sql<number>`count(*)`, filled: sql<number>`count(*) filter (where ${volunteerShifts.confirmed} >= ${volunteerShifts.minPeople})` })
    .from(volunteerShifts)
    .where(and(unitScope(q.principal, volunteerShifts.stationId), isNull(volunteerShifts.cancelledAt), gte(volunteerShifts.startsAt, q.from), lt(volunteerShifts.startsAt, q.to)));
  const [n, d] = [num(r?.filled), num(r?.total)];
  return { value: d > 0 ? n / d : null, numerator: n, denominator: d };
}

export const VOLUNTEER_KPIS: readonly KpiDef[] = [
  { id: 'volunteer.hours', zh: '义警服务时长', en: 'Volunteer hours', unit: 'hours', better: 'up', definition: 'hours served on patrol shifts, check-in → check-out capped at the shift’s end, of the shifts closed in the period in the jurisdiction (volunteer_ledger.at)', measure: hours },
  {
    id: 'volunteer.fill_rate',
    zh: '班次满员率',
    en: 'Shift fill rate',
    unit: 'rate',
    better: 'up',
    numerator: 'shifts starting in the period with at least their minimum of confirmed volunteers',
    denominator: 'shifts starting in the period',
    exclusions: 'cancelled shifts',
    definition: 'shifts with confirmed ≥ minPeople ÷ shifts, over the shifts that start in the period in the jurisdiction',
    measure: fillRate,
  },
];
