import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { inArea, whereInArea, type GeoPolygon } from '../../../src/modules/volunteers/domain/geofence.js';

// A 0.01° square (≈ 1 km) with a small square hole, in Macau.
const square: GeoPolygon = {
  type: 'Polygon',
  coordinates: [
    [[113.54, 22.19], [113.55, 22.19], [113.55, 22.2], [113.54, 22.2], [113.54, 22.19]],
    [[113.544, 22.194], [113.546, 22.194], [113.546, 22.196], [113.544, 22.196], [113.544, 22.194]],
  ],
};
// A concave L shape: the notch is outside.
const ell: GeoPolygon = { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]] };

describe('geofence: table', () => {
  const cases: [string, GeoPolygon, number, number, 'inside' | 'boundary' | 'outside'][] = [
    ['centre of a side strip', square, 113.541, 22.191, 'inside'],
    ['just inside the east edge', square, 113.54999, 22.195, 'inside'],
    ['just outside the east edge', square, 113.55001, 22.195, 'outside'],
    ['far away', square, 113.6, 22.3, 'outside'],
    ['on the south edge', square, 113.545, 22.19, 'boundary'],
    ['on the west edge', square, 113.54, 22.195, 'boundary'],
    ['on a corner', square, 113.55, 22.2, 'boundary'],
    ['in the hole', square, 113.545, 22.195, 'outside'],
    ['on the hole’s edge', square, 113.544, 22.195, 'boundary'],
    ['in the L', ell, 0.5, 1.5, 'inside'],
    ['in the L’s notch', ell, 1.5, 1.5, 'outside'],
    ['on the L’s inner corner', ell, 1, 1, 'boundary'],
    ['on the L’s inner edge', ell, 1.5, 1, 'boundary'],
    ['level with a vertex, outside', ell, 3, 1, 'outside'],
  ];
  it.each(cases)('%s', (_name, area, lon, lat, expected) => {
    expect(whereInArea(lon, lat, area)).toBe(expected);
    expect(inArea(lon, lat, area)).toBe(expected !== 'outside');
  });
});

describe('geofence: properties', () => {
  const rect = (x0: number, y0: number, w: number, h: number): GeoPolygon => ({ type: 'Polygon', coordinates: [[[x0, y0], [x0 + w, y0], [x0 + w, y0 + h], [x0, y0 + h], [x0, y0]]] });
  const box = fc.record({ x0: fc.double({ min: -170, max: 170, noNaN: true }), y0: fc.double({ min: -80, max: 80, noNaN: true }), w: fc.double({ min: 0.001, max: 5, noNaN: true }), h: fc.double({ min: 0.001, max: 5, noNaN: true }) });
  it('a point of a rectangle (edges included) is in; a point beyond it is out', () => {
    fc.assert(
      fc.property(box, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), ({ x0, y0, w, h }, u, v) => {
        const area = rect(x0, y0, w, h);
        expect(inArea(x0 + u * w, y0 + v * h, area)).toBe(true);
        expect(inArea(x0 + w + 0.001 + u, y0 + v * h, area)).toBe(false);
        expect(inArea(x0 + u * w, y0 - 0.001 - v, area)).toBe(false);
      }),
    );
  });
  it('every vertex and edge midpoint is on the boundary', () => {
    fc.assert(
      fc.property(box, ({ x0, y0, w, h }) => {
        const area = rect(x0, y0, w, h);
        const ring = area.coordinates[0]!;
        for (let i = 0; i + 1 < ring.length; i++) {
          const [a, b] = [ring[i]!, ring[i + 1]!];
          expect(whereInArea(a[0]!, a[1]!, area)).toBe('boundary');
          expect(whereInArea((a[0]! + b[0]!) / 2, (a[1]! + b[1]!) / 2, area)).toBe('boundary');
        }
      }),
    );
  });
});
