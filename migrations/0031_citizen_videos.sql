-- Citizen portal, issue 15: videos as 随手拍 evidence (at least 10 s, instead of two photos). The bytes are
-- in the media store (citizen/videos/<id>.<ext>), with location metadata removed in place on arrival.
CREATE TABLE IF NOT EXISTS "citizen_videos" (
	"id" text PRIMARY KEY NOT NULL,
	"citizen_id" text NOT NULL,
	"report_id" bigint,
	"content_type" text NOT NULL,
	"bytes" bigint NOT NULL,
	"duration_ms" integer NOT NULL,
	"removed" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_videos_report_idx" ON "citizen_videos" USING btree ("report_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "citizen_videos_citizen_idx" ON "citizen_videos" USING btree ("citizen_id");
