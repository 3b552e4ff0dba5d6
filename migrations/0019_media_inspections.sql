-- The video inspection log (视频巡查, issue 14): a supervisor's check of one recording, in order or with a
-- problem typed like the supervision notices' problems. Kept at the recording's station for scoping.
CREATE TABLE IF NOT EXISTS "media_inspections" (
	"id" text PRIMARY KEY NOT NULL,
	"media_id" text NOT NULL,
	"case_id" text,
	"station_id" text NOT NULL,
	"inspector" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"result" text NOT NULL,
	"problem_type" text,
	"note" text
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "media_inspections_station_at_idx" ON "media_inspections" USING btree ("station_id","at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "media_inspections_media_idx" ON "media_inspections" USING btree ("media_id");
