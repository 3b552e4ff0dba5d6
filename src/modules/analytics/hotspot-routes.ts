/**
 * GET /analytics/hotspots (issue 16): where incidents cluster in a span of days, as H3 cells (resolution
 * 7 ≈ 5 km², 8 ≈ 0.7 km², 9 ≈ 0.1 km² for a span of at most 14 days: domain/hotspot-span.ts), each
 * against the same cell in last year's fair span (domain/periods.ts) with the change judged by the
 * Poisson test (domain/significance.ts): a cell whose change chance explains is "no significant change".
 * Read from the cell rollup (hotspots.ts), in the asker's jurisdiction; the web draws each cell's
 * boundary from its index (h3-js cellToBoundary).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { cellToParent } from 'h3-js';
import { sql, type SQL } from 'drizzle-orm';
import { Day, ErrorAnswers, Nullable, Strict, StringEnum } from '../../core/typebox.js';
import type { Principal } from '../../core/access.js';
import { queryRows, type Db } from '../../db/client.js';
import type { JurisdictionIndex } from '../org/index.js';
import { refreshStale, rollupScope } from './rollups.js';
import { checkedSpan } from './routes.js';
import { comparedInstants, cutView, fairComparison, invalid } from './figures.js';
import { calendarDaysBetween } from '../../core/working-days.js';
import { MAX_STREET_SPAN_DAYS, STREET_RESOLUTION, resolutionAllowed } from './domain/hotspot-span.js';
import { CELL_RESOLUTION, TIER_RESOLUTION } from './cells-schema.js';
import { LOCAL_CALENDAR, unitKeyOf } from './span-rollups.js';
import { monthPlan } from './domain/tiers.js';
import { cellParentSql } from './domain/h3-parent.js';
import { scopedPrincipal } from './breakdown.js';
import { CutView, UnitIdParam } from './breakdown-routes.js';
import { countChange, type CountChange } from './domain/significance.js';

/** Enough for a city at resolution 8 (Hefei ≈ 15 000 cells at 9, most of them empty); a map shows no more. */
export const MAX_CELLS = 500;

const HotspotQuery = Strict({
  from: Day,
  to: Day,
  resolution: Type.Optional(Type.Integer({ minimum: 7, maximum: CELL_RESOLUTION, default: 8, description: `H3 resolution: 7 (≈ 5 km²), 8 (≈ 0.7 km²) or 9 (≈ 0.1 km², for spans of at most ${MAX_STREET_SPAN_DAYS} days: a longer span at 9 is a 400 naming resolution)` })),
  family: Type.Optional(Type.String({ pattern: '^[0-9]{2}$', description: 'category family (the first two digits of the category code); all when absent' })),
  unitId: Type.Optional(UnitIdParam),
});

const HotCellView = Type.Object({
  cell: Type.String({ description: 'H3 index at the asked resolution' }),
  count: Type.Integer({ description: 'incidents in the span' }),
  previous: Type.Integer({ description: 'incidents in last year’s fair span' }),
  expected: Type.Number({ description: 'last year’s count scaled to this span’s days' }),
  change: Type.Number(),
  pct: Nullable(Type.Number()),
  z: Type.Number(),
  significant: Type.Boolean({ description: 'false: chance alone explains the change (|z| ≤ 3)' }),
  direction: StringEnum(['up', 'down', 'same'] as const),
});

const Hotspots = Type.Object({
  from: Day,
  to: Day,
  previous: Type.Object({ from: Day, to: Day }),
  rule: Type.String({ description: 'how last year’s span was chosen (to_date, iso_week, month, festival, shift_52_weeks, …)' }),
  cut: CutView,
  resolution: Type.Integer(),
  family: Nullable(Type.String()),
  unitId: Nullable(Type.String({ description: 'the unit asked for; null: my whole jurisdiction' })),
  total: Type.Integer({ description: 'cells with incidents in either span' }),
  truncated: Type.Boolean({ description: `true when more than ${MAX_CELLS} cells had incidents: the busiest are given` }),
  cells: Type.Array(HotCellView, { maxItems: MAX_CELLS }),
});

/**
 * Incidents per cell at `resolution` in [from, to) in the asker's scope, of one family or all: whole local
 * months from the hot-spot tier (its unit's rows, cells at TIER_RESOLUTION), the rest from the hour cells
 * (in scope); summed to `resolution` in SQL by the cells' bits (domain/h3-parent.ts), exactly as
 * toResolution sums them. A resolution finer than the tier's reads the hour cells alone.
 */
export async function cellCounts(db: Db, p: Principal, from: Date, to: Date, family: string | null, resolution: number): Promise<Map<string, number>> {
  const fam = family ? sql`family = ${family}` : sql`true`;
  const plan = resolution <= TIER_RESOLUTION ? monthPlan(from, to, LOCAL_CALENDAR) : { hours: from < to ? [{ from, to }] : [], months: null };
  const parts: SQL[] = [];
  if (plan.hours.length) {
    const when = sql.join(plan.hours.map((r) => sql`(hour >= ${r.from.toISOString()}::timestamptz and hour < ${r.to.toISOString()}::timestamptz)`), sql` or `);
    parts.push(sql`select cell, n from analytics_incident_cells where (${when}) and ${rollupScope(p) ?? sql`true`} and ${fam}`);
  }
  const m = plan.months;
  if (m) parts.push(sql`select cell, n from analytics_cell_spans where unit_id = ${unitKeyOf(p)} and grain = 'm' and start >= ${m.from}::date and start < ${m.to}::date and ${fam}`);
  if (!parts.length) return new Map();
  const cell = sql.raw(resolution === CELL_RESOLUTION ? 'cell' : cellParentSql('cell', resolution));
  const rows = await queryRows<{ cell: string; n: number | string }>(
    db,
    sql`select ${cell} as cell, sum(n)::bigint as n from (select cell, sum(n) as n from (${sql.join(parts, sql` union all `)}) x group by cell) y group by 1`,
  );
  return new Map(rows.map((r) => [r.cell, Number(r.n)]));
}

/** Finest cells summed into their parents at `resolution` (≤ CELL_RESOLUTION). */
export function toResolution(counts: Map<string, number>, resolution: number): Map<string, number> {
  if (resolution === CELL_RESOLUTION) return counts;
  const out = new Map<string, number>();
  for (const [cell, n] of counts) {
    const parent = cellToParent(cell, resolution);
    out.set(parent, (out.get(parent) ?? 0) + n);
  }
  return out;
}

export interface HotCell extends Pick<CountChange, 'expected' | 'change' | 'pct' | 'z' | 'significant' | 'direction'> {
  cell: string;
  count: number;
  previous: number;
}

/**
 * Every cell with incidents now or last year, judged; the busiest first, then last year's busiest (a
 * cell emptied since is a real fall worth seeing), at most `limit`.
 */
export function hotCells(now: Map<string, number>, before: Map<string, number>, days: { current: number; previous: number }, limit: number): { cells: HotCell[]; total: number } {
  const cells: HotCell[] = [];
  for (const cell of new Set([...now.keys(), ...before.keys()])) {
    const c = countChange(now.get(cell) ?? 0, before.get(cell) ?? 0, days);
    cells.push({ cell, count: c.now, previous: c.before, expected: c.expected, change: c.change, pct: c.pct, z: c.z, significant: c.significant, direction: c.direction });
  }
  cells.sort((a, b) => b.count - a.count || b.previous - a.previous || (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0));
  return { cells: cells.slice(0, limit), total: cells.length };
}

export default async function hotspotRoutes(fastify: FastifyInstance, opts: { db: Db; org: JurisdictionIndex }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/analytics/hotspots',
    {
      config: { permission: 'analytics.read' },
      schema: { tags: ['analytics'], summary: 'Hot spots: incidents per H3 cell in a span of days in my jurisdiction (or a unit of it), each against the same cell in last year’s fair span with the change judged', querystring: HotspotQuery, response: { 200: Hotspots, ...ErrorAnswers } },
    },
    async (req) => {
      const q = req.query;
      const span = checkedSpan(q.from, q.to);
      const resolution = q.resolution ?? 8;
      // Counted as checkedSpan counts them (both ends included); why the limit: domain/hotspot-span.ts.
      if (!resolutionAllowed(resolution, calendarDaysBetween(q.from, q.to) + 1))
        throw invalid('resolution', `分辨率 ${STREET_RESOLUTION}（约0.1平方公里）只用于不超过 ${MAX_STREET_SPAN_DAYS} 天的时间段，更长的时间段请用 7 或 8`, `resolution ${STREET_RESOLUTION} (≈ 0.1 km²) is for spans of at most ${MAX_STREET_SPAN_DAYS} days; use 7 or 8 for a longer span`);
      const family = q.family ?? null;
      const cmp = fairComparison(span);
      // A unit of my jurisdiction (403/404 naming unitId otherwise): its scope replaces mine.
      const { principal: p } = await scopedPrincipal(opts.org, req.principal!, q.unitId);
      await refreshStale(opts.db, { maxRounds: 1 });
      const { current: a, previous: b } = comparedInstants(cmp);
      // The two spans at once: on PostgreSQL each on a pool connection of its own (a second core).
      const [now, before] = await Promise.all([cellCounts(opts.db, p, a.from, a.to, family, resolution), cellCounts(opts.db, p, b.from, b.to, family, resolution)]);
      const { cells, total } = hotCells(now, before, cmp.days, MAX_CELLS);
      return { ...span, previous: cmp.previous, rule: cmp.rule, cut: cutView(cmp), resolution, family, unitId: q.unitId ?? null, total, truncated: total > cells.length, cells };
    },
  );
}
