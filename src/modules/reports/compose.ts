/**
 * Composes a report's frozen snapshot (a week or any period) from the modules' public functions: every
 * computed KPI judged as GET /kpis/values judges it, incidents by category family against last year, the
 * weekday × hour table, the P1 incidents (no personal data), the hot spots and the time the data is as
 * of. The rollups are settled first, so the snapshot reads figures that no pending recount would change.
 */
import type { Db } from '../../db/client.js';
import type { Principal } from '../../core/access.js';
import { localDay, localDayStart, timeZone } from '../../core/clock.js';
import { addCalendarDays } from '../../core/working-days.js';
import type { KpiEntry } from '../../kernel/kernel.js';
import { comparedInstants, countChange, familyCounts, heatTable, judgedFigures, reportComparison, reportCut, reportHotSpots, settleRollups, type Span } from '../analytics/index.js';
import { familyNames, incidentsOfPriority, lastChangeOf } from '../incidents/index.js';
import { listUnits } from '../org/index.js';
import type { FamilyRow, HotSpotSection, ReportSnapshot, ReportSpan } from './domain/snapshot.js';

/** P1 incidents listed in the report; more are counted, not listed. */
const NOTABLE_LISTED = 100;
/** Hot spots listed, and their H3 resolution (8 ≈ 0.7 km², a few blocks). */
export const HOTSPOTS_LISTED = 10;
export const HOTSPOT_RESOLUTION = 8;

export interface ReportUnit {
  id: string;
  name: string;
  kind: string;
  path: string;
}

/** The report's jurisdiction as a principal: what a user of that unit would see, nothing more. */
export function scopeOf(unit: ReportUnit): Principal {
  return { kind: 'user', id: 'reports', username: 'reports', displayName: '报告', roles: ['analyst'], unitId: unit.id, unitPath: unit.path, unitKind: unit.kind, scopes: [] };
}

/** Whole local days of a span as instants. */
const instants = (s: Span) => ({ from: localDayStart(s.from), to: localDayStart(addCalendarDays(s.to, 1)) });

export async function composeReport(db: Db, kpis: readonly KpiEntry[], unit: ReportUnit, period: ReportSpan): Promise<ReportSnapshot> {
  await settleRollups(db);
  const p = scopeOf(unit);
  const span: Span = { from: period.from, to: period.to };
  // A span that holds today ends, this year and last, at the same time of day: the last change to its data.
  const today = localDay(new Date());
  const whole = instants(span);
  const cutAt = reportCut(span, today, localDayStart(today), await lastChangeOf(db, p, whole.from, whole.to));
  const cmp = reportComparison(span, cutAt);
  const { current: now, previous: before } = comparedInstants(cmp);
  // Where both spans were read to: the same time of day (the end of the last change's hour).
  const cut = cmp.cut ? { current: now.to.toISOString(), previous: before.to.toISOString() } : null;

  const byId = new Map(kpis.map((k) => [k.id, k]));
  const headline = (await judgedFigures(db, kpis, p, span, cutAt)).map((f) => ({ ...f, zh: byId.get(f.id)?.zh ?? f.id, en: byId.get(f.id)?.en ?? f.id }));

  const [current, previous, names] = [await familyCounts(db, p, now.from, now.to), await familyCounts(db, p, before.from, before.to), await familyNames(db)];
  const families: FamilyRow[] = [...new Set([...Object.keys(current), ...Object.keys(previous)])].sort().map((family) => {
    const c = countChange(current[family] ?? 0, previous[family] ?? 0, cmp.days);
    return { family, zh: names[family]?.zh ?? family, en: names[family]?.en ?? family, current: current[family] ?? 0, previous: previous[family] ?? 0, change: c.change, pct: c.pct, z: c.z, significant: c.significant, direction: c.direction };
  });

  const heat = await heatTable(db, p, now.from, now.to, timeZone());
  const p1 = await incidentsOfPriority(db, p, now.from, now.to, 'P1', 10_000);
  const stations = new Map((await listUnits(db, p)).map((u) => [u.id, u.name]));
  const notable = p1.slice(0, NOTABLE_LISTED).map((i) => ({ ...i, stationName: stations.get(i.stationId) ?? i.stationId }));
  const hot = await reportHotSpots(db, p, cmp, HOTSPOT_RESOLUTION, HOTSPOTS_LISTED);
  const hotspots: HotSpotSection = { resolution: HOTSPOT_RESOLUTION, total: hot.total, cells: hot.cells.map((c) => ({ ...c, stationName: stations.get(c.stationId) ?? c.stationId })) };

  const changes = [await lastChangeOf(db, p, now.from, now.to), await lastChangeOf(db, p, before.from, before.to)].filter((d): d is Date => d !== null);
  const asOf = changes.length ? new Date(Math.max(...changes.map((d) => d.getTime()))) : now.to;

  const base = {
    format: 1 as const,
    from: period.from,
    to: period.to,
    timeZone: timeZone(),
    // `cut` only when there is one: the snapshots of whole past spans keep their hashes.
    compare: { ...cmp.previous, rule: cmp.rule, ...(cut ? { cut } : {}) },
    unit: { id: unit.id, name: unit.name, kind: unit.kind },
    asOf: asOf.toISOString(),
    headline,
    families,
    heat,
    notable,
    notableTotal: p1.length,
    hotspots,
  };
  return period.kind === 'weekly' ? { kind: 'weekly', week: period.label, ...base } : { kind: 'period', label: period.label, ...base };
}
