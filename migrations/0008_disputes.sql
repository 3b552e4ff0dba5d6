-- The dispute register (issue 12): disputes, parties, linked incidents, agencies and their mediators,
-- referrals, sessions, agreements, follow-up visits, local protocol steps and the timeline.
CREATE TABLE IF NOT EXISTS "dispute_agencies" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"serves_unit_id" text,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "dispute_agency_members" (
	"agency_id" text NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "dispute_agency_members_agency_id_user_id_pk" PRIMARY KEY("agency_id","user_id")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "dispute_agreements" (
	"dispute_id" text PRIMARY KEY NOT NULL,
	"referral_id" text NOT NULL,
	"text" text NOT NULL,
	"performance_method" text,
	"performance_place" text,
	"performance_deadline" date,
	"signatures" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"mediator_id" text,
	"mediator_name" text,
	"agency_id" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"performed_at" timestamp with time zone,
	"judicial_confirmation_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "dispute_counters" (
	"station_code" text NOT NULL,
	"day" text NOT NULL,
	"last_seq" integer NOT NULL,
	CONSTRAINT "dispute_counters_station_code_day_pk" PRIMARY KEY("station_code","day")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "dispute_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dispute_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"type" text NOT NULL,
	"username" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "dispute_incidents" (
	"dispute_id" text NOT NULL,
	"incident_id" text NOT NULL,
	"kind" text DEFAULT 'linked' NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dispute_incidents_dispute_id_incident_id_pk" PRIMARY KEY("dispute_id","incident_id")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "dispute_parties" (
	"id" text PRIMARY KEY NOT NULL,
	"dispute_id" text NOT NULL,
	"role" text NOT NULL,
	"name" text NOT NULL,
	"phone" text,
	"relation" text,
	"vulnerable" boolean DEFAULT false NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "disputes" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"source" text NOT NULL,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"summary" text NOT NULL,
	"address_text" text,
	"address_code" text,
	"lon" double precision,
	"lat" double precision,
	"station_id" text NOT NULL,
	"grid_id" text,
	"facts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"risk_grade" text NOT NULL,
	"risk_score" integer NOT NULL,
	"risk_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"risk_at" timestamp with time zone NOT NULL,
	"registered_at" timestamp with time zone NOT NULL,
	"registered_by" text NOT NULL,
	"closed_at" timestamp with time zone,
	"outcome" text,
	"outcome_note" text,
	"external_ref" text,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "dispute_followups" (
	"id" text PRIMARY KEY NOT NULL,
	"dispute_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"method" text NOT NULL,
	"performance" text NOT NULL,
	"note" text,
	"recorded_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "dispute_protocol_steps" (
	"dispute_id" text NOT NULL,
	"code" text NOT NULL,
	"done_at" timestamp with time zone NOT NULL,
	"done_by" text NOT NULL,
	"note" text,
	CONSTRAINT "dispute_protocol_steps_dispute_id_code_pk" PRIMARY KEY("dispute_id","code")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "dispute_referrals" (
	"id" text PRIMARY KEY NOT NULL,
	"dispute_id" text NOT NULL,
	"mediation_type" text NOT NULL,
	"agency_id" text NOT NULL,
	"mediator_id" text,
	"status" text NOT NULL,
	"reason" text,
	"outcome" text,
	"extensions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	"accepted_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "dispute_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"dispute_id" text NOT NULL,
	"referral_id" text NOT NULL,
	"held_at" timestamp with time zone NOT NULL,
	"place" text,
	"attendees" integer,
	"summary" text NOT NULL,
	"recorded_by" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "dispute_agencies_name_uq" ON "dispute_agencies" USING btree ("name");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "dispute_agency_members_user_idx" ON "dispute_agency_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "dispute_events_dispute_idx" ON "dispute_events" USING btree ("dispute_id","at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "dispute_incidents_incident_idx" ON "dispute_incidents" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "dispute_parties_dispute_idx" ON "dispute_parties" USING btree ("dispute_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "dispute_parties_phone_idx" ON "dispute_parties" USING btree ("phone");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "disputes_number_uq" ON "disputes" USING btree ("number");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "disputes_station_register_idx" ON "disputes" USING btree ("station_id","status","risk_score","registered_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "disputes_registered_idx" ON "disputes" USING btree ("registered_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "disputes_address_idx" ON "disputes" USING btree ("address_code") WHERE "disputes"."closed_at" is null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "disputes_open_lat_idx" ON "disputes" USING btree ("lat","lon") WHERE "disputes"."closed_at" is null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "dispute_followups_dispute_idx" ON "dispute_followups" USING btree ("dispute_id","at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "dispute_referrals_dispute_idx" ON "dispute_referrals" USING btree ("dispute_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "dispute_referrals_mediator_idx" ON "dispute_referrals" USING btree ("mediator_id","status");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "dispute_referrals_agency_idx" ON "dispute_referrals" USING btree ("agency_id","status");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "dispute_sessions_dispute_idx" ON "dispute_sessions" USING btree ("dispute_id","held_at");