-- The supervision board (issue 14) reads the 500 most urgent open cases in the order (next_due_at, id).
-- Thousands of cases share a due time (day clocks fall due at the end of a day), so with next_due_at
-- alone every read sorted the whole tie group (7,000 rows over 100,000 open cases: 13 ms of a 22 ms
-- board on PostgreSQL). With id in the index the read stops after 501 rows.
DROP INDEX IF EXISTS "cases_open_due_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_open_due_idx" ON "cases" USING btree ("next_due_at","id") WHERE "cases"."closed_at" is null;
