/**
 * GET /analytics/intervals: answer, intake, dispatch, travel and response times of a span of local days
 * in the asker's jurisdiction — n, median and 90th percentile per priority (and all together), beside
 * the same for last year's fair span (domain/periods.ts). Read from the interval rollup (intervals.ts), so
 * each percentile is within its bucket's width of the exact one (1 s under 2 minutes, 5 s under 10).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Day, ErrorAnswers, Instant, Nullable, Strict, StringEnum } from '../../core/typebox.js';
import type { Db } from '../../db/client.js';
import { checkedSpan } from './routes.js';
import { comparedInstants, cutView, fairComparison } from './figures.js';
import { CutView } from './breakdown-routes.js';
import { refreshStale } from './rollups.js';
import { INTERVAL_MEASURES } from './intervals.js';
import { PRIORITIES, intervalTable, type CountedSummary } from './interval-figures.js';
import { medianChange } from './domain/median-change.js';

const IntervalsQuery = Strict({ from: Day, to: Day });

const Summary = Type.Object({
  n: Type.Integer({ minimum: 0, description: 'incidents with this interval known and not negative' }),
  median: Nullable(Type.Number({ description: 'seconds; null when n is 0' })),
  p90: Nullable(Type.Number({ description: 'seconds, 90th percentile; null when n is 0' })),
});

const Row = Type.Object({
  measure: StringEnum(INTERVAL_MEASURES),
  priority: StringEnum([...PRIORITIES, 'all'] as const),
  current: Summary,
  previous: Summary,
  median: Type.Object(
    {
      change: Nullable(Type.Number({ description: 'seconds, this span’s median − last year’s; null when either has no values' })),
      significant: Type.Boolean({ description: 'false: the two medians’ confidence intervals (from the histograms’ counts, z = 3) overlap — show "no significant change"' }),
      direction: StringEnum(['up', 'down', 'same'] as const),
    },
    { description: 'the median’s change, judged (domain/median-change.ts)' },
  ),
});

const Intervals = Type.Object({
  at: Instant,
  from: Day,
  to: Day,
  previous: Type.Object({ from: Day, to: Day }),
  /** How last year's span was chosen (to_date, iso_week, iso_week_53, month, festival, shift_52_weeks). */
  rule: Type.String(),
  cut: CutView,
  items: Type.Array(Row, { description: 'every measure × priority (P1…P4, all), in that order' }),
});

const plain = ({ n, median, p90 }: CountedSummary) => ({ n, median, p90 });

const rowsOf = (now: Record<string, Record<string, CountedSummary>>, before: Record<string, Record<string, CountedSummary>>) =>
  INTERVAL_MEASURES.flatMap((measure) =>
    [...PRIORITIES, 'all' as const].map((priority) => {
      const [a, b] = [now[measure]![priority]!, before[measure]![priority]!];
      const c = medianChange(a.counts, b.counts);
      return { measure, priority, current: plain(a), previous: plain(b), median: { change: c.change, significant: c.significant, direction: c.direction } };
    }),
  );

export default async function intervalRoutes(fastify: FastifyInstance, opts: { db: Db }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/analytics/intervals',
    {
      config: { permission: 'analytics.read' },
      schema: {
        tags: ['analytics'],
        summary: 'Answer, intake, dispatch, travel and response times in a span of days in my jurisdiction: n, median and 90th percentile by priority, beside last year’s fair span',
        querystring: IntervalsQuery,
        response: { 200: Intervals, ...ErrorAnswers },
      },
    },
    async (req) => {
      const span = checkedSpan(req.query.from, req.query.to);
      const cmp = fairComparison(span);
      // As of this request: the hours changed since the worker's last round are recounted first (one bounded round).
      await refreshStale(opts.db, { maxRounds: 1 });
      const { current: now, previous: before } = comparedInstants(cmp);
      const p = req.principal!;
      const items = rowsOf(await intervalTable(opts.db, p, now.from, now.to), await intervalTable(opts.db, p, before.from, before.to));
      return { at: new Date().toISOString(), ...span, previous: cmp.previous, rule: cmp.rule, cut: cutView(cmp), items };
    },
  );
}
