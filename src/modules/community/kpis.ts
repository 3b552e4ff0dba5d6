/**
 * Community policing's figures as KPIs, each over [from, to) in the asker's jurisdiction (the station a
 * grid's officer works for): visits against the weekly target, visits per officer-week, address
 * coverage of the grids, and problems found that became disputes of the register.
 */
import { and, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { KpiDef, KpiQuery } from '../../kernel/module.js';
import { unitScope } from '../../core/access.js';
import { workPrincipal } from './access.js';
import { DEFAULT_TARGET } from './domain/planner.js';
import type { DoorCache } from './doors.js';
import type { JurisdictionIndex } from '../org/index.js';
import { queryRows } from '../../db/client.js';
import { inScope } from './access.js';
import { communityFindingLinks, communityGridOwners, communityGridTargets, communityRoomVisitors, communityVisits } from './schema.js';

/** The doors and org index of each server, by database (a KPI is asked with the database only). */
export const kpiContext = new WeakMap<object, { doors: DoorCache; jurisdiction: JurisdictionIndex }>();

const WEEK_MS = 7 * 86_400_000;

async function ownerWeeks(db: Db, q: KpiQuery) {
  const w = workPrincipal(q.principal);
  const [r] = await db
    .select({
      owners: sql<number>`count(*)::int`,
      target: sql<number>`coalesce(sum(coalesce(${communityGridTargets.households}, ${DEFAULT_TARGET.households}) + coalesce(${communityGridTargets.units}, ${DEFAULT_TARGET.units})), 0)::int`,
    })
    .from(communityGridOwners)
    .leftJoin(communityGridTargets, sql`${communityGridTargets.gridId} = ${communityGridOwners.gridId}`)
    .where(unitScope(w, communityGridOwners.gridId));
  const weeks = Math.max(0, (q.to.getTime() - q.from.getTime()) / WEEK_MS);
  return { officerWeeks: (r?.owners ?? 0) * weeks, targetVisits: Math.round((r?.target ?? 0) * weeks) };
}

async function visitsIn(db: Db, q: KpiQuery) {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int`, doors: sql<number>`count(distinct ${communityVisits.addressCode})::int` })
    .from(communityVisits)
    .where(and(unitScope(workPrincipal(q.principal), communityVisits.stationId), gte(communityVisits.visitedAt, q.from), lt(communityVisits.visitedAt, q.to)));
  return { visits: r?.n ?? 0, doors: r?.doors ?? 0 };
}

const rate = (numerator: number, denominator: number) => ({ value: denominator > 0 ? numerator / denominator : null, numerator, denominator });

export const COMMUNITY_KPIS: readonly KpiDef[] = [
  {
    id: 'community.visit_target_rate',
    zh: '入户走访完成率（对照周目标）',
    en: 'Home visits against the weekly target',
    unit: 'rate',
    better: 'up',
    numerator: 'home visits recorded in the period in the jurisdiction',
    denominator: 'Σ over grid owners of the weekly target (households + shops/units; default 10 + 5) × weeks in the period',
    definition: 'visits ÷ target visits; owners and targets as they stand now',
    measure: async (db, q) => {
      const [v, o] = await Promise.all([visitsIn(db, q), ownerWeeks(db, q)]);
      return rate(v.visits, o.targetVisits);
    },
  },
  {
    id: 'community.visits_per_officer_week',
    zh: '社区民警人均周走访数',
    en: 'Visits per community officer per week',
    unit: 'value',
    better: 'up',
    numerator: 'home visits recorded in the period in the jurisdiction',
    denominator: 'grid owners × weeks in the period',
    definition: 'visits ÷ officer-weeks (the station norm is at least 10 households + 5 shops/units a week)',
    measure: async (db, q) => {
      const [v, o] = await Promise.all([visitsIn(db, q), ownerWeeks(db, q)]);
      return { value: o.officerWeeks > 0 ? v.visits / o.officerWeeks : null, numerator: v.visits, denominator: o.officerWeeks };
    },
  },
  {
    id: 'community.address_coverage',
    zh: '网格地址走访覆盖率',
    en: 'Address coverage of the grids',
    unit: 'rate',
    better: 'up',
    numerator: 'registered addresses visited at least once in the period',
    denominator: 'registered addresses in the police grids of the jurisdiction',
    definition: 'distinct visited addresses ÷ addresses in the grids (per grid: GET /grids coverage with days = the window)',
    measure: async (db, q) => {
      const ctx = kpiContext.get(db);
      let total = 0;
      if (ctx) for (const g of await ctx.jurisdiction.units(['grid'])) if (inScope(q.principal, g.path)) total += ctx.doors.count(g.id);
      const v = await visitsIn(db, q);
      return rate(Math.min(v.doors, total), total);
    },
  },
  {
    id: 'community.findings_to_disputes',
    zh: '走访发现纠纷登记率',
    en: 'Disputes found on visits that were registered',
    unit: 'rate',
    better: 'up',
    numerator: 'findings of code dispute on visits of the period that became a dispute of the register',
    denominator: 'findings of code dispute on visits of the period',
    definition: 'registered ÷ found; a finding becomes a dispute through POST /visits/{id}/findings/{n}/dispute',
    measure: async (db, q) => {
      const scope = unitScope(workPrincipal(q.principal), communityVisits.stationId);
      const [r] = await queryRows<{ found: number; registered: number }>(
        db,
        sql`select count(*)::int as found, count(l.visit_id)::int as registered
            from ${communityVisits} cross join lateral jsonb_array_elements(${communityVisits.findings}) with ordinality as f(item, n)
            left join ${communityFindingLinks} l on l.visit_id = ${communityVisits.id} and l.finding = f.n - 1 and l.kind = 'dispute'
            where f.item->>'code' = 'dispute' and ${communityVisits.visitedAt} >= ${q.from} and ${communityVisits.visitedAt} < ${q.to} ${scope ? sql`and ${scope}` : sql``}`,
      );
      return rate(r?.registered ?? 0, r?.found ?? 0);
    },
  },
  {
    id: 'community.police_room_visitors_per_day',
    zh: '社区警务室日均来访人数',
    en: 'Police-room visitors per day',
    unit: 'value',
    better: 'up',
    numerator: 'visitors logged in the community police rooms of the jurisdiction in the period (people, counted by purpose)',
    denominator: 'days in the period (a fraction for a partial day)',
    definition: 'visitors ÷ days; all rooms of the jurisdiction together',
    measure: async (db, q) => {
      const [r] = await db
        .select({ n: sql<number>`coalesce(sum(${communityRoomVisitors.visitors}), 0)::int` })
        .from(communityRoomVisitors)
        .where(and(unitScope(workPrincipal(q.principal), communityRoomVisitors.stationId), gte(communityRoomVisitors.at, q.from), lt(communityRoomVisitors.at, q.to)));
      const days = Math.max(0, (q.to.getTime() - q.from.getTime()) / 86_400_000);
      const visitors = r?.n ?? 0;
      return { value: days > 0 ? visitors / days : null, numerator: visitors, denominator: days };
    },
  },
];
