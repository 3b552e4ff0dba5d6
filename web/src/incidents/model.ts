/**
 * Incidents in the web app: the contract types of the 110 intake API, shared queries (categories,
 * dispositions), the state machine mirrored from src/modules/incidents/domain/lifecycle.ts (for the
 * buttons only: the server decides and answers 409/403 with its message) and the incident labels in
 * both languages.
 */
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import { useLang, type Lang } from '../i18n';

export type Priority = 'P1' | 'P2' | 'P3' | 'P4';
export const PRIORITIES: Priority[] = ['P1', 'P2', 'P3', 'P4'];
// Dark enough for white text at 4.5:1 (tags, queue counts; #11.24).
export const PRIORITY_COLOR: Record<Priority, string> = { P1: '#cf1322', P2: '#ad4e00', P3: '#0958d9', P4: '#595959' };
export const PRIORITY_HEX: Record<Priority, string> = PRIORITY_COLOR;

export const STATUSES = ['new', 'dispatched', 'en_route', 'on_scene', 'cleared', 'closed', 'transferred', 'merged', 'cancelled'] as const;
export type IncidentStatus = (typeof STATUSES)[number];
export const STATUS_COLOR: Record<IncidentStatus, string> = {
  new: 'red',
  dispatched: 'orange',
  en_route: 'gold',
  on_scene: 'purple',
  cleared: 'cyan',
  closed: 'green',
  transferred: 'geekblue',
  merged: 'default',
  cancelled: 'default',
};

export interface IncidentTimes {
  callStartedAt: string | null;
  answeredAt: string | null;
  recordedAt: string;
  dispatchedAt: string | null;
  enRouteAt: string | null;
  onSceneAt: string | null;
  clearedAt: string | null;
  closedAt: string | null;
  transferredAt: string | null;
  cancelledAt: string | null;
  mergedAt: string | null;
  reopenedAt: string | null;
}

export interface Incident {
  id: string;
  number: string;
  source: string;
  categoryCode: string;
  categoryFamily: string;
  priority: Priority;
  suggestedPriority: Priority;
  priorityReason: string | null;
  status: IncidentStatus;
  caller: { name: string | null; phone: string | null };
  address: string | null;
  addressCode: string | null;
  location: { lon: number; lat: number; accuracyM: number | null } | null;
  description: string;
  stationId: string;
  gridId: string | null;
  jurisdictionOverridden: boolean;
  dispositionCode: string | null;
  dispositionNote: string | null;
  masterId: string | null;
  externalRef: string | null;
  times: IncidentTimes;
  createdBy: string | null;
  version: number;
}

export interface IncidentEvent {
  at: string;
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  username: string | null;
  detail: Record<string, unknown> | null;
}

export interface Transfer {
  id: string;
  target: string;
  reason: string;
  externalRef: string | null;
  status: 'sent' | 'answered';
  overdue: boolean;
  sentAt: string;
  dueAt: string;
  answeredAt: string | null;
  answer: string | null;
}

export interface Callback {
  id: string;
  status: 'pending' | 'done';
  outcome: string | null;
  reason: string | null;
  createdAt: string;
  doneAt: string | null;
  doneBy: string | null;
  reviewStatus: string | null;
  reviewNote: string | null;
  reviewedBy: string | null;
}

export interface IncidentDetail extends Incident {
  categoryPath: string[];
  stationName: string | null;
  events: IncidentEvent[];
  transfers: Transfer[];
  callback: Callback | null;
  mergedIncidents: { id: string; number: string }[];
}

export interface CreatedIncident extends Incident {
  duplicateCandidates: Incident[];
}

export interface History {
  caller: Incident[];
  place: Incident[];
  placeCount30d: number;
  repeatLocation: boolean;
}

export interface AddressHit {
  code: string;
  text: string;
  lon: number;
  lat: number;
  stationId: string | null;
  gridId: string | null;
  score?: number;
  distanceMeters?: number;
  /** The alternative name (popular, former, Portuguese) the query matched, when not the registry text. */
  alias?: string;
}

export interface CategoryNode {
  code: string;
  parentCode: string | null;
  name: string;
  nameEn: string;
  level: number;
  leaf: boolean;
  defaultPriority: Priority | null;
  keywords: string[];
  /** Words callers use for it, beyond the keywords (server-side synonym table). */
  synonyms?: string[];
  /** 0–100: how common the category is among calls (for ranking search results). */
  commonness?: number;
  transferTo: string | null;
  children: CategoryNode[];
}

export interface Disposition {
  code: string;
  name: string;
  nameEn: string;
  kind: string;
  valid: boolean;
}

export interface PrioritySuggestion {
  priority: Priority;
  reasons: string[];
}

export const priorityRank = (p: Priority) => PRIORITIES.indexOf(p) + 1;

export function useCategories() {
  const q = useQuery({
    queryKey: ['categories'],
    queryFn: () => api<{ items: CategoryNode[] }>('/api/v1/categories').then((r) => r.items),
    staleTime: 10 * 60_000,
  });
  const index = useMemo(() => {
    const m = new Map<string, { node: CategoryNode; path: CategoryNode[] }>();
    const walk = (nodes: CategoryNode[], path: CategoryNode[]) => {
      for (const n of nodes) {
        const p = [...path, n];
        m.set(n.code, { node: n, path: p });
        walk(n.children ?? [], p);
      }
    };
    walk(q.data ?? [], []);
    return m;
  }, [q.data]);
  return { ...q, index };
}

/** The category's name (leaf) or its whole path, in the current language. */
export function useCategoryLabel() {
  const { index } = useCategories();
  const { lang } = useLang();
  return (code: string, full = false) => {
    const hit = index.get(code);
    if (!hit) return code;
    const name = (n: CategoryNode) => (lang === 'en' ? n.nameEn || n.name : n.name);
    return full ? hit.path.map(name).join(' / ') : name(hit.node);
  };
}

export function useDispositions() {
  return useQuery({
    queryKey: ['dispositions'],
    queryFn: () => api<{ items: Disposition[] }>('/api/v1/dispositions').then((r) => r.items),
    staleTime: 10 * 60_000,
  });
}

/* ----------------------------------------------------------------------------------------------- */
/* The state machine, mirrored for the buttons (src/modules/incidents/domain/lifecycle.ts)          */
/* ----------------------------------------------------------------------------------------------- */

export type Action = 'dispatch' | 'depart' | 'arrive' | 'clear' | 'close' | 'quick_close' | 'transfer' | 'return' | 'cancel' | 'recall' | 'merge' | 'unmerge' | 'reopen';
export interface Rule {
  from: IncidentStatus;
  to: IncidentStatus;
  action: Action;
  roles: string[];
  needs?: 'disposition' | 'reason';
  dispositions?: string[];
}
const FIELD = ['officer', 'dispatcher'];
const INTAKE = ['calltaker', 'dispatcher'];
const OPEN: IncidentStatus[] = ['new', 'dispatched', 'en_route', 'on_scene', 'cleared'];
export const RULES: Rule[] = [
  { from: 'new', to: 'dispatched', action: 'dispatch', roles: ['dispatcher', 'chief'] },
  { from: 'dispatched', to: 'en_route', action: 'depart', roles: FIELD },
  { from: 'dispatched', to: 'on_scene', action: 'arrive', roles: FIELD },
  { from: 'en_route', to: 'on_scene', action: 'arrive', roles: FIELD },
  { from: 'on_scene', to: 'cleared', action: 'clear', roles: FIELD },
  { from: 'cleared', to: 'closed', action: 'close', roles: ['officer', 'dispatcher', 'chief'], needs: 'disposition' },
  { from: 'new', to: 'closed', action: 'quick_close', roles: INTAKE, needs: 'disposition', dispositions: ['D04', 'D07'] },
  { from: 'dispatched', to: 'new', action: 'recall', roles: ['dispatcher'], needs: 'reason' },
  { from: 'en_route', to: 'new', action: 'recall', roles: ['dispatcher'], needs: 'reason' },
  { from: 'new', to: 'transferred', action: 'transfer', roles: INTAKE },
  { from: 'transferred', to: 'new', action: 'return', roles: INTAKE, needs: 'reason' },
  { from: 'new', to: 'cancelled', action: 'cancel', roles: INTAKE, needs: 'reason' },
  { from: 'dispatched', to: 'cancelled', action: 'cancel', roles: ['dispatcher'], needs: 'reason' },
  { from: 'en_route', to: 'cancelled', action: 'cancel', roles: ['dispatcher'], needs: 'reason' },
  ...OPEN.map((from): Rule => ({ from, to: 'merged', action: 'merge', roles: INTAKE })),
  { from: 'merged', to: 'new', action: 'unmerge', roles: INTAKE, needs: 'reason' },
  { from: 'closed', to: 'cleared', action: 'reopen', roles: ['chief', 'supervisor'], needs: 'reason' },
];

export function allowedActions(status: IncidentStatus, roles: readonly string[]): Rule[] {
  return RULES.filter((r) => r.from === status && roles.some((x) => r.roles.includes(x)));
}

/** Start of the local day as an ISO instant (today's queue). */
export function startOfToday(): string {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.toISOString();
}

export function seconds(from: string | null | undefined, to: string | null | undefined): number | null {
  if (!from || !to) return null;
  const s = (new Date(to).getTime() - new Date(from).getTime()) / 1000;
  return Number.isFinite(s) ? s : null;
}

export function fmtDuration(s: number | null, lang: Lang): string {
  if (s === null) return '—';
  const neg = s < 0;
  let v = Math.round(Math.abs(s));
  const h = Math.floor(v / 3600);
  v -= h * 3600;
  const m = Math.floor(v / 60);
  const sec = v - m * 60;
  const zh = lang === 'zh';
  const parts = h ? [`${h}${zh ? '小时' : 'h'}`, `${m}${zh ? '分' : 'm'}`] : m ? [`${m}${zh ? '分' : 'm'}`, `${sec}${zh ? '秒' : 's'}`] : [`${sec}${zh ? '秒' : 's'}`];
  return (neg ? '-' : '') + parts.join(zh ? '' : ' ');
}
