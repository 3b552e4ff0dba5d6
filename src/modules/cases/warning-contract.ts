/** Request and answer schemas of the warnings tray and the daily digest (issue 14 part 3). */
import { Type } from '@sinclair/typebox';
import { Id, Instant, Nullable, Strict, StringEnum } from '../../core/typebox.js';

const Names = Type.Object({ zh: Type.String(), en: Type.String() });

export const WarningItem = Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  number: Type.String(),
  title: Type.String(),
  stationId: Type.String(),
  officer: Type.String(),
  rule: Type.String(),
  name: Names,
  subject: Nullable(Type.String()),
  custody: Type.Boolean(),
  level: StringEnum(['yellow', 'red'] as const, { description: 'yellow: due within the lead time; red: overdue' }),
  dueAt: Instant,
  raisedAt: Instant,
  resolvedAt: Nullable(Instant),
  resolution: Nullable(Type.String()),
  /** Whether the user asking has acknowledged it. */
  acked: Type.Boolean(),
});

export const WarningsQuery = Strict({
  acked: Type.Optional(Type.Boolean({ description: 'false: only those I have not acknowledged; absent: all open ones' })),
});

export const WarningList = Type.Object({ items: Type.Array(WarningItem), unacked: Type.Integer() });

export const DigestQuery = Strict({
  station: Type.Optional(Id),
});

export const DigestLine = Type.Object({
  caseId: Type.String(),
  number: Type.String(),
  title: Type.String(),
  stationId: Type.String(),
  officer: Type.String(),
  rule: Type.String(),
  name: Names,
  subject: Nullable(Type.String()),
  custody: Type.Boolean(),
  dueAt: Instant,
  overdue: Type.Boolean(),
});

export const Digest = Type.Object({
  at: Instant,
  day: Type.String(),
  /** Null: every station of the jurisdiction. */
  stationId: Nullable(Type.String()),
  horizonHours: Type.Integer(),
  /** When today's digest went out to the station (null: not yet, or several stations asked). */
  sentAt: Nullable(Instant),
  overdue: Type.Integer(),
  dueSoon: Type.Integer(),
  items: Type.Array(DigestLine),
});
