-- The dispute register at a city's scale (bench:disputes, 300,000 disputes): a station's register in its
-- default order (open first, highest risk, oldest) reads one page of this index instead of sorting the
-- station's tens of thousands of rows; INCLUDE keeps the register's filtered counts inside the index.
-- And the places of closed disputes with their closing time: beside disputes_open_lat_idx, a new incident
-- finds the open disputes near it and those closed within 90 days (a recurrence) through the two indexes.
CREATE INDEX IF NOT EXISTS "disputes_register_order_idx" ON "disputes" USING btree ("station_id", ("closed_at" IS NULL) DESC, "risk_score" DESC, "registered_at", "id") INCLUDE ("status", "risk_grade", "type");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "disputes_closed_lat_idx" ON "disputes" USING btree ("lat", "lon", "closed_at") WHERE "disputes"."closed_at" IS NOT NULL;
