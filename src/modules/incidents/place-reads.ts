/**
 * What community policing (src/modules/community) reads of incidents: how many incidents each registered
 * address of some police grids saw since a time — repeat-incident addresses (重复警情) are visited first.
 * Counts per address code only: no caller, no description, no person.
 */
import { and, gte, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { incidents } from './schema.js';

/** Address code → incidents recorded there since `since`, for the addresses with at least `min` (merged duplicates left out). */
export async function incidentCountsByAddress(db: Db, gridIds: readonly string[], since: Date, min = 3): Promise<Map<string, number>> {
  if (!gridIds.length) return new Map();
  const rows = await db
    .select({ code: incidents.addressCode, n: sql<number>`count(*)::int` })
    .from(incidents)
    .where(and(inArray(incidents.gridId, [...gridIds]), gte(incidents.recordedAt, since), isNotNull(incidents.addressCode), isNull(incidents.mergedAt)))
    .groupBy(incidents.addressCode)
    .having(sql`count(*) >= ${min}`);
  return new Map(rows.map((r) => [r.code!, r.n]));
}
