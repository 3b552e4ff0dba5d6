/**
 * Analytics in the web app (issue 16): the KPI catalogue and the figures of a span as the API answers
 * them (src/modules/analytics/routes.ts), the spans a user picks, and their queries.
 */
import { useQuery } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../api';
import type { ApiAnswer } from '../contract';

/** A KPI's definition, as GET /kpis answers it (the server's contract). */
export type KpiDef = ApiAnswer<'/api/v1/kpis', 'get'>['items'][number];
/** A figure of a span against last year's, as GET /kpis/values answers it. */
export type KpiValue = ApiAnswer<'/api/v1/kpis/values', 'get'>['items'][number];
/** One side of a figure: its value (and a rate's two numbers) over a span of days. */
export type Measure = KpiValue['current'];

export type SpanKey = 'week' | 'month' | 'ytd' | 'd30';
export const SPAN_KEYS: readonly SpanKey[] = ['week', 'month', 'ytd', 'd30'];

const day = (d: Dayjs) => d.format('YYYY-MM-DD');

/** The span a preset stands for, in local days (inclusive), as of `today`. */
export function spanOf(key: SpanKey, today: Dayjs = dayjs()): { from: string; to: string } {
  if (key === 'week') {
    // The last whole Monday–Sunday week: it compares with the same ISO week of last year.
    const monday = today.subtract((today.day() + 6) % 7, 'day').subtract(7, 'day');
    return { from: day(monday), to: day(monday.add(6, 'day')) };
  }
  if (key === 'month') return { from: day(today.startOf('month')), to: day(today) };
  if (key === 'ytd') return { from: day(today.startOf('year')), to: day(today) };
  return { from: day(today.subtract(29, 'day')), to: day(today) };
}

export function useKpiDefs() {
  return useQuery({ queryKey: ['kpis'], queryFn: () => api<ApiAnswer<'/api/v1/kpis', 'get'>>('/api/v1/kpis').then((r) => r.items), staleTime: 10 * 60_000 });
}

/** `unitId`: a unit of my jurisdiction (the drill-down's); absent: my own. */
export function useKpiValues(span: { from: string; to: string }, unitId?: string) {
  return useQuery({
    queryKey: ['kpis', 'values', span.from, span.to, unitId ?? ''],
    queryFn: () => api<ApiAnswer<'/api/v1/kpis/values', 'get'>>('/api/v1/kpis/values', { query: { from: span.from, to: span.to, unitId } }),
    placeholderData: (prev) => prev,
  });
}

export function useHeat(span: { from: string; to: string }, unitId?: string) {
  return useQuery({
    queryKey: ['analytics', 'heat', span.from, span.to, unitId ?? ''],
    queryFn: () => api<ApiAnswer<'/api/v1/analytics/heat', 'get'>>('/api/v1/analytics/heat', { query: { from: span.from, to: span.to, unitId } }),
    placeholderData: (prev) => prev,
  });
}
