/**
 * The KPI catalogue (every figure the modules declare, with its definition, unit, direction and version)
 * and the figures themselves for a span of days, each against last year's fair span (domain/periods.ts)
 * with the change judged (domain/significance.ts): a count's change that chance explains is "not
 * significant", a rate always comes with its two numbers, a duration median is judged from its two
 * histograms (domain/median-change.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { timeZone } from '../../core/clock.js';
import { Day, ErrorAnswers, Instant, Nullable, Strict, StringEnum } from '../../core/typebox.js';
import type { Db } from '../../db/client.js';
import type { KpiEntry } from '../../kernel/kernel.js';
import { heatTable, refreshStale } from './rollups.js';
import { checkedSpan, computedKpis, cutView, fairComparison, instantsOf, invalid } from './figures.js';
import type { JurisdictionIndex } from '../org/index.js';
import { scopedPrincipal, unitInScope } from './breakdown.js';
import { CutView, UnitIdParam } from './breakdown-routes.js';
import { scopedKpiValues } from './kpi-scope.js';

// Shared with the other analytics routes: defined in figures.ts beside the computations they guard.
export { checkedSpan, instantsOf } from './figures.js';

export const ANALYTICS_MESSAGES = {
  analytics_invalid: { zh: '字段 {field}：{zh}', en: 'Field {field}: {en}' },
} as const;

/** A dashboard asks for a few figures at once; a span longer than this is not a comparison anyone reads. */
const MAX_IDS = 40;

const Kpi = Type.Object({
  id: Type.String(),
  module: Type.String({ description: 'the module that declares and computes it' }),
  version: Type.Integer({ minimum: 1, description: 'a changed definition is a new version' }),
  zh: Type.String(),
  en: Type.String(),
  definition: Type.String(),
  unit: StringEnum(['count', 'rate', 'seconds', 'hours', 'days', 'value'] as const),
  better: StringEnum(['up', 'down', 'neither'] as const),
  numerator: Nullable(Type.String()),
  denominator: Nullable(Type.String()),
  exclusions: Nullable(Type.String()),
});

const KpiList = Type.Object({ items: Type.Array(Kpi) });

const SpanView = Type.Object({ from: Day, to: Day });
// Numbers, not integers: a denominator may be officer-weeks (4.43) or days.
const Measure = Type.Object({
  value: Nullable(Type.Number()),
  numerator: Nullable(Type.Number()),
  denominator: Nullable(Type.Number()),
  // Null for every figure not read from a histogram.
  ci: Nullable(
    Type.Object(
      { low: Nullable(Type.Number()), high: Nullable(Type.Number()) },
      { description: 'a duration read from a histogram (the interval medians): the confidence interval of its value in seconds, from binomial order statistics with z = 3 (a bound null: too few values for it)' },
    ),
  ),
});

const ValuesQuery = Strict({
  ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: MAX_IDS, description: 'KPI ids (default: every KPI that is computed)' })),
  from: Day,
  to: Day,
  unitId: Type.Optional(UnitIdParam),
  compare: Type.Optional(StringEnum(['yoy', 'none'] as const, { default: 'yoy', description: 'yoy: against last year’s fair span (same ISO week, month, year to date, festival, or 52 weeks back)' })),
});

const Value = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  unit: Type.String(),
  better: Type.String(),
  current: Type.Composite([Measure, SpanView]),
  previous: Nullable(Type.Composite([Measure, SpanView])),
  /** How last year's span was chosen (to_date, iso_week, iso_week_53, month, shift_52_weeks). */
  rule: Nullable(Type.String()),
  /** Counts: now − expected (last year's count per day × this span's days); rates: percentage points. */
  change: Nullable(Type.Number()),
  pct: Nullable(Type.Number({ description: 'counts only; null when last year had none' })),
  z: Nullable(Type.Number({ description: 'the test’s statistic (significant when |z| > 3); a duration: its change over the two facing standard errors summed, so |z| > 3 exactly when the confidence intervals do not overlap (0 when one is open: too few values); null when not judged' })),
  significant: Type.Boolean({ description: 'false: the change is what chance alone gives (|z| ≤ 3; a duration: the two confidence intervals overlap); show "no significant change"' }),
  test: Nullable(
    StringEnum(['poisson', 'two_proportion', 'quantile_interval'] as const, {
      description: 'how the change was judged: a count by the Poisson test, a rate by the two-proportion z test, a duration read from a histogram (a median) by whether this span’s and last year’s confidence intervals overlap; null: not judged (no comparison, or a figure given as its difference only)',
    }),
  ),
  direction: StringEnum(['up', 'down', 'same'] as const),
  scope: Type.Object(
    {
      unitId: Type.String(),
      kind: Type.String(),
      name: Type.String(),
      exact: Type.Boolean({ description: 'false: the KPI’s records are held by a coarser unit (most by station, not grid), so this is the enclosing unit’s figure — or none (value null) when that unit is outside my jurisdiction' }),
    },
    { description: 'the unit this figure covers' },
  ),
});
const ValueList = Type.Object({ at: Instant, cut: CutView, items: Type.Array(Value) });

const HeatQuery = Strict({ from: Day, to: Day, unitId: Type.Optional(UnitIdParam) });
const Heat = Type.Object({
  from: Day,
  to: Day,
  unitId: Nullable(Type.String({ description: 'the unit asked for; null: my whole jurisdiction' })),
  timeZone: Type.String(),
  cells: Type.Array(Type.Array(Type.Integer(), { minItems: 24, maxItems: 24 }), { minItems: 7, maxItems: 7, description: 'incidents by weekday (0 Sunday … 6 Saturday) × local hour of day' }),
});

export default async function analyticsRoutes(fastify: FastifyInstance, opts: { kpis: readonly KpiEntry[]; db: Db; org: JurisdictionIndex }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const items = opts.kpis.map((k) => ({
    id: k.id,
    module: k.module,
    version: k.version,
    zh: k.zh,
    en: k.en,
    definition: k.definition,
    unit: k.unit ?? 'value',
    better: k.better ?? 'neither',
    numerator: k.numerator ?? null,
    denominator: k.denominator ?? null,
    exclusions: k.exclusions ?? null,
  }));
  app.get(
    '/kpis',
    { config: { permission: 'analytics.read' }, schema: { tags: ['analytics'], summary: 'Every KPI the modules declare: what it counts, its unit, which way is better, its version', response: { 200: KpiList, ...ErrorAnswers } } },
    async () => ({ items }),
  );

  const computed = computedKpis(opts.kpis);
  app.get(
    '/kpis/values',
    { config: { permission: 'analytics.read' }, schema: { tags: ['analytics'], summary: 'Figures for a span of days in my jurisdiction (or a unit of it: each figure says which unit it covers), each against last year’s fair span with the change judged (Poisson test for counts, two-proportion test for rates, confidence intervals of the medians for durations)', querystring: ValuesQuery, response: { 200: ValueList, ...ErrorAnswers } } },
    async (req) => {
      const q = req.query;
      const span = checkedSpan(q.from, q.to);
      const wanted = q.ids ? [...new Set(q.ids)] : computed.map((k) => k.id);
      const kpis = wanted.map((id, i) => {
        const k = computed.find((x) => x.id === id);
        if (!k) throw invalid(`ids[${i}]`, `没有可计算的指标 ${id}（见 GET /kpis）`, `no computed KPI ${id} (see GET /kpis)`);
        return k;
      });
      // The asked unit (default my own; 403/404 naming unitId outside my jurisdiction), and for each KPI the unit it can be counted for.
      const unit = await unitInScope(opts.org, req.principal!, q.unitId);
      // Figures as of this request: the hours changed since the worker's last round are recounted first (one bounded round).
      await refreshStale(opts.db, { maxRounds: 1 });
      const items = await scopedKpiValues(opts.db, opts.org, kpis, req.principal!, unit, span, q.compare === 'none' ? 'none' : 'yoy');
      return { at: new Date().toISOString(), cut: q.compare === 'none' ? null : cutView(fairComparison(span)), items };
    },
  );

  app.get(
    '/analytics/heat',
    { config: { permission: 'analytics.read' }, schema: { tags: ['analytics'], summary: 'Incidents by weekday × hour of day in a span of days, in my jurisdiction or a unit of it (the time-of-day heat table)', querystring: HeatQuery, response: { 200: Heat, ...ErrorAnswers } } },
    async (req) => {
      const span = checkedSpan(req.query.from, req.query.to);
      const w = instantsOf(span);
      const { principal } = await scopedPrincipal(opts.org, req.principal!, req.query.unitId);
      await refreshStale(opts.db, { maxRounds: 1 });
      return { ...span, unitId: req.query.unitId ?? null, timeZone: timeZone(), cells: await heatTable(opts.db, principal, w.from, w.to, timeZone()) };
    },
  );
}
