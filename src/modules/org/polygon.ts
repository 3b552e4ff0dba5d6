/** Validation of GeoJSON polygons given by administrators. */
import { AppError } from '../../core/errors.js';

function bad(field: string, detail: string): never {
  throw new AppError(400, 'invalid_value', { field, detail }, field);
}

function checkRing(ring: unknown, field: string) {
  if (!Array.isArray(ring) || ring.length < 4) bad(field, 'a ring needs at least 4 positions');
  for (const pos of ring) {
    if (!Array.isArray(pos) || pos.length < 2 || typeof pos[0] !== 'number' || typeof pos[1] !== 'number') bad(field, 'a position is [lon, lat]');
    if (Math.abs(pos[0]) > 180 || Math.abs(pos[1]) > 90) bad(field, 'longitude within ±180, latitude within ±90');
  }
  const a = ring[0] as number[];
  const z = ring[ring.length - 1] as number[];
  if (a[0] !== z[0] || a[1] !== z[1]) bad(field, 'a ring must be closed (first position = last)');
}

export function validatePolygon(geom: unknown, field: string) {
  const g = geom as { type: string; coordinates: unknown[] };
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const poly of polygons) {
    if (!Array.isArray(poly) || poly.length < 1) bad(field, 'a polygon needs at least one ring');
    for (const ring of poly) checkRing(ring, field);
  }
}
