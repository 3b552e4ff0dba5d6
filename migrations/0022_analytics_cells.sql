-- Hot spots (issue 16): located incidents counted per UTC hour × H3 cell (resolution 9, about 0.1 km²) ×
-- station × grid × category family. Keyed by the hour, as the stale marks of 0017 are: a round recounts
-- exactly the hours it read, in the same transaction as the other rollups, with bounded work. A local day
-- would hardly be smaller: at resolution 9 a cell × station × family seldom repeats within a day either.
-- Coarser resolutions (7, 8) are the cells' parents, summed when asked.
CREATE TABLE IF NOT EXISTS "analytics_incident_cells" (
	"hour" timestamp with time zone NOT NULL,
	"cell" text NOT NULL,
	"station_id" text NOT NULL,
	"grid_id" text NOT NULL DEFAULT '',
	"family" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_incident_cells_pk" PRIMARY KEY ("hour", "cell", "station_id", "grid_id", "family")
);
--> statement-breakpoint
-- Incidents already stored (an upgrade, the demo's history): every hour of them is stale once more, so
-- the worker fills the cells (and recounts the hourly rollup, which comes out the same).
INSERT INTO analytics_stale_hours (hour) SELECT DISTINCT date_trunc('hour', recorded_at, 'UTC') FROM incidents;
