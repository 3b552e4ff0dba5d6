-- Community policing (issue 13): owners and weekly targets of the police grids (警格), civic grids (网格)
-- as versioned polygons (one current version per code), home visits with their services and findings
-- (no names: a count of people met), skips of the week's plan with their reason, and the follow-up each
-- finding became (one per finding: the primary key holds under concurrent requests).
CREATE TABLE IF NOT EXISTS "community_grid_owners" (
	"grid_id" text NOT NULL,
	"user_id" text NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	"assigned_by" text NOT NULL,
	CONSTRAINT "community_grid_owners_grid_id_user_id_pk" PRIMARY KEY("grid_id","user_id")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "community_grid_owners_user_idx" ON "community_grid_owners" USING btree ("user_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "community_grid_targets" (
	"grid_id" text PRIMARY KEY NOT NULL,
	"households" integer NOT NULL,
	"units" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "civic_grids" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"polygon" jsonb NOT NULL,
	"min_lon" double precision NOT NULL,
	"min_lat" double precision NOT NULL,
	"max_lon" double precision NOT NULL,
	"max_lat" double precision NOT NULL,
	"station_id" text NOT NULL,
	"police_grid_id" text,
	"valid_from" timestamp with time zone DEFAULT now() NOT NULL,
	"valid_to" timestamp with time zone,
	"imported_by" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "civic_grids_code_version_uq" ON "civic_grids" USING btree ("code","version");
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "civic_grids_current_uq" ON "civic_grids" USING btree ("code") WHERE "civic_grids"."valid_to" is null;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "civic_grids_police_grid_idx" ON "civic_grids" USING btree ("police_grid_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "community_visits" (
	"id" text PRIMARY KEY NOT NULL,
	"address_code" text,
	"lon" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"station_id" text NOT NULL,
	"grid_id" text,
	"premises" text NOT NULL,
	"officer_id" text NOT NULL,
	"officer_name" text NOT NULL,
	"visited_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"services" text[] NOT NULL,
	"findings" jsonb NOT NULL,
	"met_count" integer
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "community_visits_grid_time_idx" ON "community_visits" USING btree ("grid_id","visited_at","address_code");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "community_visits_station_time_idx" ON "community_visits" USING btree ("station_id","visited_at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "community_visits_officer_time_idx" ON "community_visits" USING btree ("officer_id","visited_at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "community_visits_address_idx" ON "community_visits" USING btree ("address_code","visited_at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "community_visits_time_idx" ON "community_visits" USING btree ("visited_at");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "community_visit_skips" (
	"id" text PRIMARY KEY NOT NULL,
	"officer_id" text NOT NULL,
	"grid_id" text NOT NULL,
	"address_code" text NOT NULL,
	"week" text NOT NULL,
	"reason" text NOT NULL,
	"note" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "community_visit_skips_uq" ON "community_visit_skips" USING btree ("officer_id","week","address_code");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "community_visit_skips_grid_week_idx" ON "community_visit_skips" USING btree ("grid_id","week");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "community_finding_links" (
	"visit_id" text NOT NULL,
	"finding" integer NOT NULL,
	"kind" text NOT NULL,
	"target_id" text NOT NULL,
	"target_number" text,
	"station_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"by" text NOT NULL,
	CONSTRAINT "community_finding_links_visit_id_finding_pk" PRIMARY KEY("visit_id","finding")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "community_finding_links_station_time_idx" ON "community_finding_links" USING btree ("station_id","at");
