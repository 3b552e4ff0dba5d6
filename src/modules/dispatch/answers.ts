/**
 * What the dispatch API answers, as TypeBox schemas (#10 step 7): field for field what views.ts,
 * positions.ts, recommendation.ts and domain/recommend.ts build. Fastify serialises with these and drops
 * any field not declared here, so a field added to a view must be added here too; OpenAPI and the web's
 * contract (web/src/contract) are generated from them.
 */
import { Type } from '@sinclair/typebox';
import { Day, Instant, Nullable, StringEnum } from '../../core/typebox.js';
import { UNIT_STATUSES } from './domain/unit-status.js';
import { ALERT_KINDS } from './domain/alerts.js';
import { IncidentView } from '../incidents/index.js';

const Text = Nullable(Type.String());
const Priority = Type.String({ description: 'P1 (most urgent) … P4' });
const LonLat = Type.Tuple([Type.Number(), Type.Number()], { description: '[lon, lat]' });
const UnitStatus = StringEnum(UNIT_STATUSES);
const ASSIGNMENT_STATUSES = ['assigned', 'acknowledged', 'en_route', 'on_scene', 'cleared', 'cancelled'] as const;

/** A unit as unitView (views.ts) shows it: crew names masked (张**) for roles that do not need them. */
export const UnitView = Type.Object({
  id: Type.String(),
  callSign: Type.String(),
  kind: Type.String({ description: 'patrol_car | motorcycle | foot | traffic | min_combat_unit | community' }),
  stationId: Type.String(),
  members: Type.Array(Type.String(), { description: 'the crew’s names; masked unless the role needs them' }),
  memberUserIds: Type.Array(Type.String(), { description: 'the accounts that act as the unit' }),
  capabilities: Type.Array(Type.String()),
  home: LonLat,
  status: UnitStatus,
  statusAt: Instant,
  onDuty: Type.Boolean({ description: 'a shift of the roster is running' }),
  position: Nullable(
    Type.Object({
      lon: Type.Number(),
      lat: Type.Number(),
      at: Instant,
      speed: Nullable(Type.Number({ description: 'km/h' })),
      heading: Nullable(Type.Number({ description: 'degrees from north' })),
      snapped: Nullable(Type.Object({ lon: Type.Number(), lat: Type.Number() }, { description: 'the nearest road position; null off the network' })),
    }),
  ),
  positionAgeSeconds: Nullable(Type.Integer()),
  stale: Type.Boolean({ description: 'no recent position: ETAs are estimated from the home point' }),
  currentAssignment: Nullable(Type.Object({ id: Type.String(), incidentId: Type.String(), status: Type.String(), priority: Priority, assignedAt: Instant })),
  active: Type.Boolean(),
});

export const UnitListView = Type.Object({ items: Type.Array(UnitView), total: Type.Integer() });

export const ShiftView = Type.Object({ id: Type.String(), unitId: Type.String(), day: Day, startsAt: Instant, endsAt: Instant, note: Text });

export const StatusEventView = Type.Object({
  at: Instant,
  fromStatus: Nullable(Type.String({ description: 'null when the unit was created' })),
  toStatus: Type.String(),
  incidentId: Text,
  assignmentId: Text,
  username: Text,
  note: Text,
});

export const PositionAccepted = Type.Object({ accepted: Type.Integer() });
export const PositionsAccepted = Type.Object({
  accepted: Type.Integer(),
  rejected: Type.Array(
    Type.Object({ index: Type.Integer({ description: 'in the request' }), unitId: Type.String(), code: StringEnum(['unknown_unit', 'forbidden', 'bad_time', 'bad_position']) }),
    { description: 'the first 100 refused reports' },
  ),
});

/** Why a unit is recommended, as a code with parameters (domain/reasons.ts); the web translates them. */
const ReasonCode = Type.Union([
  Type.Object({ code: Type.Literal('plan_first') }),
  Type.Object({ code: Type.Literal('plan_covers'), caps: Type.Array(Type.String()) }),
  Type.Object({ code: Type.Literal('not_needed_speciality') }),
  Type.Object({ code: Type.Literal('no_capable_unit') }),
  Type.Object({ code: Type.Literal('diverting'), from: Text }),
  Type.Object({ code: Type.Literal('unreachable') }),
  Type.Object({ code: Type.Literal('station_estimate'), eta: Type.Number(), noPosition: Type.Boolean(), penalty: Type.Number() }),
  Type.Object({ code: Type.Literal('fastest'), eta: Type.Number() }),
  Type.Object({ code: Type.Literal('slower'), eta: Type.Number(), behind: Type.Number() }),
]);

/** One row of a recommendation (domain/recommend.ts). */
export const RecommendationView = Type.Object({
  unitId: Type.String(),
  callSign: Type.String(),
  kind: Type.String(),
  etaSeconds: Nullable(Type.Integer({ description: 'by road; null: unreachable' })),
  distanceMeters: Nullable(Type.Integer()),
  status: Type.String(),
  positionAgeSeconds: Nullable(Type.Integer({ description: 'null: never reported' })),
  stale: Type.Boolean(),
  reason: Type.String({ description: 'the reasons in Chinese' }),
  reasons: Type.Array(ReasonCode),
  diverting: Type.Boolean(),
  capabilityMatch: Type.Boolean(),
  matchedCapabilities: Type.Array(Type.String()),
  plan: Nullable(StringEnum(['first', 'specialist'], { description: 'part of the proposed response' })),
  covers: Type.Array(Type.String()),
  missingCapabilities: Type.Array(Type.String(), { description: 'police needs no eligible unit covers (the same on every row)' }),
  linkage: Type.Array(Type.String(), { description: 'partners to notify, e.g. 120 (the same on every row)' }),
});

export const RouteView = Type.Object({
  type: Type.Literal('Feature'),
  properties: Type.Object({ incidentId: Type.String(), unitId: Type.String(), callSign: Type.String(), seconds: Type.Integer(), meters: Type.Integer(), stale: Type.Boolean({ description: 'from the home point' }) }),
  geometry: Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(LonLat) }),
});

/** An assignment as assignmentView (views.ts) shows it. */
export const AssignmentView = Type.Object({
  id: Type.String(),
  incidentId: Type.String(),
  unitId: Type.String(),
  callSign: Nullable(Type.String({ description: 'null when the unit is no longer active' })),
  stationId: Type.String(),
  priority: Priority,
  status: StringEnum(ASSIGNMENT_STATUSES),
  etaSeconds: Nullable(Type.Integer()),
  assignedAt: Instant,
  assignedBy: Text,
  ackAt: Nullable(Instant),
  enRouteAt: Nullable(Instant),
  onSceneAt: Nullable(Instant),
  clearedAt: Nullable(Instant),
  cancelledAt: Nullable(Instant),
  cancelReason: Text,
});

export const AssignmentListView = Type.Object({ items: Type.Array(AssignmentView) });

/** An alert as alertView (views.ts) shows it. */
export const AlertView = Type.Object({
  id: Type.String(),
  kind: StringEnum(ALERT_KINDS),
  level: StringEnum(['alert', 'escalated']),
  status: StringEnum(['open', 'acked', 'resolved']),
  message: Type.String({ description: 'in Chinese, as raised (audit); show kind + params in the reader\'s language' }),
  params: Nullable(
    Type.Object(
      { callSign: Text, number: Type.String({ description: 'the incident number' }), seconds: Type.Integer({ description: 'the timer the alert overran' }) },
      { description: 'what the message names; null on alerts raised before these were kept' },
    ),
  ),
  incidentId: Text,
  assignmentId: Text,
  unitId: Text,
  stationId: Type.String(),
  raisedAt: Instant,
  escalatedAt: Nullable(Instant),
  ackedAt: Nullable(Instant),
  ackedBy: Text,
});

/** The officer's unit, its current assignment and that incident (null when the user crews no unit). */
export const MyAssignmentView = Type.Object({
  unit: Nullable(UnitView),
  assignment: Nullable(AssignmentView),
  incident: Nullable(IncidentView),
});
