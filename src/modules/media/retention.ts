/**
 * Retention: a recording is kept at least 6 months after it ends (SHOUWANG_MEDIA_RETENTION_DAYS, never
 * fewer than 183 days), for good when held as evidence or linked to a major case. The purge deletes the
 * bytes of what has expired, keeps the row (status `purged`, its hash and links: the linkage rate of a
 * past period does not change) and audits each deletion. Run on a timer by the module and callable alone.
 */
import { and, asc, eq, gt, inArray, lt, not } from 'drizzle-orm';
import { appendAudit } from '../audit/index.js';
import { casesOfIncidents, majorCaseIds } from '../cases/index.js';
import { media, mediaLinks } from './schema.js';
import { expired, MAJOR_CASE_EXTENSIONS, MIN_RETENTION_DAYS } from './domain/linkage.js';
import type { MediaDeps } from './upload.js';

const BATCH = 200;

export async function purgeExpiredMedia(deps: MediaDeps, now = new Date()): Promise<{ purged: number; kept: number }> {
  const days = Math.max(MIN_RETENTION_DAYS, deps.config.retentionDays);
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const { db } = deps;
  let purged = 0;
  let kept = 0;
  let after = new Date(0);
  for (;;) {
    const rows = await db
      .select()
      .from(media)
      .where(and(eq(media.status, 'stored'), not(media.hold), lt(media.recordedTo, cutoff), gt(media.recordedTo, after)))
      .orderBy(asc(media.recordedTo))
      .limit(BATCH);
    if (!rows.length) break;
    after = rows.at(-1)!.recordedTo;
    const links = await db.select().from(mediaLinks).where(inArray(mediaLinks.mediaId, rows.map((r) => r.id)));
    const incidentIds = [...new Set(links.filter((l) => l.targetKind === 'incident').map((l) => l.targetId))];
    const viaIncident = await casesOfIncidents(db, incidentIds);
    const caseIds = new Set(links.filter((l) => l.targetKind === 'case').map((l) => l.targetId));
    for (const c of viaIncident) caseIds.add(c.id);
    const major = await majorCaseIds(db, [...caseIds], MAJOR_CASE_EXTENSIONS);
    for (const row of rows) {
      const mine = links.filter((l) => l.mediaId === row.id);
      const isMajor = mine.some((l) => (l.targetKind === 'case' && major.has(l.targetId)) || (l.targetKind === 'incident' && viaIncident.some((c) => major.has(c.id) && c.incidentIds.includes(l.targetId))));
      if (!expired(row, days, isMajor, now)) {
        kept++;
        continue;
      }
      try {
        await deps.stores.byKind(row.store).remove(row.storeKey);
        const [done] = await db.update(media).set({ status: 'purged', purgedAt: now }).where(and(eq(media.id, row.id), eq(media.status, 'stored'), not(media.hold))).returning({ id: media.id });
        if (!done) continue;
        await appendAudit(db, { userId: null, username: 'system', roles: [], unitId: row.stationId, action: 'media.purge', entity: 'media', entityId: row.id, outcome: 'success', requestId: null, clientIp: null, detail: { sha256: row.sha256, size: row.size, recordedTo: row.recordedTo.toISOString(), retentionDays: days, store: row.store } });
        purged++;
      } catch (err) {
        deps.log(err, `media purge: ${row.id} not deleted`);
      }
    }
    if (rows.length < BATCH) break;
  }
  return { purged, kept };
}
