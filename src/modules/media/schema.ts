/**
 * Body-cam media (issue 14 part 4): a recording as stored (never modified: its SHA-256 is taken on
 * arrival), its links to incidents and cases, and the reasons given for a required step without one.
 */
import { sql } from 'drizzle-orm';
import { pgTable, text, bigint, boolean, timestamp, jsonb, index, primaryKey, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const media = pgTable(
  'media',
  {
    id: text('id').primaryKey(),
    /** uploading → stored; refused (hash mismatch, the bytes removed); purged (retention over, bytes deleted). */
    status: text('status').notNull(),
    /** Which store holds the bytes (local | s3 | asset): a row keeps its store when the configuration changes. */
    store: text('store').notNull(),
    storeKey: text('store_key').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    /** Bytes received so far (tus Upload-Offset); = size once stored. */
    received: bigint('received', { mode: 'number' }).notNull().default(0),
    contentType: text('content_type').notNull(),
    fileName: text('file_name'),
    sha256: text('sha256'),
    expectedSha256: text('expected_sha256'),
    /** The officer who wore the camera (users.id) and the unit the recording belongs to (scoping). */
    officerId: text('officer_id').notNull(),
    officerName: text('officer_name').notNull(),
    stationId: text('station_id').notNull(),
    recordedFrom: ts('recorded_from').notNull(),
    recordedTo: ts('recorded_to').notNull(),
    /** upload | import (registered from a device export) | demo. */
    source: text('source').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    storedAt: ts('stored_at'),
    /** Marked as evidence: kept whatever the retention. */
    hold: boolean('hold').notNull().default(false),
    holdBy: text('hold_by'),
    holdAt: ts('hold_at'),
    holdReason: text('hold_reason'),
    purgedAt: ts('purged_at'),
    /** Incidents and cases named at creation: linked by hand once the recording is stored. */
    requestedLinks: jsonb('requested_links').$type<{ kind: 'incident' | 'case'; id: string }[]>().notNull().default([]),
  },
  (t) => [
    index('media_station_time_idx').on(t.stationId, t.recordedFrom),
    index('media_officer_time_idx').on(t.officerId, t.recordedFrom),
    index('media_expiry_idx').on(t.recordedTo).where(sql`${t.status} = 'stored' and not ${t.hold}`),
  ],
);

/** A recording linked to an incident or a case: automatically (officer + assignment window) or by hand. */
export const mediaLinks = pgTable(
  'media_links',
  {
    mediaId: text('media_id').notNull(),
    /** incident | case */
    targetKind: text('target_kind').notNull(),
    targetId: text('target_id').notNull(),
    /** auto | manual */
    how: text('how').notNull(),
    /** auto: the assignment whose window covered the recording. */
    assignmentId: text('assignment_id'),
    /** manual: the case step it records, when named. */
    eventId: text('event_id'),
    linkedBy: text('linked_by').notNull(),
    linkedAt: ts('linked_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.mediaId, t.targetKind, t.targetId] }), index('media_links_target_idx').on(t.targetKind, t.targetId), index('media_links_assignment_idx').on(t.assignmentId)],
);

/** Why a step that requires a recording has none (reason code + comment), one per step. */
export const mediaExemptions = pgTable(
  'media_exemptions',
  {
    id: text('id').primaryKey(),
    /** case_event | assignment */
    stepKind: text('step_kind').notNull(),
    stepId: text('step_id').notNull(),
    caseId: text('case_id'),
    stationId: text('station_id').notNull(),
    reason: text('reason').notNull(),
    comment: text('comment').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('media_exemptions_step_uq').on(t.stepKind, t.stepId)],
);

/**
 * The video inspection log (视频巡查): a supervisor watched a recording and found it in order or found a
 * problem (typed like the supervision notices' problems). Kept at the recording's station for scoping.
 */
export const mediaInspections = pgTable(
  'media_inspections',
  {
    id: text('id').primaryKey(),
    mediaId: text('media_id').notNull(),
    /** The case the recording was inspected from, when named. */
    caseId: text('case_id'),
    stationId: text('station_id').notNull(),
    inspector: text('inspector').notNull(),
    at: ts('at').notNull().defaultNow(),
    /** ok | problem */
    result: text('result').notNull(),
    problemType: text('problem_type'),
    note: text('note'),
  },
  (t) => [index('media_inspections_station_at_idx').on(t.stationId, t.at), index('media_inspections_media_idx').on(t.mediaId)],
);
