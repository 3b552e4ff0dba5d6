/** RoadService: a loaded road graph with snapping, ETA, routes, coverage and drawing data. */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeCoverage, coverageGeoJson, normaliseBands, type CoverageBand, type CoverageFeatureCollection } from './coverage.js';
import { FLAG_BACKWARD_OPEN, FLAG_FORWARD_OPEN, graphBoundingBox, graphMemoryBytes, type RoadGraph } from './graph.js';
import { detectFormat, fileMtimeMs, importRoadFile, loadGraphFile, saveGraphFile } from './import.js';
import { SearchEngine, type RouteResult } from './search.js';
import { SnapIndex, type SnapPreference, type SnapResult } from './snap.js';
import { stronglyConnectedComponents } from './components.js';

/** A road of a larger connected piece of the network this much farther than the nearest one is preferred (#11.14). */
export const SNAP_COMPONENT_SLACK_M = 300;
import { readFileSync } from 'node:fs';

export interface LonLat {
  lon: number;
  lat: number;
}

export interface RoadServiceOptions {
  /** Points farther than this from every road do not snap (default 500 m). */
  maxSnapMeters?: number;
  /**
   * Snap onto the largest connected piece of the network when it is at most this much farther than
   * the nearest road (0 = plain nearest; the server uses SNAP_COMPONENT_SLACK_M).
   */
  snapComponentSlackMeters?: number;
}

export interface EtaResult {
  /** Seconds per source in the given order; null = unreachable, beyond the cutoff or off-road. */
  seconds: (number | null)[];
  /** Metres along the fastest route per source; null where seconds is null. */
  distanceMeters: (number | null)[];
  /** Where the target snapped; null when it is too far from any road (then all seconds are null). */
  target: SnapResult | null;
  /** Where each source snapped; null when too far from any road. */
  sources: (SnapResult | null)[];
  /** Route of the source asked for with `routeFor`. */
  route?: RouteResult | null;
}

export interface RoadFeatureCollection {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    properties: { name: string; highway: string; oneway: 'yes' | '-1' | 'no' };
    geometry: { type: 'LineString'; coordinates: [number, number][] };
  }[];
}

export interface RoadInfo {
  source: string;
  createdAt: string;
  vertices: number;
  edges: number;
  arcs: number;
  points: number;
  inputNodes: number;
  compressed: boolean;
  bbox: [number, number, number, number];
  memoryBytes: number;
  lengthKm: number;
}

export class RoadService {
  readonly maxSnapMeters: number;
  private readonly snapIndex: SnapIndex;
  private readonly snapPreference: SnapPreference | undefined;
  private readonly engine: SearchEngine;
  private geojsonCache: RoadFeatureCollection | null = null;
  private edgeBoxes: Float64Array | null = null;
  /** Changes whenever the graph does: used as the HTTP ETag of the network. */
  readonly version: string;

  constructor(
    readonly graph: RoadGraph,
    opts: RoadServiceOptions = {},
  ) {
    this.maxSnapMeters = opts.maxSnapMeters ?? 500;
    this.snapIndex = new SnapIndex(graph);
    const slack = opts.snapComponentSlackMeters ?? 0;
    if (slack > 0) {
      // An edge ranks as the smaller of its ends' components: the size of the piece it belongs to.
      const c = stronglyConnectedComponents(graph);
      const rank = Int32Array.from({ length: graph.edgeCount }, (_, e) => Math.min(c.sizes[c.vertexComponent[graph.edgeFrom[e]]], c.sizes[c.vertexComponent[graph.edgeTo[e]]]));
      this.snapPreference = { edgeRank: rank, slackMeters: slack };
    }
    this.engine = new SearchEngine(graph);
    this.version = createHash('sha1')
      .update(`${graph.meta.source}|${graph.meta.createdAt}|${graph.vertexCount}|${graph.edgeCount}|${graph.pointCount}`)
      .digest('hex')
      .slice(0, 16);
  }

  /**
   * The road position of a point: with `snapComponentSlackMeters`, on the largest connected piece of
   * the network up to that much farther than the nearest road (a cut-off lane or one-way stub beside
   * a street would make every ETA "unreachable"; see components.ts), else the nearest road.
   */
  snap(lon: number, lat: number, maxDistanceMeters = this.maxSnapMeters): SnapResult | null {
    return this.snapIndex.snap(lon, lat, maxDistanceMeters, this.snapPreference);
  }

  /** The nearest road, whatever piece of the network it belongs to (how far a point is from any road). */
  nearestRoad(lon: number, lat: number, maxDistanceMeters = this.maxSnapMeters): SnapResult | null {
    return this.snapIndex.snap(lon, lat, maxDistanceMeters);
  }

  etaManyToOne(target: LonLat, sources: LonLat[], opts: { cutoffS?: number; routeFor?: number } = {}): EtaResult {
    const targetSnap = this.snap(target.lon, target.lat);
    const sourceSnaps = sources.map((s) => this.snap(s.lon, s.lat));
    if (!targetSnap) return { seconds: sources.map(() => null), distanceMeters: sources.map(() => null), target: null, sources: sourceSnaps, ...(opts.routeFor !== undefined ? { route: null } : {}) };
    return this.etaFromSnapped(targetSnap, sourceSnaps, opts);
  }

  /**
   * ETA for positions snapped beforehand (dispatch snaps a unit once per position report, not per
   * query). Same result shape as etaManyToOne.
   */
  etaFromSnapped(target: SnapResult, sources: (SnapResult | null)[], opts: { cutoffS?: number; routeFor?: number } = {}): EtaResult {
    const r = this.engine.manyToOne(target, sources, opts.cutoffS ?? Infinity, opts.routeFor);
    const out: EtaResult = { seconds: r.seconds, distanceMeters: r.meters, target, sources };
    if (opts.routeFor !== undefined) out.route = r.route ?? null;
    return out;
  }

  route(from: LonLat, to: LonLat): RouteResult | null {
    return this.etaManyToOne(to, [from], { routeFor: 0 }).route ?? null;
  }

  coverage(origins: LonLat[], bandsMinutes?: number[]): { bands: CoverageBand[]; geojson: CoverageFeatureCollection; originsSnapped: number } {
    const snapped = origins.map((o) => this.snap(o.lon, o.lat)).filter((s): s is SnapResult => s !== null);
    const cov = computeCoverage(this.graph, this.engine, snapped, normaliseBands(bandsMinutes));
    return { bands: cov.bands, geojson: coverageGeoJson(this.graph, cov), originsSnapped: snapped.length };
  }

  /** The network for drawing: one LineString per run of pieces with the same name and class. */
  toGeoJSON(bbox?: [number, number, number, number]): RoadFeatureCollection {
    if (!this.geojsonCache) this.geojsonCache = this.buildGeoJSON();
    if (!bbox) return this.geojsonCache;
    const [minLon, minLat, maxLon, maxLat] = bbox;
    const boxes = this.edgeBoxes!;
    const features = this.geojsonCache.features.filter((_, i) => boxes[i * 4] <= maxLon && boxes[i * 4 + 2] >= minLon && boxes[i * 4 + 1] <= maxLat && boxes[i * 4 + 3] >= minLat);
    return { type: 'FeatureCollection', features };
  }

  private buildGeoJSON(): RoadFeatureCollection {
    const g = this.graph;
    const features: RoadFeatureCollection['features'] = [];
    const boxes: number[] = [];
    for (let e = 0; e < g.edgeCount; e++) {
      const first = g.edgePointStart[e];
      const last = g.edgePointStart[e + 1] - 1;
      const flags = g.edgeFlags[e];
      // Direction relative to this edge's geometry (chains may run against the source way).
      const oneway = flags & FLAG_FORWARD_OPEN ? (flags & FLAG_BACKWARD_OPEN ? 'no' : 'yes') : '-1';
      let runStart = first;
      for (let p = first + 1; p <= last; p++) {
        if (p < last && g.pointAttr[p] === g.pointAttr[runStart]) continue;
        const attr = g.pointAttr[runStart];
        const coordinates: [number, number][] = [];
        let minLon = Infinity,
          minLat = Infinity,
          maxLon = -Infinity,
          maxLat = -Infinity;
        for (let k = runStart; k <= p; k++) {
          const lon = g.pointLon[k],
            lat = g.pointLat[k];
          coordinates.push([lon, lat]);
          if (lon < minLon) minLon = lon;
          if (lon > maxLon) maxLon = lon;
          if (lat < minLat) minLat = lat;
          if (lat > maxLat) maxLat = lat;
        }
        boxes.push(minLon, minLat, maxLon, maxLat);
        const nameIdx = g.attrName[attr];
        features.push({
          type: 'Feature',
          properties: { name: nameIdx >= 0 ? g.strings[nameIdx] : '', highway: g.strings[g.attrHighway[attr]], oneway },
          geometry: { type: 'LineString', coordinates },
        });
        runStart = p;
      }
    }
    this.edgeBoxes = Float64Array.from(boxes);
    return { type: 'FeatureCollection', features };
  }

  info(): RoadInfo {
    const g = this.graph;
    let length = 0;
    for (let e = 0; e < g.edgeCount; e++) length += g.pointLengthCum[g.edgePointStart[e + 1] - 1];
    return {
      source: g.meta.source,
      createdAt: g.meta.createdAt,
      vertices: g.vertexCount,
      edges: g.edgeCount,
      arcs: g.arcCount,
      points: g.pointCount,
      inputNodes: g.meta.inputNodeCount,
      compressed: g.meta.compressed,
      bbox: graphBoundingBox(g),
      memoryBytes: graphMemoryBytes(g) + this.snapIndex.memoryBytes + this.engine.memoryBytes,
      lengthKm: Math.round(length / 100) / 10,
    };
  }
}

export const DEMO_ROADS_GEOJSON = fileURLToPath(new URL('../../../assets/macau/roads.geojson', import.meta.url));

/**
 * The road service for the server: `source` (a .graph, .pbf or .geojson file) when given, else the
 * demo city, whose graph is rebuilt into `<dataDir>/roads/` when missing or older than the GeoJSON.
 */
export async function loadRoadService(opts: { dataDir: string; source?: string; log?: (msg: string) => void }): Promise<RoadService> {
  const log = opts.log ?? (() => {});
  const started = performance.now();
  let graph: RoadGraph;
  if (opts.source) {
    const head = readFileSync(opts.source).subarray(0, 64);
    if (detectFormat(head, opts.source) === 'graph') graph = loadGraphFile(opts.source);
    else {
      log(`roads: importing ${opts.source}`);
      graph = importRoadFile(opts.source).graph;
    }
  } else {
    const graphFile = path.join(opts.dataDir, 'roads', 'demo-macau.graph');
    const graphTime = fileMtimeMs(graphFile);
    const sourceTime = fileMtimeMs(DEMO_ROADS_GEOJSON);
    let loaded: RoadGraph | null = null;
    if (graphTime !== null && (sourceTime === null || graphTime >= sourceTime)) {
      try {
        loaded = loadGraphFile(graphFile);
      } catch (err) {
        log(`roads: ${graphFile} is unusable (${(err as Error).message}); rebuilding`);
      }
    }
    if (!loaded) {
      log(`roads: building the demo city graph from ${DEMO_ROADS_GEOJSON}`);
      loaded = importRoadFile(DEMO_ROADS_GEOJSON).graph;
      saveGraphFile(loaded, graphFile);
    }
    graph = loaded;
  }
  const service = new RoadService(graph, { snapComponentSlackMeters: SNAP_COMPONENT_SLACK_M });
  log(`roads: ${graph.meta.source}: ${graph.vertexCount} vertices, ${graph.arcCount} arcs, ready in ${Math.round(performance.now() - started)} ms`);
  return service;
}
