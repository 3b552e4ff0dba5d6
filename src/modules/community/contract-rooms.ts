/** Request and answer schemas (TypeBox) of police rooms, their visitor log, and a finding's 12345 / task follow-ups. */
import { Type } from '@sinclair/typebox';
import { Day, Id, Instant, Nullable, Paging, Strict, StringEnum, TypedStringEnum } from '../../core/typebox.js';
import { MAX_INTERVALS } from './domain/reception.js';
import { FOLLOW_UP_KINDS, MAX_ROOM_VISITORS, ROOM_CASE_KINDS, ROOM_PURPOSES, TASK_STATUSES } from './domain/vocabulary.js';

const Point = Strict({ lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) });
const Location = Type.Object({ lon: Type.Number(), lat: Type.Number() });
const HHMM = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$', description: 'local time HH:MM (24:00 = midnight at the end of the day)' });

const Interval = Strict({ day: Type.Integer({ minimum: 1, maximum: 7, description: 'ISO weekday: 1 Monday … 7 Sunday' }), opens: HHMM, closes: HHMM });
const Hours = Type.Array(Interval, { maxItems: MAX_INTERVALS, description: 'weekly reception hours in local time (Asia/Shanghai); several intervals a day for a lunch break' });
const Reception = {
  hours: Type.Array(Type.Object({ day: Type.Integer(), opens: Type.String(), closes: Type.String() })),
  openNow: Type.Boolean(),
  closesAt: Nullable(Instant),
  nextOpensAt: Nullable(Instant),
};

const Name = Type.String({ minLength: 1, maxLength: 100 });
const Address = Type.String({ minLength: 1, maxLength: 200 });
const Phone = Type.String({ minLength: 3, maxLength: 30, pattern: '^[0-9+ ()-]+$' });

export const RoomBody = Strict({
  name: Name,
  address: Address,
  location: Point,
  officerIds: Type.Optional(Type.Array(Id, { maxItems: 20, description: 'officers of the station who serve in the room' })),
  hours: Hours,
  phone: Type.Optional(Phone),
});
export const RoomPatch = Strict(
  {
    name: Type.Optional(Name),
    address: Type.Optional(Address),
    location: Type.Optional(Point),
    officerIds: Type.Optional(Type.Array(Id, { maxItems: 20 })),
    hours: Type.Optional(Hours),
    phone: Type.Optional(Nullable(Phone)),
    active: Type.Optional(Type.Boolean()),
  },
  { minProperties: 1 },
);

const PurposeCounts = Type.Object(Object.fromEntries(ROOM_PURPOSES.map((p) => [p, Type.Integer()])), { description: 'visitors by purpose in the window' });

export const RoomView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  address: Type.String(),
  location: Location,
  stationId: Type.String(),
  officers: Type.Array(Type.Object({ id: Type.String(), displayName: Type.String() })),
  ...Reception,
  phone: Nullable(Type.String()),
  active: Type.Boolean(),
  days: Type.Integer({ description: 'window of the visitor counts (days back from now)' }),
  visitors: Type.Integer(),
  visitorsByPurpose: PurposeCounts,
  updatedAt: Instant,
});
export const RoomList = Type.Object({ items: Type.Array(RoomView) });
export const RoomQuery = Strict({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })),
  mine: Type.Optional(Type.Boolean({ description: 'only the rooms I serve in' })),
});
export const RoomDetailQuery = Strict({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })) });

const CaseRef = Strict({ kind: TypedStringEnum(ROOM_CASE_KINDS), id: Id }, { description: 'only when a case follows: the dispute or incident (no identity otherwise)' });
export const VisitorBody = Strict({
  purpose: TypedStringEnum(ROOM_PURPOSES),
  visitors: Type.Integer({ minimum: 1, maximum: MAX_ROOM_VISITORS, description: 'how many people (a count, no names)' }),
  at: Type.Optional(Instant),
  note: Type.Optional(Type.String({ maxLength: 300, description: 'the matter, not the person' })),
  case: Type.Optional(CaseRef),
});
export const VisitorView = Type.Object({
  id: Type.String(),
  roomId: Type.String(),
  purpose: StringEnum(ROOM_PURPOSES),
  visitors: Type.Integer(),
  at: Instant,
  note: Nullable(Type.String()),
  case: Nullable(Type.Object({ kind: StringEnum(ROOM_CASE_KINDS), id: Type.String() })),
  recordedBy: Type.String(),
  recordedAt: Instant,
});
export const VisitorQuery = Strict({ from: Type.Optional(Instant), to: Type.Optional(Instant), ...Paging });
export const VisitorList = Type.Object({ items: Type.Array(VisitorView), entries: Type.Integer(), visitors: Type.Integer(), visitorsByPurpose: PurposeCounts });

export const PublicRoomQuery = Strict({
  lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 5 })),
});
export const PublicRoomList = Type.Object({
  items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), address: Type.String(), location: Location, ...Reception, distanceM: Nullable(Type.Integer({ description: 'metres from the point asked' })) })),
});

export const HotlineBody = Strict({
  categoryCode: Type.Optional(Type.String({ pattern: '^\\d{8}$', description: 'a municipal-services leaf category (0801……); default 08010102' })),
  description: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
});
export const TaskBody = Strict({ title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), dueOn: Type.Optional(Day) });
export const FollowUpAnswer = Type.Object({ visitId: Type.String(), finding: Type.Integer(), followUp: Type.Object({ kind: StringEnum(FOLLOW_UP_KINDS), id: Type.String(), number: Nullable(Type.String()) }) });

export const TaskView = Type.Object({
  id: Type.String(),
  visitId: Type.String(),
  finding: Type.Integer(),
  gridId: Nullable(Type.String()),
  ownerId: Type.String(),
  title: Type.String(),
  dueOn: Type.String(),
  overdue: Type.Boolean(),
  status: StringEnum(TASK_STATUSES),
  closingNote: Nullable(Type.String()),
  createdAt: Instant,
  createdBy: Type.String(),
  closedAt: Nullable(Instant),
});
export const TaskList = Type.Object({ items: Type.Array(TaskView) });
export const CloseTaskBody = Strict({ note: Type.Optional(Type.String({ maxLength: 300 })) });
