-- Supervision notices (执法监督通知书) and case reviews (一案一评), issue 14 part 5. One review per case
-- (unique index); a notice's rank on its case is unique, so two notices issued at once get two numbers.
CREATE TABLE IF NOT EXISTS "case_notices" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"case_id" text NOT NULL,
	"seq" integer NOT NULL,
	"station_id" text NOT NULL,
	"officer" text NOT NULL,
	"state" text NOT NULL,
	"items" jsonb NOT NULL,
	"problem_types" jsonb NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"issued_by" text NOT NULL,
	"answer_due_at" timestamp with time zone NOT NULL,
	"first_answered_at" timestamp with time zone,
	"late" boolean DEFAULT false NOT NULL,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "case_reviews" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"station_id" text NOT NULL,
	"officer" text NOT NULL,
	"items" jsonb NOT NULL,
	"score" real NOT NULL,
	"grade" text NOT NULL,
	"comment" text,
	"reviewed_at" timestamp with time zone NOT NULL,
	"reviewed_by" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "case_notices_case_seq_uq" ON "case_notices" USING btree ("case_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "case_notices_number_uq" ON "case_notices" USING btree ("number");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "case_notices_station_due_idx" ON "case_notices" USING btree ("station_id","answer_due_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "case_notices_issued_idx" ON "case_notices" USING btree ("issued_at");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "case_reviews_case_uq" ON "case_reviews" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "case_reviews_station_idx" ON "case_reviews" USING btree ("station_id","reviewed_at");
