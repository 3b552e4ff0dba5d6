/**
 * Landmarks (地标, issue 11 #4): named places callers give instead of a door-plate address — hotels,
 * schools, hospitals, squares, bridges, stations and piers, border crossings, sights. Each has a name,
 * other names (aliases: popular, Portuguese, English), a kind and a point. The list is editable by
 * administrators (landmark-routes.ts); the demo city's is built from its road data and a list of
 * well-known places (src/demo/landmarks.ts).
 *
 * Search (pure): a full scan of the names and aliases, ranked as addresses are (rank.ts, on the same
 * normal form), so that the address search can offer both in one list, best first. A city has a few
 * thousand landmarks at most: a scan of their short names costs well under a millisecond.
 */
import { normalise } from './normalise.js';
import { queryContext, rankForm } from './rank.js';

export const LANDMARK_KINDS = ['hotel', 'school', 'hospital', 'square', 'bridge', 'station', 'border', 'sight', 'public', 'other'] as const;
export type LandmarkKind = (typeof LANDMARK_KINDS)[number];
export const LANDMARK_SOURCES = ['demo', 'roads', 'manual'] as const;

export interface Landmark {
  id: string;
  name: string;
  aliases: string[];
  kind: LandmarkKind;
  lon: number;
  lat: number;
  stationId: string | null;
  gridId: string | null;
  /** demo (the demo city's list) | roads (from the road data) | manual (an administrator) */
  source: string;
  active: boolean;
}

/** A landmark as the address search offers it: `code` is `landmark:<id>` (no registry code to record). */
export interface LandmarkHit {
  code: string;
  text: string;
  lon: number;
  lat: number;
  stationId: string | null;
  gridId: string | null;
  score: number;
  alias?: string;
  kind: 'landmark';
  landmarkKind: LandmarkKind;
}

export const LANDMARK_CODE_PREFIX = 'landmark:';
const MAX_QUERY = 48;

interface Entry {
  l: Landmark;
  /** Normal forms: [name, ...aliases]. */
  forms: string[];
}

export class LandmarkIndex {
  private entries = new Map<string, Entry>();
  private row = new Int32Array(MAX_QUERY + 1);

  get size(): number {
    return this.entries.size;
  }

  /** Replaces the whole list (at start, and when another instance changed it). */
  replace(list: Landmark[]): void {
    this.entries = new Map(list.map((l) => [l.id, entryOf(l)]));
  }

  /** Adds or replaces one landmark (an inactive one leaves the search). */
  put(l: Landmark): void {
    this.entries.set(l.id, entryOf(l));
  }

  /** Active landmarks best first for what a call-taker typed. */
  search(q: string, limit = 5): LandmarkHit[] {
    const norm = normalise(q).slice(0, MAX_QUERY);
    if (!norm) return [];
    const ctx = queryContext(norm);
    const hits: LandmarkHit[] = [];
    for (const { l, forms } of this.entries.values()) {
      if (!l.active) continue;
      let best = -Infinity;
      let bestForm = 0;
      forms.forEach((f, k) => {
        // A name contained in the words (威尼斯人酒店正门 ⊃ 威尼斯人) or the words in the name both count.
        const s = rankForm(ctx, f, this.row) + (norm.includes(f) ? 2 * f.length : 0);
        if (s > best) [best, bestForm] = [s, k];
      });
      if (best === -Infinity) continue;
      hits.push({ code: LANDMARK_CODE_PREFIX + l.id, text: l.name, lon: l.lon, lat: l.lat, stationId: l.stationId, gridId: l.gridId, score: best, ...(bestForm > 0 ? { alias: l.aliases[bestForm - 1] } : {}), kind: 'landmark', landmarkKind: l.kind });
    }
    return hits.sort((a, b) => b.score - a.score || a.text.localeCompare(b.text)).slice(0, limit);
  }
}

function entryOf(l: Landmark): Entry {
  return { l, forms: [l.name, ...l.aliases].map(normalise) };
}

/** The aliases as stored: trimmed, without blanks, the name itself and repeats. */
export function cleanAliases(name: string, aliases: readonly string[]): string[] {
  const seen = new Set([normalise(name)]);
  const out: string[] = [];
  for (const a of aliases.map((x) => x.trim())) {
    const n = normalise(a);
    if (!n || seen.has(n)) continue;
    seen.add(n);
    out.push(a);
  }
  return out;
}
