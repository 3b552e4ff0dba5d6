-- Security and integrity fixes (issue 9). Each statement is separated by a breakpoint line.
SELECT 1;
--> statement-breakpoint
-- Auth (L4): usernames unique whatever the case; fails here if two accounts differ only in case (rename one first).
CREATE UNIQUE INDEX IF NOT EXISTS "users_username_lower_uq" ON "users" USING btree (lower("username"));
--> statement-breakpoint
-- Auth (H1/L5): when the current failure streak last grew; names without an account are counted in login_failures.
ALTER TABLE "users" ADD COLUMN IF NOT EXISTS "last_failed_at" timestamp with time zone;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "login_failures" (
	"name_key" text PRIMARY KEY NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"last_failed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "login_failures_last_failed_idx" ON "login_failures" USING btree ("last_failed_at");
--> statement-breakpoint
-- Audit (H5): a write stores its audit entry in its own transaction; chaining it into audit_log removes it here.
CREATE TABLE IF NOT EXISTS "audit_pending" (
	"request_key" text PRIMARY KEY NOT NULL,
	"entry" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
