/** Figures of 随手拍 and satisfaction (issue 15 part 8): validity share, citizen satisfaction (online answers included). */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { unitScope } from '../../core/access.js';
import type { KpiDef, KpiQuery } from '../../kernel/module.js';
import { SATISFIED_SCORE } from './satisfaction.js';

function firstRow(rows: unknown): Record<string, unknown> {
  return (rows as { rows?: Record<string, unknown>[] }).rows?.[0] ?? (rows as Record<string, unknown>[])[0] ?? {};
}
const span = (q: KpiQuery, col: string) => sql`${sql.raw(col)} >= ${q.from.toISOString()}::timestamptz and ${sql.raw(col)} < ${q.to.toISOString()}::timestamptz`;

/** (valid + valid-but-duplicate) ÷ judged, over the violation reports judged in the period. */
async function validityShare(db: Db, q: KpiQuery) {
  const scope = unitScope(q.principal, sql.raw('r.unit_id')) ?? sql`true`;
  const r = firstRow(
    await db.execute(sql`select count(*)::int as n, count(*) filter (where v.verdict in ('valid','duplicate'))::int as ok
      from citizen_violations v join citizen_reports r on r.id = v.report_id
      where ${scope} and v.verdict <> 'pending' and ${span(q, 'v.reviewed_at')}`),
  );
  const num = Number(r.ok ?? 0);
  const den = Number(r.n ?? 0);
  return { value: den ? num / den : null, numerator: num, denominator: den };
}

/**
 * Satisfied ÷ answered: ratings of resolved reports (4 or 5 = satisfied) plus callback surveys of 110
 * calls answered online in the portal (satisfied or basically satisfied).
 */
async function satisfaction(db: Db, q: KpiQuery) {
  const ratingScope = unitScope(q.principal, sql.raw('unit_id')) ?? sql`true`;
  const callbackScope = unitScope(q.principal, sql.raw('station_id')) ?? sql`true`;
  const r = firstRow(
    await db.execute(sql`select
      (select count(*)::int from citizen_ratings where ${ratingScope} and ${span(q, 'at')}) as rated,
      (select count(*)::int from citizen_ratings where ${ratingScope} and ${span(q, 'at')} and score >= ${SATISFIED_SCORE}) as rated_ok,
      (select count(*)::int from callbacks where ${callbackScope} and done_by = 'online' and outcome in ('satisfied','basically_satisfied','dissatisfied') and ${span(q, 'done_at')}) as online,
      (select count(*)::int from callbacks where ${callbackScope} and done_by = 'online' and outcome in ('satisfied','basically_satisfied') and ${span(q, 'done_at')}) as online_ok`),
  );
  const num = Number(r.rated_ok ?? 0) + Number(r.online_ok ?? 0);
  const den = Number(r.rated ?? 0) + Number(r.online ?? 0);
  return { value: den ? num / den : null, numerator: num, denominator: den };
}

export const CITIZEN_MORE_KPIS: KpiDef[] = [
  {
    id: 'citizen.violation_validity_share',
    zh: '随手拍有效率',
    en: 'Traffic photo reports: validity share',
    unit: 'rate',
    better: 'up',
    numerator: '随手拍 reports judged valid in the period (rewarded, or valid but a duplicate of the rewarded one)',
    denominator: '随手拍 reports judged in the period (valid, duplicate, not valid)',
    definition: 'valid ÷ judged, by the time of the verdict and the owning unit',
    measure: validityShare,
  },
  {
    id: 'citizen.satisfaction',
    zh: '群众网上评价满意率',
    en: 'Citizen satisfaction (online)',
    unit: 'rate',
    better: 'up',
    numerator: 'ratings of 4 or 5 + 110 callback surveys answered online satisfied or basically satisfied',
    denominator: 'ratings given + 110 callback surveys answered online',
    definition: 'satisfied ÷ answered, in the period: citizens’ ratings of resolved reports (1–5; 4 and 5 count as satisfied) and the callback surveys answered in the portal (channel online; they also count in incident.satisfaction)',
    measure: satisfaction,
  },
];
