-- The day and month tier of the analytics rollups (issue 16, speed at 8 million incidents): the hour rows
-- of 0017 and 0020 summed per local day and per local month, per unit (grid, station, branch, bureau, and
-- '' for the whole city), so a jurisdiction's year to date is a range scan on its unit id instead of
-- millions of hour rows. Recounted from the hour rows of the days a rollup round touched, in the round.
CREATE TABLE IF NOT EXISTS "analytics_incident_spans" (
	"unit_id" text NOT NULL,
	"grain" text NOT NULL,
	"start" date NOT NULL,
	"family" text NOT NULL,
	"priority" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_incident_spans_pk" PRIMARY KEY ("unit_id", "grain", "start", "family", "priority")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "analytics_interval_spans" (
	"unit_id" text NOT NULL,
	"grain" text NOT NULL,
	"start" date NOT NULL,
	"measure" text NOT NULL,
	"priority" text NOT NULL,
	"bucket" integer NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_interval_spans_pk" PRIMARY KEY ("unit_id", "grain", "start", "measure", "priority", "bucket")
);
--> statement-breakpoint
-- The weekday × hour heat table's tier: incidents per unit × local day × local hour of day.
CREATE TABLE IF NOT EXISTS "analytics_heat_days" (
	"unit_id" text NOT NULL,
	"day" date NOT NULL,
	"hod" integer NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_heat_days_pk" PRIMARY KEY ("unit_id", "day", "hod")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "analytics_heat_days_day_idx" ON "analytics_heat_days" ("day");--> statement-breakpoint
-- The round deletes a day's rows of every unit at once.
CREATE INDEX IF NOT EXISTS "analytics_incident_spans_start_idx" ON "analytics_incident_spans" ("grain", "start");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "analytics_interval_spans_start_idx" ON "analytics_interval_spans" ("grain", "start");
-- An upgraded database's hour rows are counted into these tables once at start (fillSpansIfMissing): the
-- local days depend on the configured time zone, which this file does not know.
