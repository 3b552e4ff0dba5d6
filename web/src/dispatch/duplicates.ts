/**
 * Possible duplicates in the console's queue (#11.15): an open incident of the same category family
 * recorded within 300 m and 30 minutes after an earlier open one — the server's own rule
 * (src/modules/incidents/domain/proximity.ts, a pure file), applied to the queue the console holds. The
 * earlier incident is the one to keep: the later is offered for a merge into it.
 */
import { rankDuplicates } from '../../../src/modules/incidents/domain/proximity';
import type { Incident } from '../incidents/model';

export interface DuplicateOf {
  master: Incident;
  distanceM: number;
  minutesApart: number;
}

const asProximity = (i: Incident) => ({ id: i.id, categoryCode: i.categoryCode, lon: i.location?.lon ?? null, lat: i.location?.lat ?? null, at: i.times.recordedAt, status: i.status });

/** For each queued incident with an earlier duplicate: the earlier ones, closest first. */
export function possibleDuplicates(queue: readonly Incident[]): Map<string, DuplicateOf[]> {
  const out = new Map<string, DuplicateOf[]>();
  const located = queue.filter((i) => i.location);
  for (const i of located) {
    const earlier = located.filter((o) => o.id !== i.id && (Date.parse(o.times.recordedAt) < Date.parse(i.times.recordedAt) || (o.times.recordedAt === i.times.recordedAt && o.number < i.number)));
    if (!earlier.length) continue;
    const ranked = rankDuplicates(asProximity(i), earlier.map(asProximity));
    if (!ranked.length) continue;
    const byId = new Map(earlier.map((o) => [o.id, o]));
    out.set(
      i.id,
      ranked.map((r) => ({ master: byId.get(String(r.incident.id))!, distanceM: r.distanceM, minutesApart: r.minutesApart })),
    );
  }
  return out;
}
