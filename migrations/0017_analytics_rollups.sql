-- Analytics rollups (issue 16): incidents counted per hour × station × grid × category family × priority,
-- so dashboards read a few thousand rows instead of millions. Any change to an incident (insert, update,
-- delete: a merge, a corrected category or station, a late correction by SQL) marks its hour stale in
-- the same transaction, by statement-level triggers; the analytics worker recounts stale hours from the
-- raw rows. recorded_at never changes, so a change only ever touches the hour it is in.
CREATE TABLE IF NOT EXISTS "analytics_incident_hours" (
	"hour" timestamp with time zone NOT NULL,
	"station_id" text NOT NULL,
	"grid_id" text NOT NULL DEFAULT '',
	"family" text NOT NULL,
	"priority" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_incident_hours_pk" PRIMARY KEY ("hour", "station_id", "grid_id", "family", "priority")
);
--> statement-breakpoint
-- One row per marking statement and hour: no unique key, so concurrent writers never wait on each other;
-- the worker deletes exactly the marks it read, so a mark committed meanwhile is kept for the next round.
CREATE TABLE IF NOT EXISTS "analytics_stale_hours" (
	"id" bigserial PRIMARY KEY,
	"hour" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_mark_new_hours() RETURNS trigger AS $$
BEGIN
  INSERT INTO analytics_stale_hours (hour) SELECT DISTINCT date_trunc('hour', recorded_at, 'UTC') FROM new_rows;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_mark_old_hours() RETURNS trigger AS $$
BEGIN
  INSERT INTO analytics_stale_hours (hour) SELECT DISTINCT date_trunc('hour', recorded_at, 'UTC') FROM old_rows;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
DROP TRIGGER IF EXISTS analytics_incidents_ins ON "incidents";--> statement-breakpoint
CREATE TRIGGER analytics_incidents_ins AFTER INSERT ON "incidents" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_new_hours();--> statement-breakpoint
DROP TRIGGER IF EXISTS analytics_incidents_upd ON "incidents";--> statement-breakpoint
CREATE TRIGGER analytics_incidents_upd AFTER UPDATE ON "incidents" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_new_hours();--> statement-breakpoint
DROP TRIGGER IF EXISTS analytics_incidents_del ON "incidents";--> statement-breakpoint
CREATE TRIGGER analytics_incidents_del AFTER DELETE ON "incidents" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_old_hours();--> statement-breakpoint
-- Incidents already stored (an upgrade, the demo's history): every hour of them is stale once.
INSERT INTO analytics_stale_hours (hour) SELECT DISTINCT date_trunc('hour', recorded_at, 'UTC') FROM incidents;
