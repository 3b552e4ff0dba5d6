/**
 * Duration KPIs on GET /kpis/values are judged (issue 16): an interval median read from the rollup's
 * histogram gets `significant` from the two histograms (this span's and last year's fair span's
 * confidence intervals, domain/median-change.ts), with `test: 'quantile_interval'` and each side's `ci`.
 * A week five weeks back against the same ISO week last year: dispatch times alike both years (not
 * significant), travel times halved this year (significant, down). Both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { rawQuery } from '../../src/db/client.js';
import { localDay, localDayStart } from '../../src/core/clock.js';
import { addCalendarDays, weekdayOf } from '../../src/core/working-days.js';
import { comparisonFor } from '../../src/modules/analytics/domain/periods.js';

interface Side {
  value: number | null;
  from: string;
  ci: { low: number | null; high: number | null } | null;
}
interface Figure {
  id: string;
  current: Side;
  previous: Side | null;
  change: number | null;
  z: number | null;
  significant: boolean;
  direction: string;
  test: string | null;
}

const N = 60;
// A whole ISO week (Monday–Sunday) five weeks back: compared with the same ISO week last year.
const today = localDay(new Date());
const monday = addCalendarDays(today, -((weekdayOf(today) + 6) % 7) - 35);
const week = { from: monday, to: addCalendarDays(monday, 6) };
const lastYear = comparisonFor(week).previous;

describe.each(testDrivers())('duration KPIs judged on GET /kpis/values on %s', (driver) => {
  let t: TestApp;
  const q = (text: string, params: unknown[] = []) => rawQuery<Record<string, unknown>>(t.database.db, text, params);

  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    const station = String((await q("select id from org_units where kind = 'station' order by id limit 1"))[0]!.id);
    // N incidents on the Wednesday of each week from 10:00 local, 20 s apart (one hour of the rollup each).
    // Dispatch: 40…99 s this year, 41…100 s last year; travel: 300…359 s this year, 600…659 s last year.
    for (const [tag, day, dispatchFrom, travelFrom] of [['now', addCalendarDays(week.from, 2), 40, 300], ['ly', addCalendarDays(lastYear.from, 2), 41, 600]] as const) {
      const start = new Date(localDayStart(day).getTime() + 10 * 3_600_000).toISOString();
      await q(
        `insert into incidents (id, number, source, category_code, category_family, priority, suggested_priority, description, station_id, status, recorded_at, answered_at, call_started_at, dispatched_at, on_scene_at)
         select $1 || g, $1 || g, 'call110', '02010101', '02', 'P2', 'P2', 'x', $2, 'closed', r, r - interval '10 seconds', r - interval '20 seconds',
                r + make_interval(secs => $4 + g), r + make_interval(secs => $4 + g + $5 + g)
         from generate_series(0, $6 - 1) g, lateral (select $3::timestamptz + make_interval(secs => 20 * g) as r) x`,
        [`dur-${tag}-`, station, start, dispatchFrom, travelFrom, N],
      );
    }
  });
  afterAll(() => t?.close());

  const values = async (compare = 'yoy') => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/kpis/values?ids=dispatch.dispatch_time&ids=dispatch.travel_time&ids=incident.answer_time&ids=incident.count&from=${week.from}&to=${week.to}&compare=${compare}`, headers: await t.login('analyst') });
    expect(res.statusCode, res.body).toBe(200);
    return new Map((res.json().items as Figure[]).map((f) => [f.id, f]));
  };

  it('judges a median from the two histograms: alike is no significant change, a clear shift is', async () => {
    // The rollups follow the inserts within a refresh or two.
    await expect.poll(async () => (await values()).get('dispatch.travel_time')!.previous?.value ?? null, { timeout: 30_000 }).not.toBeNull();
    const v = await values();
    const dispatch = v.get('dispatch.dispatch_time')!;
    expect(dispatch).toMatchObject({ test: 'quantile_interval', significant: false, direction: 'same' });
    expect(Math.abs(dispatch.change! + 1)).toBeLessThanOrEqual(1);
    const travel = v.get('dispatch.travel_time')!;
    expect(travel).toMatchObject({ test: 'quantile_interval', significant: true, direction: 'down' });
    // Within the buckets' width (5 s here) of 330 − 630.
    expect(Math.abs(travel.change! + 300)).toBeLessThanOrEqual(10);
    expect(travel.previous!.from).toBe(lastYear.from);
    // Each side's interval holds its median, and this year's lies wholly below last year's.
    for (const s of [travel.current, travel.previous!, dispatch.current, dispatch.previous!]) {
      expect(s.ci!.low!).toBeLessThanOrEqual(s.value!);
      expect(s.ci!.high!).toBeGreaterThanOrEqual(s.value!);
    }
    expect(travel.current.ci!.high!).toBeLessThan(travel.previous!.ci!.low!);
    // z says the same: beyond 3 exactly when the intervals part.
    expect(travel.z!).toBeLessThan(-3);
    expect(Math.abs(dispatch.z!)).toBeLessThanOrEqual(3);
    // The same answer time both years: never a change.
    expect(v.get('incident.answer_time')).toMatchObject({ test: 'quantile_interval', significant: false, change: 0 });
    // Other figures keep their tests and carry no interval.
    expect(v.get('incident.count')).toMatchObject({ test: 'poisson', current: { ci: null } });
  });

  it('gives a duration’s interval without a comparison, and no verdict', async () => {
    const travel = (await values('none')).get('dispatch.travel_time')!;
    expect(travel).toMatchObject({ previous: null, test: null, z: null, significant: false, change: null });
    expect(travel.current.ci!.low!).toBeLessThan(travel.current.ci!.high!);
  });
});
