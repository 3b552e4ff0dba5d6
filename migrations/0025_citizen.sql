-- Citizen portal and Open311 (issue 15): citizens (a phone number), their one-time codes (HMAC only),
-- wrong-code failures for the lock-out, citizen sessions apart from staff sessions, the category list =
-- routing table, reports with their status history, voices, notifications and photos, Open311 client keys (hashed).
CREATE TABLE IF NOT EXISTS "citizen_notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"citizen_id" text NOT NULL,
	"report_id" bigint NOT NULL,
	"status" text NOT NULL,
	"note" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "citizen_otp_failures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"phone" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "citizen_otps" (
	"id" text PRIMARY KEY NOT NULL,
	"phone" text NOT NULL,
	"ip" text NOT NULL,
	"code_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "citizen_photos" (
	"id" text PRIMARY KEY NOT NULL,
	"citizen_id" text NOT NULL,
	"report_id" bigint,
	"content_type" text NOT NULL,
	"bytes" integer NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "citizen_report_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"report_id" bigint NOT NULL,
	"status" text NOT NULL,
	"note" text,
	"by" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "citizen_reports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"citizen_id" text,
	"channel" text NOT NULL,
	"api_key_id" text,
	"service_code" text NOT NULL,
	"description" text NOT NULL,
	"lon" double precision,
	"lat" double precision,
	"address_code" text,
	"address_text" text,
	"station_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"route" text NOT NULL,
	"status" text NOT NULL,
	"urgent" boolean DEFAULT false NOT NULL,
	"duplicate_of" bigint,
	"voices" integer DEFAULT 0 NOT NULL,
	"status_note" text,
	"incident_id" text,
	"token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"accepted_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "citizen_services" (
	"code" text PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"group" text NOT NULL,
	"route" text NOT NULL,
	"unit_id" text,
	"incident_category" text,
	"radius_m" integer DEFAULT 75 NOT NULL,
	"keywords" text DEFAULT '' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "citizen_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"citizen_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "citizen_voices" (
	"report_id" bigint NOT NULL,
	"citizen_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "citizen_voices_report_id_citizen_id_pk" PRIMARY KEY("report_id","citizen_id")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "citizens" (
	"id" text PRIMARY KEY NOT NULL,
	"phone" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "open311_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "citizen_sessions" ADD CONSTRAINT "citizen_sessions_citizen_id_citizens_id_fk" FOREIGN KEY ("citizen_id") REFERENCES "public"."citizens"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_notifications_citizen_idx" ON "citizen_notifications" USING btree ("citizen_id","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_otp_failures_phone_idx" ON "citizen_otp_failures" USING btree ("phone","at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_otps_phone_idx" ON "citizen_otps" USING btree ("phone","created_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_otps_ip_idx" ON "citizen_otps" USING btree ("ip","created_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_photos_report_idx" ON "citizen_photos" USING btree ("report_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_photos_citizen_idx" ON "citizen_photos" USING btree ("citizen_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_report_events_report_idx" ON "citizen_report_events" USING btree ("report_id","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_reports_citizen_idx" ON "citizen_reports" USING btree ("citizen_id","created_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_reports_unit_idx" ON "citizen_reports" USING btree ("unit_id","status");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_reports_open_place_idx" ON "citizen_reports" USING btree ("service_code","lat","lon") WHERE status in ('received','accepted','in_progress');--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_reports_created_idx" ON "citizen_reports" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "citizen_reports_token_uq" ON "citizen_reports" USING btree ("token");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_sessions_citizen_idx" ON "citizen_sessions" USING btree ("citizen_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_voices_citizen_idx" ON "citizen_voices" USING btree ("citizen_id");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "citizens_phone_uq" ON "citizens" USING btree ("phone");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "open311_keys_hash_uq" ON "open311_keys" USING btree ("key_hash");