-- 快处快赔 (issue 15): minor property-only accidents settled online by two drivers and an officer.
-- The accident, its two parties, its history, wrong shared codes per citizen; photos gain accident_id.
CREATE TABLE IF NOT EXISTS "citizen_accidents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"channel" text DEFAULT 'portal' NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"lon" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"address_code" text,
	"place_text" text NOT NULL,
	"station_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"code_hash" text,
	"code_expires_at" timestamp with time zone,
	"injury" boolean DEFAULT false NOT NULL,
	"escalation" text,
	"liability" text,
	"liability_reason" text,
	"video_link" text,
	"determined_by" text,
	"officer_name" text,
	"determined_at" timestamp with time zone,
	"agreement_text" text,
	"insurer_ref" text,
	"status_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"agreed_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "citizen_accident_parties" (
	"accident_id" bigint NOT NULL,
	"role" text NOT NULL,
	"citizen_id" text NOT NULL,
	"plate" text NOT NULL,
	"insurer" text NOT NULL,
	"statement" text NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	CONSTRAINT "citizen_accident_parties_accident_id_role_pk" PRIMARY KEY("accident_id","role")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "citizen_accident_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"accident_id" bigint NOT NULL,
	"status" text NOT NULL,
	"note" text,
	"by" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "citizen_accident_code_failures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"citizen_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "citizen_photos" ADD COLUMN IF NOT EXISTS "accident_id" bigint;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_photos_accident_idx" ON "citizen_photos" USING btree ("accident_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_accidents_unit_idx" ON "citizen_accidents" USING btree ("unit_id","status");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_accidents_created_idx" ON "citizen_accidents" USING btree ("created_at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_accidents_code_idx" ON "citizen_accidents" USING btree ("code_hash");
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "citizen_accident_parties_citizen_uq" ON "citizen_accident_parties" USING btree ("accident_id","citizen_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_accident_parties_citizen_idx" ON "citizen_accident_parties" USING btree ("citizen_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_accident_events_accident_idx" ON "citizen_accident_events" USING btree ("accident_id","id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_accident_code_failures_idx" ON "citizen_accident_code_failures" USING btree ("citizen_id","at");
