-- Community policing, continued (issue 13): community police rooms (警务室) with their reception hours
-- and a visitor log by purpose (counts, no identity; a link to the case only when one follows), and
-- follow-up tasks made from a visit's finding (owned by the grid's officer, due on a day, closable), and the
-- photos of a visit (EXIF stripped, in the media store).
CREATE TABLE IF NOT EXISTS "community_police_rooms" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"lon" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"station_id" text NOT NULL,
	"officer_ids" text[] NOT NULL,
	"hours" jsonb NOT NULL,
	"phone" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "community_police_rooms_station_idx" ON "community_police_rooms" USING btree ("station_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "community_room_visitors" (
	"id" text PRIMARY KEY NOT NULL,
	"room_id" text NOT NULL,
	"station_id" text NOT NULL,
	"purpose" text NOT NULL,
	"visitors" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"note" text,
	"case_kind" text,
	"case_id" text,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "community_room_visitors_room_time_idx" ON "community_room_visitors" USING btree ("room_id","at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "community_room_visitors_station_time_idx" ON "community_room_visitors" USING btree ("station_id","at");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "community_tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"visit_id" text NOT NULL,
	"finding" integer NOT NULL,
	"station_id" text NOT NULL,
	"grid_id" text,
	"owner_id" text NOT NULL,
	"title" text NOT NULL,
	"due_on" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"closing_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" text
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "community_tasks_owner_status_idx" ON "community_tasks" USING btree ("owner_id","status","due_on");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "community_tasks_station_idx" ON "community_tasks" USING btree ("station_id","status");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "community_visit_photos" (
	"id" text PRIMARY KEY NOT NULL,
	"visit_id" text NOT NULL,
	"station_id" text NOT NULL,
	"bytes" integer NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"by" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "community_visit_photos_visit_idx" ON "community_visit_photos" USING btree ("visit_id");
