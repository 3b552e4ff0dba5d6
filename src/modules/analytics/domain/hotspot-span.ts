/**
 * Which hot-spot resolutions a span may ask (issue 16): shared by GET /analytics/hotspots and the web's
 * resolution switch, so the switch never offers what the route refuses. Pure: the web imports it.
 */

/** The street-level resolution (≈ 0.1 km²): the hour cells' own, with no month tier above it. */
export const STREET_RESOLUTION = 9;

/**
 * Resolution 9 is offered for spans of at most this many days (two weeks' street-level view). It has no
 * tier (at 9 an hour's, a day's or a month's cells hardly aggregate: docs/analytics.md), so it reads the
 * hour cells of the whole span and of last year's, about one row per incident: at 8 M incidents a year
 * to date took p95 1,479 ms and four weeks 1.1–1.4 s (≈ 200,000 rows a span), against the 300 ms target.
 * Longer spans use 7 or 8.
 */
export const MAX_STREET_SPAN_DAYS = 14;

/** Days in a span of local days, both ends included (as checkedSpan counts them). */
export function spanDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** May a span of `days` days be asked at `resolution`? */
export const resolutionAllowed = (resolution: number, days: number) => resolution < STREET_RESOLUTION || days <= MAX_STREET_SPAN_DAYS;
