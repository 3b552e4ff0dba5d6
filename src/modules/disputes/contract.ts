/** The disputes API's request and answer schemas (TypeBox): enumerations declared as enums in OpenAPI. */
import { Type } from '@sinclair/typebox';
import { Day, Id, Instant, Nullable, Paging, Strict, StringEnum, TypedStringEnum } from '../../core/typebox.js';
import { AGENCY_KINDS, DISPUTE_SOURCES, DISPUTE_STATUSES, DISPUTE_TYPES, MEDIATION_TYPES, OUTCOMES, PARTY_ROLES } from './domain/vocabulary.js';
import { REFERRAL_STATES } from './domain/referral-machine.js';

export const RISK_GRADES = ['red', 'orange', 'yellow', 'blue'] as const;
export const FOLLOWUP_METHODS = ['visit', 'phone', 'other'] as const;
export const PERFORMANCE = ['performed', 'partly', 'not_performed'] as const;
export const SIGNATURE_METHODS = ['on_screen', 'scan'] as const;

const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });
const Point = Strict({ lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) });
const Phone = Type.String({ minLength: 3, maxLength: 20, pattern: '^[0-9+ -]+$' });

export const PartyBody = Strict({
  name: Text(50),
  phone: Type.Optional(Phone),
  role: TypedStringEnum(PARTY_ROLES),
  relation: Type.Optional(Text(50)),
  vulnerable: Type.Optional(Type.Boolean({ description: 'elderly, minor or otherwise vulnerable' })),
});

export const RegisterBody = Strict({
  source: TypedStringEnum(DISPUTE_SOURCES),
  type: Type.Optional(TypedStringEnum(DISPUTE_TYPES)),
  parties: Type.Optional(Type.Array(PartyBody, { maxItems: 20 })),
  summary: Type.Optional(Text(4000)),
  incidentId: Type.Optional(Id),
  addressCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  address: Type.Optional(Text(200)),
  location: Type.Optional(Point),
  injuries: Type.Optional(Type.Boolean()),
  weaponsOrThreats: Type.Optional(Type.Boolean()),
  externalRef: Type.Optional(Text(64)),
});

export const ListQuery = Strict({
  status: Type.Optional(Type.Array(TypedStringEnum(DISPUTE_STATUSES), { maxItems: 10 })),
  riskGrade: Type.Optional(Type.Array(TypedStringEnum(RISK_GRADES), { maxItems: 4 })),
  type: Type.Optional(Type.Array(TypedStringEnum(DISPUTE_TYPES), { maxItems: 20 })),
  from: Type.Optional(Instant),
  to: Type.Optional(Instant),
  open: Type.Optional(Type.Boolean()),
  incidentId: Type.Optional(Id),
  stationId: Type.Optional(Id),
  number: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' })),
  sort: Type.Optional(TypedStringEnum(['risk', 'age', 'recent'] as const)),
  ...Paging,
});

const RiskReason = Type.Object({ code: Type.String(), points: Type.Number(), zh: Type.String(), en: Type.String() });

export const DisputeListItem = Type.Object({
  id: Type.String(),
  number: Type.String(),
  source: StringEnum(DISPUTE_SOURCES),
  type: StringEnum(DISPUTE_TYPES),
  status: StringEnum(DISPUTE_STATUSES),
  summary: Type.String(),
  address: Nullable(Type.String()),
  addressCode: Nullable(Type.String()),
  location: Nullable(Type.Object({ lon: Type.Number(), lat: Type.Number() })),
  stationId: Type.String(),
  gridId: Nullable(Type.String()),
  riskGrade: StringEnum(RISK_GRADES),
  riskScore: Type.Number(),
  riskReasons: Type.Array(RiskReason),
  registeredAt: Instant,
  registeredBy: Type.String(),
  daysOpen: Type.Integer(),
  closedAt: Nullable(Instant),
  outcome: Nullable(StringEnum(OUTCOMES)),
  outcomeNote: Nullable(Type.String()),
  version: Type.Integer(),
});

export const DisputeList = Type.Object({ items: Type.Array(DisputeListItem), total: Type.Integer() });

export const ReferralView = Type.Object({
  id: Type.String(),
  disputeId: Type.String(),
  mediationType: StringEnum(MEDIATION_TYPES),
  agencyId: Type.String(),
  agencyName: Nullable(Type.String()),
  mediatorId: Nullable(Type.String()),
  mediatorName: Nullable(Type.String()),
  status: StringEnum(REFERRAL_STATES),
  reason: Nullable(Type.String()),
  outcome: Nullable(Type.String()),
  extensions: Type.Array(Type.Object({ consentedAt: Instant, days: Type.Integer(), note: Nullable(Type.String()) })),
  createdAt: Instant,
  createdBy: Type.String(),
  acceptedAt: Nullable(Instant),
  endedAt: Nullable(Instant),
  version: Type.Integer(),
});

export const SessionView = Type.Object({ id: Type.String(), referralId: Type.String(), heldAt: Instant, place: Nullable(Type.String()), attendees: Nullable(Type.Integer()), summary: Type.String(), recordedBy: Type.String() });

export const AgreementView = Type.Object({
  referralId: Type.String(),
  text: Type.String(),
  performanceMethod: Nullable(Type.String()),
  performancePlace: Nullable(Type.String()),
  performanceDeadline: Nullable(Day),
  signatures: Type.Array(Type.Object({ partyId: Type.String(), method: StringEnum(SIGNATURE_METHODS), at: Instant })),
  mediatorId: Nullable(Type.String()),
  mediatorName: Nullable(Type.String()),
  agencyId: Type.String(),
  signedAt: Instant,
  performedAt: Nullable(Instant),
  judicialConfirmationAt: Nullable(Instant),
});

export const FollowupView = Type.Object({ id: Type.String(), at: Instant, method: StringEnum(FOLLOWUP_METHODS), performance: StringEnum(PERFORMANCE), note: Nullable(Type.String()), recordedBy: Type.String() });

const ClockView = Type.Object({
  code: Type.String(),
  zh: Type.String(),
  en: Type.String(),
  basis: Type.String(),
  dueAt: Instant,
  doneAt: Nullable(Instant),
  state: StringEnum(['done', 'due', 'soon', 'overdue'] as const),
});

const StepView = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String(), dueAt: Instant, doneAt: Nullable(Instant), state: StringEnum(['done', 'due', 'soon', 'overdue'] as const) });

export const DisputeDetail = Type.Composite([
  DisputeListItem,
  Type.Object({
    parties: Type.Array(Type.Object({ id: Type.String(), role: StringEnum(PARTY_ROLES), name: Type.String(), phone: Nullable(Type.String()), relation: Nullable(Type.String()), vulnerable: Type.Boolean() })),
    incidents: Type.Array(Type.Object({ incidentId: Type.String(), kind: StringEnum(['origin', 'linked', 'recurrence'] as const), linkedAt: Instant })),
    referrals: Type.Array(ReferralView),
    sessions: Type.Array(SessionView),
    agreement: Nullable(AgreementView),
    followups: Type.Array(FollowupView),
    clocks: Type.Array(ClockView),
    protocol: Type.Array(StepView),
    timeline: Type.Array(Type.Object({ id: Type.Integer(), at: Instant, type: Type.String(), username: Nullable(Type.String()), detail: Type.Record(Type.String(), Type.Unknown()) })),
  }),
]);

export const ReferBody = Strict({
  mediationType: TypedStringEnum(MEDIATION_TYPES),
  agencyId: Id,
  mediatorId: Type.Optional(Id),
  hiredViolence: Type.Optional(Type.Boolean({ description: '雇凶: police mediation is refused' })),
  repeatOffender: Type.Optional(Type.Boolean({ description: 'a party offended repeatedly: police mediation is refused' })),
});

export const ReasonBody = Strict({ reason: Text(1000) });
export const ReassignBody = Strict({ ...ReferBody.properties, reason: Text(1000) });
export const ExtendBody = Strict({ days: Type.Integer({ minimum: 1, maximum: 90 }), consentedAt: Instant, note: Type.Optional(Text(1000)) });
export const SessionBody = Strict({ heldAt: Type.Optional(Instant), place: Type.Optional(Text(200)), attendees: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), summary: Text(4000) });
export const AgreementBody = Strict({
  text: Text(10_000),
  performanceMethod: Type.Optional(Text(500)),
  performancePlace: Type.Optional(Text(200)),
  performanceDeadline: Type.Optional(Day),
  signatures: Type.Array(Strict({ partyId: Id, method: TypedStringEnum(SIGNATURE_METHODS) }), { minItems: 1, maxItems: 20 }),
});
export const FollowupBody = Strict({ at: Type.Optional(Instant), method: TypedStringEnum(FOLLOWUP_METHODS), performance: TypedStringEnum(PERFORMANCE), note: Type.Optional(Text(2000)) });
export const CloseBody = Strict({ outcome: TypedStringEnum(OUTCOMES), note: Type.Optional(Text(2000)) });
export const StepBody = Strict({ note: Type.Optional(Text(1000)) });
export const LinkBody = Strict({ incidentId: Id });

export const HintQuery = Strict({
  phone: Type.Optional(Phone),
  addressCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
});

export const HintList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      number: Type.String(),
      type: StringEnum(DISPUTE_TYPES),
      status: StringEnum(DISPUTE_STATUSES),
      riskGrade: StringEnum(RISK_GRADES),
      daysOpen: Type.Integer(),
      matchedBy: StringEnum(['phone', 'address', 'place'] as const),
      location: Nullable(Type.Object({ lon: Type.Number(), lat: Type.Number() })),
    }),
  ),
});

export const RiskPlaces = Type.Object({
  items: Type.Array(Type.Object({ id: Type.String(), number: Type.String(), type: StringEnum(DISPUTE_TYPES), riskGrade: StringEnum(RISK_GRADES), location: Type.Object({ lon: Type.Number(), lat: Type.Number() }), registeredAt: Instant })),
});

export const AgencyList = Type.Array(
  Type.Object({
    id: Type.String(),
    kind: StringEnum(AGENCY_KINDS),
    name: Type.String(),
    servesUnitId: Nullable(Type.String()),
    mediators: Type.Array(Type.Object({ id: Type.String(), username: Type.String(), displayName: Type.String() })),
  }),
);

const Rates = {
  registered: Type.Integer(),
  resolved: Type.Integer(),
  resolutionRate: Nullable(Type.Number()),
  open: Type.Integer(),
  agreementsSigned: Type.Integer(),
  agreementsPerformed: Type.Integer(),
  performanceRate: Nullable(Type.Number()),
  closed: Type.Integer(),
  recurred: Type.Integer(),
  recurrenceRate: Nullable(Type.Number()),
  medianDaysToResolution: Nullable(Type.Number()),
};

export const StatsQuery = Strict({ from: Instant, to: Instant });
export const Stats = Type.Object({
  from: Instant,
  to: Instant,
  ...Rates,
  byStation: Type.Array(Type.Object({ stationId: Type.String(), ...Rates })),
  byType: Type.Array(Type.Object({ type: Type.String(), ...Rates })),
  byAgency: Type.Array(
    Type.Object({ agencyId: Type.String(), agencyName: Type.String(), kind: Type.String(), received: Type.Integer(), accepted: Type.Integer(), declined: Type.Integer(), mediated: Type.Integer(), mediationRate: Nullable(Type.Number()) }),
  ),
});

export const WorkItem = Type.Object({ referral: ReferralView, dispute: DisputeListItem });
export const WorkList = Type.Object({ items: Type.Array(WorkItem) });
export const WorkQuery = Strict({ status: Type.Optional(Type.Array(TypedStringEnum(REFERRAL_STATES), { maxItems: 8 })), ...Paging });

const DueItem = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String(), dueAt: Instant, state: StringEnum(['done', 'due', 'soon', 'overdue'] as const) });
export const Attention = Type.Object({
  items: Type.Array(Type.Object({ dispute: DisputeListItem, overdue: Type.Array(DueItem), soon: Type.Array(DueItem) })),
  openCount: Type.Integer(),
  truncated: Type.Boolean({ description: 'more than 2,000 open disputes: only the highest-risk 2,000 were checked' }),
});
