/**
 * Is a change real? (issue 16.) 4 → 9 crimes is "+125 %" on most dashboards, yet counts that small move
 * that much by chance. Counts of independent events are Poisson; the square root makes their noise the
 * same at every size (Anscombe), so z = 2·(√now − √expected) is about standard normal when nothing has
 * changed, with last year's count (scaled to the span's length) as the expected rate — the sources'
 * reports read it the same way. |z| > 3 is a real change; anything less is shown as "no significant
 * change", with both numbers, never as a bold percentage.
 *
 * Rates (a share: P1 on scene within target, satisfaction) always carry their numerator and denominator;
 * their change is judged with the two-proportion z test, the same threshold.
 */

export const Z_THRESHOLD = 3;

export interface CountChange {
  now: number;
  before: number;
  /** Last year's count scaled to this span's length (a leap day, spans of unequal length). */
  expected: number;
  /** now − expected. */
  change: number;
  /** Relative change against the expected count; null when nothing was expected (0 before). */
  pct: number | null;
  z: number;
  significant: boolean;
  direction: 'up' | 'down' | 'same';
}

function assertCount(n: number, name: string) {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name} must be a count (a whole number ≥ 0): ${n}`);
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** This span's count against last year's, per day when the spans differ in length. */
export function countChange(now: number, before: number, days: { current: number; previous: number } = { current: 1, previous: 1 }): CountChange {
  assertCount(now, 'now');
  assertCount(before, 'before');
  if (!(days.current > 0 && days.previous > 0)) throw new RangeError('spans must have at least one day');
  const expected = (before * days.current) / days.previous;
  const z = 2 * (Math.sqrt(now) - Math.sqrt(expected));
  const significant = Math.abs(z) > Z_THRESHOLD;
  return {
    now,
    before,
    expected: round(expected, 2),
    change: round(now - expected, 2),
    pct: expected > 0 ? round(((now - expected) / expected) * 100, 1) : null,
    z: round(z, 2),
    significant,
    direction: !significant ? 'same' : z > 0 ? 'up' : 'down',
  };
}

export interface RateChange {
  now: { numerator: number; denominator: number; rate: number | null };
  before: { numerator: number; denominator: number; rate: number | null };
  /** Difference in percentage points; null when either side has no denominator. */
  points: number | null;
  z: number | null;
  significant: boolean;
  direction: 'up' | 'down' | 'same';
}

/** A share this span against last year's, with its two numbers each side. */
export function rateChange(now: { numerator: number; denominator: number }, before: { numerator: number; denominator: number }): RateChange {
  for (const [v, n] of [[now.numerator, 'now.numerator'], [now.denominator, 'now.denominator'], [before.numerator, 'before.numerator'], [before.denominator, 'before.denominator']] as const) assertCount(v, n);
  if (now.numerator > now.denominator || before.numerator > before.denominator) throw new RangeError('a numerator cannot exceed its denominator');
  const rate = (x: { numerator: number; denominator: number }) => (x.denominator > 0 ? x.numerator / x.denominator : null);
  const [a, b] = [rate(now), rate(before)];
  const side = (x: { numerator: number; denominator: number }, r: number | null) => ({ ...x, rate: r === null ? null : round(r, 4) });
  if (a === null || b === null) return { now: side(now, a), before: side(before, b), points: null, z: null, significant: false, direction: 'same' };
  const pooled = (now.numerator + before.numerator) / (now.denominator + before.denominator);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / now.denominator + 1 / before.denominator));
  // se is 0 only when both sides are all or none alike: the same rate, no change.
  const z = se === 0 ? 0 : (a - b) / se;
  const significant = Math.abs(z) > Z_THRESHOLD;
  return { now: side(now, a), before: side(before, b), points: round((a - b) * 100, 2), z: round(z, 2), significant, direction: !significant ? 'same' : z > 0 ? 'up' : 'down' };
}
