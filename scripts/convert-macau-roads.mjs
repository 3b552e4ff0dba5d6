#!/usr/bin/env node
// One-off conversion of the demo city's road data (../shared/data/osm/macau_roads.json, [lat, lon] order)
// into a GeoJSON road layer ([lon, lat], OSM-style properties) kept in assets/macau/roads.geojson.
// Data © OpenStreetMap contributors, ODbL 1.0 — see assets/macau/README.md.
import fs from 'node:fs';
const src = process.argv[2] ?? '../shared/data/osm/macau_roads.json';
const out = process.argv[3] ?? 'assets/macau/roads.geojson';
const roads = JSON.parse(fs.readFileSync(src, 'utf8'));
const round = (x) => Math.round(x * 1e7) / 1e7;
const features = roads.map((r) => {
  // `reversed` marks ways whose lanes run against the stored point order (OSM oneway=-1).
  const oneway = r.oneway ? (r.reversed ? '-1' : 'yes') : 'no';
  const [zh, ...pt] = String(r.name ?? '').split(' ');
  const props = { id: r.id, name: r.name ?? '', name_zh: zh, name_pt: pt.join(' '), highway: r.highway, oneway };
  if (r.junction) props.junction = r.junction;
  return { type: 'Feature', properties: props, geometry: { type: 'LineString', coordinates: r.path.map(([lat, lon]) => [round(lon), round(lat)]) } };
});
const fc = { type: 'FeatureCollection', attribution: '© OpenStreetMap contributors, ODbL 1.0', features };
fs.writeFileSync(out, JSON.stringify(fc));
console.log(`wrote ${features.length} road features to ${out}`);
