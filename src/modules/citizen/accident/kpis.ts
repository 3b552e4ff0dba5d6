/** 快处快赔 figure: the share of minor accidents handled online (target ≥ 90%). */
import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { unitScope } from '../../../core/access.js';
import type { KpiDef, KpiQuery } from '../../../kernel/module.js';

async function handledOnline(db: Db, q: KpiQuery) {
  const scope = unitScope(q.principal, sql.raw('unit_id')) ?? sql`true`;
  const res = await db.execute(sql`select count(*)::int as n, count(*) filter (where status in ('agreed', 'closed'))::int as online
    from citizen_accidents where ${scope} and created_at >= ${q.from.toISOString()}::timestamptz and created_at < ${q.to.toISOString()}::timestamptz`);
  const r = ((res as { rows?: Record<string, unknown>[] }).rows ?? (res as Record<string, unknown>[]))[0] ?? {};
  const num = Number(r.online ?? 0);
  const den = Number(r.n ?? 0);
  return { value: den ? num / den : null, numerator: num, denominator: den };
}

export const ACCIDENT_KPIS: KpiDef[] = [
  {
    id: 'citizen.accidents_handled_online',
    zh: '轻微事故网上快处快赔率',
    en: 'Minor accidents handled online',
    unit: 'rate',
    better: 'up',
    numerator: 'minor accidents reported in the period that reached an agreement both drivers confirmed online (agreed or closed)',
    denominator: 'every minor accident reported in the period (including those escalated to 110, rejected or withdrawn)',
    definition: 'minor property-only accidents settled online to a confirmed agreement ÷ all minor accidents reported online, by the station of the place',
    measure: handledOnline,
  },
];
