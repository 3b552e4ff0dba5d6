/** Request and answer schemas of the report routes (TypeBox): what the web and other clients rely on. */
import { Type } from '@sinclair/typebox';
import { Day, Id, Instant, Nullable, Strict, StringEnum, TypedStringEnum } from '../../core/typebox.js';

const Note = Type.Object({ zh: Type.String(), en: Type.String() });

export const WeekLabel = Type.String({ pattern: '^\\d{4}-W\\d{2}$', maxLength: 8, description: "ISO week, e.g. '2026-W48'" });

export const GenerateBody = Strict({
  /** The Monday the week starts on. */
  weekStart: Type.Optional(Day),
  week: Type.Optional(WeekLabel),
  /** The unit whose jurisdiction the report covers (default: my own unit; the bureau for a bureau user). */
  unitId: Type.Optional(Id),
});

export const PeriodBody = Strict({
  /** First and last day of the period, both included (local days); last ≤ today, at most 400 days. */
  from: Day,
  to: Day,
  unitId: Type.Optional(Id),
});

const Kind = TypedStringEnum(['weekly', 'period'] as const, { description: 'weekly: an ISO week (Monday–Sunday); period: any span of whole days' });

export const ListQuery = Strict({
  week: Type.Optional(WeekLabel),
  kind: Type.Optional(Kind),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
});

export const ReportView = Type.Object({
  id: Type.String(),
  kind: Kind,
  label: Type.String({ description: "the week ('2026-W48') or the period ('2026-11-01~2026-11-30') the report covers" }),
  week: Nullable(Type.String({ description: 'the ISO week of a weekly report; null for a period' })),
  from: Day,
  to: Day,
  unitId: Type.String(),
  unitName: Type.String(),
  revision: Type.Integer({ minimum: 1, description: '1 for the first report of the week (or period) and unit, +1 for each revision' }),
  snapshotHash: Type.String({ description: 'SHA-256 of the snapshot’s canonical JSON (keys sorted), printed in the .docx' }),
  revisesId: Nullable(Type.String()),
  revisions: Type.Array(Note, { description: 'what changed against the previous report of the week and unit ("figure X for the week revised from 27 to 25")' }),
  asOf: Instant,
  createdAt: Instant,
  createdBy: Type.String(),
});

export const Generated = Type.Composite([
  ReportView,
  Type.Object({
    unchanged: Type.Boolean({ description: 'true: the data gave the same snapshot hash as the last report of the week and unit, which is answered (nothing stored)' }),
    message: Nullable(Note),
  }),
]);

export const ReportList = Type.Object({ items: Type.Array(ReportView) });

const Measure = Type.Object({ value: Nullable(Type.Number()), numerator: Nullable(Type.Number()), denominator: Nullable(Type.Number({ description: 'not always whole: officer-weeks, or days when a figure is per day and its span is cut inside today' })), from: Day, to: Day });
const Judged = {
  change: Nullable(Type.Number()),
  pct: Nullable(Type.Number()),
  z: Nullable(Type.Number()),
  significant: Type.Boolean(),
  direction: StringEnum(['up', 'down', 'same'] as const),
};

const HotSpot = Type.Object({
  cell: Type.String({ description: 'H3 index' }),
  lat: Type.Number({ description: 'the cell’s centre' }),
  lon: Type.Number(),
  stationId: Type.String({ description: 'the station holding most of the cell’s incidents in the span' }),
  stationName: Type.String(),
  count: Type.Integer(),
  previous: Type.Integer({ description: 'incidents in the cell in last year’s fair span' }),
  expected: Type.Number({ description: 'last year’s count scaled to this span’s days' }),
  ...Judged,
  change: Type.Number(),
  z: Type.Number(),
});

export const Snapshot = Type.Object({
  format: Type.Literal(1),
  kind: Kind,
  week: Type.Optional(Type.String({ description: 'weekly: the ISO week' })),
  label: Type.Optional(Type.String({ description: "period: '2026-11-01~2026-11-30'" })),
  from: Day,
  to: Day,
  timeZone: Type.String(),
  compare: Type.Object({
    from: Day,
    to: Day,
    rule: Type.String(),
    cut: Type.Optional(Type.Object({ current: Instant, previous: Instant }, { description: 'only when the span holds today: this span and last year’s end at the same time of day, the end of the hour of the last change to the span’s data (not the clock), so the same data gives the same report' })),
  }),
  unit: Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String() }),
  asOf: Instant,
  headline: Type.Array(Type.Object({ id: Type.String(), version: Type.Integer(), zh: Type.String(), en: Type.String(), unit: Type.String(), better: Type.String(), current: Measure, previous: Nullable(Measure), rule: Nullable(Type.String()), ...Judged })),
  families: Type.Array(Type.Object({ family: Type.String(), zh: Type.String(), en: Type.String(), current: Type.Integer(), previous: Type.Integer(), ...Judged, change: Type.Number(), z: Type.Number() })),
  heat: Type.Array(Type.Array(Type.Integer()), { description: 'incidents by weekday (0 Sunday … 6 Saturday) × local hour' }),
  notable: Type.Array(
    Type.Object({
      number: Type.String(),
      categoryCode: Type.String(),
      categoryName: Type.String(),
      family: Type.String(),
      stationId: Type.String(),
      stationName: Type.String(),
      recordedAt: Instant,
      status: Type.String(),
      intervals: Type.Object({ answer: Nullable(Type.Integer()), intake: Nullable(Type.Integer()), dispatch: Nullable(Type.Integer()), travel: Nullable(Type.Integer()), response: Nullable(Type.Integer()) }, { description: 'seconds: call start → answered, answered → recorded, recorded → dispatched, en route → on scene, recorded → on scene' }),
    }),
  ),
  notableTotal: Type.Integer(),
  hotspots: Type.Optional(
    Type.Object(
      { resolution: Type.Integer(), total: Type.Integer({ description: 'cells with incidents in the span' }), cells: Type.Array(HotSpot, { description: 'the busiest cells, most incidents first' }) },
      { description: 'absent in reports stored before hot spots were added' },
    ),
  ),
});

export const ReportDetail = Type.Composite([ReportView, Type.Object({ snapshot: Snapshot })]);
