/**
 * One number per (measure, priority, bucket): the packed interval rollup (migration 0033) keeps an hour's
 * or a day's histograms as two arrays, keys and counts, one row per station-hour or unit-day instead of
 * one row per bucket — at city scale the row-per-bucket tier held 22 rows for every incident. Pure.
 *
 *   key = measure index × 8192 + priority index × 1024 + bucket   (buckets < 1024: domain/histogram.ts)
 *
 * Priorities outside P1…P4 share index 7 ('other'): they count in every "all" figure, never by priority.
 */
import { BUCKET_COUNT } from './histogram.js';

/** In this order, for ever: a key's measure is its index here (stored keys depend on it). */
export const KEYED_MEASURES = ['answer', 'intake', 'dispatch', 'travel', 'response', 'on_scene'] as const;
export const KEYED_PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export const OTHER_PRIORITY = 'other';
const OTHER_INDEX = 7;
const MEASURE_STRIDE = 8192;
const PRIORITY_STRIDE = 1024;

if (BUCKET_COUNT > PRIORITY_STRIDE) throw new Error('histogram buckets no longer fit a packed interval key');

export interface IntervalKey {
  measure: (typeof KEYED_MEASURES)[number];
  priority: string;
  bucket: number;
}

export function encodeKey(measure: string, priority: string, bucket: number): number {
  const m = KEYED_MEASURES.indexOf(measure as IntervalKey['measure']);
  if (m < 0) throw new RangeError(`no measure ${measure}`);
  if (!Number.isInteger(bucket) || bucket < 0 || bucket >= BUCKET_COUNT) throw new RangeError(`no bucket ${bucket}`);
  const p = KEYED_PRIORITIES.indexOf(priority as (typeof KEYED_PRIORITIES)[number]);
  return m * MEASURE_STRIDE + (p < 0 ? OTHER_INDEX : p) * PRIORITY_STRIDE + bucket;
}

export function decodeKey(key: number): IntervalKey {
  const measure = KEYED_MEASURES[Math.floor(key / MEASURE_STRIDE)];
  const p = Math.floor((key % MEASURE_STRIDE) / PRIORITY_STRIDE);
  const bucket = key % PRIORITY_STRIDE;
  if (!measure || bucket >= BUCKET_COUNT || (p >= KEYED_PRIORITIES.length && p !== OTHER_INDEX)) throw new RangeError(`no interval key ${key}`);
  return { measure, priority: KEYED_PRIORITIES[p] ?? OTHER_PRIORITY, bucket };
}

/** The key in SQL from a measure index, a priority column and a bucket expression (the recounter's). */
export function keySql(measureIndex: string, priority: string, bucket: string): string {
  const p = `case ${priority} ${KEYED_PRIORITIES.map((x, i) => `when '${x}' then ${i}`).join(' ')} else ${OTHER_INDEX} end`;
  return `(${measureIndex} * ${MEASURE_STRIDE} + (${p}) * ${PRIORITY_STRIDE} + ${bucket})`;
}

/** SQL predicates on a key column: its measure among `measures`, its priority `priority`. */
export function keyFilterSql(key: string, measures?: readonly string[], priority?: string): string[] {
  const out: string[] = [];
  if (measures) out.push(`(${key} / ${MEASURE_STRIDE}) in (${measures.map((m) => KEYED_MEASURES.indexOf(m as IntervalKey['measure'])).join(', ') || '-1'})`);
  if (priority !== undefined) {
    const p = KEYED_PRIORITIES.indexOf(priority as (typeof KEYED_PRIORITIES)[number]);
    out.push(`((${key} % ${MEASURE_STRIDE}) / ${PRIORITY_STRIDE}) = ${p < 0 ? OTHER_INDEX : p}`);
  }
  return out;
}
