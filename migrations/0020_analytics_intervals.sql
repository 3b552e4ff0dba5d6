-- Analytics interval rollup (issue 16): the answer, intake, dispatch, travel and response times (and
-- recorded → on scene, for the P1 target rate) counted per hour × station × grid × priority × fixed
-- duration bucket (src/modules/analytics/domain/histogram.ts), so medians and 90th percentiles of any
-- span and jurisdiction are sums of rows. The hour is the incident's recorded hour, the one the triggers
-- of migration 0017 mark stale on any change (a late on_scene_at included).
CREATE TABLE IF NOT EXISTS "analytics_interval_hours" (
	"hour" timestamp with time zone NOT NULL,
	"station_id" text NOT NULL,
	"grid_id" text NOT NULL DEFAULT '',
	"priority" text NOT NULL,
	"measure" text NOT NULL,
	"bucket" integer NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_interval_hours_pk" PRIMARY KEY ("hour", "station_id", "grid_id", "priority", "measure", "bucket")
);
--> statement-breakpoint
-- Databases that already counted their incidents under 0017 mark every hour stale again, so this rollup fills.
INSERT INTO analytics_stale_hours (hour) SELECT DISTINCT date_trunc('hour', recorded_at, 'UTC') FROM incidents;
