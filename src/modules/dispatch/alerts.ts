/** Dispatch alerts: the open list, acknowledging, resolving, and the timer tick that raises and escalates them. */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Write } from '../../kernel/write.js';
import { notFound } from '../../core/errors.js';
import { unitScope, type Principal } from '../../core/access.js';
import { assignments, dispatchAlerts } from './schema.js';
import { ALERT_ESCALATED_ZH, alertMessageZh, dueAlerts, type AlertKind, type AlertParams } from './domain/alerts.js';
import type { DispatchState } from './state.js';
import { alertView } from './views.js';

export async function openAlerts(s: DispatchState, p: Principal) {
  const rows = await s.db
    .select()
    .from(dispatchAlerts)
    .where(and(eq(dispatchAlerts.status, 'open'), unitScope(p, dispatchAlerts.stationId)))
    .orderBy(desc(dispatchAlerts.raisedAt), desc(dispatchAlerts.id))
    .limit(500);
  return { items: rows.map((a) => alertView(a)) };
}

export async function ackAlertIn(s: DispatchState, w: Write, p: Principal, id: string) {
  const [a] = await w.tx.select().from(dispatchAlerts).where(and(eq(dispatchAlerts.id, id), unitScope(p, dispatchAlerts.stationId)));
  if (!a) throw notFound('alert');
  if (a.status !== 'open') return alertView(a);
  const [u] = await w.tx.update(dispatchAlerts).set({ status: 'acked', ackedAt: s.now(), ackedBy: p.username }).where(eq(dispatchAlerts.id, id)).returning();
  s.emit(w, 'alert', alertPath(s, u), u.subjectId, { event: 'acked', ...alertView(u) });
  return alertView(u);
}

function alertPath(s: DispatchState, a: typeof dispatchAlerts.$inferSelect): string {
  return a.level === 'escalated' ? s.rootPath : s.stationPath(a.stationId);
}

export async function resolveAlerts(s: DispatchState, w: Write, kind: AlertKind, subjectId: string) {
  const rows = await w.tx
    .update(dispatchAlerts)
    .set({ status: 'resolved', resolvedAt: s.now() })
    .where(and(eq(dispatchAlerts.kind, kind), eq(dispatchAlerts.subjectId, subjectId), eq(dispatchAlerts.status, 'open')))
    .returning();
  for (const a of rows) s.emit(w, 'alert', alertPath(s, a), a.subjectId, { event: 'resolved', ...alertView(a) });
}

/** One clock tick of the timers: raises due alerts and escalates ignored ones. Returns what it did. */
export async function tick(s: DispatchState, now: Date): Promise<{ raised: number; escalated: number }> {
  await s.init();
  const since = new Date(now.getTime() - 86_400_000);
  const [pending, unassigned, open] = await Promise.all([
    s.db.select().from(assignments).where(eq(assignments.status, 'assigned')),
    s.incidents.waiting('P1', since),
    s.db.select().from(dispatchAlerts).where(eq(dispatchAlerts.status, 'open')),
  ]);
  const known = new Set(open.map((a) => `${a.kind}:${a.subjectId}`));
  const due = dueAlerts(now.getTime(), s.config, {
    assignments: pending.map((a) => ({ id: a.id, assignedAt: a.assignedAt.getTime(), acknowledged: a.ackAt !== null })),
    incidents: unassigned.map((i) => ({ id: i.id, priority: i.priority, recordedAt: i.recordedAt.getTime() })),
    alerts: open.map((a) => ({ id: a.id, kind: a.kind as AlertKind, subjectId: a.subjectId, level: a.level as 'alert' | 'escalated', raisedAt: a.raisedAt.getTime() })),
    known,
  });
  let raised = 0;
  for (const r of due.raise) {
    let values: typeof dispatchAlerts.$inferInsert;
    if (r.kind === 'ack_timeout') {
      const a = pending.find((x) => x.id === r.subjectId)!;
      const cs = s.state.get(a.unitId)?.row.callSign ?? a.unitId;
      const inc = await s.incidents.get(s.systemPrincipal(), a.incidentId).catch(() => null);
      const params: AlertParams = { callSign: cs, number: inc?.number ?? a.incidentId, seconds: s.config.ackTimeoutS };
      values = { id: randomUUID(), kind: r.kind, subjectId: a.id, incidentId: a.incidentId, assignmentId: a.id, unitId: a.unitId, stationId: a.stationId, level: 'alert', status: 'open', raisedAt: now, message: alertMessageZh(r.kind, params), params };
    } else {
      const i = unassigned.find((x) => x.id === r.subjectId)!;
      const params: AlertParams = { callSign: null, number: i.number, seconds: s.config.p1UnassignedS };
      values = { id: randomUUID(), kind: r.kind, subjectId: i.id, incidentId: i.id, stationId: i.stationId, level: 'alert', status: 'open', raisedAt: now, message: alertMessageZh(r.kind, params), params };
    }
    const row = await s.writes.run(async (w) => {
      const [r] = await w.tx.insert(dispatchAlerts).values(values).onConflictDoNothing().returning();
      if (r) s.emit(w, 'alert', alertPath(s, r), r.subjectId, { event: 'raised', ...alertView(r) });
      return r;
    });
    if (row) raised++;
  }
  let escalated = 0;
  for (const id of due.escalate) {
    const row = await s.writes.run(async (w) => {
      const [r] = await w.tx
        .update(dispatchAlerts)
        .set({ level: 'escalated', escalatedAt: now, message: sql`${dispatchAlerts.message} || ${ALERT_ESCALATED_ZH}` })
        .where(and(eq(dispatchAlerts.id, id), eq(dispatchAlerts.status, 'open'), eq(dispatchAlerts.level, 'alert')))
        .returning();
      if (r) s.emit(w, 'alert', s.rootPath, r.subjectId, { event: 'escalated', ...alertView(r) });
      return r;
    });
    if (row) escalated++;
  }
  return { raised, escalated };
}
