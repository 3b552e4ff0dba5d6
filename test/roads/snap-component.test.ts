/**
 * #11.14: a unit of the same station shown as "无法经道路到达". Cause: the point snapped onto a piece
 * of road cut off from the rest (a one-way stub or lane with no way back in the data), from which
 * nothing is reachable. Snapping prefers the largest connected piece near the point.
 */
import { describe, expect, it } from 'vitest';
import { importGeoJson } from '../../src/modules/roads/import-geojson.js';
import { buildGraph } from '../../src/modules/roads/network.js';
import { loadSpeedProfile } from '../../src/modules/roads/speeds.js';
import { RoadService, SNAP_COMPONENT_SLACK_M } from '../../src/modules/roads/service.js';
import { SnapIndex } from '../../src/modules/roads/snap.js';
import { stronglyConnectedComponents } from '../../src/modules/roads/components.js';

const LAT0 = 22.15;
const LON0 = 113.55;
const M_PER_DEG_LAT = 111_195;
const M_PER_DEG_LON = 111_195 * Math.cos((LAT0 * Math.PI) / 180);
const at = (eastM: number, northM: number): [number, number] => [LON0 + eastM / M_PER_DEG_LON, LAT0 + northM / M_PER_DEG_LAT];
const line = (coords: [number, number][], props: Record<string, unknown>) => ({ type: 'Feature', properties: props, geometry: { type: 'LineString', coordinates: coords } });

// A two-way street loop (the city), and 40 m north of its north side a one-way stub that joins
// nothing: a car park lane. A unit parked at (500, 60) is nearer the stub (20 m) than the street (60 m).
const features = [
  line([at(0, 0), at(500, 0), at(1000, 0)], { highway: 'residential', maxspeed: '36' }),
  line([at(1000, 0), at(1000, -800)], { highway: 'residential', maxspeed: '36' }),
  line([at(1000, -800), at(500, -800), at(0, -800)], { highway: 'residential', maxspeed: '36' }),
  line([at(0, -800), at(0, 0)], { highway: 'residential', maxspeed: '36' }),
  line([at(500, 0), at(500, -800)], { highway: 'residential', maxspeed: '36' }),
  line([at(300, 40), at(700, 40)], { highway: 'service', oneway: 'yes', maxspeed: '20' }),
];
const graph = () => buildGraph(importGeoJson({ type: 'FeatureCollection', features }, loadSpeedProfile()).network, { source: 'test' });

describe('snapping to the largest connected piece near the point', () => {
  it('the stub is its own small component', () => {
    const c = stronglyConnectedComponents(graph());
    expect(c.sizes.length).toBeGreaterThan(1);
    expect(c.sizes[c.largest]).toBeGreaterThan(1); // the two junctions of the street loop (bends are not vertices)
  });

  it('plain nearest snapping lands on the stub and the unit is unreachable; the service snaps to the street and finds a route', () => {
    const g = graph();
    const svc = new RoadService(g, { snapComponentSlackMeters: SNAP_COMPONENT_SLACK_M });
    const unit = at(500, 60);
    const incident = at(1000, -400);
    const plain = new SnapIndex(g).snap(unit[0], unit[1])!;
    expect(plain.distanceMeters).toBeLessThan(25); // the stub
    const target = svc.snap(incident[0], incident[1])!;
    expect(svc.etaFromSnapped(target, [plain]).seconds[0]).toBeNull();

    const snapped = svc.snap(unit[0], unit[1])!;
    expect(snapped.distanceMeters).toBeGreaterThan(55); // the street, 60 m south
    expect(snapped.distanceMeters).toBeLessThan(65);
    const eta = svc.etaFromSnapped(target, [snapped]).seconds[0];
    expect(eta).not.toBeNull();
    expect(eta!).toBeGreaterThan(80); // ≥ 900 m at 10 m/s
  });

  it('the street wins within the slack; beyond it, or without the option, the nearest road', () => {
    const onStub = at(500, 42); // 2 m from the stub, 42 m from the street
    expect(new RoadService(graph(), { snapComponentSlackMeters: SNAP_COMPONENT_SLACK_M }).snap(onStub[0], onStub[1])!.distanceMeters).toBeGreaterThan(40);
    expect(new RoadService(graph(), { snapComponentSlackMeters: 30 }).snap(onStub[0], onStub[1])!.distanceMeters).toBeLessThan(3);
    expect(new RoadService(graph()).snap(onStub[0], onStub[1])!.distanceMeters).toBeLessThan(3);
  });
});
