/**
 * The coverage layer (C on the console): drive-time bands from the free units on duty. The origins are
 * at most MAX_ORIGINS units, evenly sampled and rounded to ~10 m, so small moves reuse the answer.
 */
import { useMemo } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api';
import { unitPoint, type CoverageCollection, type DispatchUnit } from './model';

const MAX_ORIGINS = 300;

export function useCoverage(units: DispatchUnit[], on: boolean) {
  const origins = useMemo(() => {
    if (!on) return '';
    const free = units.filter((u) => u.status === 'available' && u.onDuty);
    const step = Math.max(1, free.length / MAX_ORIGINS);
    const pts: string[] = [];
    for (let i = 0; i < free.length && pts.length < MAX_ORIGINS; i += step) {
      const [lon, lat] = unitPoint(free[Math.floor(i)]);
      pts.push(`${lon.toFixed(4)},${lat.toFixed(4)}`);
    }
    return [...new Set(pts)].sort().join(';');
  }, [on, units]);
  const query = useQuery({
    queryKey: ['dispatch', 'coverage', origins],
    queryFn: () => api<CoverageCollection>('/api/v1/roads/coverage', { query: { origins, bands: '3,5,8' } }),
    enabled: on && !!origins,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
  /** Share of the area within 5 minutes, when the answer has bands. */
  const within5 = query.data?.bands ? query.data.bands.filter((b) => b.maxMinutes !== null && b.maxMinutes <= 5).reduce((s, b) => s + b.share, 0) : null;
  return { query, hasOrigins: !!origins, within5 };
}
