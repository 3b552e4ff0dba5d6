/**
 * A rollup round's choice from the stale marks it read (rollups.ts; marks of migrations 0017 and 0034):
 * which hours it recounts, whole or for some stations only, and which marks it then clears. Pure.
 */

/**
 * Which hours a round recounts from the marks read (in id order): up to `limit` hours, each whole when a
 * mark of it names no station, else for the stations its marks name; and the marks of those hours.
 */
export function roundOf<M extends { hour: Date | string; station_id: string | null }>(read: readonly M[], limit: number): { hours: { whole: string[]; pairs: [string, string][]; count: number }; marks: M[] } {
  const stations = new Map<string, Set<string> | null>();
  for (const m of read) {
    const h = new Date(m.hour).toISOString();
    if (!stations.has(h) && stations.size >= limit) continue;
    const s = stations.get(h);
    if (m.station_id === null) stations.set(h, null);
    else if (s === undefined) stations.set(h, new Set([m.station_id]));
    else s?.add(m.station_id);
  }
  const whole = [...stations].filter(([, s]) => s === null).map(([h]) => h);
  const pairs = [...stations].flatMap(([h, s]) => (s ? [...s].map((st) => [h, st] as [string, string]) : []));
  return { hours: { whole, pairs, count: stations.size }, marks: read.filter((m) => stations.has(new Date(m.hour).toISOString())) };
}
