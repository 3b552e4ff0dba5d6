/**
 * Dijkstra on the CSR arrays with an indexed binary heap (decrease-key) kept in typed arrays.
 *
 * manyToOne: one search from the incident over REVERSED arcs; it stops as soon as every candidate's
 * edge end vertices are settled or the time cutoff is passed. Candidates and the incident sit
 * anywhere on an edge (EdgePosition), so partial times along their edges are added exactly.
 * Distance in metres along the chosen route is carried as a secondary label.
 */
import { DIR_FORWARD, FLAG_BACKWARD_OPEN, FLAG_FORWARD_OPEN, edgeBackwardTime, edgeForwardTime, edgeLength, type RoadGraph } from './graph.js';
import type { EdgePosition } from './snap.js';

/**
 * Indexed binary min-heap of vertices keyed by seconds, in typed arrays (no objects, no closures):
 * every vertex is in it at most once and an improved label moves it up in place (decrease-key), so
 * the heap never holds more than V entries and no stale entries are popped. `pos[v]` is v's slot,
 * valid only while v is in the heap; the caller knows that from its generation stamps.
 */
class IndexedHeap {
  readonly keys: Float64Array;
  readonly verts: Int32Array;
  readonly pos: Int32Array;
  size = 0;
  constructor(vertexCount: number) {
    const n = Math.max(1, vertexCount);
    this.keys = new Float64Array(n);
    this.verts = new Int32Array(n);
    this.pos = new Int32Array(n);
  }
  get memoryBytes(): number {
    return this.keys.byteLength + this.verts.byteLength + this.pos.byteLength;
  }
  push(v: number, key: number): void {
    this.siftUp(this.size++, v, key);
  }
  /** Lowers the key of v, which must be in the heap. */
  decrease(v: number, key: number): void {
    this.siftUp(this.pos[v], v, key);
  }
  /** Removes and returns the vertex with the smallest key; read keys[0] before calling. */
  pop(): number {
    const keys = this.keys,
      verts = this.verts,
      pos = this.pos;
    const top = verts[0];
    const n = --this.size;
    if (n === 0) return top;
    const key = keys[n],
      v = verts[n];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let ck = keys[child];
      if (child + 1 < n) {
        const rk = keys[child + 1];
        if (rk < ck) {
          child++;
          ck = rk;
        }
      }
      if (ck >= key) break;
      keys[i] = ck;
      const cv = verts[child];
      verts[i] = cv;
      pos[cv] = i;
      i = child;
    }
    keys[i] = key;
    verts[i] = v;
    pos[v] = i;
    return top;
  }
  private siftUp(i: number, v: number, key: number): void {
    const keys = this.keys,
      verts = this.verts,
      pos = this.pos;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent];
      if (pk <= key) break;
      keys[i] = pk;
      const pv = verts[parent];
      verts[i] = pv;
      pos[pv] = i;
      i = parent;
    }
    keys[i] = key;
    verts[i] = v;
    pos[v] = i;
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

/** Per-source way to the target chosen in the answer loop (only kept for `routeFor`). */
const VIA_NONE = 0,
  VIA_DIRECT = 1,
  VIA_START = 2,
  VIA_END = 3;

function samePlaceOrBefore(a: EdgePosition, b: EdgePosition): boolean {
  return a.piece < b.piece || (a.piece === b.piece && a.fraction <= b.fraction);
}

/**
 * Reusable search state for one graph. Not re-entrant: one query at a time (Node runs them
 * sequentially anyway); create one engine per worker if that ever changes.
 *
 * Nothing in the search loop allocates: labels, stamps and the heap are typed arrays made once per
 * graph, and a query only bumps the generation instead of clearing them.
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
  private readonly heap: IndexedHeap;
  /** Per-source seconds to its edge's start / end vertex (Infinity = not allowed); grown on demand. */
  private exitStart = new Float64Array(0);
  private exitEnd = new Float64Array(0);

  constructor(private readonly g: RoadGraph) {
    const V = g.vertexCount;
    this.dist = new Float64Array(V);
    this.meters = new Float64Array(V);
    this.reached = new Uint32Array(V);
    this.settledAt = new Uint32Array(V);
    this.wanted = new Uint32Array(V);
    this.viaArc = new Int32Array(V);
    this.heap = new IndexedHeap(V);
  }

  get memoryBytes(): number {
    return this.dist.byteLength * 2 + this.reached.byteLength * 3 + this.viaArc.byteLength + this.heap.memoryBytes + this.exitStart.byteLength * 2;
  }

  private nextGeneration(): number {
    if (this.generation === 0xffffffff) {
      this.reached.fill(0);
      this.settledAt.fill(0);
      this.wanted.fill(0);
      this.generation = 0;
    }
    this.heap.size = 0;
    return ++this.generation;
  }

  private seed(v: number, seconds: number, meters: number, gen: number): void {
    if (this.reached[v] === gen) {
      if (this.dist[v] <= seconds) return;
      this.heap.decrease(v, seconds);
    } else {
      this.reached[v] = gen;
      this.heap.push(v, seconds);
    }
    this.dist[v] = seconds;
    this.meters[v] = meters;
    this.viaArc[v] = -1;
  }

  /** Seconds from `pos` to its edge's start vertex (Infinity = not allowed). */
  private toStart(pos: EdgePosition): number {
    return pos.atStart ? 0 : this.g.edgeFlags[pos.edge] & FLAG_BACKWARD_OPEN ? pos.backwardCum : Infinity;
  }
  /** Seconds from `pos` to its edge's end vertex (Infinity = not allowed). */
  private toEnd(pos: EdgePosition): number {
    return pos.atEnd ? 0 : this.g.edgeFlags[pos.edge] & FLAG_FORWARD_OPEN ? edgeForwardTime(this.g, pos.edge) - pos.forwardCum : Infinity;
  }
  /** Seconds from its edge's start vertex into `pos`. */
  private fromStart(pos: EdgePosition): number {
    return pos.atStart ? 0 : this.g.edgeFlags[pos.edge] & FLAG_FORWARD_OPEN ? pos.forwardCum : Infinity;
  }
  /** Seconds from its edge's end vertex into `pos`. */
  private fromEnd(pos: EdgePosition): number {
    return pos.atEnd ? 0 : this.g.edgeFlags[pos.edge] & FLAG_BACKWARD_OPEN ? edgeBackwardTime(this.g, pos.edge) - pos.backwardCum : Infinity;
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
    const edgeFrom = g.edgeFrom,
      edgeTo = g.edgeTo;

    const tEdge = target.edge;
    const fromStart = this.fromStart(target);
    const fromEnd = this.fromEnd(target);
    const tLen = edgeLength(g, tEdge);
    if (fromStart < Infinity) this.seed(edgeFrom[tEdge], fromStart, target.lengthCum, gen);
    if (fromEnd < Infinity) this.seed(edgeTo[tEdge], fromEnd, tLen - target.lengthCum, gen);
    // On a loop edge (both ends are one vertex) that vertex keeps only the better seed (the start
    // one on a tie, see seed()); the route must enter the target's edge from that same end.
    const enterAtEnd = edgeFrom[tEdge] === edgeTo[tEdge] ? fromEnd < fromStart : false;

    // The search may stop once every vertex a source can leave its edge through is settled.
    let remaining = 0;
    const n = sources.length;
    if (this.exitStart.length < n) {
      this.exitStart = new Float64Array(Math.max(n, 2 * this.exitStart.length));
      this.exitEnd = new Float64Array(this.exitStart.length);
    }
    const exitStart = this.exitStart,
      exitEnd = this.exitEnd;
    for (let i = 0; i < n; i++) {
      const s = sources[i];
      if (!s) continue;
      const toStart = this.toStart(s);
      const toEnd = this.toEnd(s);
      exitStart[i] = toStart;
      exitEnd[i] = toEnd;
      const u = edgeFrom[s.edge],
        w = edgeTo[s.edge];
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
      inLength = g.inLength,
      heapKeys = heap.keys;
    let settled = 0;
    while (heap.size > 0 && remaining > 0) {
      const d = heapKeys[0];
      if (d > cutoffS) break;
      const v = heap.pop();
      settledAt[v] = gen;
      settled++;
      if (wanted[v] === gen) remaining--;
      const mv = meters[v];
      for (let a = inStart[v], end = inStart[v + 1]; a < end; a++) {
        const u = inFrom[a];
        const nd = d + inWeight[a];
        if (reached[u] !== gen) {
          reached[u] = gen;
          heap.push(u, nd);
        } else if (nd < dist[u]) {
          heap.decrease(u, nd); // u is not settled: settled labels are never above d
        } else continue;
        dist[u] = nd;
        meters[u] = mv + inLength[a];
        viaArc[u] = a;
      }
    }

    // Only settled labels are final. No objects per source: the way chosen is kept for routeFor only.
    const seconds: (number | null)[] = [];
    const metersOut: (number | null)[] = [];
    let routeVia = VIA_NONE;
    for (let i = 0; i < n; i++) {
      const s = sources[i];
      if (!s) {
        seconds.push(null);
        metersOut.push(null);
        continue;
      }
      let best = Infinity;
      let bestMeters = 0;
      let via = VIA_NONE;
      if (s.edge === tEdge) {
        const direct = this.direct(s, target);
        if (direct < Infinity) {
          best = direct;
          bestMeters = Math.abs(target.lengthCum - s.lengthCum);
          via = VIA_DIRECT;
        }
      }
      const toStart = exitStart[i],
        toEnd = exitEnd[i];
      const u = edgeFrom[s.edge],
        w = edgeTo[s.edge];
      if (toStart < Infinity && settledAt[u] === gen && toStart + dist[u] < best) {
        best = toStart + dist[u];
        bestMeters = s.lengthCum + meters[u];
        via = VIA_START;
      }
      if (toEnd < Infinity && settledAt[w] === gen && toEnd + dist[w] < best) {
        best = toEnd + dist[w];
        bestMeters = edgeLength(g, s.edge) - s.lengthCum + meters[w];
        via = VIA_END;
      }
      const ok = best <= cutoffS && via !== VIA_NONE;
      seconds.push(ok ? best : null);
      metersOut.push(ok ? bestMeters : null);
      if (i === routeFor && ok) routeVia = via;
    }

    const result: ManyToOneResult & { route?: RouteResult | null } = { seconds, meters: metersOut, settled };
    if (routeFor !== undefined) {
      const s = sources[routeFor];
      let via: Via | null = null;
      if (s && routeVia === VIA_DIRECT) via = { kind: 'direct' };
      else if (s && routeVia === VIA_START) via = { kind: 'vertex', vertex: edgeFrom[s.edge], leaveAtEnd: false };
      else if (s && routeVia === VIA_END) via = { kind: 'vertex', vertex: edgeTo[s.edge], leaveAtEnd: true };
      result.route = s && via ? { seconds: seconds[routeFor]!, meters: metersOut[routeFor]!, coordinates: this.routeGeometry(s, target, via, enterAtEnd) } : null;
    }
    return result;
  }

  /** `enterAtEnd`: only for a loop target edge, whose two ends are the same vertex. */
  private routeGeometry(source: EdgePosition, target: EdgePosition, via: Via, enterAtEnd: boolean): [number, number][] {
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
    const te = target.edge;
    const atEnd = g.edgeFrom[te] === g.edgeTo[te] ? enterAtEnd : v !== g.edgeFrom[te];
    const here = atEnd ? endPosition(g, te) : startPosition(g, te);
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
    for (const o of origins) {
      const toStart = this.toStart(o);
      const toEnd = this.toEnd(o);
      if (toStart < Infinity) this.seed(g.edgeFrom[o.edge], toStart, 0, gen);
      if (toEnd < Infinity) this.seed(g.edgeTo[o.edge], toEnd, 0, gen);
    }
    const outStart = g.outStart,
      outTo = g.outTo,
      outWeight = g.outWeight,
      heapKeys = heap.keys;
    while (heap.size > 0) {
      const d = heapKeys[0];
      if (d > cutoffS) break;
      const v = heap.pop();
      settledAt[v] = gen;
      for (let a = outStart[v], end = outStart[v + 1]; a < end; a++) {
        const u = outTo[a];
        const nd = d + outWeight[a];
        if (reached[u] !== gen) {
          reached[u] = gen;
          dist[u] = nd;
          heap.push(u, nd);
        } else if (nd < dist[u]) {
          dist[u] = nd;
          heap.decrease(u, nd);
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
