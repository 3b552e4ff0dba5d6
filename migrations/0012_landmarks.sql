-- Landmarks (issue 11 #4): hotels, schools, hospitals, squares, bridges, stations … that callers name
-- instead of an address; the address search offers them beside the registry. Editable by administrators.
CREATE TABLE IF NOT EXISTS "landmarks" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"aliases" text[] DEFAULT '{}' NOT NULL,
	"kind" text NOT NULL,
	"lon" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"station_id" text,
	"grid_id" text,
	"source" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "landmarks_name_uq" ON "landmarks" USING btree ("name");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "landmarks_station_idx" ON "landmarks" USING btree ("station_id");
