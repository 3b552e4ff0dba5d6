/**
 * Assignments: assign, cancel, reassign, acknowledge, the crew's status reports that move them and the
 * incident's lifecycle, and the officer's own assignments. Inside a write every query goes through w.tx.
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Write } from '../../kernel/write.js';
import { AppError, notFound } from '../../core/errors.js';
import { coversUnit, unitScope, type Principal } from '../../core/access.js';
import { canTransition, type IncidentRow, type IncidentStatus } from '../incidents/index.js';
import { assignments, units } from './schema.js';
import { closeRuleOf } from './domain/close-rule.js';
import { ACTIVE_ASSIGNMENT_STATUSES, type AssignmentRow } from './store.js';
import { ASSIGNED_STATUSES, canUnitTransition, type UnitStatus } from './domain/unit-status.js';
import { toActive, type DispatchState, type UnitState } from './state.js';
import type { Recommender } from './recommendation.js';
import { resolveAlerts } from './alerts.js';
import { changeStatus } from './units.js';
import { assignmentView, unitView } from './views.js';

const INCIDENT_ORDER: IncidentStatus[] = ['new', 'dispatched', 'en_route', 'on_scene', 'cleared', 'closed'];

function isActive(status: string): boolean {
  return (ACTIVE_ASSIGNMENT_STATUSES as readonly string[]).includes(status);
}

/** The units that caused an incident's move, as its timeline event names them. */
function unitsDetail(s: DispatchState, unitIds: readonly string[]) {
  return { units: unitIds.map((id) => ({ id, callSign: s.state.get(id)?.row.callSign ?? id })) };
}

/** Incident transitions caused by unit work: only forward; by the actor when allowed, else the platform. */
async function advanceIncident(s: DispatchState, w: Write, actor: Principal, incidentId: string, to: IncidentStatus, extra: { dispositionCode?: string; dispositionNote?: string; reason?: string; detail?: Record<string, unknown> } = {}) {
  const sys = s.systemPrincipal();
  const inc = await s.incidents.get(sys, incidentId, w.tx);
  const from = inc.status as IncidentStatus;
  const iFrom = INCIDENT_ORDER.indexOf(from);
  if (iFrom < 0 || iFrom >= INCIDENT_ORDER.indexOf(to)) return inc;
  // The actor keeps their identity; the assignment gives them the incident, wherever it lies.
  const acting = canTransition(from, to, actor.roles, extra).ok ? { ...actor, unitPath: s.rootPath } : canTransition(from, to, ['system'], extra).ok ? sys : null;
  if (!acting) return inc;
  return s.incidents.transition(acting, incidentId, { to, ...extra }, w);
}

async function activeOfIncident(w: Write, incidentId: string): Promise<AssignmentRow[]> {
  return w.tx.select().from(assignments).where(and(eq(assignments.incidentId, incidentId), inArray(assignments.status, [...ACTIVE_ASSIGNMENT_STATUSES])));
}

export async function assignIn(s: DispatchState, rec: Recommender, w: Write, p: Principal, incidentId: string, unitIds: string[]) {
  const inc = await s.incidents.get(p, incidentId, w.tx);
  if (!['new', 'dispatched', 'en_route', 'on_scene'].includes(inc.status)) throw new AppError(409, 'illegal_transition', { from: inc.status, to: 'dispatched' }, 'incidentId');
  const unique = [...new Set(unitIds)];
  const states = await s.validated(w.tx, () => unique.map((id) => assignable(s, p, inc, id, 'unitIds')), unique);
  const created: AssignmentRow[] = [];
  for (const st of states) {
    if (st.assignment) await cancelAssignmentIn(s, w, s.systemPrincipal(p.username), st.assignment.id, `改派至P1警情 ${inc.number}`, { keepUnit: true });
    const now = s.now();
    const etaS = rec.etaOf(st, inc);
    const [a] = await w.tx
      .insert(assignments)
      .values({ id: randomUUID(), incidentId, unitId: st.row.id, stationId: inc.stationId, priority: inc.priority, status: 'assigned', etaSeconds: etaS, assignedAt: now, assignedBy: p.username })
      .returning();
    try {
      await changeStatus(s, w, st, 'dispatched', p, { assignmentId: a.id, incidentId, currentAssignmentId: a.id, note: `派警 ${inc.number}` });
    } catch (err) {
      await w.tx.update(assignments).set({ status: 'cancelled', cancelledAt: now, cancelReason: 'unit status changed meanwhile' }).where(eq(assignments.id, a.id));
      throw err;
    }
    st.assignment = toActive(a);
    st.gen++;
    created.push(a);
    s.emit(w, 'assignment', s.stationPath(inc.stationId), incidentId, { event: 'assigned', ...assignmentView(s, a) });
  }
  await advanceIncident(s, w, p, incidentId, 'dispatched', { detail: unitsDetail(s, created.map((a) => a.unitId)) });
  await resolveAlerts(s, w, 'p1_unassigned', incidentId);
  return { items: created.map((a) => assignmentView(s, a)) };
}

/** The unit, when it may be sent to the incident now; else the refusal, naming `field`. */
function assignable(s: DispatchState, p: Principal, inc: IncidentRow, id: string, field: string): UnitState {
  const st = s.state.get(id);
  if (!st || !coversUnit(p, st.stationPath)) throw new AppError(400, 'invalid_value', { field, detail: `no unit ${id} in your jurisdiction` }, field);
  if (st.assignment?.incidentId === inc.id) throw new AppError(409, 'conflict', { detail: `${st.row.callSign} is already assigned to this incident` }, field);
  const divert = inc.priority === 'P1' && st.row.status === 'en_route' && st.assignment && st.assignment.priority !== 'P1';
  if (st.row.status !== 'available' && st.row.status !== 'busy' && !divert) throw new AppError(409, 'conflict', { detail: `${st.row.callSign} is ${st.row.status}` }, field);
  return st;
}

async function assignmentRow(s: DispatchState, db: Db, p: Principal, id: string): Promise<AssignmentRow> {
  const [a] = await db.select().from(assignments).where(and(eq(assignments.id, id), unitScope(p, assignments.stationId) ?? sql`true`));
  if (a) return a;
  // The crew of the unit sees its own assignments wherever the incident lies.
  const [own] = await db.select().from(assignments).where(eq(assignments.id, id));
  const st = own ? s.state.get(own.unitId) : undefined;
  if (own && st && (s.isMember(p, st) || coversUnit(p, st.stationPath))) return own;
  throw notFound('assignment');
}

/** Cancels an assignment; the unit becomes available; an incident left without units is recalled. */
export async function cancelAssignmentIn(s: DispatchState, w: Write, p: Principal, id: string, reason: string, opts: { keepUnit?: boolean } = {}) {
  if (!reason.trim()) throw new AppError(400, 'reason_required', { field: 'reason' }, 'reason');
  const a = await assignmentRow(s, w.tx, p, id);
  if (!isActive(a.status)) throw new AppError(409, 'conflict', { detail: `the assignment is ${a.status}` }, 'id');
  // Made on another instance a moment ago: make sure we hold it, or the unit would not be released.
  if (s.state.get(a.unitId)?.assignment?.id !== id) await s.readUnit(w.tx, a.unitId);
  const now = s.now();
  const [u] = await w.tx
    .update(assignments)
    .set({ status: 'cancelled', cancelledAt: now, cancelReason: reason, cancelledBy: p.username })
    // from any active status: an acknowledgement or a move meanwhile does not make a cancel fail
    .where(and(eq(assignments.id, id), inArray(assignments.status, [...ACTIVE_ASSIGNMENT_STATUSES])))
    .returning();
  if (!u) throw new AppError(409, 'conflict', { detail: 'the assignment changed meanwhile' }, 'id');
  const st = s.state.get(a.unitId);
  if (st?.assignment?.id === id) {
    st.assignment = null;
    st.gen++;
    if (!opts.keepUnit && (ASSIGNED_STATUSES as readonly string[]).includes(st.row.status)) {
      await changeStatus(s, w, st, 'available', s.systemPrincipal(p.username), { assignmentId: id, incidentId: a.incidentId, currentAssignmentId: null, note: `取消派警：${reason}` });
    } else {
      await w.tx.update(units).set({ currentAssignmentId: null }).where(eq(units.id, st.row.id));
      st.row = { ...st.row, currentAssignmentId: null };
      st.gen++;
    }
  }
  s.emit(w, 'assignment', s.stationPath(a.stationId), a.incidentId, { event: 'cancelled', ...assignmentView(s, u) });
  await resolveAlerts(s, w, 'ack_timeout', id);
  if ((await activeOfIncident(w, a.incidentId)).length === 0) {
    const inc = await s.incidents.get(s.systemPrincipal(), a.incidentId, w.tx);
    if (inc.status === 'dispatched' || inc.status === 'en_route') await s.incidents.transition(s.systemPrincipal(p.username), a.incidentId, { to: 'new', reason, detail: { reasonCode: 'units_withdrawn', ...unitsDetail(s, [a.unitId]) } }, w);
  }
  return assignmentView(s, u);
}

/**
 * Replaces the unit of an assignment by another one (cancel + assign). Everything assign() would
 * refuse is refused first, so a refused reassign changes nothing.
 */
export async function reassignIn(s: DispatchState, rec: Recommender, w: Write, p: Principal, id: string, unitId: string, reason: string) {
  if (!reason.trim()) throw new AppError(400, 'reason_required', { field: 'reason' }, 'reason');
  const a = await assignmentRow(s, w.tx, p, id);
  if (!isActive(a.status)) throw new AppError(409, 'conflict', { detail: `the assignment is ${a.status}` }, 'id');
  const inc = await s.incidents.get(p, a.incidentId, w.tx);
  if (!['new', 'dispatched', 'en_route', 'on_scene'].includes(inc.status)) throw new AppError(409, 'illegal_transition', { from: inc.status, to: 'dispatched' }, 'unitId');
  await s.validated(w.tx, () => assignable(s, p, inc, unitId, 'unitId'), [unitId]);
  await cancelAssignmentIn(s, w, p, id, reason);
  return assignIn(s, rec, w, p, a.incidentId, [unitId]);
}

export async function ackIn(s: DispatchState, w: Write, p: Principal, id: string) {
  const a = await assignmentRow(s, w.tx, p, id);
  const st = await s.validated(w.tx, () => {
    const x = s.state.get(a.unitId);
    if (!x || !s.mayActFor(p, x)) throw new AppError(403, 'forbidden');
    return x;
  }, [a.unitId]);
  if (!isActive(a.status)) throw new AppError(409, 'conflict', { detail: `the assignment is ${a.status}` }, 'id');
  if (a.ackAt) return assignmentView(s, a);
  const [u] = await w.tx
    .update(assignments)
    .set({ ackAt: s.now(), status: a.status === 'assigned' ? 'acknowledged' : a.status })
    .where(and(eq(assignments.id, id), eq(assignments.status, a.status))) // a cancel meanwhile wins
    .returning();
  if (!u) throw new AppError(409, 'conflict', { detail: 'the assignment changed meanwhile' }, 'id');
  if (st.assignment?.id === id) st.assignment.status = u.status;
  st.gen++;
  s.emit(w, 'assignment', s.stationPath(a.stationId), a.incidentId, { event: 'acknowledged', ...assignmentView(s, u) });
  await resolveAlerts(s, w, 'ack_timeout', id);
  return assignmentView(s, u);
}

export async function incidentAssignments(s: DispatchState, p: Principal, incidentId: string) {
  await s.init();
  await s.incidents.get(p, incidentId);
  const rows = await s.db.select().from(assignments).where(eq(assignments.incidentId, incidentId)).orderBy(assignments.assignedAt, assignments.id);
  return { items: rows.map((a) => assignmentView(s, a)) };
}

/**
 * A status reported by the crew (or set by command). With an assignment, en_route / on_scene /
 * available move the assignment and the incident; available after on_scene clears it (and closes
 * the incident when a disposition code is given and no other unit is still working it).
 */
export async function setStatusIn(s: DispatchState, w: Write, p: Principal, unitId: string, input: { status: UnitStatus; dispositionCode?: string; note?: string }) {
  const to = input.status;
  if (to === 'dispatched') throw new AppError(400, 'invalid_value', { field: 'status', detail: 'units are dispatched through assignments' }, 'status');
  const validate = () => {
    const st = s.visible(p, unitId);
    if (!s.mayActFor(p, st)) throw new AppError(403, 'forbidden');
    const check = canUnitTransition(st.row.status as UnitStatus, to, p.roles);
    if (!check.ok) throw new AppError(check.reason === 'forbidden' ? 403 : 409, check.reason === 'forbidden' ? 'forbidden' : 'conflict', { detail: check.message }, 'status');
    if ((to === 'en_route' || to === 'on_scene') && !st.assignment) throw new AppError(409, 'conflict', { detail: 'the unit has no assignment' }, 'status');
    if ((to === 'off_duty' || to === 'out_of_service') && st.assignment) throw new AppError(409, 'conflict', { detail: 'cancel the unit’s assignment first' }, 'status');
    return st;
  };
  const st = await s.validated(w.tx, validate, [unitId]);
  const from = st.row.status as UnitStatus;
  const a = st.assignment;
  if (a && to === 'available' && from !== 'on_scene') {
    if (!input.note?.trim()) throw new AppError(400, 'reason_required', { field: 'note' }, 'note');
    await cancelAssignmentIn(s, w, p, a.id, input.note);
    return unitView(s, st, p);
  }
  const now = s.now();
  if (a && (to === 'en_route' || to === 'on_scene')) {
    const set: Partial<typeof assignments.$inferInsert> = { status: to };
    const [cur] = await w.tx.select().from(assignments).where(eq(assignments.id, a.id));
    if (!cur?.ackAt) set.ackAt = now;
    if (to === 'en_route' && !cur?.enRouteAt) set.enRouteAt = now;
    if (to === 'on_scene' && !cur?.onSceneAt) set.onSceneAt = now;
    await changeStatus(s, w, st, to, p, { assignmentId: a.id, incidentId: a.incidentId, note: input.note });
    const [u] = await w.tx.update(assignments).set(set).where(eq(assignments.id, a.id)).returning();
    a.status = to;
    st.gen++;
    s.emit(w, 'assignment', s.stationPath(u.stationId), u.incidentId, { event: to, ...assignmentView(s, u) });
    await resolveAlerts(s, w, 'ack_timeout', a.id);
    await advanceIncident(s, w, p, a.incidentId, to, { detail: unitsDetail(s, [st.row.id]) });
    return unitView(s, st, p);
  }
  if (a && from === 'on_scene' && (to === 'available' || to === 'busy')) {
    await changeStatus(s, w, st, to, p, { assignmentId: a.id, incidentId: a.incidentId, currentAssignmentId: null, note: input.note });
    const [u] = await w.tx.update(assignments).set({ status: 'cleared', clearedAt: now }).where(eq(assignments.id, a.id)).returning();
    st.assignment = null;
    st.gen++;
    s.emit(w, 'assignment', s.stationPath(u.stationId), u.incidentId, { event: 'cleared', ...assignmentView(s, u) });
    if ((await activeOfIncident(w, a.incidentId)).length === 0) {
      // The crew's report (code and note) is kept on the incident; closing follows the station's rule.
      const report = { dispositionCode: input.dispositionCode, dispositionNote: input.note?.trim() || undefined, detail: unitsDetail(s, [st.row.id]) };
      const inc = await advanceIncident(s, w, p, a.incidentId, 'cleared', report);
      if (input.dispositionCode && inc.status === 'cleared' && closeRuleOf(s.config.closeOnClear, u.stationId) === 'officer') await advanceIncident(s, w, p, a.incidentId, 'closed', report);
    }
    return unitView(s, st, p);
  }
  await changeStatus(s, w, st, to, p, { note: input.note });
  return unitView(s, st, p);
}

/** The active assignments of an incident that ended elsewhere (cancelled, merged, transferred, closed). */
export function activeAssignmentsOf(s: DispatchState, incidentId: string): Promise<AssignmentRow[]> {
  return s.db.select().from(assignments).where(and(eq(assignments.incidentId, incidentId), inArray(assignments.status, [...ACTIVE_ASSIGNMENT_STATUSES])));
}

/** The officer's current assignment (of the unit they crew), with the incident. */
export async function myAssignment(s: DispatchState, p: Principal) {
  await s.init();
  for (const st of s.state.values()) {
    if (!s.isMember(p, st)) continue;
    if (!st.assignment) return { unit: unitView(s, st, p), assignment: null, incident: null };
    const [a] = await s.db.select().from(assignments).where(eq(assignments.id, st.assignment.id));
    const inc = await s.incidents.get(s.systemPrincipal(), st.assignment.incidentId).catch(() => null);
    return { unit: unitView(s, st, p), assignment: a ? assignmentView(s, a) : null, incident: inc ? s.incidents.view(inc, p) : null };
  }
  return { unit: null, assignment: null, incident: null };
}

export async function myAssignments(s: DispatchState, p: Principal, limit: number) {
  await s.init();
  const mine = [...s.state.values()].filter((st) => s.isMember(p, st)).map((st) => st.row.id);
  if (!mine.length) return { items: [] };
  const rows = await s.db.select().from(assignments).where(inArray(assignments.unitId, mine)).orderBy(desc(assignments.assignedAt), desc(assignments.id)).limit(limit);
  return { items: rows.map((a) => assignmentView(s, a)) };
}
