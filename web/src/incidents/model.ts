/**
 * Incidents in the web app: the 110 intake API's answers as the server's contract types
 * (web/src/contract, generated from its response schemas), shared queries (categories, dispositions),
 * the server's own state machine (src/modules/incidents/domain/state-machine.ts, a pure file; for the
 * buttons only: the server decides and answers 409/403 with its message) and the incident labels in
 * both languages.
 */
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import type { ApiAnswer } from '../contract';
import { useLang, type Lang } from '../i18n';
import { allowedRules, STATUSES, type IncidentStatus, type TransitionAction, type WebTransitionRule } from '../../../src/modules/incidents/domain/state-machine';

export type Priority = 'P1' | 'P2' | 'P3' | 'P4';
export const PRIORITIES: Priority[] = ['P1', 'P2', 'P3', 'P4'];
// Dark enough for white text at 4.5:1 (tags, queue counts; #11.24).
export const PRIORITY_COLOR: Record<Priority, string> = { P1: '#cf1322', P2: '#ad4e00', P3: '#0958d9', P4: '#595959' };
export const PRIORITY_HEX: Record<Priority, string> = PRIORITY_COLOR;

export { STATUSES };
export type { IncidentStatus };
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

/** An incident as lists, panels and the stream show it (caller masked). */
export type Incident = ApiAnswer<'/api/v1/incidents', 'get'>['items'][number];
export type IncidentTimes = Incident['times'];
/** One incident with its timeline, transfers, callback and merged duplicates. */
export type IncidentDetail = ApiAnswer<'/api/v1/incidents/{id}', 'get'>;
export type IncidentEvent = IncidentDetail['events'][number];
export type Transfer = IncidentDetail['transfers'][number];
export type Callback = NonNullable<IncidentDetail['callback']>;
export type CreatedIncident = ApiAnswer<'/api/v1/incidents', 'post', 201>;
export type History = ApiAnswer<'/api/v1/incidents/history', 'get'>;

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
  /** `landmark`: a named place of the landmark list (no registry code to record), else a registry address. */
  kind?: 'address' | 'landmark';
  /** What the landmark is: hotel, school, hospital, square, bridge, station … */
  landmarkKind?: LandmarkKind;
}

/** The kinds of the landmark list (src/modules/addresses/landmarks.ts). */
export type LandmarkKind = 'hotel' | 'school' | 'hospital' | 'square' | 'bridge' | 'station' | 'border' | 'sight' | 'public' | 'other';

/** A node of the category tree, with its synonyms, commonness and children. */
export type CategoryNode = ApiAnswer<'/api/v1/categories', 'get'>['items'][number];
export type Disposition = ApiAnswer<'/api/v1/dispositions', 'get'>['items'][number];
export type PrioritySuggestion = ApiAnswer<'/api/v1/incidents/priority-suggestion', 'get'>;

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
/* The state machine: the server's rules (domain/state-machine.ts), staff roles only                 */
/* ----------------------------------------------------------------------------------------------- */

export type Action = TransitionAction;
export type Rule = WebTransitionRule;

/** The transitions these roles may take from a status, in the server's order (the buttons). */
export function allowedActions(status: IncidentStatus, roles: readonly string[]): Rule[] {
  return allowedRules(status, roles);
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
