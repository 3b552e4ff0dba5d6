/** Shared helpers for the road tests: random graphs as GeoJSON and a plain reference Dijkstra. */
import { importGeoJson } from '../../src/modules/roads/import-geojson.js';
import { buildGraph } from '../../src/modules/roads/network.js';
import { loadSpeedProfile } from '../../src/modules/roads/speeds.js';
import { RoadService } from '../../src/modules/roads/service.js';

export interface TestEdge {
  a: number;
  b: number;
  /** Seconds a→b and b→a; null = closed. */
  forward: number | null;
  backward: number | null;
  /** Extra shape points inside the line (tests geometry kept on compressed chains). */
  bends: number;
}

/** Nodes on a circle (~1 km radius), so no straight or bent edge passes through another node. */
export function nodeCoordinate(i: number, n: number): [number, number] {
  const angle = (2 * Math.PI * i) / n;
  return [113.55 + 0.01 * Math.cos(angle), 22.15 + 0.01 * Math.sin(angle)];
}

export function edgesToGeoJson(n: number, edges: TestEdge[]) {
  return {
    type: 'FeatureCollection',
    features: edges.map((e, k) => {
      const [ax, ay] = nodeCoordinate(e.a, n);
      const [bx, by] = nodeCoordinate(e.b, n);
      const coords: number[][] = [[ax, ay]];
      for (let j = 1; j <= e.bends; j++) {
        const t = j / (e.bends + 1);
        // Off the chord by an edge-specific amount: no two lines share an inner point.
        coords.push([ax + t * (bx - ax) + (k + 1) * 1.3e-7, ay + t * (by - ay) - (j + 1) * 0.7e-7]);
      }
      coords.push([bx, by]);
      return {
        type: 'Feature',
        properties: { travel_time_s: e.forward, reverse_travel_time_s: e.backward === null ? -1 : e.backward, name: `e${k}` },
        geometry: { type: 'LineString', coordinates: coords },
      };
    }),
  };
}

export function serviceFromEdges(n: number, edges: TestEdge[], compress = true): RoadService {
  const { network } = importGeoJson(edgesToGeoJson(n, edges), loadSpeedProfile());
  return new RoadService(buildGraph(network, { source: 'test', compress }));
}

/** O(n²) Dijkstra from `source` over the directed edges: the reference the engine must match. */
export function referenceDijkstra(n: number, edges: TestEdge[], source: number): number[] {
  const dist = new Array<number>(n).fill(Infinity);
  const done = new Array<boolean>(n).fill(false);
  dist[source] = 0;
  for (;;) {
    let u = -1;
    for (let i = 0; i < n; i++) if (!done[i] && dist[i] < Infinity && (u < 0 || dist[i] < dist[u])) u = i;
    if (u < 0) break;
    done[u] = true;
    for (const e of edges) {
      if (e.a === u && e.forward !== null && dist[u] + e.forward < dist[e.b]) dist[e.b] = dist[u] + e.forward;
      if (e.b === u && e.backward !== null && dist[u] + e.backward < dist[e.a]) dist[e.a] = dist[u] + e.backward;
    }
  }
  return dist;
}

/** Nodes touched by at least one edge open in some direction (the others are not on any road). */
export function roadNodes(n: number, edges: TestEdge[]): number[] {
  const used = new Set<number>();
  for (const e of edges) {
    if (e.forward === null && e.backward === null) continue;
    used.add(e.a);
    used.add(e.b);
  }
  return [...used].sort((x, y) => x - y);
}
