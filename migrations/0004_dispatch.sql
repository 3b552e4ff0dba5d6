CREATE TABLE "assignments" (
	"id" text PRIMARY KEY NOT NULL,
	"incident_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"station_id" text NOT NULL,
	"priority" text NOT NULL,
	"status" text NOT NULL,
	"eta_seconds" integer,
	"assigned_at" timestamp with time zone NOT NULL,
	"assigned_by" text,
	"ack_at" timestamp with time zone,
	"en_route_at" timestamp with time zone,
	"on_scene_at" timestamp with time zone,
	"cleared_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"cancelled_by" text
);
--> statement-breakpoint
CREATE TABLE "dispatch_alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"incident_id" text,
	"assignment_id" text,
	"unit_id" text,
	"station_id" text NOT NULL,
	"level" text NOT NULL,
	"status" text NOT NULL,
	"message" text NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"escalated_at" timestamp with time zone,
	"acked_at" timestamp with time zone,
	"acked_by" text,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "unit_positions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"unit_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"lon" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"speed" double precision,
	"heading" double precision
);
--> statement-breakpoint
CREATE TABLE "unit_shifts" (
	"id" text PRIMARY KEY NOT NULL,
	"unit_id" text NOT NULL,
	"day" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"note" text,
	"created_by" text
);
--> statement-breakpoint
CREATE TABLE "unit_status_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"unit_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"incident_id" text,
	"assignment_id" text,
	"user_id" text,
	"username" text,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" text PRIMARY KEY NOT NULL,
	"call_sign" text NOT NULL,
	"kind" text NOT NULL,
	"station_id" text NOT NULL,
	"members" text[] DEFAULT '{}' NOT NULL,
	"member_user_ids" text[] DEFAULT '{}' NOT NULL,
	"capabilities" text[] DEFAULT '{}' NOT NULL,
	"home_lon" double precision NOT NULL,
	"home_lat" double precision NOT NULL,
	"status" text DEFAULT 'off_duty' NOT NULL,
	"status_at" timestamp with time zone DEFAULT now() NOT NULL,
	"current_assignment_id" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "assignments_incident_idx" ON "assignments" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "assignments_unit_idx" ON "assignments" USING btree ("unit_id","assigned_at");--> statement-breakpoint
CREATE INDEX "assignments_status_idx" ON "assignments" USING btree ("status","assigned_at");--> statement-breakpoint
CREATE UNIQUE INDEX "dispatch_alerts_kind_subject_uq" ON "dispatch_alerts" USING btree ("kind","subject_id");--> statement-breakpoint
CREATE INDEX "dispatch_alerts_status_idx" ON "dispatch_alerts" USING btree ("status","raised_at");--> statement-breakpoint
CREATE INDEX "unit_positions_unit_at_idx" ON "unit_positions" USING btree ("unit_id","at");--> statement-breakpoint
CREATE INDEX "unit_positions_at_idx" ON "unit_positions" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "unit_shifts_unit_start_uq" ON "unit_shifts" USING btree ("unit_id","starts_at");--> statement-breakpoint
CREATE INDEX "unit_shifts_ends_idx" ON "unit_shifts" USING btree ("ends_at");--> statement-breakpoint
CREATE INDEX "unit_status_events_unit_idx" ON "unit_status_events" USING btree ("unit_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "units_call_sign_uq" ON "units" USING btree ("call_sign");--> statement-breakpoint
CREATE INDEX "units_station_idx" ON "units" USING btree ("station_id");