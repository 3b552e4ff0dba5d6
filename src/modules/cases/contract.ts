/** The cases API's request and answer schemas (TypeBox); event types and kinds are enums in OpenAPI. */
import { Type } from '@sinclair/typebox';
import { Id, Instant, Nullable, Paging, Strict, TypedStringEnum } from '../../core/typebox.js';
import { CASE_KINDS } from './domain/rules.js';
import { EVENT_TYPES, EXAMINATION_KINDS } from './domain/events.js';
import { BOARD_COLOURS } from './domain/board.js';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const OpenBody = Strict({
  kind: TypedStringEnum(CASE_KINDS, { description: 'criminal (刑事) or administrative (行政/治安)' }),
  title: Type.Optional(Text(200)),
  incidentIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 20, uniqueItems: true, description: 'the linked incidents; the first gives the station and the title' })),
  stationId: Type.Optional(Id),
  officerId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'the user id of the officer in charge (default: the one who opens it)' })),
  acceptedAt: Type.Optional(Instant),
});

export const StepBody = Strict({
  type: TypedStringEnum(EVENT_TYPES),
  at: Instant,
  subject: Type.Optional(Text(200)),
  ref: Type.Optional(Text(200)),
  kind: Type.Optional(TypedStringEnum(EXAMINATION_KINDS)),
  rule: Type.Optional(Text(200)),
  extension: Type.Optional(Text(200)),
  approver: Type.Optional(Text(200)),
  amount: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  replaces: Type.Optional(Text(200)),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
});

export const ListQuery = Strict({
  open: Type.Optional(Type.Boolean({ description: 'true: open cases only (default); false: closed only' })),
  kind: Type.Optional(TypedStringEnum(CASE_KINDS)),
  incidentId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'only cases linked to this incident, open and closed unless `open` is given' })),
  ...Paging,
});

export const BoardQuery = Strict({
  leadHours: Type.Optional(Type.Integer({ minimum: 0, maximum: 720, default: 24, description: 'a running clock turns yellow this many hours before it falls due' })),
  lang: Type.Optional(TypedStringEnum(['zh', 'en'] as const)),
});

export const ClocksQuery = Strict({
  state: Type.Optional(Type.Array(TypedStringEnum(['running', 'stopped', 'overdue'] as const), { maxItems: 3, description: 'default: all three (done clocks are not on the board)' })),
  dueBefore: Type.Optional(Instant),
  leadHours: BoardQuery.properties.leadHours,
  lang: BoardQuery.properties.lang,
});

export const DetailQuery = Strict({ lang: Type.Optional(TypedStringEnum(['zh', 'en'] as const)) });

export const CaseItem = Type.Object({
  id: Type.String(),
  number: Type.String(),
  kind: TypedStringEnum(CASE_KINDS),
  title: Type.String(),
  incidentId: Nullable(Type.String()),
  incidentIds: Type.Array(Type.String()),
  stationId: Type.String(),
  officer: Type.String(),
  status: Type.String(),
  openedAt: Instant,
  closedAt: Nullable(Instant),
  nextDueAt: Nullable(Instant),
  nextDueRule: Nullable(Type.String()),
  overdueClocks: Type.Integer(),
  version: Type.Integer(),
});

export const CaseList = Type.Object({ items: Type.Array(CaseItem), total: Type.Integer() });

export const EventView = Type.Object({
  id: Type.String(),
  type: TypedStringEnum(EVENT_TYPES),
  at: Instant,
  detail: Type.Record(Type.String(), Type.Unknown()),
  recordedAt: Instant,
  recordedBy: Type.String(),
});

export const ClockView = Type.Object({
  rule: Type.String(),
  name: Type.String(),
  subject: Nullable(Type.String()),
  basis: Type.String(),
  custody: Type.Boolean(),
  state: TypedStringEnum(['running', 'stopped', 'done', 'overdue'] as const),
  colour: Nullable(TypedStringEnum(BOARD_COLOURS)),
  startsAt: Instant,
  dueAt: Nullable(Instant),
  doneAt: Nullable(Instant),
  length: Type.Object({ amount: Type.Number(), unit: Type.String() }),
  stops: Type.Array(Type.Object({ from: Instant, to: Nullable(Instant), kind: Nullable(Type.String()) })),
  extensions: Type.Array(Type.Object({ id: Type.String(), at: Instant, by: Type.String(), amount: Type.Number(), unit: Type.String(), mode: Type.String() })),
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
  state: TypedStringEnum(['running', 'stopped', 'done', 'overdue'] as const),
  colour: TypedStringEnum(BOARD_COLOURS),
  dueAt: Nullable(Instant),
  leftMinutes: Nullable(Type.Integer()),
});

export const Board = Type.Object({
  at: Instant,
  leadHours: Type.Integer(),
  counts: Type.Object({ red: Type.Integer(), yellow: Type.Integer(), green: Type.Integer(), grey: Type.Integer() }),
  items: Type.Array(BoardRow),
  /** True when more open cases are in scope than the board reads at once (the most urgent are read). */
  truncated: Type.Boolean(),
});
