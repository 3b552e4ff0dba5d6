/**
 * Tables of the dispute register (矛盾纠纷排查化解): disputes with their parties and linked incidents,
 * disputeAgencies and their mediators, disputeReferrals (one per hand-off), disputeSessions, the agreement, follow-up visits,
 * local protocol steps and the timeline. Personal data (party names and phones) lives only in
 * dispute_parties, so every read of it goes through one place (store.ts) and is audited.
 */
import { sql } from 'drizzle-orm';
import { pgTable, text, integer, boolean, timestamp, jsonb, doublePrecision, bigserial, index, uniqueIndex, primaryKey, date } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** 派出所, 司法所, 律所, 法庭, 调委会: an organisation list of their own (not the police tree). */
export const disputeAgencies = pgTable(
  'dispute_agencies',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    /** The police unit whose area it serves (a station, a branch); disputes there may be referred to it. */
    servesUnitId: text('serves_unit_id'),
    active: boolean('active').notNull().default(true),
  },
  (t) => [uniqueIndex('dispute_agencies_name_uq').on(t.name)],
);

/** A mediator (a user, usually with role `mediator`) belongs to one or more disputeAgencies. */
export const disputeAgencyMembers = pgTable(
  'dispute_agency_members',
  { agencyId: text('agency_id').notNull(), userId: text('user_id').notNull() },
  (t) => [primaryKey({ columns: [t.agencyId, t.userId] }), index('dispute_agency_members_user_idx').on(t.userId)],
);

export const disputes = pgTable(
  'disputes',
  {
    id: text('id').primaryKey(),
    number: text('number').notNull(),
    source: text('source').notNull(),
    type: text('type').notNull(),
    status: text('status').notNull(),
    summary: text('summary').notNull(),
    addressText: text('address_text'),
    addressCode: text('address_code'),
    lon: doublePrecision('lon'),
    lat: doublePrecision('lat'),
    stationId: text('station_id').notNull(),
    gridId: text('grid_id'),
    /** Facts that weigh on the risk grade and are not derived: injuries, weapons or threats, vulnerable parties. */
    facts: jsonb('facts').notNull().default({}),
    riskGrade: text('risk_grade').notNull(),
    riskScore: integer('risk_score').notNull(),
    riskReasons: jsonb('risk_reasons').notNull().default([]),
    riskAt: ts('risk_at').notNull(),
    registeredAt: ts('registered_at').notNull(),
    registeredBy: text('registered_by').notNull(),
    closedAt: ts('closed_at'),
    outcome: text('outcome'),
    outcomeNote: text('outcome_note'),
    externalRef: text('external_ref'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('disputes_number_uq').on(t.number),
    // The station register: open first, by risk and age (bench:disputes).
    index('disputes_station_register_idx').on(t.stationId, t.status, t.riskScore, t.registeredAt),
    index('disputes_registered_idx').on(t.registeredAt),
    index('disputes_address_idx').on(t.addressCode).where(sql`${t.closedAt} is null`),
    index('disputes_open_lat_idx').on(t.lat, t.lon).where(sql`${t.closedAt} is null`),
    // 0009 (bench:disputes): the register's default order within a station, so a page reads 50 entries
    // (the migration adds INCLUDE (status, risk_grade, type) so filtered counts stay in the index);
    // and closed disputes' places, so that with disputes_open_lat_idx a new incident finds the open ones
    // and those closed within 90 days (a recurrence) without reading the table.
    index('disputes_register_order_idx').on(t.stationId, sql`(${t.closedAt} is null) desc`, t.riskScore.desc(), t.registeredAt, t.id),
    index('disputes_closed_lat_idx').on(t.lat, t.lon, t.closedAt).where(sql`${t.closedAt} is not null`),
  ],
);

/** Daily gap-free sequence per station for dispute numbers. */
export const disputeCounters = pgTable(
  'dispute_counters',
  { stationCode: text('station_code').notNull(), day: text('day').notNull(), lastSeq: integer('last_seq').notNull() },
  (t) => [primaryKey({ columns: [t.stationCode, t.day] })],
);

export const disputeParties = pgTable(
  'dispute_parties',
  {
    id: text('id').primaryKey(),
    disputeId: text('dispute_id').notNull(),
    role: text('role').notNull(),
    name: text('name').notNull(),
    phone: text('phone'),
    relation: text('relation'),
    /** Elderly, minor or otherwise vulnerable: weighs on the risk grade. */
    vulnerable: boolean('vulnerable').notNull().default(false),
    sortOrder: integer('sort_order').notNull().default(0),
  },
  (t) => [index('dispute_parties_dispute_idx').on(t.disputeId), index('dispute_parties_phone_idx').on(t.phone)],
);

/** Incidents linked to a dispute (the one it came from, and later ones between the same people or at the place). */
export const disputeIncidents = pgTable(
  'dispute_incidents',
  {
    disputeId: text('dispute_id').notNull(),
    incidentId: text('incident_id').notNull(),
    /** origin (the dispute came from it) | linked (by hand or found while open) | recurrence (within 90 days of closure) */
    kind: text('kind').notNull().default('linked'),
    linkedAt: ts('linked_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.disputeId, t.incidentId] }), index('dispute_incidents_incident_idx').on(t.incidentId)],
);

/** One hand-off to an agency (and optionally one mediator): pending → accepted | declined → … (domain/referral-machine.ts). */
export const disputeReferrals = pgTable(
  'dispute_referrals',
  {
    id: text('id').primaryKey(),
    disputeId: text('dispute_id').notNull(),
    mediationType: text('mediation_type').notNull(),
    agencyId: text('agency_id').notNull(),
    mediatorId: text('mediator_id'),
    status: text('status').notNull(),
    reason: text('reason'),
    outcome: text('outcome'),
    /** People's mediation beyond one month: each extension with the parties' recorded consent. */
    extensions: jsonb('extensions').notNull().default([]),
    createdAt: ts('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    acceptedAt: ts('accepted_at'),
    endedAt: ts('ended_at'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('dispute_referrals_dispute_idx').on(t.disputeId),
    index('dispute_referrals_mediator_idx').on(t.mediatorId, t.status),
    index('dispute_referrals_agency_idx').on(t.agencyId, t.status),
  ],
);

export const disputeSessions = pgTable(
  'dispute_sessions',
  {
    id: text('id').primaryKey(),
    disputeId: text('dispute_id').notNull(),
    referralId: text('referral_id').notNull(),
    heldAt: ts('held_at').notNull(),
    place: text('place'),
    attendees: integer('attendees'),
    summary: text('summary').notNull(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [index('dispute_sessions_dispute_idx').on(t.disputeId, t.heldAt)],
);

/** The mediation agreement (调解协议书): one per dispute. */
export const disputeAgreements = pgTable('dispute_agreements', {
  disputeId: text('dispute_id').primaryKey(),
  referralId: text('referral_id').notNull(),
  text: text('text').notNull(),
  performanceMethod: text('performance_method'),
  performancePlace: text('performance_place'),
  performanceDeadline: date('performance_deadline', { mode: 'string' }),
  /** [{partyId, method: 'on_screen' | 'scan', at, mediaKey?}] */
  signatures: jsonb('signatures').notNull().default([]),
  mediatorId: text('mediator_id'),
  mediatorName: text('mediator_name'),
  agencyId: text('agency_id').notNull(),
  signedAt: ts('signed_at').notNull(),
  performedAt: ts('performed_at'),
  judicialConfirmationAt: ts('judicial_confirmation_at'),
});

/** 回访: follow-up visits on the agreement's performance. */
export const disputeFollowups = pgTable(
  'dispute_followups',
  {
    id: text('id').primaryKey(),
    disputeId: text('dispute_id').notNull(),
    at: ts('at').notNull(),
    method: text('method').notNull(),
    /** performed | partly | not_performed */
    performance: text('performance').notNull(),
    note: text('note'),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [index('dispute_followups_dispute_idx').on(t.disputeId, t.at)],
);

/** Local protocol steps done (domain/protocols.ts says which steps a type needs and by when). */
export const disputeProtocolSteps = pgTable(
  'dispute_protocol_steps',
  { disputeId: text('dispute_id').notNull(), code: text('code').notNull(), doneAt: ts('done_at').notNull(), doneBy: text('done_by').notNull(), note: text('note') },
  (t) => [primaryKey({ columns: [t.disputeId, t.code] })],
);

/** The timeline: every step, with who and when. */
export const disputeEvents = pgTable(
  'dispute_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    disputeId: text('dispute_id').notNull(),
    at: ts('at').notNull().defaultNow(),
    type: text('type').notNull(),
    username: text('username'),
    detail: jsonb('detail'),
  },
  (t) => [index('dispute_events_dispute_idx').on(t.disputeId, t.at)],
);
