/**
 * In-memory address search (pure): what a call-taker types → the registry's addresses, best first,
 * and a map point → the nearest addresses.
 *
 * Text search, in two stages:
 *  1. Candidates from an inverted index of the normalised texts (see normalise.ts): every character
 *     bigram (and every single character, for one-character queries) has a posting list of document
 *     numbers, stored as one Int32Array with offsets (CSR). A query adds the weight of each of its
 *     distinct bigrams (rarer bigram → larger weight, 1 + log2(N / df)) to the documents of the posting
 *     list. The documents with the highest sums (at least CANDIDATES, with ties, at most MAX_CANDIDATES)
 *     go on. No bigram needs to match in full: a query with missing characters still shares most of
 *     its bigrams with the address (`大学马路12` shares 大学, 马路, 路1, 12 with `大学大马路12号`).
 *  2. Ranking of the candidates: characters of the query matched in order (longest common
 *     subsequence) dominate; then bigrams found, house numbers (a number typed in full equals a number
 *     of the address; the last typed number may be a prefix of one), a prefix bonus, and a small
 *     penalty per extra character of the address (the more concise wins). Top-k with a small heap.
 * Bigrams held by more than 5% of the registry (马路, 大马, 6号) are left out of stage 1 when the query
 * has at least two rarer ones: they would cost most of the time and hardly separate candidates.
 * Cost per query: the posting lists of its rarer bigrams plus a few hundred short dynamic programs
 * (see bench/addresses.ts for 500,000 addresses).
 *
 * Addresses added after build() are kept in a small overflow list scanned in full, until the next
 * build() folds them in.
 *
 * Other names (issue 11 #5): an address may carry aliases, the same address written with another name
 * of its road: the popular name in parentheses (亞美打利庇盧大馬路 → 新馬路), a former name, the
 * Portuguese name (Avenida de Almeida Ribeiro). Each alias is another searchable form of the same
 * document: its grams join the posting lists and the ranking takes the best form; a hit found through
 * an alias names it (`alias`). A hit must match at least half of the query's characters in order
 * (`威尼斯人酒店正门` no longer offers 酒店斜路2號, `Almeida Ribeiro` no D座 buildings).
 *
 * Reverse lookup: a uniform grid of ~100 m cells (hash map cell → document numbers). Its cost is
 * bounded whatever the point: the radius is cut to MAX_NEAR_METERS, a point farther than the radius
 * from the registry's bounding box answers at once, the window of cells is clipped to that box, and
 * a window with more cells than the registry occupies is replaced by one pass over the occupied cells
 * (near the poles a degree of longitude shrinks to nothing and the window would be endless).
 */
import { normalise } from './normalise.js';
import { TopK } from './top-k.js';
import { lcsLength, queryContext, rankForm, type QueryContext } from './rank.js';
import { runAtOnce, runInSlices } from './slices.js';

export interface IndexedAddress {
  code: string;
  text: string;
  lon: number;
  lat: number;
}

/** Another way to write an address: `name` is the other road name, `text` the whole address with it. */
export interface AddressAlias {
  name: string;
  text: string;
}

export interface SearchHit extends IndexedAddress {
  score: number;
  /** The alias the query matched best, when it matched one better than the registry text. */
  alias?: string;
}

export interface NearHit extends IndexedAddress {
  distanceMeters: number;
}

const CANDIDATES = 100;
const MAX_CANDIDATES = 800;
const MAX_QUERY = 48;
const OVERFLOW_REBUILD = 5000;
const CELL_DEG = 0.001;
const M_PER_DEG = 111_320;
/** Reverse look-ups search at most this far, whatever they ask (the API allows up to 2,000 m). */
export const MAX_NEAR_METERS = 5_000;


const gramKey = (a: number, b: number) => a * 65536 + b;
const cellKey = (ix: number, iy: number) => ix * 400_000 + iy;

export class AddressIndex {
  private codes: string[] = [];
  private texts: string[] = [];
  private norms: string[] = [];
  /** Per document: its aliases' names and normal forms (undefined: none). */
  private aliasNames: (string[] | undefined)[] = [];
  private aliasNorms: (string[] | undefined)[] = [];
  private lons: number[] = [];
  private lats: number[] = [];
  private byCode = new Map<string, number>();

  private gramIds = new Map<number, number>();
  private offsets = new Int32Array(1);
  private postings = new Int32Array(0);
  private weights = new Uint16Array(0);
  /** Documents [0, built) are in the inverted index; the rest are in the overflow. */
  private built = 0;

  private cells = new Map<number, number[]>();
  /** Bounding box of every indexed point (empty: min > max). */
  private minLon = Infinity;
  private minLat = Infinity;
  private maxLon = -Infinity;
  private maxLat = -Infinity;
  private visited = 0;

  // Per-query scratch, sized to the built documents.
  private acc = new Uint16Array(0);
  private touched = new Int32Array(0);
  private lcsRow = new Int32Array(MAX_QUERY + 1);

  get size(): number {
    return this.codes.length;
  }

  /** Grid cells holding at least one address. */
  get cellCount(): number {
    return this.cells.size;
  }

  /** Grid cells the last nearest() looked at: never more than cellCount, 0 far from the registry. */
  get lastCellsVisited(): number {
    return this.visited;
  }

  /** Documents waiting in the overflow list (searched by a full scan until the next build()). */
  get pending(): number {
    return this.codes.length - this.built;
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  get(code: string): IndexedAddress | undefined {
    const i = this.byCode.get(code);
    return i === undefined ? undefined : this.doc(i);
  }

  /**
   * Adds one address; searchable at once (through the overflow until build()). Codes are unique.
   * A large overflow is folded in at once unless `autoBuild` is false (a bulk load builds once at its end).
   */
  add(a: IndexedAddress & { aliases?: AddressAlias[] }, autoBuild = true): void {
    if (this.byCode.has(a.code)) throw new Error(`address ${a.code} is already indexed`);
    const i = this.codes.length;
    this.codes.push(a.code);
    this.texts.push(a.text);
    const norm = normalise(a.text);
    this.norms.push(norm);
    const aliases = (a.aliases ?? []).map((x) => ({ name: x.name, norm: normalise(x.text) })).filter((x) => x.norm && x.norm !== norm);
    this.aliasNames.push(aliases.length ? aliases.map((x) => x.name) : undefined);
    this.aliasNorms.push(aliases.length ? aliases.map((x) => x.norm) : undefined);
    this.lons.push(a.lon);
    this.lats.push(a.lat);
    this.byCode.set(a.code, i);
    this.minLon = Math.min(this.minLon, a.lon);
    this.minLat = Math.min(this.minLat, a.lat);
    this.maxLon = Math.max(this.maxLon, a.lon);
    this.maxLat = Math.max(this.maxLat, a.lat);
    const key = cellKey(Math.floor(a.lon / CELL_DEG), Math.floor(a.lat / CELL_DEG));
    const cell = this.cells.get(key);
    if (cell) cell.push(i);
    else this.cells.set(key, [i]);
    if (autoBuild && this.built > 0 && this.pending > OVERFLOW_REBUILD) this.build();
  }

  /** (Re)builds the inverted index over every added address. */
  build(): void {
    runAtOnce(this.buildSteps(Infinity));
  }

  /** build() in slices of `slice` documents with a turn of the event loop between; searches go on meanwhile. */
  buildInSlices(slice = 5000): Promise<void> {
    return runInSlices(this.buildSteps(slice));
  }

  /** The build, pausing every `slice` documents; the new index replaces the old one only at the end. */
  private *buildSteps(slice: number): Generator<void, void> {
    const n = this.codes.length;
    const ids = new Map<number, number>();
    let counts = new Int32Array(1024);
    let last = new Int32Array(1024).fill(-1);
    const visitForm = (norm: string, fn: (g: number) => void) => {
      for (let k = 0; k < norm.length; k++) {
        const a = norm.charCodeAt(k);
        fn(a);
        if (k + 1 < norm.length) fn(gramKey(a, norm.charCodeAt(k + 1)));
      }
    };
    // Every form of a document (text and aliases) feeds its posting lists; `last` counts it once.
    const visit = (norm: string, doc: number, fn: (g: number) => void) => {
      visitForm(norm, fn);
      for (const alias of this.aliasNorms[doc] ?? []) visitForm(alias, fn);
    };
    // Pass 1: distinct grams per document → document frequencies.
    for (let d = 0; d < n; d++) {
      if (d % slice === slice - 1) yield;
      visit(this.norms[d], d, (key) => {
        let g = ids.get(key);
        if (g === undefined) {
          g = ids.size;
          ids.set(key, g);
          if (g >= counts.length) {
            const c2 = new Int32Array(counts.length * 2);
            c2.set(counts);
            counts = c2;
            const l2 = new Int32Array(last.length * 2).fill(-1);
            l2.set(last);
            last = l2;
          }
        }
        if (last[g] !== d) {
          last[g] = d;
          counts[g]++;
        }
      });
    }
    const G = ids.size;
    const offsets = new Int32Array(G + 1);
    for (let g = 0; g < G; g++) offsets[g + 1] = offsets[g] + counts[g];
    const postings = new Int32Array(offsets[G]);
    const fill = offsets.slice(0, G);
    last.fill(-1);
    // Pass 2: fill the posting lists (ascending document numbers).
    for (let d = 0; d < n; d++) {
      if (d % slice === slice - 1) yield;
      visit(this.norms[d], d, (key) => {
        const g = ids.get(key)!;
        if (last[g] !== d) {
          last[g] = d;
          postings[fill[g]++] = d;
        }
      });
    }
    const weights = new Uint16Array(G);
    for (let g = 0; g < G; g++) weights[g] = 1 + Math.min(15, Math.floor(Math.log2(Math.max(1, n / Math.max(1, counts[g])))));
    // A build over more documents finished while this one paused: keep that one.
    if (this.built > n) return;
    this.gramIds = ids;
    this.offsets = offsets;
    this.postings = postings;
    this.weights = weights;
    this.built = n;
    this.acc = new Uint16Array(n);
    this.touched = new Int32Array(n);
  }

  /** Addresses best first for what was typed; [] for a query with no letters or digits. */
  search(query: string, limit = 10): SearchHit[] {
    const q = normalise(query).slice(0, MAX_QUERY);
    if (!q.length || limit < 1) return [];
    const ctx = queryContext(q);
    const heap = new TopK(limit);
    const consider = (d: number) => {
      const s = this.rank(ctx, d);
      if (s > -Infinity) heap.push(d, s, this.norms[d].length);
    };
    for (const d of this.candidates(q)) consider(d);
    for (let d = this.built; d < this.codes.length; d++) consider(d);
    return heap.sorted().map(([d, score]) => {
      const alias = this.bestAlias(ctx, d);
      return { ...this.doc(d), score: Math.round(score * 10) / 10, ...(alias ? { alias } : {}) };
    });
  }

  /** Addresses within maxMeters (at most MAX_NEAR_METERS) of a point, nearest first. */
  nearest(lon: number, lat: number, maxMeters = 100, limit = 10): NearHit[] {
    this.visited = 0;
    const radius = Math.min(maxMeters, MAX_NEAR_METERS);
    if (!(radius >= 0) || !(Math.abs(lon) <= 180) || !(Math.abs(lat) <= 90) || limit < 1 || !this.codes.length) return [];
    const mPerLon = M_PER_DEG * Math.cos((lat * Math.PI) / 180);
    // Farther than the radius from the box (in the metric used below, so no hit is ever dropped): nothing to find.
    const outX = Math.max(0, this.minLon - lon, lon - this.maxLon) * mPerLon;
    const outY = Math.max(0, this.minLat - lat, lat - this.maxLat) * M_PER_DEG;
    if (Math.hypot(outX, outY) > radius) return [];
    const dLon = mPerLon > 0 ? radius / mPerLon : Infinity;
    const dLat = radius / M_PER_DEG;
    const ix0 = Math.floor(Math.max(lon - dLon, this.minLon) / CELL_DEG);
    const ix1 = Math.floor(Math.min(lon + dLon, this.maxLon) / CELL_DEG);
    const iy0 = Math.floor(Math.max(lat - dLat, this.minLat) / CELL_DEG);
    const iy1 = Math.floor(Math.min(lat + dLat, this.maxLat) / CELL_DEG);
    const found: [number, number][] = [];
    const consider = (cell: number[]) => {
      for (const d of cell) {
        const dx = (this.lons[d] - lon) * mPerLon;
        const dy = (this.lats[d] - lat) * M_PER_DEG;
        const dist = Math.sqrt(dx * dx + dy * dy);
        if (dist <= radius) found.push([d, dist]);
      }
    };
    if ((ix1 - ix0 + 1) * (iy1 - iy0 + 1) <= this.cells.size) {
      for (let ix = ix0; ix <= ix1; ix++) {
        for (let iy = iy0; iy <= iy1; iy++) {
          this.visited++;
          const cell = this.cells.get(cellKey(ix, iy));
          if (cell) consider(cell);
        }
      }
    } else {
      for (const cell of this.cells.values()) {
        this.visited++;
        consider(cell);
      }
    }
    found.sort((a, b) => a[1] - b[1] || (this.codes[a[0]] < this.codes[b[0]] ? -1 : 1));
    return found.slice(0, limit).map(([d, dist]) => ({ ...this.doc(d), distanceMeters: Math.round(dist * 10) / 10 }));
  }

  private doc(d: number): IndexedAddress {
    return { code: this.codes[d], text: this.texts[d], lon: this.lons[d], lat: this.lats[d] };
  }

  /** Stage 1: document numbers with the highest weighted gram sums. */
  private candidates(q: string): number[] {
    if (!this.built) return [];
    const keys = new Set<number>();
    if (q.length === 1) keys.add(q.charCodeAt(0));
    for (let k = 0; k + 1 < q.length; k++) keys.add(gramKey(q.charCodeAt(k), q.charCodeAt(k + 1)));
    let lists = this.lists(keys);
    if (!lists.length) {
      // No bigram of the query occurs anywhere (every other character missing?): fall back to characters.
      const chars = new Set<number>();
      for (let k = 0; k < q.length; k++) chars.add(q.charCodeAt(k));
      lists = this.lists(chars);
    }
    // Very common bigrams (马路, 大马, 6号 in a large registry) cost the most and tell the least: when
    // the query has at least two rarer ones, candidates come from those (the ranking still counts all).
    const stopDf = Math.max(2000, this.built / 20);
    const rare = lists.filter((g) => this.offsets[g + 1] - this.offsets[g] <= stopDf);
    if (rare.length >= 2) lists = rare;
    const acc = this.acc;
    const touched = this.touched;
    let nTouched = 0;
    let max = 0;
    for (const g of lists) {
      const w = this.weights[g];
      for (let p = this.offsets[g], end = this.offsets[g + 1]; p < end; p++) {
        const d = this.postings[p];
        if (acc[d] === 0) touched[nTouched++] = d;
        const v = (acc[d] += w);
        if (v > max) max = v;
      }
    }
    // Threshold: the highest sum at which at least CANDIDATES documents qualify.
    const hist = new Int32Array(max + 1);
    for (let t = 0; t < nTouched; t++) hist[acc[touched[t]]]++;
    let threshold = max;
    let count = hist[max];
    while (threshold > 1 && count < CANDIDATES) count += hist[--threshold];
    // Above the threshold there are fewer than CANDIDATES documents (unless it is the maximum); at
    // the threshold, ties are taken in document order up to the cap.
    const out: number[] = [];
    for (let t = 0; t < nTouched; t++) if (acc[touched[t]] > threshold) out.push(touched[t]);
    for (let t = 0; t < nTouched && out.length < MAX_CANDIDATES; t++) if (acc[touched[t]] === threshold) out.push(touched[t]);
    for (let t = 0; t < nTouched; t++) acc[touched[t]] = 0;
    return out;
  }

  private lists(keys: Set<number>): number[] {
    const out: number[] = [];
    for (const k of keys) {
      const g = this.gramIds.get(k);
      if (g !== undefined) out.push(g);
    }
    return out;
  }

  /** Stage 2: the ranking score of document d for the query, its best form (text or an alias). */
  private rank(ctx: QueryContext, d: number): number {
    let best = rankForm(ctx, this.norms[d], this.lcsRow);
    for (const alias of this.aliasNorms[d] ?? []) best = Math.max(best, rankForm(ctx, alias, this.lcsRow));
    return best;
  }

  /** The alias name through which the query matches d best (undefined: the registry text is best). */
  private bestAlias(ctx: QueryContext, d: number): string | undefined {
    const forms = this.aliasNorms[d];
    if (!forms) return undefined;
    let best = rankForm(ctx, this.norms[d], this.lcsRow);
    let name: string | undefined;
    forms.forEach((f, k) => {
      const s = rankForm(ctx, f, this.lcsRow);
      if (s > best) {
        best = s;
        name = this.aliasNames[d]![k];
      }
    });
    return name;
  }
}

export { lcsLength };
