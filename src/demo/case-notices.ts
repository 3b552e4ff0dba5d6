/**
 * The demo's supervision notices and case reviews (issue 14 part 5), written right after the demo cases
 * (cases.ts) in the same transaction: at the chief's station (the first one) a few notices of the last
 * weeks — one accepted, one answered late and accepted, one returned and answered again (to verify), one
 * still awaiting its answer and one overdue for its answer — and two closed cases reviewed (一案一评).
 * Once per database: the `demo_case_notices` setting says it is written.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { orgUnits, settings } from '../db/schema.js';
import { cases } from '../modules/cases/schema.js';
import { caseNotices, caseReviews, type NoticeStepRecord } from '../modules/cases/supervision-schema.js';
import { REVIEW_CHECKLIST, scoreReview, type ItemScore } from '../modules/cases/domain/review.js';
import type { NoticeState, ProblemItem } from '../modules/cases/domain/notices.js';

export const NOTICES_SETTING = 'demo_case_notices';
const D = 86_400_000;

interface Plan {
  items: ProblemItem[];
  issued: number;
  due: number;
  /** Offsets in days from now of each later step. */
  steps: { action: NoticeStepRecord['action']; at: number; text?: string; comment?: string; due?: number }[];
  state: NoticeState;
}

const PLANS: Plan[] = [
  { items: [{ type: 'late_filing', description: '受案后超过3日未作出立案决定' }], issued: -14, due: -9, steps: [{ action: 'answer', at: -11, text: '已于次日补作立案决定，并对承办民警批评教育' }, { action: 'accept', at: -10, comment: '整改到位' }], state: 'accepted' },
  { items: [{ type: 'account_freeze', description: '冻结涉案账户未附审批表' }, { type: 'documents', description: '冻结通知书文号缺失' }], issued: -20, due: -15, steps: [{ action: 'answer', at: -13, text: '已补办审批手续并更正文书' }, { action: 'accept', at: -12 }], state: 'accepted' },
  { items: [{ type: 'no_recording', description: '传唤询问未全程录音录像' }], issued: -10, due: -6, steps: [{ action: 'answer', at: -8, text: '已说明情况' }, { action: 'return', at: -7, comment: '未说明录像缺失原因，须补充执法记录仪编号', due: -2 }, { action: 'answer', at: -3, text: '已补充执法记录仪编号及情况说明' }], state: 'answered' },
  { items: [{ type: 'overdue_custody', description: '刑事拘留后超过24小时未讯问' }], issued: -6, due: -3, steps: [], state: 'issued' },
  { items: [{ type: 'evidence', description: '现场勘验笔录缺少见证人签名' }], issued: -1, due: 4, steps: [], state: 'issued' },
];

export async function seedDemoCaseNotices(db: Db, opts: { now: Date; log?: (msg: string) => void }): Promise<number> {
  const [done] = await db.select().from(settings).where(eq(settings.key, NOTICES_SETTING));
  if (done) return 0;
  const now = opts.now.getTime();
  const at = (days: number) => new Date(now + days * D);
  const [station] = await db.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.kind, 'station')).orderBy(asc(orgUnits.code)).limit(1);
  if (!station) return 0;
  const open = await db.select().from(cases).where(and(eq(cases.stationId, station.id), isNull(cases.closedAt))).orderBy(asc(cases.openedAt), asc(cases.number));
  const closed = await db.select().from(cases).where(and(eq(cases.stationId, station.id), isNotNull(cases.closedAt))).orderBy(asc(cases.closedAt), asc(cases.number));
  // The overdue-custody notice goes on today's detention case (its title names the detention).
  const detention = open.find((c) => c.title.startsWith('故意伤害案'));
  const pool = [...open.filter((c) => c !== detention && c.openedAt.getTime() < now - 21 * D), ...closed.filter((c) => c.openedAt.getTime() < now - 21 * D)];
  const rows: (typeof caseNotices.$inferInsert)[] = [];
  PLANS.forEach((plan, i) => {
    const kase = plan.items[0]!.type === 'overdue_custody' ? detention : pool[i];
    if (!kase) return;
    // Today's detention case is younger than its notice would be: issue it after the detention.
    const issuedAt = kase === detention ? new Date(Math.max(at(plan.issued).getTime(), kase.openedAt.getTime() + 30 * 3_600_000)) : at(plan.issued);
    const dueAt = kase === detention ? new Date(issuedAt.getTime() + 3 * 3_600_000) : at(plan.due);
    if (dueAt.getTime() > now && plan.state === 'issued' && kase === detention) return;
    let due = dueAt;
    let late = false;
    let firstAnsweredAt: Date | null = null;
    const steps: NoticeStepRecord[] = plan.steps.map((s) => {
      const when = at(s.at);
      const rec: NoticeStepRecord = { action: s.action, at: when.toISOString(), by: s.action === 'answer' ? 'chief' : 'supervisor', ...(s.text ? { text: s.text } : {}), ...(s.comment ? { comment: s.comment } : {}) };
      if (s.action === 'answer') {
        firstAnsweredAt ??= when;
        rec.late = when.getTime() > due.getTime();
        late ||= rec.late;
      }
      if (s.action === 'return' && s.due !== undefined) {
        due = at(s.due);
        rec.answerDueAt = due.toISOString();
      }
      return rec;
    });
    rows.push({ id: randomUUID(), number: `${kase.number}-01`, caseId: kase.id, seq: 1, stationId: kase.stationId, officer: kase.officer, state: plan.state, items: plan.items, problemTypes: [...new Set(plan.items.map((x) => x.type))], issuedAt, issuedBy: 'supervisor', answerDueAt: due, firstAnsweredAt, late, steps, closedAt: plan.state === 'accepted' ? new Date(steps.at(-1)!.at) : null, version: 1 + steps.length });
  });
  if (rows.length) await db.insert(caseNotices).values(rows);

  const reviewed = closed.filter((c) => !rows.some((r) => r.caseId === c.id)).slice(-2);
  const reviews = reviewed.map((kase, i) => {
    const items: ItemScore[] = REVIEW_CHECKLIST.map((c) => (i === 1 && c.id === 'recording' ? { id: c.id, result: 'partial', note: '询问过程录像不完整' } : i === 1 && c.id === 'property' ? { id: c.id, result: 'na' } : { id: c.id, result: 'met' }));
    const { score, grade } = scoreReview(items);
    return { id: randomUUID(), caseId: kase.id, stationId: kase.stationId, officer: kase.officer, items, score, grade, comment: i === 0 ? '办案规范' : '录像须完整', reviewedAt: new Date(Math.min(now, kase.closedAt!.getTime() + 2 * D)), reviewedBy: 'supervisor' };
  });
  if (reviews.length) await db.insert(caseReviews).values(reviews);
  await db.insert(settings).values({ key: NOTICES_SETTING, value: { notices: rows.length, reviews: reviews.length } });
  opts.log?.(`demo case notices: ${rows.length} notices, ${reviews.length} reviews`);
  return rows.length;
}
