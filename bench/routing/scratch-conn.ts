import { loadGraphFile } from '../../src/modules/roads/import.js';
import { RoadService } from '../../src/modules/roads/service.js';
const g = loadGraphFile('/tmp/rt/macau.graph');
const s = new RoadService(g);
const srcs = Array.from({ length: 300 }, (_, i) => ({ lon: g.vertexLon[i * 7], lat: g.vertexLat[i * 7] }));
for (const t of [{ lon: 113.5466, lat: 22.1262 }, { lon: 113.5560, lat: 22.1465 }, { lon: 113.5430, lat: 22.1930 }]) {
  const r = s.etaManyToOne(t, srcs);
  console.log(t, r.target?.edge, g.edgeFlags[r.target!.edge], r.seconds.filter((x) => x !== null).length);
  const r2 = s.etaManyToOne(srcs[5], [t]);
  console.log(' from it:', r2.seconds);
}
