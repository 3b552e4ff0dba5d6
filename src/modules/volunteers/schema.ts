/**
 * Tables of the volunteer police (义警) and linked-defence groups (联防). No positions are kept: a
 * check-in stores that it was inside the shift's area and when, never where the volunteer stood — no
 * movement trails of people (PRODUCT.md "What it does not do").
 */
import { sql } from 'drizzle-orm';
import { pgTable, text, integer, boolean, timestamp, jsonb, doublePrecision, index, uniqueIndex, primaryKey, check } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** A volunteer team under a station. */
export const volunteerTeams = pgTable(
  'volunteer_teams',
  {
    id: text('id').primaryKey(),
    stationId: text('station_id').notNull(),
    name: text('name').notNull(),
    note: text('note'),
    createdAt: ts('created_at').notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [uniqueIndex('volunteer_teams_station_name_uq').on(t.stationId, t.name)],
);

/** A member (an account with role `volunteer`) of a team, with skills and qualifications; `leader` marks team leaders. */
export const volunteerMembers = pgTable(
  'volunteer_members',
  {
    teamId: text('team_id').notNull(),
    userId: text('user_id').notNull(),
    leader: boolean('leader').notNull().default(false),
    skills: jsonb('skills').notNull().default([]),
    qualifications: jsonb('qualifications').notNull().default([]),
    joinedAt: ts('joined_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('volunteer_members_user_idx').on(t.userId)],
);

/**
 * A patrol shift of a team. `taken` counts the places held (pending and confirmed sign-ups); a sign-up
 * takes a place with one conditional UPDATE (`taken < max_people`), so concurrent sign-ups never over-book,
 * and the CHECK is the last word.
 */
export const volunteerShifts = pgTable(
  'volunteer_shifts',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id').notNull(),
    stationId: text('station_id').notNull(),
    title: text('title').notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    area: jsonb('area').notNull(),
    minPeople: integer('min_people').notNull(),
    maxPeople: integer('max_people').notNull(),
    needsApproval: boolean('needs_approval').notNull().default(false),
    signupOpensHours: integer('signup_opens_hours').notNull(),
    taken: integer('taken').notNull().default(0),
    confirmed: integer('confirmed').notNull().default(0),
    cancelledAt: ts('cancelled_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [
    index('volunteer_shifts_team_start_idx').on(t.teamId, t.startsAt),
    index('volunteer_shifts_station_start_idx').on(t.stationId, t.startsAt),
    check('volunteer_shifts_taken_ck', sql`${t.taken} >= 0 AND ${t.taken} <= ${t.maxPeople}`),
  ],
);

/** One volunteer's sign-up for one shift: pending (needs approval) → confirmed | rejected; cancelled; check-in and out. */
export const volunteerSignups = pgTable(
  'volunteer_signups',
  {
    id: text('id').primaryKey(),
    shiftId: text('shift_id').notNull(),
    userId: text('user_id').notNull(),
    status: text('status').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    decidedAt: ts('decided_at'),
    decidedBy: text('decided_by'),
    checkedInAt: ts('checked_in_at'),
    checkedOutAt: ts('checked_out_at'),
  },
  (t) => [uniqueIndex('volunteer_signups_shift_user_uq').on(t.shiftId, t.userId), index('volunteer_signups_user_idx').on(t.userId)],
);

/** The hours ledger: one row per shift served (written at check-out), hours and points. */
export const volunteerLedger = pgTable(
  'volunteer_ledger',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    teamId: text('team_id').notNull(),
    stationId: text('station_id').notNull(),
    shiftId: text('shift_id').notNull(),
    hours: doublePrecision('hours').notNull(),
    points: integer('points').notNull(),
    at: ts('at').notNull(),
  },
  (t) => [uniqueIndex('volunteer_ledger_shift_user_uq').on(t.shiftId, t.userId), index('volunteer_ledger_user_idx').on(t.userId), index('volunteer_ledger_station_at_idx').on(t.stationId, t.at)],
);

/** What a volunteer saw, for the station: a citizen-grade report with a status. */
export const volunteerReports = pgTable(
  'volunteer_reports',
  {
    id: text('id').primaryKey(),
    stationId: text('station_id').notNull(),
    teamId: text('team_id').notNull(),
    userId: text('user_id').notNull(),
    text: text('text').notNull(),
    place: text('place'),
    lon: doublePrecision('lon'),
    lat: doublePrecision('lat'),
    category: text('category'),
    status: text('status').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    handledAt: ts('handled_at'),
    handledBy: text('handled_by'),
  },
  (t) => [index('volunteer_reports_station_idx').on(t.stationId, t.createdAt)],
);

/** A short-staffed shift's alert to the chief: the primary key makes it once per shift across instances. */
export const volunteerShiftAlerts = pgTable('volunteer_shift_alerts', {
  shiftId: text('shift_id').primaryKey(),
  alertedAt: ts('alerted_at').notNull(),
  taken: integer('taken').notNull(),
  minPeople: integer('min_people').notNull(),
});

/** 联店联防 / 联楼联防 / 联户联防: a named group of shops, buildings or households of a station. */
export const defenceGroups = pgTable(
  'defence_groups',
  {
    id: text('id').primaryKey(),
    stationId: text('station_id').notNull(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [uniqueIndex('defence_groups_station_name_uq').on(t.stationId, t.name)],
);

/** A shop, building or household of a group, its address and the contact channel the group alerts it on. */
export const defenceMembers = pgTable(
  'defence_members',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id').notNull(),
    name: text('name').notNull(),
    addressText: text('address_text').notNull(),
    addressCode: text('address_code'),
    lon: doublePrecision('lon').notNull(),
    lat: doublePrecision('lat').notNull(),
    contactChannel: text('contact_channel').notNull(),
    contact: text('contact').notNull(),
    /** The member's own account (role volunteer), when they raise alerts from the phone page. */
    userId: text('user_id'),
  },
  (t) => [index('defence_members_group_idx').on(t.groupId), index('defence_members_user_idx').on(t.userId)],
);

/** A member's alert: the incident recorded at the member's address, and the notices to the group and station. */
export const defenceAlerts = pgTable(
  'defence_alerts',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id').notNull(),
    memberId: text('member_id').notNull(),
    stationId: text('station_id').notNull(),
    kind: text('kind').notNull(),
    note: text('note'),
    incidentId: text('incident_id'),
    incidentNumber: text('incident_number'),
    raisedAt: ts('raised_at').notNull(),
    raisedBy: text('raised_by').notNull(),
  },
  (t) => [index('defence_alerts_group_idx').on(t.groupId, t.raisedAt), index('defence_alerts_station_idx').on(t.stationId, t.raisedAt)],
);

/** One notice of an alert per member's contact channel, queued for the messaging gateway (sent = delivered). */
export const defenceNotices = pgTable(
  'defence_notices',
  {
    id: text('id').primaryKey(),
    alertId: text('alert_id').notNull(),
    memberId: text('member_id').notNull(),
    channel: text('channel').notNull(),
    status: text('status').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('defence_notices_alert_idx').on(t.alertId)],
);
