/**
 * The public map of open non-emergency reports (issue 15 part 7): public fields only — the category,
 * the place rounded to a 0.001° grid (about 100 m), the status and the age; never the description, the
 * photos, the reporter or the exact point. Urgent reports and reports of categories not offered publicly (随手拍 violations) are left out.
 * At most 500 items, the newest first.
 */
import { and, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { citizenReports } from './schema.js';
import { OPEN_STATUSES } from './domain/status.js';
import { invalidField } from './errors.js';

export const PUBLIC_MAP_LIMIT = 500;
/** About 100 m of latitude (and of longitude at the demo city's latitude). */
export const COARSE_DEGREES = 0.001;

export const coarse = (x: number) => Math.round(x / COARSE_DEGREES) * COARSE_DEGREES;
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function parseBbox(raw: string): { minLon: number; minLat: number; maxLon: number; maxLat: number } {
  const n = raw.split(',').map((s) => Number(s.trim()));
  if (n.length !== 4 || n.some((x) => !Number.isFinite(x))) throw invalidField('bbox', 'bbox 应为 最小经度,最小纬度,最大经度,最大纬度', 'bbox is minLon,minLat,maxLon,maxLat');
  const [minLon, minLat, maxLon, maxLat] = n as [number, number, number, number];
  if (minLon >= maxLon || minLat >= maxLat || minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) throw invalidField('bbox', 'bbox 范围不正确', 'bbox is not a valid box');
  return { minLon, minLat, maxLon, maxLat };
}

export async function publicReports(db: Db, box: ReturnType<typeof parseBbox>, now = new Date()) {
  const rows = await db
    .select({ serviceCode: citizenReports.serviceCode, lon: citizenReports.lon, lat: citizenReports.lat, status: citizenReports.status, createdAt: citizenReports.createdAt, stationId: citizenReports.stationId })
    .from(citizenReports)
    .where(
      and(
        inArray(citizenReports.status, [...OPEN_STATUSES]),
        eq(citizenReports.urgent, false),
        // Only the public categories (active in the routing table): not 随手拍 ('TV', inactive) nor other private kinds.
        sql`${citizenReports.serviceCode} in (select code from citizen_services where active)`,
        gte(citizenReports.lon, box.minLon),
        lte(citizenReports.lon, box.maxLon),
        gte(citizenReports.lat, box.minLat),
        lte(citizenReports.lat, box.maxLat),
      ),
    )
    .orderBy(desc(citizenReports.createdAt))
    .limit(PUBLIC_MAP_LIMIT + 1);
  return {
    truncated: rows.length > PUBLIC_MAP_LIMIT,
    items: rows.slice(0, PUBLIC_MAP_LIMIT).map((r) => ({
      serviceCode: r.serviceCode,
      stationId: r.stationId,
      lon: round6(coarse(r.lon ?? 0)),
      lat: round6(coarse(r.lat ?? 0)),
      status: r.status,
      ageHours: Math.max(0, Math.floor((now.getTime() - r.createdAt.getTime()) / 3_600_000)),
    })),
  };
}
