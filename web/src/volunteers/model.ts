/** The volunteers' queries and types (from the server's contract). */
import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import type { ApiAnswer } from '../contract';

export type Shift = ApiAnswer<'/api/v1/shifts', 'get'>['items'][number];
export type Team = ApiAnswer<'/api/v1/volunteer-teams', 'get'>['items'][number];
export type MyHours = ApiAnswer<'/api/v1/volunteer/me/hours', 'get'>;
export type OnDuty = ApiAnswer<'/api/v1/volunteer-duty', 'get'>;
export type Report = ApiAnswer<'/api/v1/volunteer-reports', 'get'>['items'][number];
export type DefenceGroup = ApiAnswer<'/api/v1/defence-groups', 'get'>['items'][number];
export type DefenceAlert = ApiAnswer<'/api/v1/defence-groups/alerts', 'get'>['items'][number];
export type Signup = ApiAnswer<'/api/v1/shifts/{id}/signups', 'post', 201>;
export type Checkout = ApiAnswer<'/api/v1/shifts/{id}/checkout', 'post'>;

export const REPORT_CATEGORIES = ['suspicious', 'theft', 'fire_hazard', 'traffic', 'public_order', 'facility', 'other'] as const;
export const ALERT_KINDS = ['robbery', 'theft', 'suspicious', 'fight', 'other'] as const;

export const useShifts = (query: Record<string, string | boolean | undefined> = {}) =>
  useQuery({ queryKey: ['volunteers', 'shifts', query], queryFn: () => api<{ items: Shift[] }>('/api/v1/shifts', { query }).then((r) => r.items), refetchInterval: 30_000 });
export const useTeams = () => useQuery({ queryKey: ['volunteers', 'teams'], queryFn: () => api<{ items: Team[] }>('/api/v1/volunteer-teams').then((r) => r.items) });
export const useMyHours = () => useQuery({ queryKey: ['volunteers', 'hours'], queryFn: () => api<MyHours>('/api/v1/volunteer/me/hours') });
export const useOnDuty = () => useQuery({ queryKey: ['volunteers', 'duty'], queryFn: () => api<OnDuty>('/api/v1/volunteer-duty'), refetchInterval: 30_000 });
export const useReports = () => useQuery({ queryKey: ['volunteers', 'reports'], queryFn: () => api<{ items: Report[] }>('/api/v1/volunteer-reports').then((r) => r.items), refetchInterval: 60_000 });
export const useDefenceGroups = () => useQuery({ queryKey: ['volunteers', 'defence'], queryFn: () => api<{ items: DefenceGroup[] }>('/api/v1/defence-groups').then((r) => r.items) });
export const useDefenceAlerts = () => useQuery({ queryKey: ['volunteers', 'defence-alerts'], queryFn: () => api<{ items: DefenceAlert[] }>('/api/v1/defence-groups/alerts').then((r) => r.items), refetchInterval: 30_000 });

/** The browser's position (rejects with a readable error when refused or unavailable). */
export function currentPosition(timeoutMs = 15_000): Promise<{ lon: number; lat: number; accuracyM?: number }> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('geolocation unavailable'));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lon: p.coords.longitude, lat: p.coords.latitude, accuracyM: Math.min(100_000, Math.round(p.coords.accuracy)) }),
      (e) => reject(new Error(e.message || 'geolocation refused')),
      // No cached position: a volunteer who walked into the area must be seen there now.
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 0 },
    );
  });
}

/** A square area of `halfM` metres around a point, as a GeoJSON Polygon. */
export function squareArea(lon: number, lat: number, halfM: number) {
  const dLat = halfM / 111_320;
  const dLon = halfM / (111_320 * Math.cos((lat * Math.PI) / 180));
  return { type: 'Polygon' as const, coordinates: [[[lon - dLon, lat - dLat], [lon + dLon, lat - dLat], [lon + dLon, lat + dLat], [lon - dLon, lat + dLat], [lon - dLon, lat - dLat]]] };
}
