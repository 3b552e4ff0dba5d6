/**
 * The demo's supervision notices and reviews: written once with the demo cases, at the chief's station,
 * with one notice overdue for its answer, some answered, one answered late, and two closed cases reviewed
 * with scores the checklist gives. Both drivers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { cases } from '../../src/modules/cases/schema.js';
import { caseNotices, caseReviews } from '../../src/modules/cases/supervision-schema.js';
import { isOverdue, type NoticeState } from '../../src/modules/cases/domain/notices.js';
import { reviewErrors, scoreReview } from '../../src/modules/cases/domain/review.js';
import { seedDemo } from '../../src/demo/seed.js';
import { seedDemoHistory } from '../../src/demo/history.js';
import { seedDemoCaseNotices } from '../../src/demo/case-notices.js';
import { freshDatabase, testDrivers, type TestDatabase } from '../helpers/db.js';

const NOW = new Date('2026-03-18T10:30:00+08:00');

describe.each(testDrivers())('demo notices and reviews (%s)', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase(driver);
    await seedDemo(database.db);
    await seedDemoHistory(database.db, { now: NOW, days: 70 });
  });
  afterAll(() => database?.close());

  it('are written once, on cases of their station, in every state the supervisor meets', async () => {
    const db = database.db;
    const notices = await db.select().from(caseNotices);
    expect(notices.length).toBeGreaterThanOrEqual(4);
    expect(await seedDemoCaseNotices(db, { now: NOW })).toBe(0);
    for (const n of notices) {
      const [c] = await db.select().from(cases).where(eq(cases.id, n.caseId));
      expect(c!.stationId).toBe(n.stationId);
      expect(n.number).toBe(`${c!.number}-01`);
      expect(n.issuedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(n.issuedAt.getTime()).toBeGreaterThanOrEqual(c!.openedAt.getTime());
    }
    const states = notices.map((n) => n.state);
    expect(states).toEqual(expect.arrayContaining(['accepted', 'answered', 'issued']));
    expect(notices.filter((n) => isOverdue({ state: n.state as NoticeState, answerDueAt: n.answerDueAt }, NOW))).toHaveLength(1);
    expect(notices.filter((n) => n.late)).toHaveLength(1);
    expect(notices.find((n) => n.state === 'answered')!.steps.map((s) => s.action)).toEqual(['answer', 'return', 'answer']);
  });

  it('review two closed cases with the checklist’s own score', async () => {
    const reviews = await database.db.select().from(caseReviews);
    expect(reviews).toHaveLength(2);
    for (const r of reviews) {
      expect(reviewErrors(r.items)).toBeNull();
      expect({ score: r.score, grade: r.grade }).toEqual(scoreReview(r.items));
      const [c] = await database.db.select().from(cases).where(eq(cases.id, r.caseId));
      expect(c!.closedAt).not.toBeNull();
    }
  });
});
