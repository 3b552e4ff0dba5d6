/**
 * Tables of the later parts of issue 15 (migration 0030): 随手拍 traffic-violation reports, citizens'
 * ratings of resolved reports, safety notices. Kept apart from schema.ts (the accident flow grows there).
 */
import { sql } from 'drizzle-orm';
import { pgTable, text, integer, boolean, timestamp, doublePrecision, bigint, index, check } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** One per 随手拍 report (the report itself is a citizen_reports row of service 'TV'). */
export const citizenViolations = pgTable(
  'citizen_violations',
  {
    reportId: bigint('report_id', { mode: 'number' }).primaryKey(),
    citizenId: text('citizen_id').notNull(),
    /** Normalised plate (normalisePlate). */
    plate: text('plate').notNull(),
    violationType: text('violation_type').notNull(),
    observedAt: ts('observed_at').notNull(),
    lon: doublePrecision('lon').notNull(),
    lat: doublePrecision('lat').notNull(),
    /** pending | valid | not_valid | duplicate */
    verdict: text('verdict').notNull().default('pending'),
    verdictReason: text('verdict_reason'),
    rewarded: boolean('rewarded').notNull().default(false),
    /** For a duplicate: the rewarded report of the same violation. */
    rewardOf: bigint('reward_of', { mode: 'number' }),
    reviewedAt: ts('reviewed_at'),
    reviewedBy: text('reviewed_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('citizen_violations_plate_idx').on(t.plate, t.violationType, t.observedAt), index('citizen_violations_citizen_idx').on(t.citizenId)],
);

/** A citizen's rating of a resolved report: once per report. */
export const citizenRatings = pgTable(
  'citizen_ratings',
  {
    reportId: bigint('report_id', { mode: 'number' }).primaryKey(),
    citizenId: text('citizen_id').notNull(),
    score: integer('score').notNull(),
    comment: text('comment'),
    /** The owning unit of the report (for the KPI's jurisdiction). */
    unitId: text('unit_id').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('citizen_ratings_at_idx').on(t.at), check('citizen_ratings_score_ck', sql`${t.score} between 1 and 5`)],
);

/** Safety notices published by chiefs and administrators; station null = the whole city. */
export const citizenNotices = pgTable(
  'citizen_notices',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    stationId: text('station_id'),
    validFrom: ts('valid_from').notNull(),
    validTo: ts('valid_to').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    withdrawnAt: ts('withdrawn_at'),
  },
  (t) => [index('citizen_notices_valid_idx').on(t.validTo, t.validFrom)],
);

/**
 * Citizens' videos (migration 0031): 随手拍 evidence of at least 10 s instead of two photos. Stored
 * through the media store under citizen/videos/ with location metadata removed in place (videos.ts).
 */
export const citizenVideos = pgTable(
  'citizen_videos',
  {
    id: text('id').primaryKey(),
    citizenId: text('citizen_id').notNull(),
    reportId: bigint('report_id', { mode: 'number' }),
    /** video/mp4 | video/quicktime | video/webm, sniffed from the bytes. */
    contentType: text('content_type').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    /** Location boxes or elements removed on arrival (udta, meta, XMP, Tags). */
    removed: integer('removed').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('citizen_videos_report_idx').on(t.reportId), index('citizen_videos_citizen_idx').on(t.citizenId)],
);
