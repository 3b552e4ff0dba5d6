/**
 * What the incidents API answers, as TypeBox schemas (#10 step 7): field for field what views.ts,
 * service.ts, categories-store.ts and the routes build. Fastify serialises with these and drops any
 * field not declared here, so a field added to a view must be added here too; OpenAPI and the web's
 * contract (web/src/contract) are generated from them.
 */
import { Type } from '@sinclair/typebox';
import { Instant, Nullable, StringEnum } from '../../core/typebox.js';
import { INCIDENT_SOURCES, STATUSES } from './domain/lifecycle.js';
import { PRIORITIES, TRANSFER_TARGETS } from './domain/categories.js';
import { DANGER_RULE_KEYS } from './domain/priority.js';

const Priority = StringEnum(PRIORITIES);
const Text = Nullable(Type.String());

/** The time stamps of an incident (incidentView `times`): each the first time its status was reached. */
export const IncidentTimesView = Type.Object({
  callStartedAt: Nullable(Instant),
  answeredAt: Nullable(Instant),
  recordedAt: Instant,
  dispatchedAt: Nullable(Instant),
  enRouteAt: Nullable(Instant),
  onSceneAt: Nullable(Instant),
  clearedAt: Nullable(Instant),
  closedAt: Nullable(Instant),
  transferredAt: Nullable(Instant),
  cancelledAt: Nullable(Instant),
  mergedAt: Nullable(Instant),
  reopenedAt: Nullable(Instant),
});

/** An incident as incidentView (views.ts) shows it; the caller masked unless the read shows it in full. */
export const IncidentView = Type.Object({
  id: Type.String(),
  number: Type.String({ description: 'J + station code + local day YYYYMMDD + 4-digit sequence' }),
  source: StringEnum(INCIDENT_SOURCES),
  categoryCode: Type.String(),
  categoryFamily: Type.String({ description: 'the level-1 category' }),
  priority: Priority,
  suggestedPriority: Priority,
  priorityReason: Text,
  status: StringEnum(STATUSES),
  caller: Type.Object({ name: Text, phone: Text }, { description: 'masked (王** / 138****5678) in lists and for roles that do not need it' }),
  address: Text,
  addressCode: Text,
  location: Nullable(Type.Object({ lon: Type.Number(), lat: Type.Number(), accuracyM: Nullable(Type.Number()) })),
  description: Type.String(),
  stationId: Type.String(),
  gridId: Text,
  jurisdictionOverridden: Type.Boolean(),
  dispositionCode: Text,
  dispositionNote: Text,
  masterId: Nullable(Type.String({ description: 'the incident this one is merged into' })),
  externalRef: Nullable(Type.String({ description: 'the 12345 order it came from' })),
  times: IncidentTimesView,
  createdBy: Text,
  version: Type.Integer(),
});

/** The answer to a create: the incident and the open ones it may duplicate (nearest first, callers masked). */
export const CreatedIncidentView = Type.Composite([IncidentView, Type.Object({ duplicateCandidates: Type.Array(IncidentView) })]);

/** A transfer as transferView (views.ts) shows it. */
export const TransferView = Type.Object({
  id: Type.String(),
  incidentId: Type.String(),
  target: StringEnum(TRANSFER_TARGETS),
  reason: Type.String(),
  externalRef: Text,
  status: StringEnum(['sent', 'answered'] as const),
  overdue: Type.Boolean({ description: 'sent, and past its due time' }),
  sentAt: Instant,
  dueAt: Instant,
  answeredAt: Nullable(Instant),
  answer: Text,
});

/** A callback (回访) as callbackView (views.ts) shows it. */
export const CallbackView = Type.Object({
  id: Type.String(),
  incidentId: Type.String(),
  status: StringEnum(['pending', 'done'] as const),
  outcome: Nullable(Type.String({ description: 'satisfied | basically_satisfied | dissatisfied | unreachable' })),
  reason: Text,
  createdAt: Instant,
  doneAt: Nullable(Instant),
  doneBy: Text,
  reviewStatus: Nullable(Type.String({ description: 'pending | reviewed (dissatisfied callbacks only)' })),
  reviewNote: Text,
  reviewedBy: Text,
});

/** One step of the timeline (service.ts detail, or timelineFromTimes for imported history). */
export const IncidentEventView = Type.Object({
  at: Instant,
  type: Type.String({ description: 'created | transition | merged | unmerged | duplicate_linked | transfer_answered | callback …' }),
  fromStatus: Text,
  toStatus: Text,
  username: Text,
  detail: Nullable(Type.Object({}, { additionalProperties: Type.Unknown(), description: 'what the step recorded (free JSON)' })),
});

/** One incident with everything around it (service.ts detail). */
export const IncidentDetailView = Type.Composite([
  IncidentView,
  Type.Object({
    categoryPath: Type.Array(Type.String(), { description: 'category names from the root' }),
    stationName: Text,
    events: Type.Array(IncidentEventView),
    transfers: Type.Array(TransferView),
    callback: Nullable(CallbackView),
    mergedIncidents: Type.Array(Type.Object({ id: Type.String(), number: Type.String() })),
  }),
]);

/** Caller and place history (service.ts history). */
export const IncidentHistoryView = Type.Object({
  caller: Type.Array(IncidentView, { description: 'the same number, 90 days (caller shown to the roles that need it)' }),
  place: Type.Array(IncidentView, { description: 'within 100 m, 90 days (callers masked)' }),
  placeCount30d: Type.Integer(),
  repeatLocation: Type.Boolean({ description: 'three or more incidents here in 30 days' }),
});

const CategoryReasonParams = Type.Object({ category: Type.String(), name: Type.String(), nameEn: Type.String(), priority: Priority });

/** Why a priority is suggested, as a code with parameters (domain/priority.ts); the web translates them. */
const PriorityReasonView = Type.Union([
  Type.Object({ code: Type.Literal('category_default'), params: CategoryReasonParams }),
  Type.Object({ code: Type.Literal('category_not_leaf'), params: CategoryReasonParams }),
  Type.Object({ code: Type.Literal('category_unknown'), params: Type.Object({ category: Type.String(), priority: Priority }) }),
  Type.Object({ code: Type.Literal('device_alarm'), params: Type.Object({ priority: Priority }) }),
  Type.Object({ code: Type.Literal('keyword'), params: Type.Object({ rule: StringEnum(DANGER_RULE_KEYS), word: Type.String({ description: 'the rule in Chinese' }), priority: Priority }) }),
  Type.Object({ code: Type.Literal('in_progress'), params: Type.Object({ word: Nullable(Type.String({ description: 'the word in the description; null: the caller said so' })), priority: Priority }) }),
]);

export const PrioritySuggestionView = Type.Object({
  priority: Priority,
  reasons: Type.Array(Type.String(), { description: 'the reasons in Chinese' }),
  reasonCodes: Type.Array(PriorityReasonView),
});

const categoryFields = {
  code: Type.String(),
  parentCode: Text,
  level: Type.Integer({ minimum: 1, maximum: 4 }),
  name: Type.String(),
  nameEn: Type.String(),
  leaf: Type.Boolean(),
  defaultPriority: Nullable(Priority),
  capabilities: Type.Array(Type.String(), { description: 'what a unit must be able to do' }),
  transferTo: Nullable(Type.String({ description: 'the hotline a non-police matter goes to' })),
  keywords: Type.Array(Type.String()),
  sortOrder: Type.Integer(),
  active: Type.Boolean(),
};

/** A stored category (categories-store.ts CategoryRow). */
export const CategoryView = Type.Object(categoryFields);

/** The active tree (CategoryStore.tree): each node with its synonyms, its commonness and its children. */
export const CategoryNodeView = Type.Recursive(
  (Node) =>
    Type.Object({
      ...categoryFields,
      synonyms: Type.Array(Type.String(), { description: 'words callers use for it, beyond the keywords' }),
      commonness: Type.Integer({ minimum: 0, maximum: 100, description: 'how common among the calls of the last 90 days' }),
      children: Type.Array(Node),
    }),
  { $id: 'CategoryNode' },
);

/** A disposition code (domain/dispositions.ts DISPOSITIONS). */
export const DispositionView = Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String(), kind: Type.String(), valid: Type.Boolean({ description: 'counts as a valid incident in the KPIs' }) });

/** The outcome of a 12345 work order, for the hotline to report back (followup-routes.ts orderStatus). */
export const HotlineOrderView = Type.Object({
  externalRef: Type.String(),
  incidentId: Type.String(),
  number: Type.String(),
  status: StringEnum(STATUSES),
  dispositionCode: Text,
  dispositionNote: Text,
  receivedAt: Instant,
  dispatchedAt: Nullable(Instant),
  onSceneAt: Nullable(Instant),
  closedAt: Nullable(Instant),
});
