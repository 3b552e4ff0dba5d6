/**
 * How incidents, transfers and callbacks are shown: the one place their answers are built. The caller
 * is masked unless `full` (see seesCaller in service.ts: only a read of one incident by a role that needs it).
 */
import { maskPhone } from '../../core/access.js';
import type { callbacks, incidents, transfers } from './schema.js';

type IncidentRow = typeof incidents.$inferSelect;

export function incidentView(r: IncidentRow, full: boolean) {
  return {
    id: r.id,
    number: r.number,
    source: r.source,
    categoryCode: r.categoryCode,
    categoryFamily: r.categoryFamily,
    priority: r.priority,
    suggestedPriority: r.suggestedPriority,
    priorityReason: r.priorityReason,
    status: r.status,
    caller: { name: full ? r.callerName : r.callerName ? r.callerName.slice(0, 1) + '**' : null, phone: full ? r.callerPhone : maskPhone(r.callerPhone) },
    address: r.addressText,
    addressCode: r.addressCode,
    location: r.lon !== null && r.lat !== null ? { lon: r.lon, lat: r.lat, accuracyM: r.accuracyM } : null,
    description: r.description,
    stationId: r.stationId,
    gridId: r.gridId,
    jurisdictionOverridden: r.jurisdictionOverridden,
    dispositionCode: r.dispositionCode,
    dispositionNote: r.dispositionNote,
    masterId: r.masterId,
    externalRef: r.externalRef,
    times: {
      callStartedAt: r.callStartedAt?.toISOString() ?? null,
      answeredAt: r.answeredAt?.toISOString() ?? null,
      recordedAt: r.recordedAt.toISOString(),
      dispatchedAt: r.dispatchedAt?.toISOString() ?? null,
      enRouteAt: r.enRouteAt?.toISOString() ?? null,
      onSceneAt: r.onSceneAt?.toISOString() ?? null,
      clearedAt: r.clearedAt?.toISOString() ?? null,
      closedAt: r.closedAt?.toISOString() ?? null,
      transferredAt: r.transferredAt?.toISOString() ?? null,
      cancelledAt: r.cancelledAt?.toISOString() ?? null,
      mergedAt: r.mergedAt?.toISOString() ?? null,
      reopenedAt: r.reopenedAt?.toISOString() ?? null,
    },
    createdBy: r.createdBy,
    version: r.version,
  };
}

/** Imported history has time stamps but no event rows: the timeline is rebuilt from the stamps. */
export function timelineFromTimes(r: IncidentRow) {
  const steps: [Date | null, string][] = [
    [r.recordedAt, 'new'],
    [r.dispatchedAt, 'dispatched'],
    [r.enRouteAt, 'en_route'],
    [r.onSceneAt, 'on_scene'],
    [r.clearedAt, 'cleared'],
    [r.transferredAt, 'transferred'],
    [r.cancelledAt, 'cancelled'],
    [r.closedAt, 'closed'],
  ];
  let prev: string | null = null;
  return steps
    .filter((s): s is [Date, string] => s[0] !== null)
    .map(([at, status]) => {
      const e = { at: at.toISOString(), type: prev ? 'transition' : 'created', fromStatus: prev, toStatus: status, username: r.createdBy, detail: null };
      prev = status;
      return e;
    });
}

export function transferView(t: typeof transfers.$inferSelect) {
  return {
    id: t.id,
    incidentId: t.incidentId,
    target: t.target,
    reason: t.reason,
    externalRef: t.externalRef,
    status: t.status,
    overdue: t.status === 'sent' && t.dueAt.getTime() < Date.now(),
    sentAt: t.sentAt.toISOString(),
    dueAt: t.dueAt.toISOString(),
    answeredAt: t.answeredAt?.toISOString() ?? null,
    answer: t.answer,
  };
}

export function callbackView(c: typeof callbacks.$inferSelect) {
  return {
    id: c.id,
    incidentId: c.incidentId,
    status: c.status,
    outcome: c.outcome,
    reason: c.reason,
    createdAt: c.createdAt.toISOString(),
    doneAt: c.doneAt?.toISOString() ?? null,
    doneBy: c.doneBy,
    reviewStatus: c.reviewStatus,
    reviewNote: c.reviewNote,
    reviewedBy: c.reviewedBy,
  };
}
