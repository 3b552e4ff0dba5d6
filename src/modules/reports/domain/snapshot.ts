/** The frozen content of a weekly report (stored as JSON; its canonical form is hashed). */

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

export interface WeeklySnapshot {
  format: 1;
  kind: 'weekly';
  week: string;
  from: string;
  to: string;
  timeZone: string;
  /** Last year's span the figures are compared with, and the rule that chose it. */
  compare: { from: string; to: string; rule: string };
  unit: { id: string; name: string; kind: string };
  /** The last change to the data the report reads (the week's and last year's incidents); the week's end when none. */
  asOf: string;
  headline: HeadlineFigure[];
  families: FamilyRow[];
  /** Incidents by weekday (0 Sunday … 6 Saturday) × local hour. */
  heat: number[][];
  /** P1 incidents of the week (no personal data); `notableTotal` counts them all when the list is cut. */
  notable: NotableRow[];
  notableTotal: number;
}
