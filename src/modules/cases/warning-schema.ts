/**
 * Warnings before a statutory clock falls due (issue 14 part 3). A warning is stored once per clock
 * (case, rule, subject), level (yellow: from the lead time; red: overdue) and due time: the unique index
 * makes raising it race-free across instances and ticks, and a restarted instance finds it already there.
 * A due time moved later (an extension, a stop) is a new due time, so its warning may fire again.
 */
import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, jsonb, index, uniqueIndex, primaryKey } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const caseWarnings = pgTable(
  'case_warnings',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id').notNull(),
    stationId: text('station_id').notNull(),
    /** The case officer when it was raised (an officer sees the warnings of their own cases). */
    officer: text('officer').notNull(),
    rule: text('rule').notNull(),
    /** The subject of a per-person clock; '' for a clock of the whole case (so the unique index holds). */
    subject: text('subject').notNull().default(''),
    level: text('level').notNull(),
    dueAt: ts('due_at').notNull(),
    raisedAt: ts('raised_at').notNull(),
    /** When the clock stopped being in this state for this due time (done, stopped, due moved): off the tray. */
    resolvedAt: ts('resolved_at'),
    resolution: text('resolution'),
    /** Case number, title and the clock's names, as they were: the tray shows them without recomputing. */
    detail: jsonb('detail').notNull().default({}),
  },
  (t) => [
    uniqueIndex('case_warnings_once_uq').on(t.caseId, t.rule, t.subject, t.level, t.dueAt),
    index('case_warnings_open_idx').on(t.stationId, t.raisedAt).where(sql`${t.resolvedAt} is null`),
  ],
);

/** Who acknowledged which warning: each recipient (officer, chief, supervisor) acknowledges for themselves. */
export const caseWarningAcks = pgTable(
  'case_warning_acks',
  { warningId: text('warning_id').notNull(), username: text('username').notNull(), ackedAt: ts('acked_at').notNull() },
  (t) => [primaryKey({ columns: [t.warningId, t.username] })],
);

/** The daily digest sent to a station: once per station and local day, whichever instance is first. */
export const caseDigests = pgTable(
  'case_digests',
  { stationId: text('station_id').notNull(), day: text('day').notNull(), sentAt: ts('sent_at').notNull(), content: jsonb('content').notNull() },
  (t) => [primaryKey({ columns: [t.stationId, t.day] })],
);
