/**
 * The demo's body-cam recordings (issue 14 part 4): three short generated WebM clips shipped in
 * assets/media (store `asset`, read-only), worn by the demo `officer` at the chief's station. One films
 * today's detention of the 故意伤害案 (linked to that step), one the latest case from an incident there
 * (linked through the incident), one a patrol (not linked). The 殴打他人案's summons has no recording, so
 * its case page asks for the reason. Written with the demo cases, once (`demo_media` setting).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, isNotNull, like } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { orgUnits, settings, users } from '../db/schema.js';
import { caseEvents, cases } from '../modules/cases/schema.js';
import { ASSET_DIR, media, mediaLinks } from '../modules/media/index.js';

export const MEDIA_SETTING = 'demo_media';
const H = 3_600_000;

export async function seedDemoMedia(db: Db, opts: { now: Date; log?: (msg: string) => void }): Promise<number> {
  const [done] = await db.select().from(settings).where(eq(settings.key, MEDIA_SETTING));
  if (done) return 0;
  const [officer] = await db.select().from(users).where(eq(users.username, 'officer'));
  const [station] = await db.select().from(orgUnits).where(eq(orgUnits.kind, 'station')).orderBy(asc(orgUnits.code)).limit(1);
  if (!officer || !station) return 0;
  const now = opts.now.getTime();
  const [injury] = await db.select().from(cases).where(and(eq(cases.stationId, station.id), like(cases.title, '故意伤害案%'))).orderBy(desc(cases.openedAt)).limit(1);
  const detention = injury ? (await db.select().from(caseEvents).where(and(eq(caseEvents.caseId, injury.id), eq(caseEvents.type, 'detention'))).limit(1))[0] : undefined;
  const [fromIncident] = await db.select().from(cases).where(and(eq(cases.stationId, station.id), isNotNull(cases.incidentId))).orderBy(desc(cases.openedAt)).limit(1);
  const clips: { file: string; from: number; link?: typeof mediaLinks.$inferInsert }[] = [
    { file: 'bodycam-demo-1.webm', from: now - 3 * H },
    { file: 'bodycam-demo-2.webm', from: detention ? detention.at.getTime() - 2 * 60_000 : now - 26 * H, link: injury ? { mediaId: '', targetKind: 'case', targetId: injury.id, how: 'manual', eventId: detention?.id ?? null, linkedBy: 'demo' } : undefined },
    { file: 'bodycam-demo-3.webm', from: fromIncident ? fromIncident.openedAt.getTime() - 2 * H : now - 48 * H, link: fromIncident?.incidentId ? { mediaId: '', targetKind: 'incident', targetId: fromIncident.incidentId, how: 'manual', linkedBy: 'demo' } : undefined },
  ];
  let n = 0;
  for (const c of clips) {
    const bytes = fs.readFileSync(path.join(ASSET_DIR, c.file));
    const id = randomUUID();
    const from = new Date(c.from);
    await db.insert(media).values({ id, status: 'stored', store: 'asset', storeKey: c.file, size: bytes.length, received: bytes.length, contentType: 'video/webm', fileName: c.file, sha256: createHash('sha256').update(bytes).digest('hex'), officerId: officer.id, officerName: officer.displayName, stationId: station.id, recordedFrom: from, recordedTo: new Date(from.getTime() + 4_000), source: 'demo', createdBy: 'demo', createdAt: new Date(from.getTime() + H), storedAt: new Date(from.getTime() + H) });
    if (c.link) await db.insert(mediaLinks).values({ ...c.link, mediaId: id, linkedAt: new Date(from.getTime() + H) });
    n++;
  }
  await db.insert(settings).values({ key: MEDIA_SETTING, value: { recordings: n, seededAt: new Date().toISOString() } });
  opts.log?.(`demo media: ${n} recordings`);
  return n;
}
