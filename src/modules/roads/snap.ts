/**
 * Snapping: a point → the nearest position ON a road piece (not just the nearest vertex),
 * found through a uniform grid over the pieces in a local metric projection.
 */
import { LocalProjection, haversineMeters } from './geo.js';
import { graphBoundingBox, type RoadGraph } from './graph.js';

/** A position on an edge plus the partial times/length from the edge's first point. */
export interface EdgePosition {
  edge: number;
  /** Global index of the first point of the piece the position lies on. */
  piece: number;
  /** 0..1 along the piece. */
  fraction: number;
  /** Seconds from the edge's start to here travelling forward (as pointForwardCum). */
  forwardCum: number;
  /** Backward seconds accumulated from the edge's start to here (as pointBackwardCum). */
  backwardCum: number;
  /** Metres from the edge's start. */
  lengthCum: number;
  atStart: boolean;
  atEnd: boolean;
}

export interface SnapResult extends EdgePosition {
  lon: number;
  lat: number;
  /** Metres from the query point to the road. */
  distanceMeters: number;
}

export function positionAt(g: RoadGraph, edge: number, piece: number, fraction: number): EdgePosition {
  const last = g.edgePointStart[edge + 1] - 1;
  // One name per place: the end of an inner piece is the start of the next one.
  if (fraction >= 1 && piece + 1 < last) {
    piece++;
    fraction = 0;
  }
  const t = fraction;
  const interp = (a: Float64Array) => a[piece] + t * (a[piece + 1] - a[piece]);
  const first = g.edgePointStart[edge];
  return {
    edge,
    piece,
    fraction,
    forwardCum: interp(g.pointForwardCum),
    backwardCum: interp(g.pointBackwardCum),
    lengthCum: interp(g.pointLengthCum),
    atStart: piece === first && fraction === 0,
    atEnd: piece === last - 1 && fraction === 1,
  };
}

export interface SnapPreference {
  /** Rank of each edge (e.g. the size of its connected component): higher wins within the slack. */
  edgeRank: ArrayLike<number>;
  slackMeters: number;
}

/** Snapping looks no farther than this, whatever the caller asks: it bounds the rings searched. */
export const MAX_SNAP_METERS = 10_000;

export class SnapIndex {
  private readonly proj: LocalProjection;
  private readonly px: Float64Array;
  private readonly py: Float64Array;
  /** Edge of each piece starting at a point; -1 on an edge's last point (no piece). */
  private readonly pieceEdge: Int32Array;
  private readonly cellSize: number;
  private readonly originX: number;
  private readonly originY: number;
  private readonly cols: number;
  private readonly rows: number;
  private readonly cellStart: Int32Array;
  private readonly cellItems: Int32Array;

  constructor(private readonly g: RoadGraph) {
    const [minLon, minLat, maxLon, maxLat] = graphBoundingBox(g);
    this.proj = new LocalProjection((minLat + maxLat) / 2);
    const P = g.pointCount;
    this.px = new Float64Array(P);
    this.py = new Float64Array(P);
    for (let p = 0; p < P; p++) {
      this.px[p] = this.proj.x(g.pointLon[p]);
      this.py[p] = this.proj.y(g.pointLat[p]);
    }
    this.pieceEdge = new Int32Array(P).fill(-1);
    let pieces = 0;
    for (let e = 0; e < g.edgeCount; e++) {
      for (let p = g.edgePointStart[e]; p < g.edgePointStart[e + 1] - 1; p++) {
        this.pieceEdge[p] = e;
        pieces++;
      }
    }
    this.originX = this.proj.x(minLon);
    this.originY = this.proj.y(minLat);
    const width = Math.max(1, this.proj.x(maxLon) - this.originX);
    const height = Math.max(1, this.proj.y(maxLat) - this.originY);
    // Cells about twice the mean piece length: a query then looks at a few dozen pieces in town.
    let totalPieceLength = 0;
    for (let p = 0; p < P; p++) if (this.pieceEdge[p] >= 0) totalPieceLength += Math.hypot(this.px[p + 1] - this.px[p], this.py[p + 1] - this.py[p]);
    let cell = Math.min(500, Math.max(30, (2 * totalPieceLength) / Math.max(1, pieces)));
    while ((width / cell + 1) * (height / cell + 1) > 2_000_000) cell *= 1.5;
    this.cellSize = cell;
    this.cols = Math.floor(width / cell) + 1;
    this.rows = Math.floor(height / cell) + 1;
    const counts = new Int32Array(this.cols * this.rows + 1);
    const forEachCell = (p: number, fn: (c: number) => void) => {
      const c0 = this.colOf(Math.min(this.px[p], this.px[p + 1]));
      const c1 = this.colOf(Math.max(this.px[p], this.px[p + 1]));
      const r0 = this.rowOf(Math.min(this.py[p], this.py[p + 1]));
      const r1 = this.rowOf(Math.max(this.py[p], this.py[p + 1]));
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) fn(r * this.cols + c);
    };
    for (let p = 0; p < P; p++) if (this.pieceEdge[p] >= 0) forEachCell(p, (c) => counts[c + 1]++);
    for (let i = 0; i < this.cols * this.rows; i++) counts[i + 1] += counts[i];
    this.cellStart = counts;
    this.cellItems = new Int32Array(counts[this.cols * this.rows]);
    const fill = counts.slice(0, this.cols * this.rows);
    for (let p = 0; p < P; p++) if (this.pieceEdge[p] >= 0) forEachCell(p, (c) => (this.cellItems[fill[c]++] = p));
  }

  private colOf(x: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.originX) / this.cellSize)));
  }
  private rowOf(y: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.originY) / this.cellSize)));
  }

  get memoryBytes(): number {
    return this.px.byteLength + this.py.byteLength + this.pieceEdge.byteLength + this.cellStart.byteLength + this.cellItems.byteLength;
  }

  private readonly topRanks = new WeakMap<ArrayLike<number>, number>();

  /** The highest rank of a preference (computed once per rank array). */
  private topRank(prefer: SnapPreference): number {
    let top = this.topRanks.get(prefer.edgeRank);
    if (top === undefined) {
      top = -Infinity;
      for (let i = 0; i < prefer.edgeRank.length; i++) if (prefer.edgeRank[i] > top) top = prefer.edgeRank[i];
      this.topRanks.set(prefer.edgeRank, top);
    }
    return top;
  }

  /**
   * The scan's candidates (scratch of snap()): pieces by distance, nearest first, each ranking higher
   * than every nearer one — a piece as near as one already kept, and ranked no higher, can never win.
   * Without a preference every rank is 0 and this is just the nearest piece.
   */
  private readonly candRank: number[] = [];
  private readonly candD2: number[] = [];
  private readonly candPiece: number[] = [];
  private readonly candT: number[] = [];
  private candCount = 0;

  /** Keeps a piece among the candidates unless one at most as far ranks as high; drops those it outdoes. */
  private offer(rank: number, d2: number, piece: number, t: number) {
    const R = this.candRank,
      D = this.candD2;
    const n = this.candCount;
    let i = n;
    while (i > 0 && D[i - 1] > d2) i--;
    if (i > 0 && R[i - 1] >= rank) return;
    // Candidates from i on are farther; those ranked no higher than the new piece are out.
    let j = i;
    while (j < n && R[j] <= rank) j++;
    const shift = 1 - (j - i);
    if (shift > 0) for (let k = n - 1; k >= j; k--) this.setCandidate(k + 1, R[k], D[k], this.candPiece[k], this.candT[k]);
    else if (shift < 0) for (let k = j; k < n; k++) this.setCandidate(k + shift, R[k], D[k], this.candPiece[k], this.candT[k]);
    this.setCandidate(i, rank, d2, piece, t);
    this.candCount = n + shift;
  }

  private setCandidate(k: number, rank: number, d2: number, piece: number, t: number) {
    this.candRank[k] = rank;
    this.candD2[k] = d2;
    this.candPiece[k] = piece;
    this.candT[k] = t;
  }

  /**
   * With a preference, how far from the point a higher-ranked piece may win: `slackMeters` farther than
   * the nearest road. -1 when there is no preference, when the nearest road is out of reach, or when it
   * is on the top-ranked piece already (most points: their scan ends as a plain nearest search, AVL speed).
   */
  private preferenceLimit(maxDistanceMeters: number, prefer: SnapPreference | undefined, top: number): number {
    const nearest = Math.sqrt(this.candD2[0]);
    if (!prefer || nearest > maxDistanceMeters || this.candRank[0] >= top) return -1;
    return Math.min(maxDistanceMeters, nearest + prefer.slackMeters);
  }

  /**
   * Nearest position on any road within maxDistanceMeters (at most MAX_SNAP_METERS), or null. With
   * `prefer`, a position on a higher-ranked edge (a larger connected component) up to `slackMeters`
   * farther wins over the nearest one.
   */
  snap(lon: number, lat: number, maxDistanceMeters = 500, prefer?: SnapPreference): SnapResult | null {
    maxDistanceMeters = Math.min(maxDistanceMeters, MAX_SNAP_METERS);
    if (!(maxDistanceMeters >= 0) || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
    const x = this.proj.x(lon);
    const y = this.proj.y(lat);
    const cx = Math.floor((x - this.originX) / this.cellSize);
    const cy = Math.floor((y - this.originY) / this.cellSize);
    // Distance from the point to the grid (0 inside), so far-away queries start at the right ring.
    const outsideX = Math.max(0, this.originX - x, x - (this.originX + this.cols * this.cellSize));
    const outsideY = Math.max(0, this.originY - y, y - (this.originY + this.rows * this.cellSize));
    if (Math.hypot(outsideX, outsideY) > maxDistanceMeters * 1.01 + 1) return null;
    const ranks = prefer?.edgeRank;
    const top = prefer ? this.topRank(prefer) : 0;
    const D = this.candD2,
      R = this.candRank;
    this.candCount = 0;
    // Pieces ranked no higher than this cannot win any more (see below): skipped before measuring.
    let skipRank = -Infinity;
    // Enough rings to cross the grid from a point up to the (capped) distance outside it; each ring costs O(ring).
    const maxRing = Math.max(this.cols, this.rows) + Math.ceil(maxDistanceMeters / this.cellSize) + 2;
    for (let ring = 0; ring <= maxRing; ring++) {
      for (let r = cy - ring; r <= cy + ring; r++) {
        if (r < 0 || r >= this.rows) continue;
        const onEdgeRow = r === cy - ring || r === cy + ring;
        const step = onEdgeRow ? 1 : 2 * ring;
        for (let c = cx - ring; c <= cx + ring; c += step || 1) {
          if (c < 0 || c >= this.cols) continue;
          const cell = r * this.cols + c;
          for (let i = this.cellStart[cell]; i < this.cellStart[cell + 1]; i++) {
            const p = this.cellItems[i];
            const rank = ranks ? ranks[this.pieceEdge[p]] : 0;
            if (rank <= skipRank) continue;
            const ax = this.px[p],
              ay = this.py[p];
            const dx = this.px[p + 1] - ax,
              dy = this.py[p + 1] - ay;
            const len2 = dx * dx + dy * dy;
            let t = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            const ex = ax + t * dx - x,
              ey = ay + t * dy - y;
            const d2 = ex * ex + ey * ey;
            const last = this.candCount - 1;
            // Most pieces: no nearer than the farthest candidate and ranked no higher.
            if (last >= 0 && d2 >= D[last] && R[last] >= rank) continue;
            this.offer(rank, d2, p, t);
          }
        }
      }
      // Pieces not yet seen lie in rings beyond this one, at least ring * cellSize away: done once that
      // is beyond the nearest road, or with a preference, beyond `slackMeters` farther than it.
      const reach = ring * this.cellSize;
      if (this.candCount > 0) {
        const limit = this.preferenceLimit(maxDistanceMeters, prefer, top);
        if ((limit >= 0 ? limit : Math.sqrt(D[0])) <= reach) break;
      }
      if (reach > maxDistanceMeters * 1.01 + this.cellSize) break;
      // A piece first seen from here on is at least `reach` away: one ranked no higher than a candidate
      // within that distance can never win (a piece seen again changes nothing).
      let m = -1;
      while (m + 1 < this.candCount && D[m + 1] <= reach * reach) m++;
      if (m >= 0) skipRank = R[m];
    }
    if (this.candCount === 0) return null;
    // The nearest road, or with a preference, the highest-ranked piece at most `slackMeters` farther
    // (the largest connected piece of the network near the point, see components.ts): the farthest
    // candidate within that distance, as candidates rank higher the farther they are.
    let k = 0;
    const limit = this.preferenceLimit(maxDistanceMeters, prefer, top);
    if (limit >= 0) while (k + 1 < this.candCount && D[k + 1] <= limit * limit) k++;
    const bestPiece = this.candPiece[k];
    const bestT = this.candT[k];
    const g = this.g;
    const lon0 = g.pointLon[bestPiece],
      lat0 = g.pointLat[bestPiece];
    const sLon = lon0 + bestT * (g.pointLon[bestPiece + 1] - lon0);
    const sLat = lat0 + bestT * (g.pointLat[bestPiece + 1] - lat0);
    const distanceMeters = haversineMeters(lon, lat, sLon, sLat);
    if (distanceMeters > maxDistanceMeters) return null;
    return { ...positionAt(g, this.pieceEdge[bestPiece], bestPiece, bestT), lon: sLon, lat: sLat, distanceMeters };
  }
}
