/**
 * Browser test of the dispatcher's map (#11.10, #11.11): labels drawn from our own data with fonts
 * served by our own origin (street names at street zoom, unit call signs, incident numbers, station
 * names), water a different colour from land, and duplicates at one address drawn as one cluster
 * with their count.
 *
 * The map object is reached through its canvas container (`swMap`, set by MapView for tests).
 */
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAVE_CHROMIUM, CI, demoServerAndBrowser, newPage, signIn, mapReady, call } from './browser.js';

interface UnitRow {
  id: string;
  callSign: string;
  status: string;
  home: [number, number];
}
interface CatNode {
  code: string;
  name: string;
  leaf: boolean;
  children: CatNode[];
}

/** Properties of the features of these layers drawn on screen now (only layers the style has). */
const rendered = (page: Page, layer: string) =>
  page.evaluate((l) => {
    const m = (document.querySelector('[data-testid="dispatch-map"] .sw-map-canvas') as unknown as { swMap?: import('maplibre-gl').Map })?.swMap;
    if (!m || !m.getLayer(l)) return [];
    return m.queryRenderedFeatures({ layers: [l] }).map((f) => f.properties as Record<string, unknown>);
  }, layer);

const jump = (page: Page, lon: number, lat: number, zoom: number) =>
  page.evaluate(
    ([x, y, z]) => {
      const m = (document.querySelector('[data-testid="dispatch-map"] .sw-map-canvas') as unknown as { swMap: import('maplibre-gl').Map }).swMap;
      m.jumpTo({ center: [x, y], zoom: z });
    },
    [lon, lat, zoom] as const,
  );

/** The colour of one screen pixel at a map point (a 1×1 PNG: no neighbours, so the filter adds nothing). */
async function pixelAt(page: Page, lon: number, lat: number): Promise<[number, number, number]> {
  const box = await page.getByTestId('dispatch-map').boundingBox();
  const p = await page.evaluate(
    ([x, y]) => (document.querySelector('[data-testid="dispatch-map"] .sw-map-canvas') as unknown as { swMap: import('maplibre-gl').Map }).swMap.project([x, y]),
    [lon, lat] as const,
  );
  const png = await page.screenshot({ clip: { x: box!.x + p.x, y: box!.y + p.y, width: 1, height: 1 } });
  let off = 8;
  const idat: Buffer[] = [];
  let colourType = 6;
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.toString('ascii', off + 4, off + 8);
    if (type === 'IHDR') colourType = png[off + 8 + 9];
    if (type === 'IDAT') idat.push(png.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  expect([2, 6]).toContain(colourType);
  return [raw[1], raw[2], raw[3]];
}

describe.skipIf(!HAVE_CHROMIUM && !CI)('dispatch map: labels, water, clusters', { retry: 1 }, () => {
  const env = demoServerAndBrowser('dispatch-map');
  // A retry runs on the same server: its calls go to other points, or its single incident would share a
  // point with the first try's and be drawn as a cluster of two.
  let attempt = 0;

  it('labels streets, units, incidents and stations from our own data, colours water, clusters duplicates with a count', async () => {
    const { page } = await newPage(env);
    await signIn(page, env.url, 'dispatcher');

    const units = (await call<{ items: UnitRow[] }>(page, 'GET', '/api/v1/units')).data.items;
    const unit = units.find((u) => u.id === 'MO0101-2')!;
    await expect.poll(async () => (await call<UnitRow>(page, 'GET', '/api/v1/units/MO0101-2')).data.status, { timeout: 30_000 }).toBe('available');
    expect((await call(page, 'POST', '/api/v1/units/MO0101-2/position', { lon: unit.home[0], lat: unit.home[1] })).status).toBe(202);

    const cats = (await call<{ items: CatNode[] }>(page, 'GET', '/api/v1/categories')).data.items;
    const find = (nodes: CatNode[], name: string): CatNode | undefined => {
      for (const n of nodes) {
        if (n.leaf && n.name === name) return n;
        const hit = find(n.children ?? [], name);
        if (hit) return hit;
      }
      return undefined;
    };
    const fight = find(cats, '持械斗殴')!;
    // Four P1 calls about one fight at one address, and one call elsewhere.
    const side = attempt++ % 2 === 0 ? 1 : -1;
    const dup = { lon: unit.home[0] + side * 0.002, lat: unit.home[1] + 0.002 };
    for (let n = 0; n < 4; n++) {
      const r = await call(page, 'POST', '/api/v1/incidents', { source: 'call110', categoryCode: fight.code, priority: 'P1', location: dup, address: '同一地址', description: `重复报警 ${n + 1}` });
      expect(r.status, JSON.stringify(r.data)).toBe(201);
    }
    const single = await call<{ number: string }>(page, 'POST', '/api/v1/incidents', {
      source: 'call110',
      categoryCode: fight.code,
      priority: 'P2',
      priorityReason: '测试',
      location: { lon: unit.home[0] - side * 0.002, lat: unit.home[1] - 0.0015 },
      description: '单独一起',
    });
    expect(single.status).toBe(201);

    await page.getByTestId('nav-dispatch').click();
    await page.getByTestId('page-dispatch').waitFor();
    await mapReady(page, 'dispatch-map', 600);

    // The label font comes from our own origin (no external glyph service).
    const fonts = await page.evaluate(() => {
      const m = (document.querySelector('[data-testid="dispatch-map"] .sw-map-canvas') as unknown as { swMap: import('maplibre-gl').Map }).swMap;
      const s = m.getStyle() as { glyphs?: string; 'font-faces'?: Record<string, string | { url: string }[]> };
      const urls = Object.values(s['font-faces'] ?? {}).flatMap((v) => (typeof v === 'string' ? [v] : v.map((f) => f.url)));
      return { glyphs: s.glyphs ?? null, urls: urls.map((u) => new URL(u, location.href).href), origin: location.origin };
    });
    expect(fonts.urls.length, 'the style declares its label font').toBeGreaterThan(0);
    for (const u of fonts.urls) {
      expect(u.startsWith(fonts.origin), u).toBe(true);
      expect((await page.request.get(u)).status(), u).toBe(200);
    }
    if (fonts.glyphs) expect(new URL(fonts.glyphs.replace('{fontstack}', 'x').replace('{range}', '0-255'), env.url).origin).toBe(new URL(env.url).origin);

    // Street level around the unit: street names, the unit's call sign, the single incident's number.
    await jump(page, unit.home[0], unit.home[1], 16.5);
    await mapReady(page, 'dispatch-map', 800);
    await expect.poll(async () => (await rendered(page, 'road-labels')).length, { timeout: 30_000, message: 'street names at zoom 16.5' }).toBeGreaterThan(0);
    await expect.poll(async () => (await rendered(page, 'd-units-label')).map((p) => p.callSign), { timeout: 30_000 }).toContain(unit.callSign);
    await expect.poll(async () => (await rendered(page, 'd-inc-label')).map((p) => p.number), { timeout: 30_000 }).toContain(single.data.number);
    // The four duplicates: one cluster that says 4 (at any zoom: they share one point).
    await expect.poll(async () => (await rendered(page, 'd-inc-cluster-count')).map((p) => p.point_count), { timeout: 30_000 }).toContain(4);
    // For a look by eye (not the docs' screenshots).
    await page.screenshot({ path: path.join(os.tmpdir(), 'sw-dispatch-map-street.png') });

    // City level: station names; street names of minor roads are not drawn.
    await jump(page, 113.555, 22.16, 12.5);
    await mapReady(page, 'dispatch-map', 800);
    await expect.poll(async () => (await rendered(page, 'place-labels')).map((p) => String(p.name)), { timeout: 30_000 }).toContainEqual(expect.stringMatching(/派出所$/));
    expect((await rendered(page, 'road-labels')).filter((p) => p.highway === 'residential')).toEqual([]);
    await page.screenshot({ path: path.join(os.tmpdir(), 'sw-dispatch-map-city.png') });

    // Water and land differ: the sea between the peninsula and Taipa against a street of the old town.
    await jump(page, 113.55, 22.18, 14);
    await mapReady(page, 'dispatch-map', 800);
    const sea = await pixelAt(page, 113.556, 22.178);
    const land = await pixelAt(page, 113.5435, 22.1925);
    expect(sea[2], `sea ${sea} should be bluer than land ${land}`).toBeGreaterThan(sea[0] + 15);
    expect(Math.abs(sea[0] - land[0]) + Math.abs(sea[1] - land[1]) + Math.abs(sea[2] - land[2])).toBeGreaterThan(40);
    expect(env.pageErrors).toEqual([]);
  });
});
