-- Issue 11 item 22: an alert keeps what its message names (call sign, incident number, timer seconds) so
-- the web can say it in the reader's language; `message` stays the Chinese text for audit and older clients.
ALTER TABLE "dispatch_alerts" ADD COLUMN IF NOT EXISTS "params" jsonb;
