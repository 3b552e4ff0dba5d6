CREATE TABLE "callbacks" (
	"id" text PRIMARY KEY NOT NULL,
	"incident_id" text NOT NULL,
	"station_id" text NOT NULL,
	"status" text NOT NULL,
	"outcome" text,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone,
	"done_by" text,
	"review_status" text,
	"review_note" text,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "categories" (
	"code" text PRIMARY KEY NOT NULL,
	"parent_code" text,
	"level" integer NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"leaf" boolean NOT NULL,
	"default_priority" text,
	"capabilities" text[] DEFAULT '{}' NOT NULL,
	"transfer_to" text,
	"keywords" text[] DEFAULT '{}' NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hotline_orders" (
	"external_ref" text PRIMARY KEY NOT NULL,
	"incident_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"token_id" text
);
--> statement-breakpoint
CREATE TABLE "incident_counters" (
	"station_code" text NOT NULL,
	"day" text NOT NULL,
	"last_seq" integer NOT NULL,
	CONSTRAINT "incident_counters_station_code_day_pk" PRIMARY KEY("station_code","day")
);
--> statement-breakpoint
CREATE TABLE "incident_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"type" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"user_id" text,
	"username" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"source" text NOT NULL,
	"category_code" text NOT NULL,
	"category_family" text NOT NULL,
	"priority" text NOT NULL,
	"suggested_priority" text NOT NULL,
	"priority_reason" text,
	"caller_name" text,
	"caller_phone" text,
	"address_text" text,
	"address_code" text,
	"lon" double precision,
	"lat" double precision,
	"accuracy_m" double precision,
	"description" text NOT NULL,
	"station_id" text NOT NULL,
	"grid_id" text,
	"jurisdiction_overridden" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"disposition_code" text,
	"disposition_note" text,
	"master_id" text,
	"external_ref" text,
	"created_by" text,
	"call_started_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"recorded_at" timestamp with time zone NOT NULL,
	"dispatched_at" timestamp with time zone,
	"en_route_at" timestamp with time zone,
	"on_scene_at" timestamp with time zone,
	"cleared_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"transferred_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"merged_at" timestamp with time zone,
	"reopened_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transfers" (
	"id" text PRIMARY KEY NOT NULL,
	"incident_id" text NOT NULL,
	"station_id" text NOT NULL,
	"target" text NOT NULL,
	"reason" text NOT NULL,
	"external_ref" text,
	"status" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"answer" text,
	"created_by" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "callbacks_incident_uq" ON "callbacks" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "callbacks_station_status_idx" ON "callbacks" USING btree ("station_id","status");--> statement-breakpoint
CREATE INDEX "hotline_orders_incident_idx" ON "hotline_orders" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "incident_events_incident_idx" ON "incident_events" USING btree ("incident_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_number_uq" ON "incidents" USING btree ("number");--> statement-breakpoint
CREATE INDEX "incidents_station_status_idx" ON "incidents" USING btree ("station_id","status");--> statement-breakpoint
CREATE INDEX "incidents_recorded_idx" ON "incidents" USING btree ("recorded_at");--> statement-breakpoint
CREATE INDEX "incidents_phone_idx" ON "incidents" USING btree ("caller_phone","recorded_at");--> statement-breakpoint
CREATE INDEX "incidents_lat_lon_idx" ON "incidents" USING btree ("lat","lon");--> statement-breakpoint
CREATE INDEX "incidents_status_idx" ON "incidents" USING btree ("status","recorded_at");--> statement-breakpoint
CREATE INDEX "transfers_incident_idx" ON "transfers" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "transfers_status_idx" ON "transfers" USING btree ("status","due_at");