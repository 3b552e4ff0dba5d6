/** Pure lock-out rule: after `maxFailures` failed sign-ins the account is locked for `lockMinutes`. */
export interface LockState {
  failedAttempts: number;
  lockedUntil: Date | null;
}

export function isLocked(s: LockState, now: Date): boolean {
  return s.lockedUntil !== null && s.lockedUntil.getTime() > now.getTime();
}

export function afterFailure(s: LockState, now: Date, maxFailures: number, lockMinutes: number): LockState {
  // An expired lock starts a fresh count.
  const attempts = (s.lockedUntil && !isLocked(s, now) ? 0 : s.failedAttempts) + 1;
  if (attempts >= maxFailures) return { failedAttempts: 0, lockedUntil: new Date(now.getTime() + lockMinutes * 60_000) };
  return { failedAttempts: attempts, lockedUntil: s.lockedUntil && isLocked(s, now) ? s.lockedUntil : null };
}

export function isIdleExpired(lastSeen: Date, now: Date, idleMinutes: number): boolean {
  return now.getTime() - lastSeen.getTime() > idleMinutes * 60_000;
}
