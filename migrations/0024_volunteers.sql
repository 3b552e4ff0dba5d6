-- Volunteer police (义警, issue 13): teams under stations, members with skills, patrol shifts with an
-- area polygon and a place counter guarded by a CHECK (no over-booking under concurrent sign-ups),
-- sign-ups with check-in and out (no positions kept), the hours ledger, volunteers' reports, the
-- short-staffed alert (once per shift: its primary key), and linked-defence groups (联防) with alerts.
CREATE TABLE IF NOT EXISTS "volunteer_teams" (
	"id" text PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"name" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "volunteer_teams_station_name_uq" ON "volunteer_teams" USING btree ("station_id","name");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "volunteer_members" (
	"team_id" text NOT NULL,
	"user_id" text NOT NULL,
	"leader" boolean DEFAULT false NOT NULL,
	"skills" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"qualifications" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "volunteer_members_team_id_user_id_pk" PRIMARY KEY("team_id","user_id")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "volunteer_members_user_idx" ON "volunteer_members" USING btree ("user_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "volunteer_shifts" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"station_id" text NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"area" jsonb NOT NULL,
	"min_people" integer NOT NULL,
	"max_people" integer NOT NULL,
	"needs_approval" boolean DEFAULT false NOT NULL,
	"signup_opens_hours" integer NOT NULL,
	"taken" integer DEFAULT 0 NOT NULL,
	"confirmed" integer DEFAULT 0 NOT NULL,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "volunteer_shifts_taken_ck" CHECK ("volunteer_shifts"."taken" >= 0 AND "volunteer_shifts"."taken" <= "volunteer_shifts"."max_people")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "volunteer_shifts_team_start_idx" ON "volunteer_shifts" USING btree ("team_id","starts_at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "volunteer_shifts_station_start_idx" ON "volunteer_shifts" USING btree ("station_id","starts_at");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "volunteer_signups" (
	"id" text PRIMARY KEY NOT NULL,
	"shift_id" text NOT NULL,
	"user_id" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"checked_in_at" timestamp with time zone,
	"checked_out_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "volunteer_signups_shift_user_uq" ON "volunteer_signups" USING btree ("shift_id","user_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "volunteer_signups_user_idx" ON "volunteer_signups" USING btree ("user_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "volunteer_ledger" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"team_id" text NOT NULL,
	"station_id" text NOT NULL,
	"shift_id" text NOT NULL,
	"hours" double precision NOT NULL,
	"points" integer NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "volunteer_ledger_shift_user_uq" ON "volunteer_ledger" USING btree ("shift_id","user_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "volunteer_ledger_user_idx" ON "volunteer_ledger" USING btree ("user_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "volunteer_ledger_station_at_idx" ON "volunteer_ledger" USING btree ("station_id","at");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "volunteer_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"team_id" text NOT NULL,
	"user_id" text NOT NULL,
	"text" text NOT NULL,
	"place" text,
	"lon" double precision,
	"lat" double precision,
	"category" text,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"handled_at" timestamp with time zone,
	"handled_by" text
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "volunteer_reports_station_idx" ON "volunteer_reports" USING btree ("station_id","created_at");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "volunteer_shift_alerts" (
	"shift_id" text PRIMARY KEY NOT NULL,
	"alerted_at" timestamp with time zone NOT NULL,
	"taken" integer NOT NULL,
	"min_people" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "defence_groups" (
	"id" text PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "defence_groups_station_name_uq" ON "defence_groups" USING btree ("station_id","name");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "defence_members" (
	"id" text PRIMARY KEY NOT NULL,
	"group_id" text NOT NULL,
	"name" text NOT NULL,
	"address_text" text NOT NULL,
	"address_code" text,
	"lon" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"contact_channel" text NOT NULL,
	"contact" text NOT NULL,
	"user_id" text
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "defence_members_group_idx" ON "defence_members" USING btree ("group_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "defence_members_user_idx" ON "defence_members" USING btree ("user_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "defence_alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"group_id" text NOT NULL,
	"member_id" text NOT NULL,
	"station_id" text NOT NULL,
	"kind" text NOT NULL,
	"note" text,
	"incident_id" text,
	"incident_number" text,
	"raised_at" timestamp with time zone NOT NULL,
	"raised_by" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "defence_alerts_group_idx" ON "defence_alerts" USING btree ("group_id","raised_at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "defence_alerts_station_idx" ON "defence_alerts" USING btree ("station_id","raised_at");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "defence_notices" (
	"id" text PRIMARY KEY NOT NULL,
	"alert_id" text NOT NULL,
	"member_id" text NOT NULL,
	"channel" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "defence_notices_alert_idx" ON "defence_notices" USING btree ("alert_id");
