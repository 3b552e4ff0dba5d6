/** Weeks of the visit norm: Monday–Sunday in local days ('YYYY-MM-DD'), pure date arithmetic. */

/** Days since 1970-01-01 of a 'YYYY-MM-DD' day. */
function dayNumber(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Math.floor(Date.UTC(y!, m! - 1, d!) / 86_400_000);
}

function dayOf(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

/** The Monday of the week `day` lies in. */
export function mondayOf(day: string): string {
  const n = dayNumber(day);
  const dow = (((n + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday: Monday 0 … Sunday 6
  return dayOf(n - dow);
}

export function addDays(day: string, k: number): string {
  return dayOf(dayNumber(day) + k);
}
