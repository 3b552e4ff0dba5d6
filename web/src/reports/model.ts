/** The report archive's queries (answers typed from the generated contract). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, buildUrl } from '../api';
import type { ApiAnswer } from '../contract';

export type ReportItem = ApiAnswer<'/api/v1/reports', 'get'>['items'][number];
export type Generated = ApiAnswer<'/api/v1/reports/weekly', 'post'>;

export function useReports() {
  return useQuery({ queryKey: ['reports'], queryFn: () => api<{ items: ReportItem[] }>('/api/v1/reports', { query: { limit: 200 } }).then((r) => r.items) });
}

export function useGenerateWeekly() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (weekStart: string) => api<Generated>('/api/v1/reports/weekly', { method: 'POST', body: { weekStart }, idempotent: true }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['reports'] }),
  });
}

export function useGeneratePeriod() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (span: { from: string; to: string }) => api<Generated>('/api/v1/reports/period', { method: 'POST', body: span, idempotent: true }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['reports'] }),
  });
}

/** A local calendar day as the API writes it, 'YYYY-MM-DD'. */
export const dayOf = (d: { year(): number; month(): number; date(): number }) => `${d.year()}-${String(d.month() + 1).padStart(2, '0')}-${String(d.date()).padStart(2, '0')}`;

/** Longest period the API takes (src/modules/reports/domain/periods.ts). */
export const MAX_PERIOD_DAYS = 400;

/** A link, not a fetch: the browser downloads with the session cookie and names the file from Content-Disposition. */
export const docxHref = (id: string) => buildUrl(`/api/v1/reports/${id}/docx`);

/** The Monday of the week a day is in (local calendar), 'YYYY-MM-DD'. */
export function mondayOf(day: { year(): number; month(): number; date(): number; day(): number }): string {
  const d = new Date(Date.UTC(day.year(), day.month(), day.date() - ((day.day() + 6) % 7)));
  return d.toISOString().slice(0, 10);
}
