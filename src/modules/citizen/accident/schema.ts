/**
 * 快处快赔 tables (issue 15): the accident, its two parties (driver A who started it, driver B who joined
 * with the shared code), its history, and wrong shared codes per citizen (the brute-force limit).
 * Migration 0029. The shared code is kept only as an HMAC; photos are citizen_photos rows with accident_id.
 */
import { bigint, bigserial, boolean, doublePrecision, index, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const citizenAccidents = pgTable(
  'citizen_accidents',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    status: text('status').notNull(),
    channel: text('channel').notNull().default('portal'), // portal | demo
    occurredAt: ts('occurred_at').notNull(),
    lon: doublePrecision('lon').notNull(),
    lat: doublePrecision('lat').notNull(),
    addressCode: text('address_code'),
    /** The place in words (the standard address, or what driver A wrote). */
    placeText: text('place_text').notNull(),
    stationId: text('station_id').notNull(),
    unitId: text('unit_id').notNull(),
    codeHash: text('code_hash'),
    codeExpiresAt: ts('code_expires_at'),
    injury: boolean('injury').notNull().default(false),
    escalation: text('escalation'), // injury | refusal
    liability: text('liability'),
    liabilityReason: text('liability_reason'),
    videoLink: text('video_link'),
    determinedBy: text('determined_by'),
    officerName: text('officer_name'),
    determinedAt: ts('determined_at'),
    agreementText: text('agreement_text'),
    insurerRef: text('insurer_ref'),
    statusNote: text('status_note'),
    createdAt: ts('created_at').notNull().defaultNow(),
    submittedAt: ts('submitted_at'),
    agreedAt: ts('agreed_at'),
    closedAt: ts('closed_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('citizen_accidents_unit_idx').on(t.unitId, t.status), index('citizen_accidents_created_idx').on(t.createdAt), index('citizen_accidents_code_idx').on(t.codeHash)],
);

export const citizenAccidentParties = pgTable(
  'citizen_accident_parties',
  {
    accidentId: bigint('accident_id', { mode: 'number' }).notNull(),
    role: text('role').notNull(), // a | b
    citizenId: text('citizen_id').notNull(),
    plate: text('plate').notNull(),
    insurer: text('insurer').notNull(),
    statement: text('statement').notNull(),
    joinedAt: ts('joined_at').notNull().defaultNow(),
    confirmedAt: ts('confirmed_at'),
  },
  (t) => [primaryKey({ columns: [t.accidentId, t.role] }), uniqueIndex('citizen_accident_parties_citizen_uq').on(t.accidentId, t.citizenId), index('citizen_accident_parties_citizen_idx').on(t.citizenId)],
);

export const citizenAccidentEvents = pgTable(
  'citizen_accident_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accidentId: bigint('accident_id', { mode: 'number' }).notNull(),
    status: text('status').notNull(),
    note: text('note'),
    /** 'a', 'b', 'system' or the staff username (never shown to the drivers). */
    by: text('by').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('citizen_accident_events_accident_idx').on(t.accidentId, t.id)],
);

export const citizenAccidentCodeFailures = pgTable(
  'citizen_accident_code_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    citizenId: text('citizen_id').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('citizen_accident_code_failures_idx').on(t.citizenId, t.at)],
);
