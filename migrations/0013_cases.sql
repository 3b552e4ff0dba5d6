-- Case supervision (issue 14): cases at stations and their procedural steps as events; the statutory
-- clocks are computed from the events (src/modules/cases/domain), next_due_at only orders the board.
-- Events are append-only like the audit log: a correction is a new event that replaces the old one.
CREATE TABLE IF NOT EXISTS "cases" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"incident_id" text,
	"incident_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"station_id" text NOT NULL,
	"officer" text NOT NULL,
	"status" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"opened_by" text NOT NULL,
	"closed_at" timestamp with time zone,
	"next_due_at" timestamp with time zone,
	"next_due_rule" text,
	"overdue_clocks" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "case_counters" (
	"station_code" text NOT NULL,
	"day" text NOT NULL,
	"last_seq" integer NOT NULL,
	CONSTRAINT "case_counters_station_code_day_pk" PRIMARY KEY("station_code","day")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "case_events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"case_id" text NOT NULL,
	"type" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "cases_number_uq" ON "cases" USING btree ("number");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_station_due_idx" ON "cases" USING btree ("station_id","next_due_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_incident_idx" ON "cases" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_open_due_idx" ON "cases" USING btree ("next_due_at") WHERE "cases"."closed_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "case_events_id_uq" ON "case_events" USING btree ("id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "case_events_case_idx" ON "case_events" USING btree ("case_id","seq");--> statement-breakpoint
CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'case_events is append-only: record a correction as a new event';
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
DROP TRIGGER IF EXISTS case_events_no_change ON "case_events";--> statement-breakpoint
CREATE TRIGGER case_events_no_change BEFORE UPDATE OR DELETE ON "case_events" FOR EACH ROW EXECUTE FUNCTION case_events_append_only();
