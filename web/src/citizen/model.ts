/** The citizen-report review queue's queries (answers typed from the generated contract). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api';
import type { ApiAnswer } from '../contract';

export type QueueItem = ApiAnswer<'/api/v1/citizen-reports', 'get'>['items'][number];
export type ReportDetail = ApiAnswer<'/api/v1/citizen-reports/{id}', 'get'>;
export type Move = { to: 'accepted' | 'in_progress' | 'resolved' | 'rejected' | 'duplicate'; reason?: string; duplicateOf?: string };

export function useQueue(status: string[]) {
  return useQuery({
    queryKey: ['citizen-reports', status],
    queryFn: () => api<{ items: QueueItem[]; total: number }>('/api/v1/citizen-reports', { query: { status, limit: 200 } }),
    refetchInterval: 15_000,
  });
}

export function useReportDetail(id: string | null) {
  return useQuery({ queryKey: ['citizen-report', id], enabled: !!id, queryFn: () => api<ReportDetail>(`/api/v1/citizen-reports/${id}`) });
}

export function useMove(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (m: Move) => api<QueueItem>(`/api/v1/citizen-reports/${id}/transitions`, { method: 'POST', body: m, idempotent: true }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['citizen-reports'] });
      void qc.invalidateQueries({ queryKey: ['citizen-report', id] });
    },
  });
}
