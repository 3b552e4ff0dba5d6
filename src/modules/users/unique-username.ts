/** Usernames are unique whatever the case (index users_username_lower_uq); the database decides, not a prior read. */
import { AppError } from '../../core/errors.js';

/** PostgreSQL's unique_violation, as thrown by pg or PGlite, possibly wrapped (Drizzle puts the driver's error in `cause`). */
export function isUniqueViolation(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

export const duplicateUsername = () => new AppError(409, 'duplicate', { field: 'username' }, 'username');

/** Runs an insert of a user; a username taken (in any case) becomes 409 duplicate (the id is a fresh UUID). */
export async function insertingUser<T>(insert: () => Promise<T>): Promise<T> {
  try {
    return await insert();
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateUsername();
    throw err;
  }
}
