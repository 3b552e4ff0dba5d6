-- The hot-spot tier (issue 16, speed): the hour cells of 0022 summed per unit × local month × H3 cell at
-- resolution 8 × family, so hot spots for a year to date read a few rows per cell instead of every hour's.
-- Filled from the hour cells on the first start after this migration (fillSpansIfMissing), then kept by deltas.
CREATE TABLE IF NOT EXISTS "analytics_cell_spans" (
	"unit_id" text NOT NULL,
	"grain" text NOT NULL,
	"start" date NOT NULL,
	"cell" text NOT NULL,
	"family" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_cell_spans_pk" PRIMARY KEY ("unit_id", "grain", "start", "cell", "family")
);
