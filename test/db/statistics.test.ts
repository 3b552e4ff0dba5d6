import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, testDrivers, type TestDatabase } from '../helpers/db.js';
import { rawQuery } from '../../src/db/client.js';
import { StatisticsKeeper } from '../../src/db/statistics.js';

describe.each(testDrivers())('planner statistics on %s', (driver) => {
  let d: TestDatabase;
  beforeAll(async () => {
    d = await freshDatabase(driver);
  });
  afterAll(() => d?.close());

  const analysed = async () => Number((await rawQuery<{ n: number }>(d.db, "select reltuples as n from pg_class where relname = 'incidents'"))[0].n);

  it('analyses a fast-growing table after enough writes when nothing else does', async () => {
    await rawQuery(d.db, `insert into incidents (id, number, source, category_code, category_family, priority, suggested_priority, description, station_id, status, recorded_at)
      select 'i' || g, 'N' || g, 'call110', '02010101', '02', 'P2', 'P2', 'x', 'S', 'new', now() from generate_series(1, 2500) g`);
    expect(await analysed()).toBeLessThan(1); // never analysed (-1), or 0 on older servers
    const selfAnalysing = driver === 'postgres' && (await rawQuery<{ on: boolean }>(d.db, "select current_setting('autovacuum') = 'on' as on"))[0].on;
    const keeper = new StatisticsKeeper(d.db, 'incidents', (e) => {
      throw e;
    });
    keeper.noteWrites(1999);
    await new Promise((r) => setTimeout(r, 200));
    expect(await analysed()).toBeLessThan(1); // below the threshold: nothing yet
    keeper.noteWrites(501);
    if (selfAnalysing) return; // PostgreSQL's autovacuum is in charge there
    for (let i = 0; i < 50 && (await analysed()) < 1; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await analysed()).toBe(2500);
  });
});
