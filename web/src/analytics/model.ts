/**
 * Analytics in the web app (issue 16): the KPI catalogue and the figures of a span as the API answers
 * them (src/modules/analytics/routes.ts), the spans a user picks, and their queries.
 */
import { useQuery } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../api';

export interface KpiDef {
  id: string;
  module: string;
  version: number;
  zh: string;
  en: string;
  definition: string;
  unit: 'count' | 'rate' | 'seconds' | 'hours' | 'days' | 'value';
  better: 'up' | 'down' | 'neither';
  numerator: string | null;
  denominator: string | null;
  exclusions: string | null;
}

export interface Measure {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  from: string;
  to: string;
}

export interface KpiValue {
  id: string;
  version: number;
  unit: string;
  better: string;
  current: Measure;
  previous: Measure | null;
  rule: string | null;
  change: number | null;
  pct: number | null;
  z: number | null;
  significant: boolean;
  direction: 'up' | 'down' | 'same';
}

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
  return useQuery({ queryKey: ['kpis'], queryFn: () => api<{ items: KpiDef[] }>('/api/v1/kpis').then((r) => r.items), staleTime: 10 * 60_000 });
}

export function useKpiValues(span: { from: string; to: string }) {
  return useQuery({
    queryKey: ['kpis', 'values', span.from, span.to],
    queryFn: () => api<{ at: string; items: KpiValue[] }>('/api/v1/kpis/values', { query: { from: span.from, to: span.to } }),
  });
}

export function useHeat(span: { from: string; to: string }) {
  return useQuery({
    queryKey: ['analytics', 'heat', span.from, span.to],
    queryFn: () => api<{ cells: number[][]; timeZone: string }>('/api/v1/analytics/heat', { query: { from: span.from, to: span.to } }),
  });
}
