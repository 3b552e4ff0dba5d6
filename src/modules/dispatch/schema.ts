/** Tables of dispatch: units (警力), their duty roster, status history, position track, assignments, alerts. */
import { pgTable, text, boolean, timestamp, doublePrecision, bigserial, index, uniqueIndex, integer, jsonb } from 'drizzle-orm/pg-core';
import type { AlertParams } from './domain/alerts.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** A unit that can be sent: a patrol car, a motorcycle, a foot patrol, a 最小作战单元 … */
export const units = pgTable(
  'units',
  {
    id: text('id').primaryKey(),
    callSign: text('call_sign').notNull(),
    kind: text('kind').notNull(),
    /** The 派出所 (org_units.id, kind station) the unit belongs to: its jurisdiction. */
    stationId: text('station_id').notNull(),
    /** Names of the crew (personal data: names only, masked for roles that do not need them). */
    members: text('members').array().notNull().default([]),
    /** Accounts (users.id) of the crew: an officer signed in as one of them acts for the unit. */
    memberUserIds: text('member_user_ids').array().notNull().default([]),
    capabilities: text('capabilities').array().notNull().default([]),
    homeLon: doublePrecision('home_lon').notNull(),
    homeLat: doublePrecision('home_lat').notNull(),
    status: text('status').notNull().default('off_duty'),
    statusAt: ts('status_at').notNull().defaultNow(),
    /** The assignment the unit is working on (dispatched, en route, on scene), if any. */
    currentAssignmentId: text('current_assignment_id'),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('units_call_sign_uq').on(t.callSign), index('units_station_idx').on(t.stationId)],
);

/** Duty roster: one row per shift of a unit (a shift may run past midnight). */
export const unitShifts = pgTable(
  'unit_shifts',
  {
    id: text('id').primaryKey(),
    unitId: text('unit_id').notNull(),
    /** Local day (the configured time zone) the shift starts on, 'YYYY-MM-DD'. */
    day: text('day').notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    note: text('note'),
    createdBy: text('created_by'),
  },
  (t) => [uniqueIndex('unit_shifts_unit_start_uq').on(t.unitId, t.startsAt), index('unit_shifts_ends_idx').on(t.endsAt)],
);

/** Every status change of a unit, time-stamped, with who made it and for which assignment. */
export const unitStatusEvents = pgTable(
  'unit_status_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    unitId: text('unit_id').notNull(),
    at: ts('at').notNull().defaultNow(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    incidentId: text('incident_id'),
    assignmentId: text('assignment_id'),
    userId: text('user_id'),
    username: text('username'),
    note: text('note'),
  },
  (t) => [index('unit_status_events_unit_idx').on(t.unitId, t.at)],
);

/** The thinned AVL track (at most one row per unit per 30 s or 100 m), purged after the retention. */
export const unitPositions = pgTable(
  'unit_positions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    unitId: text('unit_id').notNull(),
    at: ts('at').notNull(),
    lon: doublePrecision('lon').notNull(),
    lat: doublePrecision('lat').notNull(),
    speed: doublePrecision('speed'),
    heading: doublePrecision('heading'),
  },
  (t) => [index('unit_positions_unit_at_idx').on(t.unitId, t.at), index('unit_positions_at_idx').on(t.at)],
);

/** A unit sent to an incident: assigned → acknowledged → en route → on scene → cleared (or cancelled). */
export const assignments = pgTable(
  'assignments',
  {
    id: text('id').primaryKey(),
    incidentId: text('incident_id').notNull(),
    unitId: text('unit_id').notNull(),
    /** Station of the incident (scoping of alerts and lists). */
    stationId: text('station_id').notNull(),
    priority: text('priority').notNull(),
    status: text('status').notNull(),
    etaSeconds: integer('eta_seconds'),
    assignedAt: ts('assigned_at').notNull(),
    assignedBy: text('assigned_by'),
    ackAt: ts('ack_at'),
    enRouteAt: ts('en_route_at'),
    onSceneAt: ts('on_scene_at'),
    clearedAt: ts('cleared_at'),
    cancelledAt: ts('cancelled_at'),
    cancelReason: text('cancel_reason'),
    cancelledBy: text('cancelled_by'),
  },
  (t) => [index('assignments_incident_idx').on(t.incidentId), index('assignments_unit_idx').on(t.unitId, t.assignedAt), index('assignments_status_idx').on(t.status, t.assignedAt)],
);

/** Dispatch alerts: an assignment not acknowledged in time, a P1 incident still unassigned … */
export const dispatchAlerts = pgTable(
  'dispatch_alerts',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    /** The assignment or incident the alert is about. */
    subjectId: text('subject_id').notNull(),
    incidentId: text('incident_id'),
    assignmentId: text('assignment_id'),
    unitId: text('unit_id'),
    stationId: text('station_id').notNull(),
    /** alert → escalated (to the commander) when nobody acknowledges it in time. */
    level: text('level').notNull(),
    status: text('status').notNull(), // open | acked | resolved
    /** The Chinese text as raised (audit, older clients); the web shows `kind` + `params` in the reader's language. */
    message: text('message').notNull(),
    /** What the message names: the unit's call sign (ack_timeout), the incident number, the timer in seconds. Null on alerts raised before migration 0011. */
    params: jsonb('params').$type<AlertParams>(),
    raisedAt: ts('raised_at').notNull(),
    escalatedAt: ts('escalated_at'),
    ackedAt: ts('acked_at'),
    ackedBy: text('acked_by'),
    resolvedAt: ts('resolved_at'),
  },
  (t) => [uniqueIndex('dispatch_alerts_kind_subject_uq').on(t.kind, t.subjectId), index('dispatch_alerts_status_idx').on(t.status, t.raisedAt)],
);
