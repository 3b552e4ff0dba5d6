/** Sign-in failures of names that have no account (see lockout.ts: they are counted like accounts). */
import { pgTable, text, integer, timestamp, index } from 'drizzle-orm/pg-core';

export const loginFailures = pgTable(
  'login_failures',
  {
    /** lower(username) as typed at sign-in. */
    nameKey: text('name_key').primaryKey(),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastFailedAt: timestamp('last_failed_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('login_failures_last_failed_idx').on(t.lastFailedAt)],
);
