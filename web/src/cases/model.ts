/**
 * Case supervision in the web app (issue 14): the answers of the cases API as local interfaces (they
 * follow src/modules/cases/contract.ts), the step vocabulary and the clock table shared with the server
 * (pure files of src/modules/cases/domain), the queries, and a write with an Idempotency-Key kept until
 * it succeeds so a retried submission is answered, not repeated.
 */
import { useCallback, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, uuid, type User } from '../api';
import type { Lang } from '../i18n';
import { EVENT_TYPES, EXAMINATION_KINDS, type EventType } from '../../../src/modules/cases/domain/events';
import { CASE_KINDS, CLOCK_RULES, type CaseKind, type Rule } from '../../../src/modules/cases/domain/rules';

export { CASE_KINDS, CLOCK_RULES, EVENT_TYPES, EXAMINATION_KINDS };
export type { CaseKind, EventType, Rule };

export type Colour = 'red' | 'yellow' | 'green' | 'grey';
export const COLOURS: readonly Colour[] = ['red', 'yellow', 'green', 'grey'];
export type ClockState = 'running' | 'stopped' | 'done' | 'overdue';

export interface CaseItem {
  id: string;
  number: string;
  kind: CaseKind;
  title: string;
  incidentId: string | null;
  incidentIds: string[];
  stationId: string;
  officer: string;
  status: string;
  openedAt: string;
  closedAt: string | null;
  nextDueAt: string | null;
  nextDueRule: string | null;
  overdueClocks: number;
  version: number;
}

export interface CaseList {
  items: CaseItem[];
  total: number;
}

export interface EventView {
  id: string;
  type: EventType;
  at: string;
  detail: Record<string, unknown>;
  recordedAt: string;
  recordedBy: string;
}

export interface ClockView {
  rule: string;
  name: string;
  subject: string | null;
  basis: string;
  custody: boolean;
  state: ClockState;
  colour: Colour | null;
  startsAt: string;
  dueAt: string | null;
  doneAt: string | null;
  length: { amount: number; unit: string };
  /** Intervals that do not count (an examination running): `to` null while open. */
  stops: { from: string; to: string | null; kind: string | null }[];
  /** Approved extensions, with their approver. */
  extensions: { id: string; at: string; by: string; amount: number; unit: string; mode: string }[];
  explanation: string[];
}

export interface CaseDetail {
  case: CaseItem;
  events: EventView[];
  clocks: ClockView[];
}

export interface BoardRow {
  caseId: string;
  number: string;
  title: string;
  stationId: string;
  officer: string;
  rule: string;
  name: string;
  subject: string | null;
  custody: boolean;
  colour: Colour;
  dueAt: string | null;
  leftMinutes: number | null;
}

export interface Board {
  at: string;
  leadHours: number;
  counts: Record<Colour, number>;
  items: BoardRow[];
  truncated: boolean;
}

/** The body of POST /api/v1/cases/{id}/events (contract.ts StepBody). */
export interface StepBody {
  type: EventType;
  at: string;
  subject?: string;
  ref?: string;
  kind?: (typeof EXAMINATION_KINDS)[number];
  rule?: string;
  extension?: string;
  approver?: string;
  amount?: number;
  replaces?: string;
  note?: string;
}

export const LEAD_HOURS = [12, 24, 48] as const;

export const hasPermission = (user: User, p: string) => user.permissions.includes(p);

/** The rules that apply to a kind of case and may be extended (the extension form's choices). */
export const extendableRules = (kind: CaseKind): readonly Rule[] => CLOCK_RULES.filter((r) => r.caseKinds.includes(kind) && r.extensions.length > 0);

export function useBoard(leadHours: number, lang: Lang, enabled: boolean, refetchInterval?: number) {
  return useQuery({ queryKey: ['cases', 'board', leadHours, lang], queryFn: () => api<Board>('/api/v1/cases/board', { query: { leadHours, lang } }), enabled, refetchInterval });
}

export function useCaseList(open: boolean, page: { current: number; pageSize: number }, refetchInterval?: number) {
  return useQuery({
    queryKey: ['cases', 'list', open, page],
    queryFn: () => api<CaseList>('/api/v1/cases', { query: { open, limit: page.pageSize, offset: (page.current - 1) * page.pageSize } }),
    refetchInterval,
  });
}

export function useCase(id: string, lang: Lang, refetchInterval?: number) {
  return useQuery({ queryKey: ['cases', 'detail', id, lang], queryFn: () => api<CaseDetail>(`/api/v1/cases/${encodeURIComponent(id)}`, { query: { lang } }), enabled: !!id, refetchInterval });
}

/** A write with its Idempotency-Key (the same until it succeeds); refreshes the cases' queries. */
export function useCaseWrite() {
  const qc = useQueryClient();
  const key = useRef(uuid());
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <T>(path: string, body: unknown): Promise<T> => {
      setBusy(true);
      try {
        const out = await api<T>(path, { method: 'POST', body, idempotencyKey: key.current });
        key.current = uuid();
        await qc.invalidateQueries({ queryKey: ['cases'] });
        return out;
      } finally {
        setBusy(false);
      }
    },
    [qc],
  );
  return { run, busy, reset: () => (key.current = uuid()) };
}

/** Minutes as days and hours (a day or more) or hours and minutes. */
export function splitMinutes(minutes: number): { days: number; hours: number; mins: number } {
  const m = Math.abs(Math.round(minutes));
  return { days: Math.floor(m / 1440), hours: Math.floor((m % 1440) / 60), mins: m % 60 };
}
