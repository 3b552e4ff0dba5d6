-- Citizen portal, later parts of issue 15: 随手拍 traffic-violation reports (one row per report: plate,
-- violation type, time, the officer's verdict, the reward — the first valid report of a plate and type
-- within 30 min and 200 m — and the duplicates of it), citizens' ratings of resolved reports (once each),
-- and safety notices (whole city or one station, valid from/to).
CREATE TABLE IF NOT EXISTS "citizen_violations" (
	"report_id" bigint PRIMARY KEY NOT NULL,
	"citizen_id" text NOT NULL,
	"plate" text NOT NULL,
	"violation_type" text NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"lon" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"verdict" text DEFAULT 'pending' NOT NULL,
	"verdict_reason" text,
	"rewarded" boolean DEFAULT false NOT NULL,
	"reward_of" bigint,
	"reviewed_at" timestamp with time zone,
	"reviewed_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "citizen_ratings" (
	"report_id" bigint PRIMARY KEY NOT NULL,
	"citizen_id" text NOT NULL,
	"score" integer NOT NULL,
	"comment" text,
	"unit_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "citizen_ratings_score_ck" CHECK ("score" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "citizen_notices" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"station_id" text,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_violations_plate_idx" ON "citizen_violations" USING btree ("plate","violation_type","observed_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_violations_citizen_idx" ON "citizen_violations" USING btree ("citizen_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_ratings_at_idx" ON "citizen_ratings" USING btree ("at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_notices_valid_idx" ON "citizen_notices" USING btree ("valid_to","valid_from");
