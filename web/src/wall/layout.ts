/** The wall's pure helpers (tested in test/analytics/wall-home.unit.test.ts). */

/** Counts per key, largest first. */
export function tally<K extends string>(keys: readonly K[]): { key: K; n: number }[] {
  const m = new Map<K, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m.entries()].map(([key, n]) => ({ key, n })).sort((a, b) => b.n - a.n || a.key.localeCompare(b.key));
}

/** The scale that fits a design of `w`×`h` CSS pixels into the window (letterboxed, centred). */
export function fitScale(winW: number, winH: number, w = 1920, h = 1080): { scale: number; left: number; top: number } {
  const scale = Math.min(winW / w, winH / h);
  return { scale, left: Math.max(0, (winW - w * scale) / 2), top: Math.max(0, (winH - h * scale) / 2) };
}
