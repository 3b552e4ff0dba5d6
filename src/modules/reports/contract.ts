/** Request and answer schemas of the report routes (TypeBox): what the web and other clients rely on. */
import { Type } from '@sinclair/typebox';
import { Day, Id, Instant, Nullable, Strict, StringEnum } from '../../core/typebox.js';

const Note = Type.Object({ zh: Type.String(), en: Type.String() });

export const WeekLabel = Type.String({ pattern: '^\\d{4}-W\\d{2}$', maxLength: 8, description: "ISO week, e.g. '2026-W48'" });

export const GenerateBody = Strict({
  /** The Monday the week starts on. */
  weekStart: Type.Optional(Day),
  week: Type.Optional(WeekLabel),
  /** The unit whose jurisdiction the report covers (default: my own unit; the bureau for a bureau user). */
  unitId: Type.Optional(Id),
});

export const ListQuery = Strict({
  week: Type.Optional(WeekLabel),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
});

export const ReportView = Type.Object({
  id: Type.String(),
  kind: StringEnum(['weekly'] as const),
  week: Type.String(),
  from: Day,
  to: Day,
  unitId: Type.String(),
  unitName: Type.String(),
  revision: Type.Integer({ minimum: 1, description: '1 for the week’s first report of the unit, +1 for each revision' }),
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

const Measure = Type.Object({ value: Nullable(Type.Number()), numerator: Nullable(Type.Integer()), denominator: Nullable(Type.Integer()), from: Day, to: Day });
const Judged = {
  change: Nullable(Type.Number()),
  pct: Nullable(Type.Number()),
  z: Nullable(Type.Number()),
  significant: Type.Boolean(),
  direction: StringEnum(['up', 'down', 'same'] as const),
};

export const Snapshot = Type.Object({
  format: Type.Literal(1),
  kind: StringEnum(['weekly'] as const),
  week: Type.String(),
  from: Day,
  to: Day,
  timeZone: Type.String(),
  compare: Type.Object({ from: Day, to: Day, rule: Type.String() }),
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
});

export const ReportDetail = Type.Composite([ReportView, Type.Object({ snapshot: Snapshot })]);
