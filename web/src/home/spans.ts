/** The spans of the chief's home (tested in test/analytics/wall-home.unit.test.ts). */
import dayjs, { type Dayjs } from 'dayjs';

export type HomeSpanKey = 'today' | 'week' | 'ytd';
export const HOME_SPANS: readonly HomeSpanKey[] = ['today', 'week', 'ytd'];
export const HOME_KPIS = ['incident.count', 'incident.satisfaction', 'incident.transfer_on_time'] as const;

const day = (d: Dayjs) => d.format('YYYY-MM-DD');

/** Local days (inclusive) of a span as of `today`; the week starts on Monday. */
export function homeSpan(key: HomeSpanKey, today: Dayjs = dayjs()): { from: string; to: string } {
  if (key === 'today') return { from: day(today), to: day(today) };
  if (key === 'week') return { from: day(today.subtract((today.day() + 6) % 7, 'day')), to: day(today) };
  return { from: day(today.startOf('year')), to: day(today) };
}
