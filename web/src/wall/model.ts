/**
 * The command wall's figures (issue 16), read through the endpoints that exist: today's count and the
 * year to date against last year (/kpis/values), today by priority (the incident list's totals) and by
 * category family (today's incidents grouped by their category's top node). Their query keys start with
 * 'incidents', so an incident event of the stream makes them stale (web/src/realtime.ts): the wall
 * updates without a reload.
 */
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { api, ApiError } from '../api';
import type { ApiAnswer } from '../contract';
import { PRIORITIES, type Incident, type Priority } from '../incidents/model';
import type { KpiValue } from '../analytics/model';

export { fitScale, tally } from './layout';

/** Every status but `merged`: the incident count's definition leaves out duplicates merged into another. */
export const COUNTED_STATUSES = ['new', 'dispatched', 'en_route', 'on_scene', 'cleared', 'closed', 'transferred', 'cancelled'] as const;
/** Today's incidents read to group by family: beyond this the grouping says it covers the latest ones. */
const FAMILY_PAGES = 4;
const PAGE = 500;

/** Today's count and the year to date, each against last year's fair span. */
export function useWallKpis(today: string, enabled: boolean) {
  return useQuery({
    queryKey: ['incidents', 'wall', 'kpis', today],
    queryFn: async () => {
      const ask = (from: string) => api<{ items: KpiValue[] }>('/api/v1/kpis/values', { query: { ids: ['incident.count'], from, to: today } }).then((r) => r.items[0] ?? null);
      const [day, ytd] = await Promise.all([ask(today), ask(dayjs(today).startOf('year').format('YYYY-MM-DD'))]);
      return { day, ytd };
    },
    enabled,
    refetchInterval: 60_000,
  });
}

/** Incidents recorded since local midnight, by priority (exact: the list's totals). */
export function useTodayByPriority(today: string) {
  return useQuery({
    queryKey: ['incidents', 'wall', 'priority', today],
    queryFn: async () => {
      const from = dayjs(today).startOf('day').toISOString();
      const totals = await Promise.all(PRIORITIES.map((priority) => api<{ total: number }>('/api/v1/incidents', { query: { from, priority, status: [...COUNTED_STATUSES], limit: 1 } }).then((r) => r.total)));
      return Object.fromEntries(PRIORITIES.map((p, i) => [p, totals[i]])) as Record<Priority, number>;
    },
    refetchInterval: 60_000,
  });
}

/** Today's incidents' category codes (newest first, at most FAMILY_PAGES × PAGE) and how many there are. */
export function useTodayCategories(today: string) {
  return useQuery({
    queryKey: ['incidents', 'wall', 'categories', today],
    queryFn: async () => {
      const from = dayjs(today).startOf('day').toISOString();
      const codes: string[] = [];
      let total = 0;
      for (let page = 0; page < FAMILY_PAGES; page++) {
        const r = await api<{ items: Pick<Incident, 'categoryCode'>[]; total: number }>('/api/v1/incidents', { query: { from, status: [...COUNTED_STATUSES], limit: PAGE, offset: page * PAGE } });
        total = r.total;
        codes.push(...r.items.map((i) => i.categoryCode));
        if (codes.length >= total || r.items.length < PAGE) break;
      }
      return { codes, total };
    },
    refetchInterval: 60_000,
  });
}

/** One interval × priority row of GET /analytics/intervals (the server's contract). */
export type IntervalRow = ApiAnswer<'/api/v1/analytics/intervals', 'get'>['items'][number];

/**
 * Today's answer, intake, dispatch, travel and response times (GET /analytics/intervals): null where the
 * server has no such endpoint (the panel is then left out).
 */
export function useTodayIntervals(today: string, enabled: boolean) {
  return useQuery({
    queryKey: ['incidents', 'wall', 'intervals', today],
    queryFn: async () => {
      try {
        return (await api<{ items: IntervalRow[] }>('/api/v1/analytics/intervals', { query: { from: today, to: today } })).items;
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
    enabled,
    retry: false,
    refetchInterval: 60_000,
  });
}
