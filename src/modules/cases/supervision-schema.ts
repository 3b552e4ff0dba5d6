/**
 * Tables of supervision notices and case reviews (issue 14 part 5). A notice's state changes under a
 * row lock (`select … for update` in the write) and its `version` goes up with each; its answers and
 * verifications are kept as a list on the row (a notice has a few). A case has at most one review: the
 * unique index on `case_id` refuses a second even when two arrive at once.
 */
import { pgTable, text, integer, timestamp, jsonb, boolean, real, index, uniqueIndex } from 'drizzle-orm/pg-core';
import type { ProblemItem } from './domain/notices.js';
import type { ItemScore } from './domain/review.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** One step of a notice after its issue: an answer by the station or a verification by the supervisor. */
export interface NoticeStepRecord {
  action: 'answer' | 'accept' | 'return';
  at: string;
  by: string;
  text?: string;
  comment?: string;
  /** The new due date a return gives. */
  answerDueAt?: string;
  /** An answer given after the due date then in force. */
  late?: boolean;
}

export const caseNotices = pgTable(
  'case_notices',
  {
    id: text('id').primaryKey(),
    /** The case number and the notice's rank on it: AJ…-01. */
    number: text('number').notNull(),
    caseId: text('case_id').notNull(),
    seq: integer('seq').notNull(),
    stationId: text('station_id').notNull(),
    /** The case officer when the notice was issued (the figures by officer). */
    officer: text('officer').notNull(),
    state: text('state').notNull(),
    items: jsonb('items').$type<ProblemItem[]>().notNull(),
    /** The problem types of the items, for the statistics by type. */
    problemTypes: jsonb('problem_types').$type<string[]>().notNull(),
    issuedAt: ts('issued_at').notNull(),
    issuedBy: text('issued_by').notNull(),
    answerDueAt: ts('answer_due_at').notNull(),
    firstAnsweredAt: ts('first_answered_at'),
    late: boolean('late').notNull().default(false),
    steps: jsonb('steps').$type<NoticeStepRecord[]>().notNull().default([]),
    closedAt: ts('closed_at'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('case_notices_case_seq_uq').on(t.caseId, t.seq),
    uniqueIndex('case_notices_number_uq').on(t.number),
    index('case_notices_station_due_idx').on(t.stationId, t.answerDueAt),
    index('case_notices_issued_idx').on(t.issuedAt),
  ],
);

export const caseReviews = pgTable(
  'case_reviews',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id').notNull(),
    stationId: text('station_id').notNull(),
    officer: text('officer').notNull(),
    items: jsonb('items').$type<ItemScore[]>().notNull(),
    score: real('score').notNull(),
    grade: text('grade').notNull(),
    comment: text('comment'),
    reviewedAt: ts('reviewed_at').notNull(),
    reviewedBy: text('reviewed_by').notNull(),
  },
  (t) => [uniqueIndex('case_reviews_case_uq').on(t.caseId), index('case_reviews_station_idx').on(t.stationId, t.reviewedAt)],
);
