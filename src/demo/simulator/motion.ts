/** Driving along a road route: position, heading and speed at a simulated instant. Pure. */

export interface LonLat {
  lon: number;
  lat: number;
}

/** A road route as the road service gives it (RoadService.route, GET /roads/eta?route=0). */
export interface SimRoute {
  seconds: number;
  meters: number;
  coordinates: [number, number][];
}

export interface PathPoint {
  lon: number;
  lat: number;
  /** Degrees from north. */
  heading: number;
  /** km/h (0 once arrived). */
  speed: number;
  done: boolean;
  /** Metres travelled along the path. */
  travelled: number;
}

const M_PER_DEG_LAT = 110_574;
const mPerDegLon = (lat: number) => 111_320 * Math.cos((lat * Math.PI) / 180);

/** Metres between two points (equirectangular: exact enough at street scale). */
export function metres(a: LonLat, b: LonLat): number {
  const dx = (b.lon - a.lon) * mPerDegLon((a.lat + b.lat) / 2);
  const dy = (b.lat - a.lat) * M_PER_DEG_LAT;
  return Math.sqrt(dx * dx + dy * dy);
}

function bearing(a: LonLat, b: LonLat): number {
  const dx = (b.lon - a.lon) * mPerDegLon((a.lat + b.lat) / 2);
  const dy = (b.lat - a.lat) * M_PER_DEG_LAT;
  const deg = (Math.atan2(dx, dy) * 180) / Math.PI;
  return Math.round(((deg % 360) + 360) % 360);
}

/**
 * A unit driving a polyline from `startAt` (simulated seconds) for `seconds`, at constant speed along
 * the geometry (the route's time spread evenly over its length).
 */
export class Path {
  readonly coords: [number, number][];
  private readonly cum: Float64Array;
  readonly length: number;
  readonly seconds: number;
  readonly endAt: number;

  constructor(
    coords: [number, number][],
    seconds: number,
    readonly startAt: number,
  ) {
    this.coords = coords.length ? coords : [[0, 0]];
    this.cum = new Float64Array(this.coords.length);
    for (let i = 1; i < this.coords.length; i++) {
      this.cum[i] = this.cum[i - 1] + metres({ lon: this.coords[i - 1][0], lat: this.coords[i - 1][1] }, { lon: this.coords[i][0], lat: this.coords[i][1] });
    }
    this.length = this.cum[this.coords.length - 1];
    this.seconds = Math.max(1, seconds);
    this.endAt = startAt + this.seconds;
  }

  /** A route driven at `slowdown` × its road time (patrols drive slower than a response). */
  static fromRoute(route: SimRoute, startAt: number, slowdown = 1): Path {
    return new Path(route.coordinates, route.seconds * slowdown, startAt);
  }

  /** A straight line at `kmh` (when no road route exists). */
  static straight(from: LonLat, to: LonLat, startAt: number, kmh = 20): Path {
    return new Path(
      [
        [from.lon, from.lat],
        [to.lon, to.lat],
      ],
      metres(from, to) / (kmh / 3.6),
      startAt,
    );
  }

  get end(): LonLat {
    const c = this.coords[this.coords.length - 1];
    return { lon: c[0], lat: c[1] };
  }

  at(t: number): PathPoint {
    const f = Math.min(1, Math.max(0, (t - this.startAt) / this.seconds));
    const d = f * this.length;
    const n = this.coords.length;
    if (n === 1 || this.length === 0) return { lon: this.coords[n - 1][0], lat: this.coords[n - 1][1], heading: 0, speed: 0, done: f >= 1, travelled: 0 };
    // Binary search for the segment holding d.
    let lo = 1;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid] < d) lo = mid + 1;
      else hi = mid;
    }
    const a = this.coords[lo - 1];
    const b = this.coords[lo];
    const seg = this.cum[lo] - this.cum[lo - 1];
    const g = seg > 0 ? (d - this.cum[lo - 1]) / seg : 1;
    const done = f >= 1;
    return {
      lon: a[0] + (b[0] - a[0]) * g,
      lat: a[1] + (b[1] - a[1]) * g,
      heading: bearing({ lon: a[0], lat: a[1] }, { lon: b[0], lat: b[1] }),
      speed: done ? 0 : Math.round((this.length / this.seconds) * 3.6 * 10) / 10,
      done,
      travelled: d,
    };
  }
}
