/**
 * Dijkstra on the CSR arrays with a binary heap kept in typed arrays.
 *
 * manyToOne: one search from the incident over REVERSED arcs; it stops as soon as every candidate's
 * edge end vertices are settled or the time cutoff is passed. Candidates and the incident sit
 * anywhere on an edge (EdgePosition), so partial times along their edges are added exactly.
 * Distance in metres along the chosen route is carried as a secondary label.
 */
import { DIR_FORWARD, FLAG_BACKWARD_OPEN, FLAG_FORWARD_OPEN, edgeBackwardTime, edgeForwardTime, edgeLength, type RoadGraph } from './graph.js';
import type { EdgePosition } from './snap.js';

/** Min-heap of (key, vertex) with lazy deletion: stale entries are skipped when popped. */
class VertexHeap {
  keys: Float64Array;
  vals: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.vals = new Int32Array(capacity);
  }
  push(key: number, val: number): void {
    if (this.size === this.keys.length) this.grow();
    const keys = this.keys,
      vals = this.vals;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent];
      if (pk <= key) break;
      keys[i] = pk;
      vals[i] = vals[parent];
      i = parent;
    }
    keys[i] = key;
    vals[i] = val;
  }
  /** Removes the minimum; read topKey/topVal before calling. */
  pop(): void {
    const keys = this.keys,
      vals = this.vals;
    const n = --this.size;
    if (n === 0) return;
    const key = keys[n],
      val = vals[n];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && keys[child + 1] < keys[child]) child++;
      if (keys[child] >= key) break;
      keys[i] = keys[child];
      vals[i] = vals[child];
      i = child;
    }
    keys[i] = key;
    vals[i] = val;
  }
  private grow(): void {
    const k = new Float64Array(this.keys.length * 2);
    k.set(this.keys);
    const v = new Int32Array(this.vals.length * 2);
    v.set(this.vals);
    this.keys = k;
    this.vals = v;
  }
}

export interface ManyToOneResult {
  /** Seconds per source; null when unreachable (or beyond the cutoff, or not snapped). */
  seconds: (number | null)[];
  /** Metres along the chosen route per source; null where seconds is null. */
  meters: (number | null)[];
  /** Vertices settled by the search (for diagnostics and benchmarks). */
  settled: number;
}

export interface RouteResult {
  seconds: number;
  meters: number;
  coordinates: [number, number][];
}

/** How a source reaches the target: directly along a shared edge, or via one of its edge's ends. */
type Via = { kind: 'direct' } | { kind: 'vertex'; vertex: number; leaveAtEnd: boolean };

function samePlaceOrBefore(a: EdgePosition, b: EdgePosition): boolean {
  return a.piece < b.piece || (a.piece === b.piece && a.fraction <= b.fraction);
}

/**
 * Reusable search state for one graph. Not re-entrant: one query at a time (Node runs them
 * sequentially anyway); create one engine per worker if that ever changes.
 */
export class SearchEngine {
  private readonly dist: Float64Array;
  private readonly meters: Float64Array;
  /** Generation stamps: an entry is valid only when stamp === current generation. */
  private readonly reached: Uint32Array;
  private readonly settledAt: Uint32Array;
  private readonly wanted: Uint32Array;
  /** Next arc toward the target (reverse search) or previous arc from the origins (forward). */
  private readonly viaArc: Int32Array;
  private generation = 0;
  private readonly heap: VertexHeap;

  constructor(private readonly g: RoadGraph) {
    const V = g.vertexCount;
    this.dist = new Float64Array(V);
    this.meters = new Float64Array(V);
    this.reached = new Uint32Array(V);
    this.settledAt = new Uint32Array(V);
    this.wanted = new Uint32Array(V);
    this.viaArc = new Int32Array(V);
    this.heap = new VertexHeap(Math.max(16, g.arcCount + 16));
  }

  get memoryBytes(): number {
    return this.dist.byteLength * 2 + this.reached.byteLength * 3 + this.viaArc.byteLength + this.heap.keys.byteLength + this.heap.vals.byteLength;
  }

  private nextGeneration(): number {
    if (this.generation === 0xffffffff) {
      this.reached.fill(0);
      this.settledAt.fill(0);
      this.wanted.fill(0);
      this.generation = 0;
    }
    return ++this.generation;
  }

  private seed(v: number, seconds: number, meters: number, gen: number): void {
    if (this.reached[v] === gen && this.dist[v] <= seconds) return;
    this.reached[v] = gen;
    this.dist[v] = seconds;
    this.meters[v] = meters;
    this.viaArc[v] = -1;
    this.heap.push(seconds, v);
  }

  /** Ways from `pos` to its edge's end vertices: [seconds to start vertex, seconds to end vertex] (Infinity = not allowed). */
  private exits(pos: EdgePosition): [number, number] {
    const g = this.g;
    const flags = g.edgeFlags[pos.edge];
    const toStart = pos.atStart ? 0 : flags & FLAG_BACKWARD_OPEN ? pos.backwardCum : Infinity;
    const toEnd = pos.atEnd ? 0 : flags & FLAG_FORWARD_OPEN ? edgeForwardTime(g, pos.edge) - pos.forwardCum : Infinity;
    return [toStart, toEnd];
  }

  /** Ways into `pos` from its edge's end vertices: [seconds from start vertex, seconds from end vertex]. */
  private entries(pos: EdgePosition): [number, number] {
    const g = this.g;
    const flags = g.edgeFlags[pos.edge];
    const fromStart = pos.atStart ? 0 : flags & FLAG_FORWARD_OPEN ? pos.forwardCum : Infinity;
    const fromEnd = pos.atEnd ? 0 : flags & FLAG_BACKWARD_OPEN ? edgeBackwardTime(g, pos.edge) - pos.backwardCum : Infinity;
    return [fromStart, fromEnd];
  }

  /** Direct travel along one shared edge from `a` to `b`, or Infinity. */
  private direct(a: EdgePosition, b: EdgePosition): number {
    if (a.edge !== b.edge) return Infinity;
    const flags = this.g.edgeFlags[a.edge];
    let best = Infinity;
    if (a.piece === b.piece && a.fraction === b.fraction) return 0;
    if (flags & FLAG_FORWARD_OPEN && samePlaceOrBefore(a, b)) best = b.forwardCum - a.forwardCum;
    if (flags & FLAG_BACKWARD_OPEN && samePlaceOrBefore(b, a)) best = Math.min(best, a.backwardCum - b.backwardCum);
    return best;
  }

  /**
   * Travel time from every source to the target. `sources[i] === null` (not snapped) gives null.
   * With `routeFor` set, also returns the route of that source.
   */
  manyToOne(target: EdgePosition, sources: (EdgePosition | null)[], cutoffS = Infinity, routeFor?: number): ManyToOneResult & { route?: RouteResult | null } {
    const g = this.g;
    const gen = this.nextGeneration();
    const { dist, meters, reached, settledAt, wanted, viaArc, heap } = this;
    heap.size = 0;

    const tEdge = target.edge;
    const [fromStart, fromEnd] = this.entries(target);
    const tLen = edgeLength(g, tEdge);
    if (fromStart < Infinity) this.seed(g.edgeFrom[tEdge], fromStart, target.lengthCum, gen);
    if (fromEnd < Infinity) this.seed(g.edgeTo[tEdge], fromEnd, tLen - target.lengthCum, gen);

    // The search may stop once every vertex a source can leave its edge through is settled.
    let remaining = 0;
    // Seconds from each source to its edge's start and end vertex (Infinity = not allowed).
    const exitStart = new Float64Array(sources.length).fill(Infinity);
    const exitEnd = new Float64Array(sources.length).fill(Infinity);
    for (let i = 0; i < sources.length; i++) {
      const s = sources[i];
      if (!s) continue;
      const [toStart, toEnd] = this.exits(s);
      exitStart[i] = toStart;
      exitEnd[i] = toEnd;
      const u = g.edgeFrom[s.edge],
        w = g.edgeTo[s.edge];
      if (toStart < Infinity && wanted[u] !== gen) {
        wanted[u] = gen;
        remaining++;
      }
      if (toEnd < Infinity && wanted[w] !== gen) {
        wanted[w] = gen;
        remaining++;
      }
    }

    const inStart = g.inStart,
      inFrom = g.inFrom,
      inWeight = g.inWeight,
      inLength = g.inLength;
    let settled = 0;
    while (heap.size > 0 && remaining > 0) {
      const d = heap.keys[0];
      const v = heap.vals[0];
      heap.pop();
      if (settledAt[v] === gen || d > dist[v]) continue;
      if (d > cutoffS) break;
      settledAt[v] = gen;
      settled++;
      if (wanted[v] === gen) remaining--;
      const mv = meters[v];
      for (let a = inStart[v], end = inStart[v + 1]; a < end; a++) {
        const u = inFrom[a];
        const nd = d + inWeight[a];
        if (reached[u] !== gen || nd < dist[u]) {
          reached[u] = gen;
          dist[u] = nd;
          meters[u] = mv + inLength[a];
          viaArc[u] = a;
          heap.push(nd, u);
        }
      }
    }

    const seconds: (number | null)[] = [];
    const metersOut: (number | null)[] = [];
    const vias: (Via | null)[] = [];
    const final = (v: number) => settledAt[v] === gen; // only settled labels are final
    sources.forEach((s, i) => {
      if (!s) {
        seconds.push(null);
        metersOut.push(null);
        vias.push(null);
        return;
      }
      let best = Infinity;
      let bestMeters = 0;
      let via: Via | null = null;
      const direct = this.direct(s, target);
      if (direct < Infinity) {
        best = direct;
        bestMeters = Math.abs(target.lengthCum - s.lengthCum);
        via = { kind: 'direct' };
      }
      const toStart = exitStart[i],
        toEnd = exitEnd[i];
      const u = g.edgeFrom[s.edge],
        w = g.edgeTo[s.edge];
      if (toStart < Infinity && final(u) && toStart + dist[u] < best) {
        best = toStart + dist[u];
        bestMeters = s.lengthCum + meters[u];
        via = { kind: 'vertex', vertex: u, leaveAtEnd: false };
      }
      if (toEnd < Infinity && final(w) && toEnd + dist[w] < best) {
        best = toEnd + dist[w];
        bestMeters = edgeLength(g, s.edge) - s.lengthCum + meters[w];
        via = { kind: 'vertex', vertex: w, leaveAtEnd: true };
      }
      const ok = best <= cutoffS && via !== null;
      seconds.push(ok ? best : null);
      metersOut.push(ok ? bestMeters : null);
      vias.push(ok ? via : null);
    });

    const result: ManyToOneResult & { route?: RouteResult | null } = { seconds, meters: metersOut, settled };
    if (routeFor !== undefined) {
      const s = sources[routeFor];
      const via = vias[routeFor];
      result.route = s && via ? { seconds: seconds[routeFor]!, meters: metersOut[routeFor]!, coordinates: this.routeGeometry(s, target, via) } : null;
    }
    return result;
  }

  private routeGeometry(source: EdgePosition, target: EdgePosition, via: Via): [number, number][] {
    const g = this.g;
    const coords: [number, number][] = [];
    if (via.kind === 'direct') {
      appendSlice(g, coords, source, target);
      return coords;
    }
    let v = via.vertex;
    appendSlice(g, coords, source, via.leaveAtEnd ? endPosition(g, source.edge) : startPosition(g, source.edge));
    // Follow the arcs the reverse search recorded, vertex by vertex, to the target's edge.
    for (let guard = 0; guard <= g.vertexCount && this.viaArc[v] >= 0; guard++) {
      const a = this.viaArc[v];
      const edgeDir = g.inEdgeDir[a];
      const e = edgeDir >> 1;
      if ((edgeDir & 1) === DIR_FORWARD) appendSlice(g, coords, startPosition(g, e), endPosition(g, e));
      else appendSlice(g, coords, endPosition(g, e), startPosition(g, e));
      v = (edgeDir & 1) === DIR_FORWARD ? g.edgeTo[e] : g.edgeFrom[e];
    }
    const here = v === g.edgeFrom[target.edge] ? startPosition(g, target.edge) : endPosition(g, target.edge);
    appendSlice(g, coords, here, target);
    return coords;
  }

  /**
   * Forward search from many origins at once (coverage). Returns the arrival time per vertex
   * (Infinity where not reached within the cutoff). The array is a fresh copy.
   */
  multiSourceForward(origins: EdgePosition[], cutoffS = Infinity): Float64Array {
    const g = this.g;
    const gen = this.nextGeneration();
    const { dist, reached, settledAt, heap } = this;
    heap.size = 0;
    for (const o of origins) {
      const [toStart, toEnd] = this.exits(o);
      if (toStart < Infinity) this.seed(g.edgeFrom[o.edge], toStart, 0, gen);
      if (toEnd < Infinity) this.seed(g.edgeTo[o.edge], toEnd, 0, gen);
    }
    const outStart = g.outStart,
      outTo = g.outTo,
      outWeight = g.outWeight;
    while (heap.size > 0) {
      const d = heap.keys[0];
      const v = heap.vals[0];
      heap.pop();
      if (settledAt[v] === gen || d > dist[v]) continue;
      if (d > cutoffS) break;
      settledAt[v] = gen;
      for (let a = outStart[v], end = outStart[v + 1]; a < end; a++) {
        const u = outTo[a];
        const nd = d + outWeight[a];
        if (reached[u] !== gen || nd < dist[u]) {
          reached[u] = gen;
          dist[u] = nd;
          heap.push(nd, u);
        }
      }
    }
    const out = new Float64Array(g.vertexCount);
    for (let v = 0; v < g.vertexCount; v++) out[v] = settledAt[v] === gen ? dist[v] : Infinity;
    return out;
  }
}

function startPosition(g: RoadGraph, e: number): EdgePosition {
  return { edge: e, piece: g.edgePointStart[e], fraction: 0, forwardCum: 0, backwardCum: 0, lengthCum: 0, atStart: true, atEnd: false };
}
function endPosition(g: RoadGraph, e: number): EdgePosition {
  const last = g.edgePointStart[e + 1] - 1;
  return { edge: e, piece: last - 1, fraction: 1, forwardCum: g.pointForwardCum[last], backwardCum: g.pointBackwardCum[last], lengthCum: g.pointLengthCum[last], atStart: false, atEnd: true };
}

function pointOf(g: RoadGraph, pos: EdgePosition): [number, number] {
  const p = pos.piece,
    t = pos.fraction;
  return [g.pointLon[p] + t * (g.pointLon[p + 1] - g.pointLon[p]), g.pointLat[p] + t * (g.pointLat[p + 1] - g.pointLat[p])];
}

/** Appends the geometry between two positions on the same edge (either direction), without repeating the joint. */
function appendSlice(g: RoadGraph, coords: [number, number][], from: EdgePosition, to: EdgePosition): void {
  const push = (c: [number, number]) => {
    const last = coords[coords.length - 1];
    if (!last || last[0] !== c[0] || last[1] !== c[1]) coords.push(c);
  };
  push(pointOf(g, from));
  if (samePlaceOrBefore(from, to)) {
    for (let p = from.piece + 1; p <= to.piece; p++) push([g.pointLon[p], g.pointLat[p]]);
  } else {
    for (let p = from.piece; p > to.piece; p--) push([g.pointLon[p], g.pointLat[p]]);
  }
  push(pointOf(g, to));
}
