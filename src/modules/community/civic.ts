/**
 * Importing civic grids (网格) from GeoJSON: each feature is placed at its anchor point (station and
 * police grid from org's index), must lie in the importer's jurisdiction, and becomes a new version only
 * when its polygon or name changed. One write for the whole file: all or nothing.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Principal } from '../../core/access.js';
import type { Write } from '../../kernel/write.js';
import { inScope } from './access.js';
import type { CommunityDeps } from './deps.js';
import { invalidField } from './errors.js';
import { anchorOf, bboxOf, importPlan, readCivicGrids, type CivicFeature } from './domain/civic.js';
import { civicGrids } from './schema.js';

export interface PlacedFeature extends CivicFeature {
  stationId: string;
  policeGridId: string | null;
}

/** Reads and places the features (before the write); the first error names its field. */
export async function prepareCivicImport(deps: CommunityDeps, p: Principal, body: unknown): Promise<PlacedFeature[]> {
  const read = readCivicGrids(body);
  if (!read.ok) throw invalidField(read.error.field, read.error.zh, read.error.en);
  const placed: PlacedFeature[] = [];
  for (const [i, f] of read.features.entries()) {
    const [lon, lat] = anchorOf(f.geometry);
    const at = await deps.jurisdiction.locate(lon, lat);
    const station = at ? await deps.jurisdiction.unit(at.stationId) : null;
    if (!at || !station) throw invalidField(`features.${i}.geometry`, '网格不在任何派出所辖区内', 'the grid lies outside every station');
    if (!inScope(p, station.path)) throw invalidField(`features.${i}.geometry`, '网格不在您的辖区内', 'the grid lies outside your jurisdiction');
    placed.push({ ...f, stationId: at.stationId, policeGridId: at.gridId });
  }
  return placed;
}

export async function importCivicIn(w: Write, p: Principal, features: readonly PlacedFeature[], now = new Date()) {
  const codes = features.map((f) => f.code);
  // Current versions locked: two imports of one code queue here (and the partial unique index holds anyway).
  const current = await w.tx
    .select()
    .from(civicGrids)
    .where(and(inArray(civicGrids.code, codes), isNull(civicGrids.validTo)))
    .for('update');
  const plan = importPlan(features, new Map(current.map((c) => [c.code, { version: c.version, geometry: c.polygon, name: c.name }])));
  const counts = { new: 0, changed: 0, unchanged: 0 };
  for (const [i, a] of plan.entries()) {
    counts[a.action]++;
    if (a.action === 'unchanged') continue;
    const f = features[i]!;
    if (a.action === 'changed') await w.tx.update(civicGrids).set({ validTo: now }).where(and(eq(civicGrids.code, f.code), isNull(civicGrids.validTo)));
    const [minLon, minLat, maxLon, maxLat] = bboxOf(f.geometry);
    await w.tx.insert(civicGrids).values({ id: randomUUID(), code: f.code, name: f.name, version: a.version, polygon: f.geometry, minLon, minLat, maxLon, maxLat, stationId: f.stationId, policeGridId: f.policeGridId, validFrom: now, importedBy: p.username });
  }
  w.entity(`civic:${codes.length}`);
  return { ...counts, items: plan };
}
