/**
 * Planar geometry on lon/lat rings that production code needs (which station holds a point). Our own
 * rule rather than a library's: a point on an edge shared by two adjacent polygons is in exactly one of
 * them, so the stations and grids of a tiling never both (or neither) claim a call on their border.
 */

/** A GeoJSON Polygon, or its rings (outer first, then holes; open or closed). */
export type PolygonLike = { type?: string; coordinates: number[][][] } | number[][][];

export function ringsOf(polygon: PolygonLike): number[][][] {
  return Array.isArray(polygon) ? polygon : polygon.coordinates;
}

/**
 * Even-odd point-in-polygon (holes honoured). Edge crossings are computed from endpoints in a
 * canonical order, so a point on an edge shared by two adjacent polygons is in exactly one of them.
 */
export function pointInPolygon(lon: number, lat: number, polygon: PolygonLike): boolean {
  let inside = false;
  for (const ring of ringsOf(polygon)) {
    const n = ring.length;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      let a = ring[j];
      let b = ring[i];
      if (a[1] > lat === b[1] > lat) continue;
      if (a[1] > b[1] || (a[1] === b[1] && a[0] > b[0])) [a, b] = [b, a];
      const x = a[0] + ((lat - a[1]) * (b[0] - a[0])) / (b[1] - a[1]);
      if (lon < x) inside = !inside;
    }
  }
  return inside;
}
