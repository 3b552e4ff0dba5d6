/**
 * Coverage: from all free units at once, the time by which the first unit can reach every piece
 * of road; grouped into bands (≤3, ≤5, ≤8, >8 min by default) with the share of road length in each.
 */
import { FLAG_BACKWARD_OPEN, FLAG_FORWARD_OPEN, type RoadGraph } from './graph.js';
import type { EdgePosition } from './snap.js';
import type { SearchEngine } from './search.js';

export const DEFAULT_BANDS_MINUTES = [3, 5, 8];

export interface CoverageBand {
  /** Upper limit in minutes; null for the last band (beyond the largest limit, or unreachable). */
  maxMinutes: number | null;
  label: string;
  lengthMeters: number;
  share: number;
}

export interface CoverageResult {
  bands: CoverageBand[];
  /** Seconds until the first unit reaches each point (global point index); Infinity if not in time. */
  pointSeconds: Float64Array;
  /** Band index of each piece (indexed by the piece's first point); -1 on an edge's last point. */
  pieceBand: Int8Array;
  totalLengthMeters: number;
}

export function normaliseBands(bandsMinutes: number[] = DEFAULT_BANDS_MINUTES): number[] {
  const bands = [...new Set(bandsMinutes.filter((b) => Number.isFinite(b) && b > 0))].sort((a, b) => a - b);
  return bands.length ? bands : DEFAULT_BANDS_MINUTES;
}

export function computeCoverage(g: RoadGraph, engine: SearchEngine, origins: EdgePosition[], bandsMinutes: number[] = DEFAULT_BANDS_MINUTES): CoverageResult {
  const limits = normaliseBands(bandsMinutes);
  const cutoffS = limits[limits.length - 1] * 60;
  const vertexSeconds = engine.multiSourceForward(origins, cutoffS);

  // Units already standing on an edge reach points of that edge directly.
  const originsByEdge = new Map<number, EdgePosition[]>();
  for (const o of origins) {
    const list = originsByEdge.get(o.edge);
    if (list) list.push(o);
    else originsByEdge.set(o.edge, [o]);
  }

  const P = g.pointCount;
  const pointSeconds = new Float64Array(P).fill(Infinity);
  const pieceBand = new Int8Array(P).fill(-1);
  const bandLength = new Float64Array(limits.length + 1);
  const limitSeconds = limits.map((m) => m * 60);
  const bandOf = (s: number) => {
    for (let b = 0; b < limitSeconds.length; b++) if (s <= limitSeconds[b]) return b;
    return limitSeconds.length;
  };
  let total = 0;
  for (let e = 0; e < g.edgeCount; e++) {
    const first = g.edgePointStart[e];
    const last = g.edgePointStart[e + 1] - 1;
    const flags = g.edgeFlags[e];
    const tu = vertexSeconds[g.edgeFrom[e]];
    const tv = vertexSeconds[g.edgeTo[e]];
    const backTotal = g.pointBackwardCum[last];
    const onEdge = originsByEdge.get(e);
    for (let p = first; p <= last; p++) {
      let t = Infinity;
      if (flags & FLAG_FORWARD_OPEN || p === first) t = tu + g.pointForwardCum[p];
      if (flags & FLAG_BACKWARD_OPEN || p === last) t = Math.min(t, tv + backTotal - g.pointBackwardCum[p]);
      if (onEdge) {
        for (const o of onEdge) {
          const ahead = p > o.piece || (p === o.piece && o.fraction === 0);
          const behind = p <= o.piece;
          if (flags & FLAG_FORWARD_OPEN && ahead) t = Math.min(t, g.pointForwardCum[p] - o.forwardCum);
          if (flags & FLAG_BACKWARD_OPEN && behind) t = Math.min(t, o.backwardCum - g.pointBackwardCum[p]);
        }
      }
      pointSeconds[p] = t;
    }
    for (let p = first; p < last; p++) {
      // A piece counts as reached when both its ends are: conservative, never optimistic.
      const band = bandOf(Math.max(pointSeconds[p], pointSeconds[p + 1]));
      pieceBand[p] = band;
      const len = g.pointLengthCum[p + 1] - g.pointLengthCum[p];
      bandLength[band] += len;
      total += len;
    }
  }
  const bands: CoverageBand[] = [];
  for (let b = 0; b <= limits.length; b++) {
    bands.push({
      maxMinutes: b < limits.length ? limits[b] : null,
      label: b < limits.length ? `≤${limits[b]} min` : `>${limits[limits.length - 1]} min`,
      lengthMeters: Math.round(bandLength[b]),
      share: total > 0 ? bandLength[b] / total : 0,
    });
  }
  return { bands, pointSeconds, pieceBand, totalLengthMeters: total };
}

export interface CoverageFeatureCollection {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    properties: { band: number; label: string; maxMinutes: number | null; seconds: number | null };
    geometry: { type: 'LineString'; coordinates: [number, number][] };
  }[];
}

/** Runs of consecutive pieces in the same band become one LineString each. */
export function coverageGeoJson(g: RoadGraph, cov: CoverageResult): CoverageFeatureCollection {
  const features: CoverageFeatureCollection['features'] = [];
  for (let e = 0; e < g.edgeCount; e++) {
    const first = g.edgePointStart[e];
    const last = g.edgePointStart[e + 1] - 1;
    let runStart = first;
    for (let p = first + 1; p <= last; p++) {
      if (p < last && cov.pieceBand[p] === cov.pieceBand[runStart]) continue;
      const band = cov.pieceBand[runStart];
      const coordinates: [number, number][] = [];
      let worst = 0;
      for (let k = runStart; k <= p; k++) {
        coordinates.push([g.pointLon[k], g.pointLat[k]]);
        worst = Math.max(worst, cov.pointSeconds[k]);
      }
      const b = cov.bands[band];
      features.push({
        type: 'Feature',
        properties: { band, label: b.label, maxMinutes: b.maxMinutes, seconds: Number.isFinite(worst) ? Math.round(worst) : null },
        geometry: { type: 'LineString', coordinates },
      });
      runStart = p;
    }
  }
  return { type: 'FeatureCollection', features };
}
