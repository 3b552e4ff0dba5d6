/** The cases API's request and answer schemas (TypeBox); event types and kinds are enums in OpenAPI. */
import { Type } from '@sinclair/typebox';
import { Id, Instant, Nullable, Paging, Strict, StringEnum } from '../../core/typebox.js';
import { CASE_KINDS } from './domain/rules.js';
import { EVENT_TYPES, EXAMINATION_KINDS } from './domain/events.js';
import { BOARD_COLOURS } from './domain/board.js';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const OpenBody = Strict({
  kind: StringEnum(CASE_KINDS, { description: 'criminal (刑事) or administrative (行政/治安)' }),
  title: Type.Optional(Text(200)),
  incidentId: Type.Optional(Id),
  stationId: Type.Optional(Id),
  officer: Type.Optional(Text(64)),
  acceptedAt: Type.Optional(Instant),
});

export const StepBody = Strict({
  type: StringEnum(EVENT_TYPES),
  at: Instant,
  subject: Type.Optional(Text(200)),
  ref: Type.Optional(Text(200)),
  kind: Type.Optional(StringEnum(EXAMINATION_KINDS)),
  rule: Type.Optional(Text(200)),
  extension: Type.Optional(Text(200)),
  approver: Type.Optional(Text(200)),
  amount: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  replaces: Type.Optional(Text(200)),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
});

export const ListQuery = Strict({
  open: Type.Optional(Type.Boolean({ description: 'true: open cases only (default); false: closed only' })),
  kind: Type.Optional(StringEnum(CASE_KINDS)),
  ...Paging,
});

export const BoardQuery = Strict({
  leadHours: Type.Optional(Type.Integer({ minimum: 0, maximum: 720, default: 24, description: 'a running clock turns yellow this many hours before it falls due' })),
  lang: Type.Optional(StringEnum(['zh', 'en'] as const)),
});

export const DetailQuery = Strict({ lang: Type.Optional(StringEnum(['zh', 'en'] as const)) });

export const CaseItem = Type.Object({
  id: Type.String(),
  number: Type.String(),
  kind: StringEnum(CASE_KINDS),
  title: Type.String(),
  incidentId: Nullable(Type.String()),
  stationId: Type.String(),
  officer: Type.String(),
  status: Type.String(),
  openedAt: Type.String({ format: 'date-time' }),
  closedAt: Nullable(Type.String({ format: 'date-time' })),
  nextDueAt: Nullable(Type.String({ format: 'date-time' })),
  nextDueRule: Nullable(Type.String()),
  overdueClocks: Type.Integer(),
  version: Type.Integer(),
});

export const CaseList = Type.Object({ items: Type.Array(CaseItem), total: Type.Integer() });

export const EventView = Type.Object({
  id: Type.String(),
  type: StringEnum(EVENT_TYPES),
  at: Type.String({ format: 'date-time' }),
  detail: Type.Record(Type.String(), Type.Unknown()),
  recordedAt: Type.String({ format: 'date-time' }),
  recordedBy: Type.String(),
});

export const ClockView = Type.Object({
  rule: Type.String(),
  name: Type.String(),
  subject: Nullable(Type.String()),
  basis: Type.String(),
  custody: Type.Boolean(),
  state: StringEnum(['running', 'stopped', 'done', 'overdue'] as const),
  colour: Nullable(StringEnum(BOARD_COLOURS)),
  startsAt: Type.String({ format: 'date-time' }),
  dueAt: Nullable(Type.String({ format: 'date-time' })),
  doneAt: Nullable(Type.String({ format: 'date-time' })),
  length: Type.Object({ amount: Type.Number(), unit: Type.String() }),
  extensions: Type.Integer(),
  explanation: Type.Array(Type.String()),
});

export const CaseDetail = Type.Object({ case: CaseItem, events: Type.Array(EventView), clocks: Type.Array(ClockView) });

export const StepAnswer = Type.Object({ case: CaseItem, event: EventView });

export const BoardRow = Type.Object({
  caseId: Type.String(),
  number: Type.String(),
  title: Type.String(),
  stationId: Type.String(),
  officer: Type.String(),
  rule: Type.String(),
  name: Type.String(),
  subject: Nullable(Type.String()),
  custody: Type.Boolean(),
  colour: StringEnum(BOARD_COLOURS),
  dueAt: Nullable(Type.String({ format: 'date-time' })),
  leftMinutes: Nullable(Type.Integer()),
});

export const Board = Type.Object({
  at: Type.String({ format: 'date-time' }),
  leadHours: Type.Integer(),
  counts: Type.Object({ red: Type.Integer(), yellow: Type.Integer(), green: Type.Integer(), grey: Type.Integer() }),
  items: Type.Array(BoardRow),
  /** True when more open cases are in scope than the board reads at once (the most urgent are read). */
  truncated: Type.Boolean(),
});
