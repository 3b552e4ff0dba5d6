/**
 * The public map's streets (/public/basemap/{x}_{y}): public, our own road network only (name and class
 * of each line, coordinates to 1e-5°), gzip when asked, an empty cell far away, a bad cell refused.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';

const station = demoOrganisation().find((u) => u.kind === 'station')!;
const [lon, lat] = station.center!;

describe.each(testDrivers())('public basemap on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t?.close());

  it('serves the streets of a cell to anyone, name and class only', async () => {
    const cell = `${Math.floor(lon / 0.02)}_${Math.floor(lat / 0.02)}`;
    const plain = await t.app.inject({ url: `/api/v1/public/basemap/${cell}`, headers: { 'accept-encoding': 'identity' } });
    expect(plain.statusCode).toBe(200);
    const fc = plain.json() as { features: { properties: Record<string, string>; geometry: { coordinates: number[][] } }[] };
    expect(fc.features.length).toBeGreaterThan(10);
    expect(Object.keys(fc.features[0]!.properties).sort()).toEqual(['highway', 'name']);
    for (const [x, y] of fc.features[0]!.geometry.coordinates) expect([Math.round(x! * 1e5) / 1e5, Math.round(y! * 1e5) / 1e5]).toEqual([x, y]);
    const gz = await t.app.inject({ url: `/api/v1/public/basemap/${cell}`, headers: { 'accept-encoding': 'gzip, br' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString())).toEqual(fc);
    expect(gz.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    expect((await t.app.inject({ url: '/api/v1/public/basemap/0_0', headers: { 'accept-encoding': 'identity' } })).json().features).toEqual([]);
    expect((await t.app.inject({ url: '/api/v1/public/basemap/1.5_2' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/public/basemap/99999_0' })).statusCode).toBe(404);
  });
});
