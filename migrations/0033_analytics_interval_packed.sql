-- The interval rollup packed (issue 16, speed): 0020's hour rows and 0026's day and month rows held one
-- row per bucket, 28 rows for every incident of a city (measured: 6.0 M hour rows and 22.0 M tier rows
-- for 1 M incidents). Now one row per UTC hour × station, and one per unit × day or month, each holding its
-- histograms as keys (measure × priority × bucket, domain/interval-keys.ts) and counts, sorted by key.
-- Held by station: a grid's intervals are its station's (a grid has a few incidents a day).
-- Every hour holding incidents is marked stale, so the worker counts the new rows (and their tier) again.
DROP TABLE IF EXISTS "analytics_interval_hours";
--> statement-breakpoint
DROP TABLE IF EXISTS "analytics_interval_spans";
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "analytics_interval_hours" (
	"hour" timestamp with time zone NOT NULL,
	"station_id" text NOT NULL,
	"keys" integer[] NOT NULL,
	"counts" integer[] NOT NULL,
	CONSTRAINT "analytics_interval_hours_pk" PRIMARY KEY ("hour", "station_id")
);
--> statement-breakpoint
-- A round appends its change to a unit's day or month as a row of its own (seq from the sequence); rows of
-- the same day or month are merged into one (seq 0) later (packed-spans.ts): merging into a city's month
-- at every round cost seconds.
CREATE SEQUENCE IF NOT EXISTS "analytics_interval_spans_seq";
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "analytics_interval_spans" (
	"unit_id" text NOT NULL,
	"grain" text NOT NULL,
	"start" date NOT NULL,
	"seq" bigint DEFAULT 0 NOT NULL,
	"keys" integer[] NOT NULL,
	"counts" integer[] NOT NULL,
	CONSTRAINT "analytics_interval_spans_pk" PRIMARY KEY ("unit_id", "grain", "start", "seq")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "analytics_interval_spans_appended_idx" ON "analytics_interval_spans" ("unit_id", "grain", "start") WHERE "seq" <> 0;
--> statement-breakpoint
INSERT INTO "analytics_stale_hours" ("hour") SELECT DISTINCT "hour" FROM "analytics_incident_hours";
