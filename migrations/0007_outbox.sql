-- The transactional outbox (issue 10): a write stores the events it causes in its own transaction; a
-- relay delivers them to in-process handlers, NATS and the WebSocket stream after the commit and then
-- deletes them. Rows left by a crash are taken over by any instance (kernel/outbox.ts).
CREATE TABLE IF NOT EXISTS "outbox" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"key" text NOT NULL,
	"event" text NOT NULL,
	"unit_path" text,
	"data" jsonb,
	"origin" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
