/** Small geodesy helpers shared by import, snapping and coverage. */

const EARTH_RADIUS_M = 6_371_008.8;
const DEG = Math.PI / 180;

/** Great-circle distance in metres (haversine; exact enough at street scale). */
export function haversineMeters(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * DEG;
  const dLon = (lon2 - lon1) * DEG;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Equirectangular projection around a reference latitude: metres east/north.
 * Good to well under 1 % over a city, which is all snapping needs.
 */
export class LocalProjection {
  readonly metersPerDegLon: number;
  readonly metersPerDegLat = EARTH_RADIUS_M * DEG;
  constructor(referenceLat: number) {
    this.metersPerDegLon = EARTH_RADIUS_M * DEG * Math.cos(referenceLat * DEG);
  }
  x(lon: number): number {
    return lon * this.metersPerDegLon;
  }
  y(lat: number): number {
    return lat * this.metersPerDegLat;
  }
}

export function isValidLonLat(lon: number, lat: number): boolean {
  return Number.isFinite(lon) && Number.isFinite(lat) && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
}

/** Parses "lon,lat"; returns null when malformed or out of range. */
export function parseLonLat(text: string): { lon: number; lat: number } | null {
  const parts = text.split(',');
  if (parts.length !== 2) return null;
  const lon = Number(parts[0].trim());
  const lat = Number(parts[1].trim());
  if (parts[0].trim() === '' || parts[1].trim() === '' || !isValidLonLat(lon, lat)) return null;
  return { lon, lat };
}
