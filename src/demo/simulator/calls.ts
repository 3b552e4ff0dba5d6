/**
 * Where the simulator's calls come from: a pool of plausible incidents drawn from the demo history
 * generator (history-generator.ts: category mix by hour, descriptions, hot spots, priorities,
 * dispositions, on-scene times), and a Poisson arrival process whose hourly rate follows the same
 * daily and weekly rhythm, measured on that pool. Pure: no I/O, no clock, seeded.
 */
import { generateDemoHistory, type DemoIncident, type DemoRoadPoint } from '../history-generator.js';
import { localParts } from '../../modules/incidents/index.js';
import type { DispositionCode } from '../../modules/incidents/index.js';
import type { IncidentSource } from '../../modules/incidents/index.js';
import type { Priority } from '../../modules/incidents/index.js';

/** One call to place: what intake records, and how the simulated field work will end. */
export interface SimCall {
  source: IncidentSource;
  categoryCode: string;
  priority: Priority;
  description: string;
  address: string;
  location: { lon: number; lat: number };
  caller: { name?: string; phone?: string } | null;
  /** Seconds from the call starting to being answered, and from answer to recorded. */
  answerSeconds: number;
  intakeSeconds: number;
  /** Closed at intake without dispatch (invalid call D07, advice on the phone D04). */
  quickClose: DispositionCode | null;
  /** Disposition given when the unit clears. */
  dispositionCode: DispositionCode;
  /** How long the unit stays on scene (simulated seconds). */
  onSceneSeconds: number;
}

/** A GeoJSON road layer (RoadService.toGeoJSON() or GET /api/v1/roads). */
export interface RoadLines {
  features: { properties?: { name?: string | null } | null; geometry: { type: string; coordinates: unknown } }[];
}

/** Points along the roads (every third vertex) with the road's name, for placing incidents and patrols. */
export function roadPointsFromGeoJSON(fc: RoadLines): DemoRoadPoint[] {
  const pts: DemoRoadPoint[] = [];
  for (const f of fc.features) {
    const name = typeof f.properties?.name === 'string' ? f.properties.name : '';
    const lines = (f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.type === 'MultiLineString' ? f.geometry.coordinates : []) as number[][][];
    for (const line of lines) for (let i = 0; i < line.length; i += 3) pts.push(name ? [line[i][0], line[i][1], name] : [line[i][0], line[i][1]]);
  }
  return pts;
}

/** Days of history generated for the pool: eight weeks give each hour of the day ~200 calls. */
const POOL_DAYS = 56;
const DEFAULT_PER_DAY = 90;

export interface CallGeneratorOptions {
  seed: number;
  roadPoints: readonly DemoRoadPoint[];
  /** Average calls per day at rate 1 (default 90, the demo city). */
  perDay?: number;
  /** Anchor of the generated pool (any instant; only local hours and weekdays matter). */
  anchor?: Date;
}

export class CallGenerator {
  /** Pool items by local hour of the day. */
  private readonly byHour: DemoIncident[][] = Array.from({ length: 24 }, () => []);
  /** Calls per simulated second for each weekday (0 = Sunday) and hour, at rate 1. */
  private readonly ratePerSecond: Float64Array = new Float64Array(7 * 24);
  readonly poolSize: number;

  constructor(
    private readonly opts: CallGeneratorOptions,
    private readonly rnd: () => number,
  ) {
    if (opts.roadPoints.length === 0) throw new Error('simulator: the road network has no points');
    const perDay = opts.perDay ?? DEFAULT_PER_DAY;
    const anchor = opts.anchor ?? new Date(Date.UTC(2025, 0, 1));
    // The generator needs a station to attach calls to; the server locates them again on intake.
    const [lon, lat] = opts.roadPoints[0];
    const history = generateDemoHistory({
      seed: opts.seed,
      now: anchor,
      days: POOL_DAYS,
      perDay: DEFAULT_PER_DAY,
      stations: [{ code: 'SIM', id: 'SIM', polygon: null, center: [lon, lat] }],
      grids: [],
      roadPoints: opts.roadPoints,
    });
    // Transfers to 12345/119/120 are not police work for the map: left out of the pool and the rate.
    const kept = history.filter((h) => h.status !== 'transferred');
    this.poolSize = kept.length;
    const byHour = new Float64Array(24);
    const byWeekday = new Float64Array(7);
    for (const h of kept) {
      const p = localParts(h.callStartedAt);
      this.byHour[p.hour].push(h);
      byHour[p.hour]++;
      byWeekday[p.weekday]++;
    }
    const total = kept.length || 1;
    // Rate(h, wd) = calls per day × hour share × weekday factor, spread over the hour.
    for (let wd = 0; wd < 7; wd++) {
      const weekdayFactor = byWeekday[wd] / (total / 7) || 1;
      for (let h = 0; h < 24; h++) this.ratePerSecond[wd * 24 + h] = (perDay * (byHour[h] / total) * weekdayFactor) / 3600;
    }
    for (let h = 0; h < 24; h++) if (this.byHour[h].length === 0) this.byHour[h] = kept.length ? kept : history;
  }

  /** Expected calls per simulated second at this instant (rate 1). */
  rateAt(at: number): number {
    const p = localParts(at);
    return this.ratePerSecond[p.weekday * 24 + p.hour];
  }

  /** Expected calls per day at rate 1 (for the status line and docs). */
  get perDay(): number {
    return this.opts.perDay ?? DEFAULT_PER_DAY;
  }

  /** Number of arrivals in `seconds` simulated seconds starting at `at` (Poisson), times `rate`. */
  arrivals(at: number, seconds: number, rate: number): number {
    const mean = this.rateAt(at) * seconds * rate;
    return poisson(mean, this.rnd);
  }

  /** A call as it would come in at this instant (category mix and places of that hour). */
  next(at: number): SimCall {
    const bucket = this.byHour[localParts(at).hour];
    const h = bucket[Math.floor(this.rnd() * bucket.length)];
    const between = (a: number, b: number) => a + (b - a) * this.rnd();
    const dispatched = h.dispatchedAt !== null;
    const quickClose = !dispatched && h.status === 'closed' ? (h.dispositionCode ?? 'D07') : null;
    const onSceneSeconds = h.onSceneAt && h.clearedAt ? (h.clearedAt.getTime() - h.onSceneAt.getTime()) / 1000 : between(10, 45) * 60;
    return {
      source: h.source,
      categoryCode: h.categoryCode,
      priority: h.priority,
      description: h.description,
      address: h.addressText,
      location: { lon: h.lon, lat: h.lat },
      caller: h.callerPhone || h.callerName ? { ...(h.callerName ? { name: h.callerName } : {}), ...(h.callerPhone ? { phone: h.callerPhone } : {}) } : null,
      answerSeconds: (h.answeredAt.getTime() - h.callStartedAt.getTime()) / 1000,
      intakeSeconds: (h.recordedAt.getTime() - h.answeredAt.getTime()) / 1000,
      quickClose: quickClose === 'D04' || quickClose === 'D07' ? quickClose : quickClose ? 'D07' : null,
      dispositionCode: h.dispositionCode && h.dispositionCode !== 'D06' && h.dispositionCode !== 'D08' ? h.dispositionCode : 'D04',
      onSceneSeconds: Math.min(3600, Math.max(600, onSceneSeconds)),
    };
  }
}

/** Poisson variate (Knuth for small means, normal approximation above 30). */
export function poisson(mean: number, rnd: () => number): number {
  if (!(mean > 0)) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(rnd)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rnd();
  while (p > limit) {
    k++;
    p *= rnd();
  }
  return k;
}

function gaussian(rnd: () => number): number {
  const u = Math.max(1e-12, rnd());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}
