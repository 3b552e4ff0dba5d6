/**
 * Supervision notices, case reviews and the figures in the web app (issue 14 parts 5–6): the answers as
 * local interfaces (they follow src/modules/cases/supervision-contract.ts; the contract file is
 * regenerated later), the vocabularies shared with the server (pure domain files) and the queries. The
 * queries sit under ['cases', …] so every case write (useCaseWrite) refreshes them.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import type { Lang } from '../i18n';
import { NOTICE_STATE_LABELS, NOTICE_TRANSITIONS, PROBLEM_LABELS, PROBLEM_TYPES, type NoticeState, type ProblemType } from '../../../src/modules/cases/domain/notices';
import { GRADE_LABELS, ITEM_RESULTS, ITEM_RESULT_LABELS, REVIEW_CHECKLIST, scoreReview, type Grade, type ItemResult } from '../../../src/modules/cases/domain/review';

export { GRADE_LABELS, ITEM_RESULTS, ITEM_RESULT_LABELS, NOTICE_STATE_LABELS, NOTICE_TRANSITIONS, PROBLEM_LABELS, PROBLEM_TYPES, REVIEW_CHECKLIST, scoreReview };
export type { Grade, ItemResult, NoticeState, ProblemType };

/** A domain label in the reader's language. */
export const inLang = (l: { zh: string; en: string } | undefined, lang: Lang) => (l ? l[lang] : '—');

export interface NoticeStep {
  action: 'answer' | 'accept' | 'return';
  at: string;
  by: string;
  text?: string;
  comment?: string;
  answerDueAt?: string;
  late?: boolean;
}

export interface Notice {
  id: string;
  number: string;
  caseId: string;
  caseNumber: string;
  caseTitle: string;
  stationId: string;
  officer: string;
  state: NoticeState;
  items: { type: ProblemType; description: string }[];
  issuedAt: string;
  issuedBy: string;
  answerDueAt: string;
  overdue: boolean;
  firstAnsweredAt: string | null;
  late: boolean;
  steps: NoticeStep[];
  closedAt: string | null;
  version: number;
}

export interface NoticeList {
  items: Notice[];
  total: number;
}

export interface Review {
  id: string;
  caseId: string;
  stationId: string;
  officer: string;
  items: { id: string; result: ItemResult; note?: string }[];
  score: number;
  grade: Grade;
  comment: string | null;
  reviewedAt: string;
  reviewedBy: string;
}

// The figures' counters are the pure stats file's own type (one definition for server and web).
import type { Figures } from '../../../src/modules/cases/domain/stats';
export type { Figures };

export interface Stats extends Figures {
  from: string;
  to: string;
  at: string;
  linkageRate: number | null;
  reviews: number;
  meanReviewScore: number | null;
  problemsByType: { type: ProblemType; count: number }[];
  byStation: (Figures & { stationId: string })[];
  byOfficer: (Figures & { officer: string; stationId: string })[];
  truncated: boolean;
}

export interface NoticeFilter {
  state?: NoticeState[];
  overdue?: boolean;
  caseId?: string;
  limit?: number;
  offset?: number;
}

export function useNotices(filter: NoticeFilter, refetchInterval?: number, enabled = true) {
  return useQuery({ queryKey: ['cases', 'notices', filter], queryFn: () => api<NoticeList>('/api/v1/notices', { query: { ...filter } }), refetchInterval, enabled });
}

export function useCaseReview(caseId: string, enabled: boolean) {
  return useQuery({ queryKey: ['cases', 'review', caseId], queryFn: () => api<{ review: Review | null }>(`/api/v1/cases/${encodeURIComponent(caseId)}/review`), enabled });
}

export function useCaseStats(days: number, refetchInterval?: number, enabled = true) {
  return useQuery({
    queryKey: ['cases', 'stats', days],
    queryFn: () => api<Stats>('/api/v1/cases/stats', { query: { from: new Date(Date.now() - days * 86_400_000).toISOString() } }),
    refetchInterval,
    enabled,
  });
}

/** The share as a whole percentage, or '—'. */
export const pct = (num: number, den: number) => (den > 0 ? `${Math.round((num / den) * 100)}%` : '—');
