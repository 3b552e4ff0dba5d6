import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importRoadFile, importRoads, loadGraphFile, saveGraphFile } from '../../src/modules/roads/import.js';
import { carWay } from '../../src/modules/roads/import-osm.js';
import { loadSpeedProfile, parseMaxspeed } from '../../src/modules/roads/speeds.js';
import { deserializeGraph, serializeGraph } from '../../src/modules/roads/graph.js';
import { RoadService, loadRoadService } from '../../src/modules/roads/service.js';
import { RoadImportError } from '../../src/modules/roads/errors.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const asset = (p: string) => path.join(ROOT, 'assets', p);
const profile = loadSpeedProfile();

/** Deterministic pseudo-random numbers for picking query points. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('OSM .osm.pbf extracts', () => {
  for (const name of ['monaco', 'liechtenstein', 'andorra']) {
    it(`imports ${name} and answers queries`, () => {
      const { graph, format } = importRoadFile(asset(`osm/${name}.osm.pbf`));
      expect(format).toBe('osm-pbf');
      expect(graph.vertexCount).toBeGreaterThan(500);
      expect(graph.arcCount).toBeGreaterThan(graph.vertexCount);
      const service = new RoadService(graph);
      const [minLon, minLat, maxLon, maxLat] = service.info().bbox;
      expect(minLon).toBeGreaterThan(1);
      expect(maxLon).toBeLessThan(10.5);
      expect(minLat).toBeGreaterThan(42);
      expect(maxLat).toBeLessThan(47.5);
      const rnd = lcg(42);
      const vertex = () => {
        const v = Math.floor(rnd() * graph.vertexCount);
        return { lon: graph.vertexLon[v], lat: graph.vertexLat[v] };
      };
      const sources = Array.from({ length: 50 }, vertex);
      let reachable = 0;
      for (let q = 0; q < 10; q++) {
        const r = service.etaManyToOne(vertex(), sources);
        for (const s of r.seconds) {
          if (s === null) continue;
          reachable++;
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThan(4 * 3600);
        }
      }
      // Most of a country's roads are mutually reachable.
      expect(reachable).toBeGreaterThan(250);
      const route = service.route(sources[0], sources[1]);
      if (route) expect(route.coordinates.length).toBeGreaterThanOrEqual(2);
    });
  }
});

describe('OSM tags', () => {
  it('keeps car roads, drops paths and closed roads, reads one-way and speeds', () => {
    expect(carWay({ highway: 'footway' }, profile)).toBeNull();
    expect(carWay({ highway: 'residential', access: 'no' }, profile)).toBeNull();
    expect(carWay({ highway: 'residential', motor_vehicle: 'no' }, profile)).toBeNull();
    expect(carWay({ highway: 'residential', access: 'no', motor_vehicle: 'yes' }, profile)).not.toBeNull();
    const motorway = carWay({ highway: 'motorway' }, profile)!;
    expect(motorway.backward).toBeNull();
    expect(motorway.forward).toEqual({ speedKmh: profile.speeds.motorway });
    const roundabout = carWay({ highway: 'primary', junction: 'roundabout' }, profile)!;
    expect(roundabout.backward).toBeNull();
    const reverse = carWay({ highway: 'secondary', oneway: '-1', maxspeed: '30 mph' }, profile)!;
    expect(reverse.forward).toBeNull();
    expect((reverse.backward as { speedKmh: number }).speedKmh).toBeCloseTo(48.28, 1);
    const twoWay = carWay({ highway: 'motorway', oneway: 'no' }, profile)!;
    expect(twoWay.forward && twoWay.backward).toBeTruthy();
    expect(parseMaxspeed('50')).toBe(50);
    expect(parseMaxspeed('DE:urban')).toBeNull();
    expect(parseMaxspeed('walk')).toBe(7);
  });
});

describe('GeoJSON road layers', () => {
  const fc = (features: unknown[]) => Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));
  const feature = (coords: number[][], properties: Record<string, unknown> = {}) => ({ type: 'Feature', properties, geometry: { type: 'LineString', coordinates: coords } });

  it('uses travel_time_s / reverse_travel_time_s over speeds; null or negative closes a direction', () => {
    const { graph } = importRoads(
      fc([
        feature([[8.0, 49.0], [8.001, 49.0], [8.002, 49.0]], { travel_time_s: 100, reverse_travel_time_s: null, maxspeed: '5' }),
        feature([[8.002, 49.0], [8.003, 49.0]], { travel_time_s: -1, reverse_travel_time_s: 7 }),
      ]),
      'layer.geojson',
    );
    const s = new RoadService(graph);
    const r = s.etaManyToOne({ lon: 8.002, lat: 49.0 }, [{ lon: 8.0, lat: 49.0 }, { lon: 8.001, lat: 49.0 }, { lon: 8.003, lat: 49.0 }]);
    expect(r.seconds[0]!).toBeCloseTo(100, 6);
    expect(r.seconds[1]!).toBeCloseTo(50, 1);
    expect(r.seconds[2]!).toBeCloseTo(7, 6);
    expect(s.etaManyToOne({ lon: 8.0, lat: 49.0 }, [{ lon: 8.002, lat: 49.0 }]).seconds[0]).toBeNull();
  });

  it('connects lines at shared inner points and handles MultiLineStrings', () => {
    const { graph } = importRoads(
      fc([
        feature([[8.0, 49.0], [8.001, 49.0], [8.002, 49.0]], { highway: 'residential' }),
        { type: 'Feature', properties: { highway: 'residential' }, geometry: { type: 'MultiLineString', coordinates: [[[8.001, 49.0], [8.001, 49.001]], [[8.001, 49.001], [8.001, 49.002]]] } },
      ]),
      'layer.geojson',
    );
    const s = new RoadService(graph);
    expect(s.etaManyToOne({ lon: 8.001, lat: 49.002 }, [{ lon: 8.0, lat: 49.0 }]).seconds[0]).not.toBeNull();
  });

  const fails = (buf: Buffer | Uint8Array, name: string, message: RegExp) => {
    expect(() => importRoads(buf, name)).toThrow(RoadImportError);
    expect(() => importRoads(buf, name)).toThrow(message);
  };

  it('rejects bad files with a message naming the problem', () => {
    fails(Buffer.alloc(0), 'x.osm.pbf', /empty/);
    fails(Buffer.from('   \n'), 'x.geojson', /empty/);
    fails(Buffer.from('{"type": "FeatureCollection", "features": [}'), 'x.geojson', /not valid JSON/);
    fails(fc([]), 'x.geojson', /empty/);
    fails(fc([{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [8, 49] } }]), 'x.geojson', /no roads/);
    fails(fc([feature([[8, 49], [8.1, 49]]), feature([[8, 49], [8.1, 49.1]]), { type: 'Feature', properties: {}, geometry: null }]), 'x.geojson', /index 2 has no geometry/);
    fails(fc([feature([[8, 49], ['a', 49] as unknown as number[]])]), 'x.geojson', /index 0: invalid position/);
    fails(Buffer.from('{"type":"Topology"}'), 'x.json', /FeatureCollection/);
    fails(Buffer.from('<?xml version="1.0"?><osm></osm>'), 'x.osm', /OSM XML/);
    fails(Buffer.from([0, 0, 0, 5, 1, 2, 3, 4, 5, 6, 7]), 'x.osm.pbf', /not an OSM PBF/);
    fails(readFileSync(path.join(ROOT, 'package.json')).subarray(1), 'x.osm.pbf', /not an OSM PBF/);
    const pbf = readFileSync(asset('osm/andorra.osm.pbf'));
    fails(pbf.subarray(0, pbf.length - 1000), 'x.osm.pbf', /truncated/);
  });
});

describe('graph file', () => {
  it('round-trips through the binary format with identical answers', () => {
    const { graph } = importRoadFile(asset('osm/andorra.osm.pbf'));
    const copy = deserializeGraph(serializeGraph(graph));
    expect(copy.vertexCount).toBe(graph.vertexCount);
    expect(Array.from(copy.inWeight)).toEqual(Array.from(graph.inWeight));
    expect(copy.strings).toEqual(graph.strings);
    const a = new RoadService(graph);
    const b = new RoadService(copy);
    const target = { lon: graph.vertexLon[10], lat: graph.vertexLat[10] };
    const sources = Array.from({ length: 30 }, (_, i) => ({ lon: graph.vertexLon[i * 17], lat: graph.vertexLat[i * 17] }));
    expect(b.etaManyToOne(target, sources).seconds).toEqual(a.etaManyToOne(target, sources).seconds);
  });

  it('rejects a file that is not a graph', () => {
    expect(() => deserializeGraph(Buffer.from('hello world, not a graph'))).toThrow(/not a Shouwang road graph/);
  });

  it('builds the demo city once, then loads the saved graph', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'shouwang-roads-'));
    const logs: string[] = [];
    const first = await loadRoadService({ dataDir, log: (m) => logs.push(m) });
    expect(logs.some((l) => l.includes('building the demo city'))).toBe(true);
    expect(first.info().vertices).toBeGreaterThan(1000);
    const file = path.join(dataDir, 'roads', 'demo-macau.graph');
    const started = performance.now();
    const graph = loadGraphFile(file);
    const service = new RoadService(graph);
    // Load time is reported, not asserted (tests never assert timings): docs/routing.md has the figures.
    console.info(`demo graph loaded in ${(performance.now() - started).toFixed(1)} ms`);
    logs.length = 0;
    const second = await loadRoadService({ dataDir, log: (m) => logs.push(m) });
    expect(logs.some((l) => l.includes('building'))).toBe(false);
    expect(second.info().edges).toBe(service.info().edges);
    // A stale graph (older than the GeoJSON) is rebuilt.
    utimesSync(file, new Date(0), new Date(0));
    logs.length = 0;
    await loadRoadService({ dataDir, log: (m) => logs.push(m) });
    expect(logs.some((l) => l.includes('building'))).toBe(true);
    // A corrupt graph is rebuilt, not fatal.
    writeFileSync(file, 'garbage');
    utimesSync(file, new Date(), new Date(Date.now() + 60_000));
    logs.length = 0;
    await loadRoadService({ dataDir, log: (m) => logs.push(m) });
    expect(logs.some((l) => l.includes('rebuilding'))).toBe(true);
    // An explicit source file works too.
    const saved = path.join(dataDir, 'andorra.graph');
    saveGraphFile(importRoadFile(asset('osm/andorra.osm.pbf')).graph, saved);
    expect((await loadRoadService({ dataDir, source: saved })).info().source).toBe('andorra.osm.pbf');
  });
});
