/**
 * Which unit each KPI's figure covers when asked for a unit (GET /kpis/values?unitId=): the unit itself
 * when the KPI's rows can be scoped to it, otherwise the enclosing unit at the KPI's finest level
 * (`finestUnit`: most records carry a station, not a grid), and the answer says so (`exact: false`) —
 * a station's figure is never presented as a grid's. When that enclosing unit is outside the asker's
 * jurisdiction the figure is not given (null) rather than widened.
 */
import { coversUnit, type Principal } from '../../core/access.js';
import type { KpiDef } from '../../kernel/module.js';
import type { JurisdictionIndex } from '../org/index.js';
import type { Db } from '../../db/client.js';
import type { KpiEntry } from '../../kernel/kernel.js';
import { narrowedTo, type OrgUnit } from './breakdown.js';
import { kpiValues, type JudgedFigure } from './figures.js';
import type { Span } from './domain/periods.js';

export type UnitLevel = NonNullable<KpiDef['finestUnit']>;

const RANK: Record<string, number> = { bureau: 0, branch: 1, station: 2, grid: 3 };
const rank = (kind: string) => RANK[kind] ?? 3;

export interface FigureScope {
  /** The unit the figure covers. */
  unitId: string;
  kind: string;
  name: string;
  /** false: the KPI cannot be counted for the asked unit; this is the enclosing unit's figure (or none when that is outside the jurisdiction). */
  exact: boolean;
}

/** The unit a KPI of level `finest` is counted for when `unit` is asked (pure: `ancestors` from the root down to `unit`). */
export function coveringUnit<U extends { kind: string }>(ancestors: readonly U[], finest: UnitLevel): { unit: U; exact: boolean } {
  const asked = ancestors.at(-1)!;
  if (rank(asked.kind) <= rank(finest)) return { unit: asked, exact: true };
  const enclosing = [...ancestors].reverse().find((u) => rank(u.kind) <= rank(finest)) ?? ancestors[0]!;
  return { unit: enclosing, exact: false };
}

/**
 * For each finest level: the principal its figures are counted with (null: not within the asker's
 * jurisdiction) and the scope to report. `unit` is the asked unit (already checked to be in scope).
 */
export async function scopesByLevel(org: JurisdictionIndex, asker: Principal, unit: OrgUnit): Promise<(finest: UnitLevel) => { principal: Principal | null; scope: FigureScope }> {
  const ids = unit.path.split('/').filter(Boolean);
  const ancestors: OrgUnit[] = [];
  for (const id of ids.slice(0, -1)) {
    const u = await org.unit(id);
    if (u) ancestors.push(u);
  }
  ancestors.push(unit);
  return (finest) => {
    const c = coveringUnit(ancestors, finest);
    const scope = { unitId: c.unit.id, kind: c.unit.kind, name: c.unit.name, exact: c.exact };
    return { principal: coversUnit(asker, c.unit.path) ? narrowedTo(asker, c.unit) : null, scope };
  };
}

export type ScopedFigure = JudgedFigure & { scope: FigureScope };

/** The figures of `kpis` for `unit` (of the asker's jurisdiction), each counted for the unit it can be and saying which (GET /kpis/values, the export). */
export async function scopedKpiValues(db: Db, org: JurisdictionIndex, kpis: readonly KpiEntry[], asker: Principal, unit: OrgUnit, span: Span, compare: 'yoy' | 'none' = 'yoy'): Promise<ScopedFigure[]> {
  const scopeFor = await scopesByLevel(org, asker, unit);
  const scoped = new Map(kpis.map((k) => [k.id, scopeFor(k.finestUnit ?? 'station')]));
  const out = await kpiValues(db, kpis, asker, span, compare, (k) => scoped.get(k.id)!.principal);
  return out.map((v) => ({ ...v, scope: scoped.get(v.id)!.scope }));
}
