/**
 * The frozen content of a report (stored as JSON; its canonical form is hashed): a weekly report (an ISO
 * week) or a period report (any span of whole days). Format 1 throughout: the hot spots were added later
 * as an optional part, so the reports stored before them still read and render (without that section).
 */
import type { ReportHotCell } from '../../analytics/index.js';

export interface SpanMeasure {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  from: string;
  to: string;
}

/** One KPI for the week, judged against last year's fair span as GET /kpis/values judges it. */
export interface HeadlineFigure {
  id: string;
  version: number;
  zh: string;
  en: string;
  unit: string;
  better: string;
  current: SpanMeasure;
  previous: SpanMeasure | null;
  rule: string | null;
  change: number | null;
  pct: number | null;
  z: number | null;
  significant: boolean;
  direction: 'up' | 'down' | 'same';
}

export interface FamilyRow {
  family: string;
  zh: string;
  en: string;
  current: number;
  previous: number;
  change: number;
  pct: number | null;
  z: number;
  significant: boolean;
  direction: 'up' | 'down' | 'same';
}

export interface NotableRow {
  number: string;
  categoryCode: string;
  categoryName: string;
  family: string;
  stationId: string;
  stationName: string;
  recordedAt: string;
  status: string;
  intervals: { answer: number | null; intake: number | null; dispatch: number | null; travel: number | null; response: number | null };
}

/**
 * One hot spot (an H3 cell) of the span against the same cell last year, judged as GET /analytics/hotspots
 * judges it (analytics' ReportHotCell: count, previous, the Poisson verdict, centre and main station),
 * with the station's name at the time of the report.
 */
export type HotSpotRow = ReportHotCell & { stationName: string };

export interface HotSpotSection {
  /** H3 resolution of the cells (8 ≈ 0.7 km²). */
  resolution: number;
  /** Cells with incidents in the span; the busiest `cells.length` are listed. */
  total: number;
  cells: HotSpotRow[];
}

interface SnapshotBase {
  format: 1;
  from: string;
  to: string;
  timeZone: string;
  /**
   * Last year's span the figures are compared with, and the rule that chose it; `cut` when the span holds
   * today: both spans end at the same time of day (instants), taken from the data, not the clock.
   */
  compare: { from: string; to: string; rule: string; cut?: { current: string; previous: string } };
  unit: { id: string; name: string; kind: string };
  /** The last change to the data the report reads (the span's and last year's incidents); the span's end when none. */
  asOf: string;
  headline: HeadlineFigure[];
  families: FamilyRow[];
  /** Incidents by weekday (0 Sunday … 6 Saturday) × local hour. */
  heat: number[][];
  /** P1 incidents of the span (no personal data); `notableTotal` counts them all when the list is cut. */
  notable: NotableRow[];
  notableTotal: number;
  /** Absent in the reports stored before hot spots were added. */
  hotspots?: HotSpotSection;
}

export interface WeeklySnapshot extends SnapshotBase {
  kind: 'weekly';
  /** ISO week label, '2026-W48'. */
  week: string;
}

export interface PeriodSnapshot extends SnapshotBase {
  kind: 'period';
  /** '2026-11-01~2026-11-30'. */
  label: string;
}

export type ReportSnapshot = WeeklySnapshot | PeriodSnapshot;
export type ReportKind = ReportSnapshot['kind'];

/** What a report covers: its kind, its label (the ISO week or the period's days) and its days. */
export interface ReportSpan {
  kind: ReportKind;
  label: string;
  from: string;
  to: string;
}

export const labelOfSnapshot = (s: ReportSnapshot) => (s.kind === 'weekly' ? s.week : s.label);
