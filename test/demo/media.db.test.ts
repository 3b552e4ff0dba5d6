/**
 * The demo's body-cam recordings: three shipped clips, stored with their true SHA-256 and readable from
 * the asset store; one films the chief's station's detention (linked to that step), one is linked through
 * an incident; written once. Both drivers.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { seedDemo } from '../../src/demo/seed.js';
import { seedDemoHistory } from '../../src/demo/history.js';
import { seedDemoMedia } from '../../src/demo/media.js';
import { caseEvents } from '../../src/modules/cases/schema.js';
import { createStores, media, mediaConfigFromEnv, mediaLinks } from '../../src/modules/media/index.js';
import { freshDatabase, testDrivers, type TestDatabase } from '../helpers/db.js';

const NOW = new Date('2026-03-18T10:30:00+08:00');

describe.each(testDrivers())('demo media (%s)', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase(driver);
    await seedDemo(database.db);
    await seedDemoHistory(database.db, { now: NOW, days: 20 });
  });
  afterAll(() => database?.close());

  it('ships three clips with their hashes, linked to a detention step and an incident, once', async () => {
    const db = database.db;
    const rows = await db.select().from(media);
    expect(rows).toHaveLength(3);
    const stores = createStores(mediaConfigFromEnv('/nonexistent', {}));
    for (const r of rows) {
      expect(r).toMatchObject({ status: 'stored', store: 'asset', contentType: 'video/webm' });
      const hash = createHash('sha256');
      for await (const c of await stores.byKind('asset').open(r.storeKey)) hash.update(c as Buffer);
      expect(hash.digest('hex')).toBe(r.sha256);
    }
    const links = await db.select().from(mediaLinks);
    expect(links.map((l) => l.targetKind).sort()).toEqual(['case', 'incident']);
    const step = links.find((l) => l.targetKind === 'case')!;
    const [ev] = await db.select().from(caseEvents).where(eq(caseEvents.id, step.eventId!));
    expect(ev?.type).toBe('detention');
    expect(await seedDemoMedia(db, { now: NOW })).toBe(0);
  });
});
