CREATE TABLE "addresses" (
	"code" text PRIMARY KEY NOT NULL,
	"district" text NOT NULL,
	"road" text NOT NULL,
	"number" text DEFAULT '' NOT NULL,
	"building" text DEFAULT '' NOT NULL,
	"unit" text DEFAULT '' NOT NULL,
	"text" text NOT NULL,
	"lon" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"station_id" text,
	"grid_id" text,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "addresses_station_idx" ON "addresses" USING btree ("station_id");