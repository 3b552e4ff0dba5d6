/** The volunteers API's request and answer schemas (TypeBox). */
import { Type } from '@sinclair/typebox';
import { Id, Instant, Nullable, Strict, TypedStringEnum } from '../../core/typebox.js';

export const SIGNUP_STATUSES = ['pending', 'confirmed', 'rejected', 'cancelled'] as const;
export type SignupStatus = (typeof SIGNUP_STATUSES)[number];
export const REPORT_STATUSES = ['new', 'seen', 'forwarded', 'closed'] as const;
export const REPORT_CATEGORIES = ['suspicious', 'theft', 'fire_hazard', 'traffic', 'public_order', 'facility', 'other'] as const;
export const DEFENCE_KINDS = ['shops', 'buildings', 'households'] as const;
export const CONTACT_CHANNELS = ['phone', 'sms', 'wechat', 'app'] as const;
export const ALERT_KINDS = ['robbery', 'theft', 'suspicious', 'fight', 'other'] as const;

const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const Position = Type.Array(Type.Number({ minimum: -180, maximum: 180 }), { minItems: 2, maxItems: 3 });
export const PolygonSchema = Strict(
  {
    type: Type.Literal('Polygon'),
    coordinates: Type.Array(Type.Array(Position, { minItems: 4, maxItems: 2000 }), { minItems: 1, maxItems: 20 }),
  },
  { description: 'GeoJSON Polygon [lon, lat]; the boundary counts as inside' },
);
const Tags = Type.Array(Text(40), { maxItems: 20 });

export const TeamBody = Strict({ stationId: Type.Optional(Id), name: Text(60), note: Type.Optional(Text(500)) });
export const MemberBody = Strict({ userId: Id, leader: Type.Optional(Type.Boolean()), skills: Type.Optional(Tags), qualifications: Type.Optional(Tags) });
export const MemberPatch = Strict({ leader: Type.Optional(Type.Boolean()), skills: Type.Optional(Tags), qualifications: Type.Optional(Tags) });
export const MemberParams = Strict({ id: Id, userId: Id });

export const MemberView = Type.Object({ userId: Type.String(), displayName: Type.String(), leader: Type.Boolean(), skills: Type.Array(Type.String()), qualifications: Type.Array(Type.String()), joinedAt: Instant });
export const TeamView = Type.Object({ id: Type.String(), stationId: Type.String(), name: Type.String(), note: Nullable(Type.String()), members: Type.Integer(), leaders: Type.Array(Type.String()), mine: Type.Boolean() });
export const TeamList = Type.Object({ items: Type.Array(TeamView) });
export const TeamDetail = Type.Object({ ...TeamView.properties, memberList: Type.Array(MemberView) });

export const ShiftBody = Strict({
  teamId: Id,
  title: Type.Optional(Text(80)),
  startsAt: Instant,
  endsAt: Instant,
  area: PolygonSchema,
  minPeople: Type.Optional(Type.Integer({ minimum: 0, maximum: 500 })),
  maxPeople: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  needsApproval: Type.Optional(Type.Boolean()),
  signupOpensHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 30, description: 'sign-up opens this many hours before the start (default 72)' })),
});
export const ShiftQuery = Strict({
  teamId: Type.Optional(Id),
  from: Type.Optional(Instant),
  to: Type.Optional(Instant),
  open: Type.Optional(Type.Boolean({ description: 'only shifts open for sign-up now' })),
});
export const ShiftView = Type.Object({
  id: Type.String(),
  teamId: Type.String(),
  teamName: Type.String(),
  stationId: Type.String(),
  title: Type.String(),
  startsAt: Instant,
  endsAt: Instant,
  area: PolygonSchema,
  minPeople: Type.Integer(),
  maxPeople: Type.Integer(),
  needsApproval: Type.Boolean(),
  signupOpensAt: Instant,
  signupOpen: Type.Boolean(),
  taken: Type.Integer(),
  confirmed: Type.Integer(),
  short: Type.Boolean(),
  cancelled: Type.Boolean(),
  mySignup: Nullable(Type.Object({ id: Type.String(), status: TypedStringEnum(SIGNUP_STATUSES), checkedInAt: Nullable(Instant), checkedOutAt: Nullable(Instant) })),
});
export const ShiftList = Type.Object({ items: Type.Array(ShiftView) });

export const SignupView = Type.Object({
  id: Type.String(),
  shiftId: Type.String(),
  userId: Type.String(),
  displayName: Type.String(),
  status: TypedStringEnum(SIGNUP_STATUSES),
  createdAt: Instant,
  checkedInAt: Nullable(Instant),
  checkedOutAt: Nullable(Instant),
});
export const SignupList = Type.Object({ items: Type.Array(SignupView) });
export const SignupParams = Strict({ id: Id, signupId: Id });
export const CheckinBody = Strict({ lon: Lon, lat: Lat, accuracyM: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })) });
export const CheckoutBody = Strict({ lon: Type.Optional(Lon), lat: Type.Optional(Lat) });
export const CheckoutView = Type.Object({ signup: SignupView, hours: Type.Number(), points: Type.Integer() });

export const MyHours = Type.Object({
  hours: Type.Number(),
  points: Type.Integer(),
  shifts: Type.Integer(),
  thisMonthHours: Type.Number(),
  recent: Type.Array(Type.Object({ shiftId: Type.String(), title: Type.String(), startsAt: Instant, hours: Type.Number(), points: Type.Integer() })),
});

export const OnDuty = Type.Object({
  items: Type.Array(Type.Object({ shiftId: Type.String(), title: Type.String(), teamName: Type.String(), displayName: Type.String(), checkedInAt: Instant, endsAt: Instant })),
  shifts: Type.Integer(),
  people: Type.Integer(),
});

export const ReportBody = Strict({
  text: Text(2000),
  place: Type.Optional(Text(200)),
  lon: Type.Optional(Lon),
  lat: Type.Optional(Lat),
  category: Type.Optional(TypedStringEnum(REPORT_CATEGORIES)),
  teamId: Type.Optional(Id),
});
export const ReportView = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  teamId: Type.String(),
  teamName: Type.String(),
  reporter: Type.String(),
  text: Type.String(),
  place: Nullable(Type.String()),
  lon: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
  category: Nullable(Type.String()),
  status: TypedStringEnum(REPORT_STATUSES),
  createdAt: Instant,
});
export const ReportList = Type.Object({ items: Type.Array(ReportView) });
export const ReportStatusBody = Strict({ status: TypedStringEnum(REPORT_STATUSES) });

export const DefenceGroupBody = Strict({ stationId: Type.Optional(Id), kind: TypedStringEnum(DEFENCE_KINDS), name: Text(60) });
export const DefenceMemberBody = Strict({
  name: Text(60),
  addressText: Text(200),
  addressCode: Type.Optional(Text(64)),
  lon: Lon,
  lat: Lat,
  contactChannel: TypedStringEnum(CONTACT_CHANNELS),
  contact: Text(60),
  userId: Type.Optional(Id),
});
export const DefenceMemberView = Type.Object({ id: Type.String(), name: Type.String(), addressText: Type.String(), lon: Type.Number(), lat: Type.Number(), contactChannel: Type.String(), contact: Type.String(), hasAccount: Type.Boolean() });
export const DefenceGroupView = Type.Object({ id: Type.String(), stationId: Type.String(), kind: TypedStringEnum(DEFENCE_KINDS), name: Type.String(), members: Type.Array(DefenceMemberView), myMemberId: Nullable(Type.String()) });
export const DefenceGroupList = Type.Object({ items: Type.Array(DefenceGroupView) });
export const DefenceAlertBody = Strict({ kind: TypedStringEnum(ALERT_KINDS), note: Type.Optional(Text(500)) });
export const DefenceAlertView = Type.Object({
  id: Type.String(),
  groupId: Type.String(),
  groupName: Type.String(),
  memberName: Type.String(),
  addressText: Type.String(),
  kind: TypedStringEnum(ALERT_KINDS),
  note: Nullable(Type.String()),
  incidentId: Nullable(Type.String()),
  incidentNumber: Nullable(Type.String()),
  raisedAt: Instant,
  notified: Type.Integer(),
});
export const DefenceAlertList = Type.Object({ items: Type.Array(DefenceAlertView) });
