/**
 * Who sees which grid and visit. A community officer is placed in a grid but works for its station (the
 * station's grids, visits and disputes are one register); everyone else sees their unit and below.
 * Something outside the scope answers 404, like something absent.
 */
import { unitScope, type Principal } from '../../core/access.js';
import type { Column, SQL } from 'drizzle-orm';

/** The principal as the station it works for (a grid's officer → the grid's station). */
export function workPrincipal(p: Principal): Principal {
  if (p.unitKind !== 'grid') return p;
  const parts = p.unitPath.split('/').filter(Boolean);
  return { ...p, unitPath: `/${parts.slice(0, -1).join('/')}/`, unitId: parts.at(-2) ?? p.unitId, unitKind: 'station' };
}

export function inScope(p: Principal, unitPath: string): boolean {
  return unitPath.startsWith(workPrincipal(p).unitPath);
}

/** SQL condition on a station column (undefined: the principal sees everything). */
export function stationScope(p: Principal, stationColumn: Column | SQL): SQL | undefined {
  return unitScope(workPrincipal(p), stationColumn);
}
