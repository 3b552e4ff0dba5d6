/**
 * What the weekly report (src/modules/reports) reads of incidents, without personal data: the incidents
 * of one priority in a span (number, category, station, recorded time, the intervals of their handling),
 * the names of the category families, and when the span's incidents last changed (the data's as-of time).
 * No caller, phone, address or description ever leaves here.
 */
import { and, asc, eq, gte, isNull, lt, max, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Principal } from '../../core/access.js';
import { categories, incidents } from './schema.js';
import { incidentScope } from './service.js';
import { CATEGORY_TREE, findCategory } from './domain/categories.js';

export interface NotableIncident {
  number: string;
  categoryCode: string;
  categoryName: string;
  family: string;
  stationId: string;
  recordedAt: string;
  status: string;
  /** Seconds; null where a time is not known (PRODUCT.md intervals). */
  intervals: { answer: number | null; intake: number | null; dispatch: number | null; travel: number | null; response: number | null };
}

const secondsBetween = (a: Date | null, b: Date | null) => (a && b ? Math.round((b.getTime() - a.getTime()) / 1000) : null);

/** Incidents of `priority` recorded in [from, to) in scope (duplicates merged away left out), oldest first. */
export async function incidentsOfPriority(db: Db, p: Principal, from: Date, to: Date, priority: string, limit = 200): Promise<NotableIncident[]> {
  const rows = await db
    .select({
      number: incidents.number,
      categoryCode: incidents.categoryCode,
      categoryName: sql<string | null>`${categories.name}`,
      family: incidents.categoryFamily,
      stationId: incidents.stationId,
      status: incidents.status,
      callStartedAt: incidents.callStartedAt,
      answeredAt: incidents.answeredAt,
      recordedAt: incidents.recordedAt,
      dispatchedAt: incidents.dispatchedAt,
      enRouteAt: incidents.enRouteAt,
      onSceneAt: incidents.onSceneAt,
    })
    .from(incidents)
    .leftJoin(categories, eq(categories.code, incidents.categoryCode))
    .where(and(incidentScope(p), gte(incidents.recordedAt, from), lt(incidents.recordedAt, to), isNull(incidents.masterId), eq(incidents.priority, priority)))
    .orderBy(asc(incidents.recordedAt), asc(incidents.number))
    .limit(limit);
  return rows.map((r) => ({
    number: r.number,
    categoryCode: r.categoryCode,
    // The stored tree is the truth; the built-in one names a code a database without the tree lacks (a CLI run on a fresh copy).
    categoryName: r.categoryName ?? findCategory(r.categoryCode)?.name ?? r.categoryCode,
    family: r.family,
    stationId: r.stationId,
    recordedAt: r.recordedAt.toISOString(),
    status: r.status,
    intervals: {
      answer: secondsBetween(r.callStartedAt, r.answeredAt),
      intake: secondsBetween(r.answeredAt, r.recordedAt),
      dispatch: secondsBetween(r.recordedAt, r.dispatchedAt),
      travel: secondsBetween(r.enRouteAt ?? r.dispatchedAt, r.onSceneAt),
      response: secondsBetween(r.recordedAt, r.onSceneAt),
    },
  }));
}

/** The names of the category families (level 1 of the tree), by code. */
export async function familyNames(db: Db): Promise<Record<string, { zh: string; en: string }>> {
  const rows = await db.select({ code: categories.code, name: categories.name, nameEn: categories.nameEn }).from(categories).where(eq(categories.level, 1));
  const builtIn = CATEGORY_TREE.map((c) => [c.code, { zh: c.name, en: c.nameEn }] as const);
  return Object.fromEntries([...builtIn, ...rows.map((r) => [r.code, { zh: r.name, en: r.nameEn }] as const)]);
}

/** The last change to an incident recorded in [from, to) in scope (null when there is none). */
export async function lastChangeOf(db: Db, p: Principal, from: Date, to: Date): Promise<Date | null> {
  const [r] = await db
    .select({ at: max(incidents.updatedAt) })
    .from(incidents)
    .where(and(incidentScope(p), gte(incidents.recordedAt, from), lt(incidents.recordedAt, to)));
  return r?.at ? new Date(r.at) : null;
}
