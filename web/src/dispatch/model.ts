/**
 * Dispatch in the web app: contract types of src/modules/dispatch (units, recommendations, assignments,
 * alerts, the officer's assignment), shared queries and colours.
 */
import { useQuery } from '@tanstack/react-query';
import type { Feature, FeatureCollection, LineString, MultiLineString } from 'geojson';
import { api } from '../api';
import type { Incident, Priority } from '../incidents/model';
import { pollInterval, type StreamState } from '../realtime';

export const UNIT_STATUSES = ['off_duty', 'available', 'dispatched', 'en_route', 'on_scene', 'busy', 'out_of_service'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];
export const UNIT_KINDS = ['patrol_car', 'motorcycle', 'foot', 'traffic', 'min_combat_unit', 'community'] as const;

export const UNIT_STATUS_COLOR: Record<string, string> = {
  available: '#389e0d',
  dispatched: '#1677ff',
  en_route: '#1677ff',
  on_scene: '#722ed1',
  busy: '#8c8c8c',
  out_of_service: '#8c8c8c',
  off_duty: '#bfbfbf',
};
export const UNIT_STATUS_TAG: Record<string, string> = {
  available: 'green',
  dispatched: 'blue',
  en_route: 'geekblue',
  on_scene: 'purple',
  busy: 'default',
  out_of_service: 'default',
  off_duty: 'default',
};

export interface UnitPosition {
  lon: number;
  lat: number;
  at: string;
  speed: number | null;
  heading: number | null;
  snapped?: { lon: number; lat: number } | null;
}

export interface DispatchUnit {
  id: string;
  callSign: string;
  kind: string;
  stationId: string;
  members?: string[];
  capabilities: string[];
  home: [number, number];
  status: UnitStatus;
  statusAt: string;
  onDuty: boolean;
  position: UnitPosition | null;
  positionAgeSeconds: number | null;
  stale: boolean;
  currentAssignment: { id: string; incidentId: string; status: string; priority: Priority; assignedAt: string } | null;
  active: boolean;
}

export interface Recommendation {
  unitId: string;
  callSign: string;
  kind: string;
  etaSeconds: number | null;
  distanceMeters: number | null;
  status: string;
  positionAgeSeconds: number | null;
  stale: boolean;
  /** Chinese rendering of `reasons` (kept for clients that show one string). */
  reason: string;
  /** Why, as codes with parameters: translated on the web (see dispatch/reasons.ts). */
  reasons?: ReasonCode[];
  diverting: boolean;
  capabilityMatch: boolean;
  matchedCapabilities: string[];
  /** Part of the proposed response: first on scene, or a specialist covering a need. */
  plan?: 'first' | 'specialist' | null;
  covers?: string[];
  /** Police needs no available unit covers (same on every row). */
  missingCapabilities?: string[];
  /** Linkage partners to notify, e.g. ['120'] (same on every row). */
  linkage?: string[];
}

export type ReasonCode =
  | { code: 'plan_first' }
  | { code: 'plan_covers'; caps: string[] }
  | { code: 'not_needed_speciality' }
  | { code: 'no_capable_unit' }
  | { code: 'diverting'; from: string | null }
  | { code: 'unreachable' }
  | { code: 'station_estimate'; eta: number; noPosition: boolean; penalty: number }
  | { code: 'fastest'; eta: number }
  | { code: 'slower'; eta: number; behind: number };

export interface Assignment {
  id: string;
  incidentId: string;
  unitId: string;
  callSign: string | null;
  stationId: string;
  priority: Priority;
  status: 'assigned' | 'acknowledged' | 'en_route' | 'on_scene' | 'cleared' | 'cancelled';
  etaSeconds: number | null;
  assignedAt: string;
  assignedBy: string | null;
  ackAt: string | null;
  enRouteAt: string | null;
  onSceneAt: string | null;
  clearedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
}
export const ACTIVE_ASSIGNMENT = ['assigned', 'acknowledged', 'en_route', 'on_scene'];

export interface DispatchAlert {
  id: string;
  kind: 'ack_timeout' | 'p1_unassigned' | string;
  level: 'alert' | 'escalated';
  status: 'open' | 'acked' | 'resolved';
  /** In Chinese, as raised: show `useAlertText` (alertText.ts) instead. */
  message: string;
  /** What the message names; null on alerts raised before these were kept. */
  params?: { callSign: string | null; number: string; seconds: number } | null;
  incidentId: string | null;
  assignmentId: string | null;
  unitId: string | null;
  stationId: string;
  raisedAt: string;
  escalatedAt: string | null;
  ackedAt: string | null;
  ackedBy: string | null;
}

export interface MyAssignment {
  unit: DispatchUnit | null;
  assignment: Assignment | null;
  incident: Incident | null;
}

export type RouteFeature = Feature<LineString, { incidentId: string; unitId: string; callSign: string; seconds: number; meters: number; stale: boolean }>;
export type CoverageCollection = FeatureCollection<LineString | MultiLineString, { band?: number; minutes?: number; [k: string]: unknown }> & {
  bands?: { maxMinutes: number | null; meters: number; share: number }[];
  origins?: { given: number; snapped: number };
};

export const OPEN_STATUSES = ['new', 'dispatched', 'en_route', 'on_scene'] as const;

export function useOpenIncidents(live: StreamState, enabled = true) {
  return useQuery({
    queryKey: ['dispatch', 'incidents'],
    queryFn: () => api<{ items: Incident[] }>('/api/v1/incidents', { query: { status: [...OPEN_STATUSES], limit: 500 } }).then((r) => r.items),
    refetchInterval: pollInterval(live),
    enabled,
  });
}

export function useDispatchUnits(live: StreamState, enabled = true) {
  return useQuery({
    queryKey: ['dispatch', 'units'],
    queryFn: () => api<{ items: DispatchUnit[] }>('/api/v1/units').then((r) => r.items),
    refetchInterval: pollInterval(live),
    enabled,
  });
}

/** The unit's position to draw: the reported one, else its home point. */
export function unitPoint(u: Pick<DispatchUnit, 'position' | 'home'>): [number, number] {
  return u.position ? [u.position.lon, u.position.lat] : u.home;
}

/** "mm:ss" (hours roll into minutes). */
export function mmss(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  const v = Math.max(0, Math.round(s));
  return `${String(Math.floor(v / 60)).padStart(2, '0')}:${String(v % 60).padStart(2, '0')}`;
}

export function metres(m: number | null | undefined, lang: 'zh' | 'en'): string {
  if (m === null || m === undefined) return '—';
  if (m < 1000) return `${Math.round(m)}${lang === 'zh' ? ' 米' : ' m'}`;
  return `${(m / 1000).toFixed(1)}${lang === 'zh' ? ' 公里' : ' km'}`;
}

/** Age as a compact counter: 45s, 3:05, 1:02:03. */
export function ageText(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const v = Math.max(0, Math.floor(seconds));
  const h = Math.floor(v / 3600);
  const m = Math.floor((v % 3600) / 60);
  const s = v % 60;
  if (h) return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return `${m}:${String(s).padStart(2, '0')}`;
}
