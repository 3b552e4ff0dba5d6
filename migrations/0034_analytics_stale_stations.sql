-- Stale marks name the station too (issue 16, speed): a late correction of one incident made its whole
-- hour recounted — every station's incidents of that hour, about 300 in a city of 8 million in three years —
-- where its station's hour holds about 5. A mark without a station (older marks, markAllStale, a rebuild's
-- stray hours) still means the whole hour. An update marks the station before and after (a moved incident).
ALTER TABLE "analytics_stale_hours" ADD COLUMN IF NOT EXISTS "station_id" text;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_mark_new_hours() RETURNS trigger AS $$
BEGIN
  INSERT INTO analytics_stale_hours (hour, station_id) SELECT DISTINCT date_trunc('hour', recorded_at, 'UTC'), station_id FROM new_rows;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_mark_old_hours() RETURNS trigger AS $$
BEGIN
  INSERT INTO analytics_stale_hours (hour, station_id) SELECT DISTINCT date_trunc('hour', recorded_at, 'UTC'), station_id FROM old_rows;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_mark_changed_hours() RETURNS trigger AS $$
BEGIN
  INSERT INTO analytics_stale_hours (hour, station_id)
  SELECT DISTINCT date_trunc('hour', recorded_at, 'UTC'), station_id FROM (SELECT recorded_at, station_id FROM new_rows UNION ALL SELECT recorded_at, station_id FROM old_rows) r;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
DROP TRIGGER IF EXISTS analytics_incidents_upd ON "incidents";
--> statement-breakpoint
CREATE TRIGGER analytics_incidents_upd AFTER UPDATE ON "incidents" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_changed_hours();
