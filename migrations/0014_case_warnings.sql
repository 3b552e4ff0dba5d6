-- Case supervision warnings (issue 14 part 3): one row per clock, level and due time (the unique index
-- makes a warning fire once across instances), each user's acknowledgement, and the daily digest per
-- station and day.
CREATE TABLE IF NOT EXISTS "case_warnings" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"station_id" text NOT NULL,
	"officer" text NOT NULL,
	"rule" text NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"level" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolution" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "case_warning_acks" (
	"warning_id" text NOT NULL,
	"username" text NOT NULL,
	"acked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_warning_acks_warning_id_username_pk" PRIMARY KEY("warning_id","username")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "case_digests" (
	"station_id" text NOT NULL,
	"day" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"content" jsonb NOT NULL,
	CONSTRAINT "case_digests_station_id_day_pk" PRIMARY KEY("station_id","day")
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "case_warnings_once_uq" ON "case_warnings" USING btree ("case_id","rule","subject","level","due_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "case_warnings_open_idx" ON "case_warnings" USING btree ("station_id","raised_at") WHERE "case_warnings"."resolved_at" is null;
