import { describe, it, expect } from 'vitest';
import { importGeoJson } from '../../src/modules/roads/import-geojson.js';
import { buildGraph } from '../../src/modules/roads/network.js';
import { loadSpeedProfile } from '../../src/modules/roads/speeds.js';
import { RoadService } from '../../src/modules/roads/service.js';

// Metres → degrees near the equator-ish test location (22.15° N).
const LAT0 = 22.15;
const LON0 = 113.55;
const M_PER_DEG_LAT = 111_195;
const M_PER_DEG_LON = 111_195 * Math.cos((LAT0 * Math.PI) / 180);
const at = (eastM: number, northM: number): [number, number] => [LON0 + eastM / M_PER_DEG_LON, LAT0 + northM / M_PER_DEG_LAT];

function service(features: object[]) {
  const { network } = importGeoJson({ type: 'FeatureCollection', features }, loadSpeedProfile());
  return new RoadService(buildGraph(network, { source: 'test' }));
}
const line = (coords: [number, number][], props: Record<string, unknown>) => ({ type: 'Feature', properties: props, geometry: { type: 'LineString', coordinates: coords } });

describe('snapping', () => {
  // A straight 1 km two-way road, 36 km/h = 10 m/s, so 100 s end to end.
  const straight = () => service([line([at(0, 0), at(1000, 0)], { highway: 'residential', maxspeed: '36' })]);

  it('lands in the middle of a segment, not on a vertex, with the partial time', () => {
    const s = straight();
    const [lon, lat] = at(500, 30);
    const snap = s.snap(lon, lat)!;
    expect(snap).not.toBeNull();
    expect(snap.distanceMeters).toBeGreaterThan(29);
    expect(snap.distanceMeters).toBeLessThan(31);
    expect(snap.forwardCum).toBeGreaterThan(49);
    expect(snap.forwardCum).toBeLessThan(51);
    expect(snap.lengthCum).toBeGreaterThan(495);
    expect(snap.lengthCum).toBeLessThan(505);
    expect(snap.lat).toBeCloseTo(LAT0, 6);
  });

  it('reports points too far from any road as not snapped (default 500 m, configurable)', () => {
    const s = straight();
    const [lon, lat] = at(500, 800);
    expect(s.snap(lon, lat)).toBeNull();
    expect(s.snap(lon, lat, 1000)).not.toBeNull();
    const [flon, flat] = at(50_000, 50_000);
    expect(s.snap(flon, flat)).toBeNull();
    const r = s.etaManyToOne({ lon, lat }, [{ lon: at(0, 0)[0], lat: at(0, 0)[1] }]);
    expect(r.target).toBeNull();
    expect(r.seconds).toEqual([null]);
    const r2 = s.etaManyToOne({ lon: at(0, 0)[0], lat: at(0, 0)[1] }, [{ lon, lat }]);
    expect(r2.sources[0]).toBeNull();
    expect(r2.seconds).toEqual([null]);
  });

  it('gives the direct partial time between two points on the same segment', () => {
    const s = straight();
    const [lon1, lat1] = at(200, 10);
    const [lon2, lat2] = at(700, -10);
    const r = s.etaManyToOne({ lon: lon2, lat: lat2 }, [{ lon: lon1, lat: lat1 }]);
    expect(r.seconds[0]!).toBeCloseTo(50, 0);
    expect(r.distanceMeters[0]!).toBeGreaterThan(495);
    expect(r.distanceMeters[0]!).toBeLessThan(505);
  });

  it('snaps onto a one-way street from the wrong side and only lets units arrive with the traffic', () => {
    // One-way west→east from (0,0) to (1000,0); a two-way detour back north of it: E → (1000,200) → (0,200) → W.
    const s = service([
      line([at(0, 0), at(1000, 0)], { highway: 'residential', maxspeed: '36', oneway: 'yes' }),
      line([at(1000, 0), at(1000, 200), at(0, 200), at(0, 0)], { highway: 'residential', maxspeed: '36' }),
    ]);
    // Incident just south of the one-way street's middle (the side facing away from the detour).
    const [ilon, ilat] = at(500, -20);
    const snap = s.snap(ilon, ilat)!;
    expect(snap.distanceMeters).toBeCloseTo(20, 0);
    const units = [at(0, 0), at(250, 0), at(750, 0), at(1000, 100)].map(([lon, lat]) => ({ lon, lat }));
    const r = s.etaManyToOne({ lon: ilon, lat: ilat }, units);
    expect(r.seconds[0]!).toBeCloseTo(50, 0); // from the one-way's start
    expect(r.seconds[1]!).toBeCloseTo(25, 0); // upstream on the same street: direct
    // Downstream at 750 m: forward to the end (25 s), around the 1.4 km detour (140 s), then 50 s.
    expect(r.seconds[2]!).toBeCloseTo(215, 0);
    // On the detour 100 m north of the east end: back over the remaining 1.3 km (130 s), then 50 s.
    expect(r.seconds[3]!).toBeCloseTo(180, 0);
  });

  it('treats a one-way street with no way back as unreachable from downstream', () => {
    const s = service([line([at(0, 0), at(1000, 0)], { highway: 'residential', maxspeed: '36', oneway: 'yes' })]);
    const r = s.etaManyToOne({ lon: at(300, 0)[0], lat: at(300, 0)[1] }, [{ lon: at(600, 0)[0], lat: at(600, 0)[1] }, { lon: at(100, 0)[0], lat: at(100, 0)[1] }]);
    expect(r.seconds[0]).toBeNull();
    expect(r.seconds[1]!).toBeCloseTo(20, 0);
  });

  it('does not connect lines that merely cross without sharing a coordinate', () => {
    const s = service([
      line([at(0, 0), at(1000, 0)], { highway: 'residential', maxspeed: '36' }),
      line([at(500, -500), at(500, 500)], { highway: 'residential', maxspeed: '36' }),
    ]);
    const r = s.etaManyToOne({ lon: at(500, 400)[0], lat: at(500, 400)[1] }, [{ lon: at(0, 0)[0], lat: at(0, 0)[1] }]);
    expect(r.seconds[0]).toBeNull();
  });
});
