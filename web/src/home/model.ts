/**
 * The chief's home dashboard (issue 16): the spans it shows (today, this week Monday → today, 1 January →
 * today) with their figures against last year (/kpis/values), and what needs attention, each from its
 * module's own endpoint (cases' digest, the dispute register and its attention list, transfers).
 * Query keys start with the module's name so the live stream makes them stale (web/src/realtime.ts).
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import type { ApiAnswer } from '../contract';
import type { KpiValue } from '../analytics/model';
import { HOME_KPIS } from './spans';

export { HOME_KPIS, HOME_SPANS, homeSpan, type HomeSpanKey } from './spans';

export function useHomeFigures(span: { from: string; to: string }, enabled: boolean) {
  return useQuery({
    queryKey: ['incidents', 'home', 'kpis', span.from, span.to],
    queryFn: () => api<{ items: KpiValue[] }>('/api/v1/kpis/values', { query: { ids: [...HOME_KPIS], from: span.from, to: span.to } }).then((r) => new Map(r.items.map((v) => [v.id, v]))),
    enabled,
    refetchInterval: 120_000,
  });
}

type Digest = ApiAnswer<'/api/v1/cases/digest', 'get'>;
type DisputeList = ApiAnswer<'/api/v1/disputes', 'get'>;
type Attention = ApiAnswer<'/api/v1/disputes/attention', 'get'>;
export type TransferItem = ApiAnswer<'/api/v1/transfers', 'get'>['items'][number];

/** A list read for its length stops here (the card then shows "500+"). */
export const LIST_CAP = 500;

export function useCaseDigest(enabled: boolean) {
  return useQuery({ queryKey: ['cases', 'home', 'digest'], queryFn: () => api<Digest>('/api/v1/cases/digest'), enabled, refetchInterval: 120_000 });
}

export function useHighRiskDisputes(enabled: boolean) {
  return useQuery({
    queryKey: ['disputes', 'home', 'high'],
    queryFn: () => api<DisputeList>('/api/v1/disputes', { query: { open: true, riskGrade: ['red', 'orange'], limit: 1 } }).then((r) => r.total),
    enabled,
  });
}

export function useDisputesOverdue(enabled: boolean) {
  return useQuery({
    queryKey: ['disputes', 'home', 'attention'],
    queryFn: () => api<Attention>('/api/v1/disputes/attention').then((r) => r.items.filter((x) => x.overdue.length > 0).length),
    enabled,
  });
}

/** Transfers still waiting for the other agency's answer, and those of them past their due time. */
export function useOpenTransfers(enabled: boolean) {
  return useQuery({
    queryKey: ['incidents', 'home', 'transfers'],
    queryFn: () => api<{ items: TransferItem[] }>('/api/v1/transfers', { query: { status: 'sent', limit: LIST_CAP } }).then((r) => r.items),
    enabled,
    refetchInterval: 120_000,
  });
}
