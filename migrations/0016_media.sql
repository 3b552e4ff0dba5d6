-- Body-cam media (issue 14 part 4): recordings (SHA-256 taken on arrival, never modified), their links to
-- incidents and cases (automatic by officer + assignment window, or by hand), and the reasons given for a
-- step that requires a recording and has none. See src/modules/media and docs/cases.md.
CREATE TABLE IF NOT EXISTS "media" (
	"id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"store" text NOT NULL,
	"store_key" text NOT NULL,
	"size" bigint NOT NULL,
	"received" bigint DEFAULT 0 NOT NULL,
	"content_type" text NOT NULL,
	"file_name" text,
	"sha256" text,
	"expected_sha256" text,
	"officer_id" text NOT NULL,
	"officer_name" text NOT NULL,
	"station_id" text NOT NULL,
	"recorded_from" timestamp with time zone NOT NULL,
	"recorded_to" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stored_at" timestamp with time zone,
	"hold" boolean DEFAULT false NOT NULL,
	"hold_by" text,
	"hold_at" timestamp with time zone,
	"hold_reason" text,
	"purged_at" timestamp with time zone,
	"requested_links" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "media_links" (
	"media_id" text NOT NULL,
	"target_kind" text NOT NULL,
	"target_id" text NOT NULL,
	"how" text NOT NULL,
	"assignment_id" text,
	"event_id" text,
	"linked_by" text NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "media_links_media_id_target_kind_target_id_pk" PRIMARY KEY("media_id","target_kind","target_id")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "media_exemptions" (
	"id" text PRIMARY KEY NOT NULL,
	"step_kind" text NOT NULL,
	"step_id" text NOT NULL,
	"case_id" text,
	"station_id" text NOT NULL,
	"reason" text NOT NULL,
	"comment" text NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "media_station_time_idx" ON "media" USING btree ("station_id","recorded_from");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "media_officer_time_idx" ON "media" USING btree ("officer_id","recorded_from");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "media_expiry_idx" ON "media" USING btree ("recorded_to") WHERE "media"."status" = 'stored' and not "media"."hold";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "media_links_target_idx" ON "media_links" USING btree ("target_kind","target_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "media_links_assignment_idx" ON "media_links" USING btree ("assignment_id");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "media_exemptions_step_uq" ON "media_exemptions" USING btree ("step_kind","step_id");
