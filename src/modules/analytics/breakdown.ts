/**
 * Drill-down (issue 16): a unit's incident count and each of its children's (bureau → branches →
 * stations → grids), now and in last year's fair span, each change judged by the Poisson test. Read from
 * the hour rollup (station_id, grid_id); the tree comes from the org module's index, once per request.
 * Every row of the rollup inside the unit falls to exactly one child (or to the "other" row: a station's
 * incidents without a grid), so the children always sum to the parent.
 */
import { sql } from 'drizzle-orm';
import { coversUnit, type Principal } from '../../core/access.js';
import { AppError, type Lang } from '../../core/errors.js';
import { queryRows, type Db } from '../../db/client.js';
import type { JurisdictionIndex } from '../org/index.js';
import { comparedInstants, cutView, fairComparison } from './figures.js';
import { incidentsByUnit, LOCAL_CALENDAR } from './span-rollups.js';
import { tierPlan } from './domain/tiers.js';
import type { Comparison, Span } from './domain/periods.js';
import { countChange } from './domain/significance.js';

export type OrgUnit = NonNullable<Awaited<ReturnType<JurisdictionIndex['unit']>>>;

export interface FamilyCount {
  family: string;
  now: number;
  previous: number;
}

export interface BreakdownRow {
  /** null: the incidents of the unit that no child holds (a station's incidents outside every grid). */
  id: string | null;
  kind: string | null;
  code: string | null;
  name: string;
  /** The row has units below it to drill into. */
  hasChildren: boolean;
  now: number;
  previous: number;
  expected: number;
  change: number;
  pct: number | null;
  z: number;
  significant: boolean;
  direction: 'up' | 'down' | 'same';
  families: FamilyCount[];
}

export interface Breakdown {
  at: string;
  from: string;
  to: string;
  previous: Span;
  rule: Comparison['rule'];
  /** A span that holds today: where it and last year's end (null: whole days). */
  cut: { current: string; previous: string } | null;
  unit: { id: string; kind: string; code: string; name: string };
  breadcrumb: { id: string; kind: string; name: string }[];
  total: BreakdownRow;
  children: BreakdownRow[];
}

const OTHER_NAME: Record<Lang, Record<string, string>> = {
  zh: { station: '未划入警格', other: '未归属下级单位' },
  en: { station: 'Outside every grid', other: 'No unit below' },
};

function refuseUnit(status: 403 | 404, zh: string, en: string) {
  return new AppError(status, 'analytics_invalid', { field: 'unitId', zh, en }, 'unitId');
}

/** The unit asked for (default: the asker's own), refused when unknown (404) or outside the asker's jurisdiction (403). */
export async function unitInScope(org: JurisdictionIndex, p: Principal, unitId: string | undefined): Promise<OrgUnit> {
  const unit = await org.unit(unitId ?? p.unitId);
  if (!unit) throw refuseUnit(404, `没有编号为 ${unitId} 的单位`, `no unit with the id ${unitId}`);
  if (!coversUnit(p, unit.path)) throw refuseUnit(403, `${unit.name} 不在您的辖区内，只能查看本单位及下级单位`, `${unit.name} is outside your jurisdiction: only your unit and the units below it`);
  return unit;
}

/** The asker narrowed to a unit of their jurisdiction: every scoped query then reads that unit and below. */
export function narrowedTo(p: Principal, unit: OrgUnit): Principal {
  return { ...p, unitId: unit.id, unitPath: unit.path, unitKind: unit.kind };
}

/**
 * The asker, or the asker narrowed to `unitId` (a unit of their jurisdiction; 403/404 naming unitId
 * otherwise): every analytics route that takes `unitId` scopes it here.
 */
export async function scopedPrincipal(org: JurisdictionIndex, p: Principal, unitId: string | undefined): Promise<{ principal: Principal; unit: OrgUnit | null }> {
  if (!unitId) return { principal: p, unit: null };
  const unit = await unitInScope(org, p, unitId);
  return { principal: narrowedTo(p, unit), unit };
}

/** Ids along a path '/a/b/c/' → ['a', 'b', 'c']. */
const idsOf = (path: string) => path.split('/').filter(Boolean);

type Counts = Map<string, Map<string, number>>; // bucket (child id or '') → family → n

/** Incidents of [from, to) inside the unit (its stations' or grids' rows, as the rollup's scope reads them), by child and family. */
type Instants = { from: Date; to: Date };

/**
 * The whole local days of the span from the day and month rows, the hours at its ends (a span running
 * into today is cut at the end of the running hour) from the hour rows, added up per child and family.
 */
async function countsByChild(db: Db, w: Instants, unit: OrgUnit, below: OrgUnit[]): Promise<Counts> {
  const plan = tierPlan(w.from, w.to, LOCAL_CALENDAR);
  const parts: Counts[] = [];
  for (const h of plan.hours) parts.push(await countsFromHours(db, h, unit, below));
  if (plan.days.length || plan.months) {
    const head = plan.hours.find((h) => h.from.getTime() === w.from.getTime());
    const tail = plan.hours.find((h) => h.to.getTime() === w.to.getTime() && h !== head);
    const whole = { from: head?.to ?? w.from, to: tail?.from ?? w.to };
    parts.push((await countsFromDayTier(db, whole, unit, below)) ?? (await countsFromHours(db, whole, unit, below)));
  }
  const out: Counts = new Map();
  for (const part of parts) {
    for (const [child, fams] of part) {
      const into = out.get(child) ?? new Map<string, number>();
      for (const [f, n] of fams) into.set(f, (into.get(f) ?? 0) + n);
      out.set(child, into);
    }
  }
  for (const [child, fams] of out) {
    for (const [f, n] of fams) if (n === 0) fams.delete(f);
    if (!fams.size && child === '') out.delete(child);
  }
  return out;
}

/**
 * From the day and month rows of the unit and its children: each child's own rows; the unit's rows that no
 * child holds make the "other" row (the root's total is the whole city's, '' — a row of a removed station included).
 */
async function countsFromDayTier(db: Db, w: Instants, unit: OrgUnit, below: OrgUnit[]): Promise<Counts | null> {
  const children = below.filter((u) => u.parentId === unit.id).map((u) => u.id);
  const totalKey = unit.parentId === null ? '' : unit.id;
  const rows = await incidentsByUnit(db, [totalKey, ...children], w.from, w.to);
  if (!rows) return null;
  const out: Counts = new Map();
  const other = new Map<string, number>();
  for (const r of rows) {
    if (r.unit_id === totalKey) {
      other.set(r.family, (other.get(r.family) ?? 0) + r.n);
      continue;
    }
    const fam = out.get(r.unit_id) ?? new Map<string, number>();
    fam.set(r.family, r.n);
    out.set(r.unit_id, fam);
  }
  for (const fam of out.values()) for (const [f, n] of fam) other.set(f, (other.get(f) ?? 0) - n);
  for (const [f, n] of other) if (n === 0) other.delete(f);
  if (unit.kind === 'grid') return new Map([[unit.id, new Map([...other])]]);
  if (other.size) out.set('', other);
  return out;
}

/** From the hour rows (a span that is not whole local days). */
async function countsFromHours(db: Db, w: Instants, unit: OrgUnit, below: OrgUnit[]): Promise<Counts> {
  // A Postgres array literal, every id quoted (an id may hold any character but a quote or backslash).
  const inside = `{${[unit, ...below].map((u) => `"${u.id.replace(/["\\]/g, '')}"`).join(',')}}`;
  // The root holds every row, as the rollup's scope reads it for a bureau user (a row of a station since removed included).
  const where = unit.parentId === null ? sql`true` : sql`(station_id = any(${inside}::text[]) or grid_id = any(${inside}::text[]))`;
  const rows = await queryRows<{ station_id: string; grid_id: string; family: string; n: number }>(
    db,
    sql`select station_id, grid_id, family, sum(n)::int as n from analytics_incident_hours
        where hour >= ${w.from.toISOString()}::timestamptz and hour < ${w.to.toISOString()}::timestamptz
          and ${where}
        group by 1, 2, 3`,
  );
  const depth = idsOf(unit.path).length;
  const pathOf = new Map([unit, ...below].map((u) => [u.id, u.path]));
  const out: Counts = new Map();
  for (const r of rows) {
    // Below a station the children are grids: the row's grid, or '' (the "other" row) without one. Above,
    // the row's station decides which child holds it; its grid only when the station is not inside (data moved).
    const bucket =
      unit.kind === 'grid' ? unit.id
      : unit.kind === 'station' ? (r.grid_id && r.grid_id !== unit.id && pathOf.has(r.grid_id) ? r.grid_id : '')
      : (idsOf(pathOf.get(r.station_id) ?? pathOf.get(r.grid_id) ?? unit.path)[depth] ?? '');
    const fam = out.get(bucket) ?? new Map<string, number>();
    fam.set(r.family, (fam.get(r.family) ?? 0) + Number(r.n));
    out.set(bucket, fam);
  }
  return out;
}

function row(base: Pick<BreakdownRow, 'id' | 'kind' | 'code' | 'name' | 'hasChildren'>, now: Map<string, number> | undefined, before: Map<string, number> | undefined, cmp: Comparison): BreakdownRow {
  const families = [...new Set([...(now?.keys() ?? []), ...(before?.keys() ?? [])])].sort().map((family) => ({ family, now: now?.get(family) ?? 0, previous: before?.get(family) ?? 0 }));
  const n = families.reduce((a, f) => a + f.now, 0);
  const b = families.reduce((a, f) => a + f.previous, 0);
  const c = countChange(n, b, cmp.days);
  return { ...base, now: n, previous: b, expected: c.expected, change: c.change, pct: c.pct, z: c.z, significant: c.significant, direction: c.direction, families };
}

function merged(counts: Counts): Map<string, number> {
  const all = new Map<string, number>();
  for (const fam of counts.values()) for (const [f, n] of fam) all.set(f, (all.get(f) ?? 0) + n);
  return all;
}

/** The unit's totals and its children's, now and in last year's fair span, with the breadcrumb from the asker's unit down to it. */
export async function breakdown(db: Db, org: JurisdictionIndex, p: Principal, unit: OrgUnit, span: Span, lang: Lang): Promise<Breakdown> {
  const cmp = fairComparison(span);
  const w = comparedInstants(cmp);
  const all = await org.units();
  const below = all.filter((u) => u.path !== unit.path && u.path.startsWith(unit.path));
  const [now, before] = [await countsByChild(db, w.current, unit, below), await countsByChild(db, w.previous, unit, below)];
  const hasChildren = (u: OrgUnit) => below.some((x) => x.parentId === u.id);
  const children = below
    .filter((u) => u.parentId === unit.id)
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((u) => row({ id: u.id, kind: u.kind, code: u.code, name: u.name, hasChildren: hasChildren(u) }, now.get(u.id), before.get(u.id), cmp));
  // Incidents inside the unit that no child holds: shown as their own row so the children still sum to the total.
  if (unit.kind !== 'grid' && (now.has('') || before.has(''))) children.push(row({ id: null, kind: null, code: null, name: OTHER_NAME[lang][unit.kind === 'station' ? 'station' : 'other']!, hasChildren: false }, now.get(''), before.get(''), cmp));
  const byId = new Map(all.map((u) => [u.id, u]));
  const trail = idsOf(unit.path);
  const from = Math.max(0, trail.indexOf(p.unitId));
  const breadcrumb = trail.slice(from).flatMap((id) => {
    const u = byId.get(id);
    return u ? [{ id: u.id, kind: u.kind, name: u.name }] : [];
  });
  return {
    at: new Date().toISOString(),
    ...span,
    previous: cmp.previous,
    rule: cmp.rule,
    cut: cutView(cmp),
    unit: { id: unit.id, kind: unit.kind, code: unit.code, name: unit.name },
    breadcrumb,
    total: row({ id: unit.id, kind: unit.kind, code: unit.code, name: unit.name, hasChildren: children.length > 0 }, merged(now), merged(before), cmp),
    children,
  };
}
