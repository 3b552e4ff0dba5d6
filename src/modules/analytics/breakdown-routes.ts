/**
 * GET /analytics/breakdown (issue 16): drill down bureau → branch → station → grid. A unit of the
 * asker's jurisdiction (default their own), its totals and each child's incident count now and in last
 * year's fair span with the change judged; the breadcrumb leads back up to the asker's own unit.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Day, ErrorAnswers, Instant, Nullable, Strict, StringEnum } from '../../core/typebox.js';
import type { Db } from '../../db/client.js';
import type { JurisdictionIndex } from '../org/index.js';
import { checkedSpan } from './figures.js';
import { refreshStale } from './rollups.js';
import { breakdown, unitInScope } from './breakdown.js';

/** Where a span that holds today and last year's end (the same instant of the matching day); null: whole days. */
export const CutView = Nullable(
  Type.Object({ current: Instant, previous: Instant }, { description: 'a span that holds today is counted up to now; last year’s up to the same time of its matching day (to the end of the running hour: the rollups count hours)' }),
);

export const UnitIdParam = Type.String({ minLength: 1, maxLength: 80, description: 'a unit of my jurisdiction (default: my own unit)' });

const BreakdownQuery = Strict({ from: Day, to: Day, unitId: Type.Optional(UnitIdParam) });

const Row = Type.Object({
  id: Nullable(Type.String({ description: 'null: the incidents no child holds (a station’s outside every grid)' })),
  kind: Nullable(StringEnum(['bureau', 'branch', 'station', 'grid'] as const)),
  code: Nullable(Type.String()),
  name: Type.String(),
  hasChildren: Type.Boolean({ description: 'there are units below to drill into' }),
  now: Type.Integer({ description: 'incidents in the span' }),
  previous: Type.Integer({ description: 'incidents in last year’s fair span' }),
  expected: Type.Number({ description: 'last year’s count scaled to this span’s days' }),
  change: Type.Number({ description: 'now − expected' }),
  pct: Nullable(Type.Number({ description: 'null when last year had none' })),
  z: Type.Number({ description: '2·(√now − √expected)' }),
  significant: Type.Boolean({ description: 'false: chance alone explains the change (|z| ≤ 3); show "no significant change"' }),
  direction: StringEnum(['up', 'down', 'same'] as const),
  families: Type.Array(Type.Object({ family: Type.String({ description: 'category family (first two digits of the category code)' }), now: Type.Integer(), previous: Type.Integer() })),
});

export const BreakdownView = Type.Object({
  at: Instant,
  from: Day,
  to: Day,
  previous: Type.Object({ from: Day, to: Day }),
  rule: Type.String({ description: 'how last year’s span was chosen (to_date, iso_week, iso_week_53, month, shift_52_weeks)' }),
  cut: CutView,
  unit: Type.Object({ id: Type.String(), kind: Type.String(), code: Type.String(), name: Type.String() }),
  breadcrumb: Type.Array(Type.Object({ id: Type.String(), kind: Type.String(), name: Type.String() }), { description: 'from my own unit down to this one' }),
  total: Row,
  children: Type.Array(Row, { description: 'they sum to the total' }),
});

export default async function breakdownRoutes(fastify: FastifyInstance, opts: { db: Db; org: JurisdictionIndex }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/analytics/breakdown',
    {
      config: { permission: 'analytics.read' },
      schema: { tags: ['analytics'], summary: 'Drill down: a unit of my jurisdiction (default mine) and each unit directly below it — incidents in the span against last year’s fair span, the change judged (Poisson test)', querystring: BreakdownQuery, response: { 200: BreakdownView, ...ErrorAnswers } },
    },
    async (req) => {
      const span = checkedSpan(req.query.from, req.query.to);
      const unit = await unitInScope(opts.org, req.principal!, req.query.unitId);
      await refreshStale(opts.db, { maxRounds: 1 });
      return breakdown(opts.db, opts.org, req.principal!, unit, span, req.lang);
    },
  );
}
