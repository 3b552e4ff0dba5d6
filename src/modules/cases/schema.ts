/**
 * Tables of case supervision: a case (criminal or administrative) at a station, and its procedural steps
 * as events. The clocks are never stored as truth: they are computed from the events every time
 * (domain/calculator.ts); `next_due_at` is only a copy of the earliest running clock's due time, so the
 * supervision board reads the most urgent cases first through an index.
 */
import { sql } from 'drizzle-orm';
import { pgTable, text, integer, timestamp, jsonb, bigserial, index, uniqueIndex, primaryKey } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const cases = pgTable(
  'cases',
  {
    id: text('id').primaryKey(),
    number: text('number').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    /** The incident the case was opened from (its station and title come from it). */
    incidentId: text('incident_id'),
    /** Every linked incident, the first one included. */
    incidentIds: jsonb('incident_ids').$type<string[]>().notNull().default([]),
    stationId: text('station_id').notNull(),
    /** The case officer (username) who answers for it. */
    officer: text('officer').notNull(),
    status: text('status').notNull(),
    openedAt: ts('opened_at').notNull(),
    openedBy: text('opened_by').notNull(),
    closedAt: ts('closed_at'),
    /** The earliest due time among the running clocks (null: none running), and that clock's rule. */
    nextDueAt: ts('next_due_at'),
    nextDueRule: text('next_due_rule'),
    overdueClocks: integer('overdue_clocks').notNull().default(0),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('cases_number_uq').on(t.number),
    index('cases_station_due_idx').on(t.stationId, t.nextDueAt),
    index('cases_incident_idx').on(t.incidentId),
    // With id: the board's order (next_due_at, id) straight from the index, however many share a due time.
    index('cases_open_due_idx').on(t.nextDueAt, t.id).where(sql`${t.closedAt} is null`),
  ],
);

/** Per station and day: the last sequence number given (AJ + station + YYYYMMDD + 4 digits, gap-free). */
export const caseCounters = pgTable('case_counters', { stationCode: text('station_code').notNull(), day: text('day').notNull(), lastSeq: integer('last_seq').notNull() }, (t) => [
  primaryKey({ columns: [t.stationCode, t.day] }),
]);

/** A procedural step as recorded: never edited; a correction is a new event that replaces it. */
export const caseEvents = pgTable(
  'case_events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: text('id').notNull(),
    caseId: text('case_id').notNull(),
    type: text('type').notNull(),
    /** When the act happened (the clocks count from it), not when it was typed in. */
    at: ts('at').notNull(),
    /** subject, ref, kind, rule, extension, approver, amount, replaces, note. */
    detail: jsonb('detail').notNull().default({}),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [uniqueIndex('case_events_id_uq').on(t.id), index('case_events_case_idx').on(t.caseId, t.seq)],
);

export { caseWarnings, caseWarningAcks, caseDigests } from './warning-schema.js';
