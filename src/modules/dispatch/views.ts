/** The objects the dispatch routes and events carry, built from memory and rows. */
import type { Principal } from '../../core/access.js';
import type { Role } from '../../core/roles.js';
import type { dispatchAlerts, unitStatusEvents } from './schema.js';
import type { AssignmentRow, ShiftRow } from './store.js';
import type { DispatchState, UnitState } from './state.js';
import { onDuty } from './domain/roster.js';
import { isStale } from './domain/track.js';

/** Roles that need the crew's names; everyone else sees them masked (张**). */
const NAME_ROLES: Role[] = ['dispatcher', 'chief', 'officer', 'admin'];

export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

export function unitView(s: DispatchState, st: UnitState, p: Principal | null) {
  const now = s.now().getTime();
  const r = st.row;
  const names = p && NAME_ROLES.some((x) => p.roles.includes(x));
  const stale = isStale(st.pos?.at, now, s.config.staleAfterS);
  return {
    id: r.id,
    callSign: r.callSign,
    kind: r.kind,
    stationId: r.stationId,
    members: names ? r.members : r.members.map(maskName),
    memberUserIds: r.memberUserIds,
    capabilities: r.capabilities,
    home: [r.homeLon, r.homeLat] as [number, number],
    status: r.status,
    statusAt: r.statusAt.toISOString(),
    onDuty: onDuty(st.shifts, new Date(now)),
    position: st.pos ? { lon: st.pos.lon, lat: st.pos.lat, at: new Date(st.pos.at).toISOString(), speed: st.pos.speed, heading: st.pos.heading, snapped: st.pos.snap ? { lon: st.pos.snap.lon, lat: st.pos.snap.lat } : null } : null,
    positionAgeSeconds: st.pos ? Math.max(0, Math.round((now - st.pos.at) / 1000)) : null,
    stale,
    currentAssignment: st.assignment ? { id: st.assignment.id, incidentId: st.assignment.incidentId, status: st.assignment.status, priority: st.assignment.priority, assignedAt: st.assignment.assignedAt.toISOString() } : null,
    active: r.active,
  };
}

/** What goes on the bus: the unit without the crew's names. */
export function publicUnit(s: DispatchState, st: UnitState) {
  const { members: _members, memberUserIds: _ids, ...rest } = unitView(s, st, null);
  return rest;
}

export function assignmentView(s: DispatchState, a: AssignmentRow) {
  const st = s.state.get(a.unitId);
  return {
    id: a.id,
    incidentId: a.incidentId,
    unitId: a.unitId,
    callSign: st?.row.callSign ?? null,
    stationId: a.stationId,
    priority: a.priority,
    status: a.status,
    etaSeconds: a.etaSeconds,
    assignedAt: a.assignedAt.toISOString(),
    assignedBy: a.assignedBy,
    ackAt: a.ackAt?.toISOString() ?? null,
    enRouteAt: a.enRouteAt?.toISOString() ?? null,
    onSceneAt: a.onSceneAt?.toISOString() ?? null,
    clearedAt: a.clearedAt?.toISOString() ?? null,
    cancelledAt: a.cancelledAt?.toISOString() ?? null,
    cancelReason: a.cancelReason,
  };
}

export function alertView(a: typeof dispatchAlerts.$inferSelect) {
  return {
    id: a.id,
    kind: a.kind,
    level: a.level,
    status: a.status,
    message: a.message,
    params: a.params ?? null,
    incidentId: a.incidentId,
    assignmentId: a.assignmentId,
    unitId: a.unitId,
    stationId: a.stationId,
    raisedAt: a.raisedAt.toISOString(),
    escalatedAt: a.escalatedAt?.toISOString() ?? null,
    ackedAt: a.ackedAt?.toISOString() ?? null,
    ackedBy: a.ackedBy,
  };
}

export function shiftView(s: ShiftRow) {
  return { id: s.id, unitId: s.unitId, day: s.day, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), note: s.note };
}

export function statusEventView(e: typeof unitStatusEvents.$inferSelect) {
  return { at: e.at.toISOString(), fromStatus: e.fromStatus, toStatus: e.toStatus, incidentId: e.incidentId, assignmentId: e.assignmentId, username: e.username, note: e.note };
}
