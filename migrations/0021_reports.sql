-- Reports (issue 16, 周报): each generation of a week's report keeps its frozen snapshot and the
-- snapshot's SHA-256; a regeneration whose figures differ is a new revision of the same week and unit
-- (revises_id and revision notes), never an overwrite. The unique revision number per week and unit
-- makes two instances' Monday jobs generate the bureau's report once.
CREATE TABLE IF NOT EXISTS "reports" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"week" text NOT NULL,
	"from_day" text NOT NULL,
	"to_day" text NOT NULL,
	"unit_id" text NOT NULL,
	"unit_path" text NOT NULL,
	"revision" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"snapshot_hash" text NOT NULL,
	"revises_id" text,
	"revision_notes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "reports_kind_week_unit_revision_uq" ON "reports" USING btree ("kind","week","unit_id","revision");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "reports_created_idx" ON "reports" USING btree ("created_at");
