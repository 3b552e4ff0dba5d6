/**
 * Renders the generated demo organisation (roads + station polygons + grid outlines) to
 * tmp/demo-org.svg. Usage: node bin/run-ts.mjs scripts/render-demo-org.mts [seed]
 * Convert to PNG with e.g. `rsvg-convert -w 1600 tmp/demo-org.svg -o tmp/demo-org.png`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { demoOrganisation, loadDemoRoads } from '../src/demo/city.js';

const seed = process.argv[2] ? Number(process.argv[2]) : 110;
const units = demoOrganisation(seed);
const roads = loadDemoRoads();
const bureau = units.find((u) => u.kind === 'bureau')!;

let minLon = Infinity, maxLon = -Infinity, minLat = Infinity, maxLat = -Infinity; // prettier-ignore
for (const [lon, lat] of bureau.polygon!.coordinates[0]) {
  minLon = Math.min(minLon, lon);
  maxLon = Math.max(maxLon, lon);
  minLat = Math.min(minLat, lat);
  maxLat = Math.max(maxLat, lat);
}
const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
const W = 1400;
const scale = W / ((maxLon - minLon) * kx);
const H = Math.ceil((maxLat - minLat) * scale);
const pad = 20;
const X = (lon: number) => (pad + (lon - minLon) * kx * scale).toFixed(1);
const Y = (lat: number) => (pad + (maxLat - lat) * scale).toFixed(1);
const path = (ring: number[][]) => 'M' + ring.map(([lon, lat]) => `${X(lon)},${Y(lat)}`).join('L') + 'Z';

const palette = ['#e6194b', '#3cb44b', '#ffe119', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6', '#bcf60c', '#fabebe', '#008080', '#e6beff'];
const out: string[] = [];
out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W + 2 * pad}" height="${H + 2 * pad}" font-family="Noto Sans CJK SC, sans-serif">`);
out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
units
  .filter((u) => u.kind === 'station')
  .forEach((u, i) => {
    out.push(`<path d="${path(u.polygon!.coordinates[0])}" fill="${palette[i % palette.length]}" fill-opacity="0.25" stroke="none"/>`);
  });
for (const u of units.filter((u) => u.kind === 'grid')) {
  out.push(`<path d="${path(u.polygon!.coordinates[0])}" fill="none" stroke="#555" stroke-width="0.8" stroke-dasharray="4 3"/>`);
}
for (const f of roads.features) {
  if (f.geometry.type !== 'LineString') continue;
  const c = f.geometry.coordinates as number[][];
  out.push(`<path d="M${c.map(([lon, lat]) => `${X(lon)},${Y(lat)}`).join('L')}" fill="none" stroke="#333" stroke-width="0.7"/>`);
}
for (const u of units.filter((u) => u.kind === 'station')) {
  out.push(`<path d="${path(u.polygon!.coordinates[0])}" fill="none" stroke="#000" stroke-width="2.2"/>`);
}
for (const u of units.filter((u) => u.kind === 'branch')) {
  out.push(`<path d="${path(u.polygon!.coordinates[0])}" fill="none" stroke="#c00" stroke-width="4" stroke-opacity="0.7"/>`);
}
for (const u of units.filter((u) => u.kind === 'grid')) {
  const [lon, lat] = u.center!;
  out.push(`<circle cx="${X(lon)}" cy="${Y(lat)}" r="3" fill="#0070f0"/>`);
}
for (const u of units.filter((u) => u.kind === 'station')) {
  const [lon, lat] = u.center!;
  out.push(`<circle cx="${X(lon)}" cy="${Y(lat)}" r="6" fill="#d00" stroke="#fff" stroke-width="1.5"/>`);
  out.push(`<text x="${X(lon)}" y="${(Number(Y(lat)) - 10).toFixed(1)}" font-size="16" text-anchor="middle" stroke="#fff" stroke-width="3" paint-order="stroke">${u.code} ${u.name}</text>`);
}
for (const u of units.filter((u) => u.kind === 'branch')) {
  const [lon, lat] = u.center!;
  out.push(`<text x="${X(lon)}" y="${(Number(Y(lat)) + 28).toFixed(1)}" font-size="22" fill="#c00" text-anchor="middle" stroke="#fff" stroke-width="3" paint-order="stroke">${u.code} ${u.name}</text>`);
}
out.push('</svg>');
mkdirSync(new URL('../tmp/', import.meta.url), { recursive: true });
const file = new URL('../tmp/demo-org.svg', import.meta.url);
writeFileSync(file, out.join('\n'));
console.log(`wrote ${file.pathname} (${units.length} units, seed ${seed})`);
