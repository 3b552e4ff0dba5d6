/** Shared queries: the public meta, the signed-in user, the organisation units, and role checks. */
import { useQuery } from '@tanstack/react-query';
import { api, ApiError, type Meta, type OrgUnit, type OrgUnitDetail, type UnitCollection, type User } from './api';

export function useMeta() {
  return useQuery({ queryKey: ['meta'], queryFn: () => api<Meta>('/api/v1/meta', { noAuthRedirect: true }), staleTime: 5 * 60_000 });
}

/** The signed-in user; `data` is null when nobody is signed in. */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await api<User>('/api/v1/me', { noAuthRedirect: true });
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export function useUnits(enabled = true) {
  return useQuery({
    queryKey: ['org', 'units'],
    queryFn: () => api<{ items: OrgUnit[] }>('/api/v1/org/units').then((r) => r.items),
    staleTime: 60_000,
    enabled,
  });
}

import { navOf, type NavKey } from './nav';
export type { NavKey } from './nav';

export const NAV_ORDER: NavKey[] = ['home', 'volunteer', 'myGrid', 'officer', 'dispatch', 'intake', 'incidents', 'disputes', 'mediation', 'cases', 'citizenReports', 'volunteers', 'analytics', 'reports', 'grids', 'org', 'users', 'tokens', 'audit'];

/**
 * Where a role lands after signing in: the screen of its work. Dispatchers on the console, call-takers on
 * intake, patrol officers (with no desk role) on their phone view; everyone else on the home page.
 */
export function landingPath(roles: readonly string[]): string {
  // A volunteer (义警) is not staff: their phone page is all they have.
  if (roles.length > 0 && roles.every((r) => r === 'volunteer')) return '/volunteer';
  if (roles.includes('dispatcher')) return '/dispatch';
  if (roles.includes('calltaker')) return '/intake';
  const desk = ['admin', 'chief', 'supervisor', 'analyst'];
  return roles.includes('officer') && !roles.some((r) => desk.includes(r)) ? '/officer' : '/';
}

/** What the signed-in user may open, from the permissions `/me` lists (web/src/nav.ts). */
export function allowedNav(user: { permissions?: readonly string[] }): Set<NavKey> {
  return navOf(user.permissions ?? []);
}

/** Fallback labels when /meta has not answered yet (mirrors src/core/roles.ts). */
const ROLE_FALLBACK: Record<string, { zh: string; en: string }> = {
  admin: { zh: '管理员', en: 'Administrator' },
  calltaker: { zh: '接警员', en: 'Call-taker' },
  dispatcher: { zh: '调度员', en: 'Dispatcher' },
  officer: { zh: '民警', en: 'Patrol officer' },
  chief: { zh: '所长', en: 'Station chief' },
  community: { zh: '社区民警', en: 'Community officer' },
  mediator: { zh: '调解员', en: 'Mediator' },
  supervisor: { zh: '法制员/督察', en: 'Legal supervisor' },
  analyst: { zh: '研判分析', en: 'Analyst' },
  volunteer: { zh: '义警', en: 'Volunteer' },
};

/** Label functions for roles and scopes in the current language. */
export function useLabels(lang: 'zh' | 'en') {
  const meta = useMeta();
  const roles = meta.data?.roles ?? Object.entries(ROLE_FALLBACK).map(([id, l]) => ({ id, ...l }));
  const scopes = meta.data?.scopes ?? [];
  const roleLabel = (id: string) => {
    const l = roles.find((r) => r.id === id) ?? (ROLE_FALLBACK[id] ? { id, ...ROLE_FALLBACK[id] } : undefined);
    return l ? l[lang] || l.zh : id;
  };
  const scopeLabel = (id: string) => {
    const l = scopes.find((s) => s.id === id);
    return l ? l[lang] || l.zh : id;
  };
  return { roles, scopes, roleLabel, scopeLabel };
}

export function useUnitGeo(kind: 'station' | 'grid', enabled = true) {
  return useQuery({
    queryKey: ['org', 'geojson', kind],
    queryFn: () => api<UnitCollection>('/api/v1/org/geojson', { query: { kind } }),
    staleTime: 5 * 60_000,
    enabled,
  });
}

export function useUnitDetail(id: string | null | undefined) {
  return useQuery({
    queryKey: ['org', 'unit', id],
    queryFn: () => api<OrgUnitDetail>(`/api/v1/org/units/${encodeURIComponent(id!)}`),
    enabled: !!id,
  });
}
