/**
 * The station chief's list of what needs attention now: the open disputes of the jurisdiction whose
 * mediation clocks or local protocol steps are overdue or due within a day, and the high-risk ones.
 * Clocks are computed from what is stored (domain/clocks.ts, domain/protocols.ts), in batches: one
 * query per table for up to 2,000 open disputes, never one per dispute.
 */
import { and, asc, desc, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Principal } from '../../core/access.js';
import type { WorkingDayCalendar } from '../../core/working-days.js';
import { disputeScope } from './access.js';
import { disputeAgreements, disputeFollowups, disputeProtocolSteps, disputeReferrals, disputeSessions, disputes } from './schema.js';
import { disputeListView } from './views.js';
import { clockState } from './domain/clocks.js';
import { protocolFor, protocolProgress } from './domain/protocols.js';
import { CLOCK_LEAD_MS, clocksOf } from './reads.js';

const MAX_OPEN = 2_000;

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

export async function needsAttention(db: Db, calendar: WorkingDayCalendar, p: Principal, now = new Date()) {
  const open = await db
    .select()
    .from(disputes)
    .where(and(disputeScope(p), isNull(disputes.closedAt)))
    .orderBy(desc(disputes.riskScore), asc(disputes.registeredAt))
    .limit(MAX_OPEN);
  const ids = open.map((d) => d.id);
  if (!ids.length) return { items: [], openCount: 0, truncated: false };
  const [refs, sess, agrs, fups, steps] = await Promise.all([
    db.select().from(disputeReferrals).where(inArray(disputeReferrals.disputeId, ids)).orderBy(asc(disputeReferrals.createdAt)),
    db.select({ disputeId: disputeSessions.disputeId, referralId: disputeSessions.referralId, heldAt: disputeSessions.heldAt }).from(disputeSessions).where(inArray(disputeSessions.disputeId, ids)),
    db.select().from(disputeAgreements).where(inArray(disputeAgreements.disputeId, ids)),
    db.select({ disputeId: disputeFollowups.disputeId, at: disputeFollowups.at }).from(disputeFollowups).where(inArray(disputeFollowups.disputeId, ids)),
    db.select().from(disputeProtocolSteps).where(inArray(disputeProtocolSteps.disputeId, ids)),
  ]);
  const refsBy = groupBy(refs, (r) => r.disputeId);
  const sessBy = groupBy(sess, (s) => s.referralId);
  const agrBy = new Map(agrs.map((a) => [a.disputeId, a]));
  const fupsBy = groupBy(fups, (f) => f.disputeId);
  const stepsBy = groupBy(steps, (s) => s.disputeId);
  const items = [];
  for (const d of open) {
    const latest = refsBy.get(d.id)?.at(-1);
    const clocks = clocksOf(
      { referral: latest, sessions: latest ? (sessBy.get(latest.id) ?? []).map((s) => s.heldAt) : [], agreement: agrBy.get(d.id), followups: (fupsBy.get(d.id) ?? []).map((f) => f.at) },
      calendar,
    ).map((c) => ({ code: c.code, zh: c.zh, en: c.en, dueAt: c.dueAt.toISOString(), state: clockState(c, now, CLOCK_LEAD_MS) }));
    const protocol = protocolFor(d.type);
    const done = Object.fromEntries((stepsBy.get(d.id) ?? []).map((s) => [s.code, s.doneAt]));
    const stepsDue = protocol
      ? protocolProgress(protocol, d.registeredAt, done, now, calendar, CLOCK_LEAD_MS).map((s) => ({ code: s.code, zh: s.zh, en: s.en, dueAt: s.dueAt.toISOString(), state: s.state }))
      : [];
    const late = [...clocks, ...stepsDue].filter((c) => c.state === 'overdue' || c.state === 'soon');
    const highRisk = d.riskGrade === 'red' || d.riskGrade === 'orange';
    if (!late.length && !highRisk) continue;
    items.push({ dispute: disputeListView(d, now), overdue: late.filter((c) => c.state === 'overdue'), soon: late.filter((c) => c.state === 'soon') });
  }
  // Overdue first (most overdue items), then high risk, then soon.
  items.sort((a, b) => b.overdue.length - a.overdue.length || b.dispute.riskScore - a.dispute.riskScore || b.soon.length - a.soon.length);
  return { items, openCount: open.length, truncated: open.length === MAX_OPEN };
}
