/**
 * Reports (issue 16, 周报): each generation of a week's report is a row holding its frozen snapshot and
 * the snapshot's SHA-256; a later generation whose figures differ is a new revision of the same week and
 * unit (revises_id, revision notes), never an overwrite. Migration 0021.
 */
import { pgTable, text, integer, timestamp, jsonb, index, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const reports = pgTable(
  'reports',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    /** ISO week label, '2026-W48'. */
    week: text('week').notNull(),
    fromDay: text('from_day').notNull(),
    toDay: text('to_day').notNull(),
    /** The unit whose jurisdiction the report covers (the bureau for the bureau's report) and its path, for scoping. */
    unitId: text('unit_id').notNull(),
    unitPath: text('unit_path').notNull(),
    /** 1 for the week's first report of this unit, +1 for each revision. */
    revision: integer('revision').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    snapshotHash: text('snapshot_hash').notNull(),
    revisesId: text('revises_id'),
    /** What changed against the previous report of the week and unit: [{ zh, en }]. */
    revisionNotes: jsonb('revision_notes').$type<{ zh: string; en: string }[]>().notNull().default([]),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** The user's username, or 'system' for the Monday job. */
    createdBy: text('created_by').notNull(),
  },
  (t) => [
    // Two generations of the same week and unit at once (two instances' Monday jobs) cannot both be revision n.
    uniqueIndex('reports_kind_week_unit_revision_uq').on(t.kind, t.week, t.unitId, t.revision),
    index('reports_created_idx').on(t.createdAt),
  ],
);
