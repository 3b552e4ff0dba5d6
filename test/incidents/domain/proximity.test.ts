import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  distanceMeters,
  isDuplicateCandidate,
  isRepeatLocation,
  rankDuplicates,
  type ProximityIncident,
} from '../../../src/modules/incidents/domain/proximity.js';

const LAT = 22.19;
const LON = 113.54;
/** A point `m` metres north of (LON, LAT). */
const north = (m: number) => LAT + m / ((6_371_008.8 * Math.PI) / 180); // metres per degree of latitude, mean radius
const T0 = new Date('2025-03-17T12:00:00Z').getTime();
const MIN = 60_000;

const base: ProximityIncident = { id: 'new', categoryCode: '02030101', lon: LON, lat: LAT, at: T0 };
const open = (over: Partial<ProximityIncident>): ProximityIncident => ({ id: 'o', categoryCode: '02010102', lon: LON, lat: LAT, at: T0, status: 'dispatched', ...over });

describe('distanceMeters', () => {
  it('haversine', () => {
    expect(distanceMeters([LON, LAT], [LON, LAT])).toBe(0);
    expect(distanceMeters({ lon: LON, lat: LAT }, { lon: LON, lat: north(300) })).toBeCloseTo(300, 6);
    // One degree of longitude at the equator ≈ 111.195 km.
    expect(distanceMeters([0, 0], [1, 0])).toBeCloseTo(111_195, -1);
    fc.assert(
      fc.property(fc.double({ min: 113, max: 114, noNaN: true }), fc.double({ min: 22, max: 23, noNaN: true }), fc.double({ min: 113, max: 114, noNaN: true }), fc.double({ min: 22, max: 23, noNaN: true }), (a, b, c, d) => {
        expect(Math.abs(distanceMeters([a, b], [c, d]) - distanceMeters([c, d], [a, b]))).toBeLessThan(1e-6);
      }),
    );
  });
});

describe('isDuplicateCandidate (300 m / 30 min, inclusive)', () => {
  it('space boundary', () => {
    expect(isDuplicateCandidate(base, open({ lat: north(299.9) }))).toBe(true);
    expect(isDuplicateCandidate(base, open({ lat: north(299.999) }))).toBe(true);
    expect(isDuplicateCandidate(base, open({ lat: north(300.01) }))).toBe(false);
  });
  it('time boundary, either direction', () => {
    expect(isDuplicateCandidate(base, open({ at: T0 - 30 * MIN }))).toBe(true);
    expect(isDuplicateCandidate(base, open({ at: new Date(T0 + 30 * MIN) }))).toBe(true);
    expect(isDuplicateCandidate(base, open({ at: new Date(T0 - 30 * MIN - 1000).toISOString() }))).toBe(false);
  });
  it('same family, open status, has coordinates, not itself', () => {
    expect(isDuplicateCandidate(base, open({ categoryCode: '05010101' }))).toBe(false);
    expect(isDuplicateCandidate(base, open({ status: 'closed' }))).toBe(false);
    expect(isDuplicateCandidate(base, open({ status: 'merged' }))).toBe(false);
    expect(isDuplicateCandidate(base, open({ status: undefined }))).toBe(false);
    for (const s of ['new', 'dispatched', 'en_route', 'on_scene', 'cleared']) expect(isDuplicateCandidate(base, open({ status: s }))).toBe(true);
    expect(isDuplicateCandidate(base, open({ lon: null }))).toBe(false);
    expect(isDuplicateCandidate({ ...base, lat: null }, open({}))).toBe(false);
    expect(isDuplicateCandidate(base, open({ id: 'new' }))).toBe(false);
  });
  it('custom options', () => {
    expect(isDuplicateCandidate(base, open({ lat: north(450), at: T0 + 50 * MIN }), { radiusM: 500, windowMin: 60 })).toBe(true);
  });
});

describe('repeat locations and ranking', () => {
  it('≥ 3 within 100 m in 30 days', () => {
    expect(isRepeatLocation(2)).toBe(false);
    expect(isRepeatLocation(3)).toBe(true);
    expect(isRepeatLocation(10)).toBe(true);
  });

  it('ranks closest in space and time first, drops non-candidates', () => {
    const list = [
      open({ id: 'far-late', lat: north(280), at: T0 - 25 * MIN }),
      open({ id: 'near-now', lat: north(20), at: T0 - 1 * MIN }),
      open({ id: 'near-late', lat: north(20), at: T0 - 20 * MIN }),
      open({ id: 'mid', lat: north(150), at: T0 - 5 * MIN }),
      open({ id: 'closed', status: 'closed' }),
      open({ id: 'other-family', categoryCode: '03010102' }),
    ];
    const ranked = rankDuplicates(base, list);
    expect(ranked.map((r) => r.incident.id)).toEqual(['near-now', 'mid', 'near-late', 'far-late']);
    expect(ranked[0].distanceM).toBeCloseTo(20, 3);
    expect(ranked[0].minutesApart).toBeCloseTo(1, 6);
    expect(ranked.every((r, i) => i === 0 || ranked[i - 1].score <= r.score)).toBe(true);
  });
});
