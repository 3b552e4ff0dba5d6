/**
 * The sign-in lock-out, counted in the database by one statement per attempt, so that concurrent
 * attempts cannot overwrite each other's count (a read, +1, write back let 40 parallel guesses through).
 *
 * Each attempt is counted *before* the password is checked: attempt n of a streak is checked only
 * while n ≤ maxFailures, and the attempt that reaches maxFailures locks the name for lockMinutes. So at
 * most maxFailures passwords are ever checked per lock, however many arrive at once. A right password
 * clears the streak. A lock that has passed, or a streak without a failure for FAILURE_MEMORY_HOURS,
 * starts afresh.
 *
 * Names without an account are counted the same way (table login_failures, keyed by the lower-case
 * name), so the answers — 401 bad_credentials, then 423 account_locked — never tell whether an account
 * exists. Sign-in and the current-password check of a password change share the count.
 */
import { rawQuery, type Db } from '../../db/client.js';

export const FAILURE_MEMORY_HOURS = 24;

export interface LockoutRule {
  maxFailures: number;
  lockMinutes: number;
}

/** One counted attempt: its number in the streak and the lock in force after it (if any). */
export interface Attempt {
  n: number;
  lockedUntil: Date | null;
}

/** Whether the password may be checked at all: no, once the streak is past the limit (locked). */
export const mayCheckPassword = (a: Attempt, rule: LockoutRule) => a.n <= rule.maxFailures;
/** After a wrong password: whether the answer is the lock (this attempt reached the limit). */
export const lockedAfterFailure = (a: Attempt, rule: LockoutRule) => a.n >= rule.maxFailures;

// While locked, every attempt is number maxFailures + 1 (refused unchecked), whatever the stored count.
// Parameters: $1 the name or id, $2 now, $3 maxFailures, $4 lock end if this attempt locks, $5 streaks older than this are forgotten.
// Every SET expression reads the row as it was before this statement (the latest committed version under
// concurrency: PostgreSQL re-reads a row updated meanwhile), hence the count expression twice.
const nextCount = (t: string) => `case
    when ${t}.locked_until > $2::timestamptz then $3::int + 1
    when ${t}.locked_until is not null or ${t}.last_failed_at is null or ${t}.last_failed_at < $5::timestamptz then 1
    else ${t}.failed_attempts + 1 end`;
const nextLock = (t: string) => `case
    when ${t}.locked_until > $2::timestamptz then ${t}.locked_until
    when (${nextCount(t)}) >= $3::int then $4::timestamptz end`;

const COUNT_USER_SQL = `update users set failed_attempts = ${nextCount('users')}, locked_until = ${nextLock('users')}, last_failed_at = $2::timestamptz
  where id = $1 returning failed_attempts, locked_until`;
const COUNT_NAME_SQL = `insert into login_failures as f (name_key, failed_attempts, locked_until, last_failed_at)
  values (lower($1), 1, case when 1 >= $3::int then $4::timestamptz end, $2::timestamptz)
  on conflict (name_key) do update set failed_attempts = ${nextCount('f')}, locked_until = ${nextLock('f')}, last_failed_at = $2::timestamptz
  returning failed_attempts, locked_until`;

function params(key: string, rule: LockoutRule, now: Date) {
  const until = new Date(now.getTime() + rule.lockMinutes * 60_000);
  const forgetBefore = new Date(now.getTime() - FAILURE_MEMORY_HOURS * 3_600_000);
  return [key, now.toISOString(), rule.maxFailures, until.toISOString(), forgetBefore.toISOString()];
}

function attemptOf(rows: { failed_attempts: number; locked_until: Date | string | null }[]): Attempt {
  const r = rows[0];
  if (!r) throw new Error('lock-out: the attempt was not counted');
  return { n: Number(r.failed_attempts), lockedUntil: r.locked_until === null ? null : new Date(r.locked_until) };
}

/** Counts an attempt against an account (by user id). */
export async function countUserAttempt(db: Db, userId: string, rule: LockoutRule, now = new Date()): Promise<Attempt> {
  return attemptOf(await rawQuery(db, COUNT_USER_SQL, params(userId, rule, now), 'lockout_count_user_v1'));
}

/** Counts an attempt against a name that has no account. */
export async function countNameAttempt(db: Db, username: string, rule: LockoutRule, now = new Date()): Promise<Attempt> {
  return attemptOf(await rawQuery(db, COUNT_NAME_SQL, params(username, rule, now), 'lockout_count_name_v1'));
}

/** A right password ends the streak (and a lock this very attempt may have set). */
export async function clearUserFailures(db: Db, userId: string, extra: { lastLoginAt?: Date } = {}): Promise<void> {
  const login = extra.lastLoginAt ? ', last_login_at = $2::timestamptz' : '';
  await rawQuery(db, `update users set failed_attempts = 0, locked_until = null, last_failed_at = null${login} where id = $1`, extra.lastLoginAt ? [userId, extra.lastLoginAt.toISOString()] : [userId]);
}

/**
 * Forgets the counts of names without an account that would start afresh anyway (lock passed, or no
 * failure for FAILURE_MEMORY_HOURS): the table stays as small as the guessing of the last day.
 */
export async function sweepLoginFailures(db: Db, now = new Date()): Promise<number> {
  const forgetBefore = new Date(now.getTime() - FAILURE_MEMORY_HOURS * 3_600_000);
  const rows = await rawQuery(
    db,
    `delete from login_failures where (locked_until is not null and locked_until <= $1::timestamptz) or (locked_until is null and last_failed_at < $2::timestamptz) returning 1`,
    [now.toISOString(), forgetBefore.toISOString()],
  );
  return rows.length;
}

export function isIdleExpired(lastSeen: Date, now: Date, idleMinutes: number): boolean {
  return now.getTime() - lastSeen.getTime() > idleMinutes * 60_000;
}
