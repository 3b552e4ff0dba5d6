/**
 * The demo's cases agree with the module's rules: every case's steps pass the same check the API makes,
 * numbers are unique with the counters ahead of them, the stored next due time is what the clocks say,
 * most clocks were kept, and today the chief's station has a red, a yellow and a running clock. Both drivers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../../src/db/schema.js';
import { caseCounters, caseEvents, cases } from '../../src/modules/cases/schema.js';
import { CLOCK_RULES, boardOf, computeClocks, eventErrors, nextDue, type CaseEvent, type CaseKind, type EventType } from '../../src/modules/cases/index.js';
import { seedDemo } from '../../src/demo/seed.js';
import { seedDemoHistory } from '../../src/demo/history.js';
import { seedDemoCases } from '../../src/demo/cases.js';
import { defaultCalendar } from '../../src/core/working-days.js';
import { freshDatabase, testDrivers, type TestDatabase } from '../helpers/db.js';
import type { Db } from '../../src/db/client.js';

const NOW = new Date('2026-03-18T10:30:00+08:00');
const calendar = defaultCalendar();

describe.each(testDrivers())('demo cases (%s)', (driver) => {
  let database: TestDatabase;
  let db: Db;
  let all: (typeof cases.$inferSelect)[];
  const steps = new Map<string, CaseEvent[]>();

  beforeAll(async () => {
    database = await freshDatabase(driver);
    db = database.db;
    await seedDemo(db);
    await seedDemoHistory(db, { now: NOW, days: 70 });
    all = await db.select().from(cases);
    for (const e of await db.select().from(caseEvents).orderBy(caseEvents.seq)) (steps.get(e.caseId) ?? steps.set(e.caseId, []).get(e.caseId)!).push({ ...(e.detail as object), id: e.id, type: e.type as EventType, at: e.at });
  });
  afterAll(() => database?.close());

  it('are there, each with steps that pass the API’s own check, and are written once', async () => {
    expect(all.length).toBeGreaterThan(20);
    for (const c of all) expect(eventErrors(steps.get(c.id) ?? [], CLOCK_RULES), c.number).toEqual([]);
    expect(await seedDemoCases(db, { now: NOW })).toBe(0);
  });

  it('numbers are unique, AJ + station + day + sequence, and the counters are ahead of them', async () => {
    expect(new Set(all.map((c) => c.number)).size).toBe(all.length);
    const counters = new Map((await db.select().from(caseCounters)).map((c) => [`${c.stationCode}:${c.day}`, c.lastSeq]));
    for (const c of all) {
      const m = /^AJ(.+)(\d{8})(\d{4})$/.exec(c.number)!;
      expect(counters.get(`${m[1]}:${m[2]}`)).toBeGreaterThanOrEqual(Number(m[3]));
    }
  });

  it('store the next due time the clocks give, and most clocks were kept', () => {
    let overdue = 0;
    let clocks = 0;
    for (const c of all) {
      const results = computeClocks(steps.get(c.id)!, CLOCK_RULES, calendar, { caseKind: c.kind as CaseKind, explain: false });
      const due = nextDue(results, NOW);
      expect({ at: c.nextDueAt?.getTime() ?? null, rule: c.nextDueRule }, c.number).toEqual({ at: due.nextDueAt?.getTime() ?? null, rule: due.nextDueRule });
      clocks += results.length;
      overdue += due.overdueClocks;
    }
    expect(overdue).toBeGreaterThan(0);
    expect(overdue / clocks).toBeLessThan(0.1);
  });

  it('today: at the chief’s station a detention not questioned is red, first; a clock due within the day is yellow', async () => {
    const station = (await db.select().from(users).where(eq(users.username, 'chief')))[0]!.unitId;
    const open = all.filter((c) => c.stationId === station && !c.closedAt);
    const board = boardOf(open.map((c) => ({ item: c, clocks: computeClocks(steps.get(c.id)!, CLOCK_RULES, calendar, { caseKind: c.kind as CaseKind, explain: false }) })), NOW, 24 * 3_600_000);
    expect(board[0]).toMatchObject({ colour: 'red', clock: expect.objectContaining({ rule: 'detention_interrogation' }) });
    expect(board.some((b) => b.colour === 'yellow')).toBe(true);
  });
});
