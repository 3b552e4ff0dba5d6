/**
 * How disputes are shown: the one place their answers are built. Parties are masked (张** / 138****1234)
 * unless the read is of one dispute by a role that works with them (access.ts seesParties); lists and the
 * stream never carry a party.
 */
import { maskPhone } from '../../core/access.js';
import type { disputeAgencies, disputeAgreements, disputeEvents, disputeParties, disputes, disputeFollowups, disputeReferrals, disputeSessions } from './schema.js';

export type DisputeRow = typeof disputes.$inferSelect;
export type PartyRow = typeof disputeParties.$inferSelect;
export type ReferralRow = typeof disputeReferrals.$inferSelect;
export type SessionRow = typeof disputeSessions.$inferSelect;
export type AgreementRow = typeof disputeAgreements.$inferSelect;
export type FollowupRow = typeof disputeFollowups.$inferSelect;
export type AgencyRow = typeof disputeAgencies.$inferSelect;
export type DisputeEventRow = typeof disputeEvents.$inferSelect;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const DAY_MS = 86_400_000;

export interface RiskReasonView {
  code: string;
  points: number;
  zh: string;
  en: string;
}

/** A dispute in the register, on the map or in the stream: no personal data. */
export function disputeListView(r: DisputeRow, now = new Date()) {
  return {
    id: r.id,
    number: r.number,
    source: r.source,
    type: r.type,
    status: r.status,
    summary: r.summary,
    address: r.addressText,
    addressCode: r.addressCode,
    location: r.lon !== null && r.lat !== null ? { lon: r.lon, lat: r.lat } : null,
    stationId: r.stationId,
    gridId: r.gridId,
    riskGrade: r.riskGrade,
    riskScore: r.riskScore,
    riskReasons: r.riskReasons as RiskReasonView[],
    registeredAt: r.registeredAt.toISOString(),
    registeredBy: r.registeredBy,
    daysOpen: Math.floor(((r.closedAt ?? now).getTime() - r.registeredAt.getTime()) / DAY_MS),
    closedAt: iso(r.closedAt),
    outcome: r.outcome,
    outcomeNote: r.outcomeNote,
    version: r.version,
  };
}

export function partyView(r: PartyRow, full: boolean) {
  return {
    id: r.id,
    role: r.role,
    name: full ? r.name : r.name.slice(0, 1) + '**',
    phone: full ? r.phone : maskPhone(r.phone),
    relation: r.relation,
    vulnerable: r.vulnerable,
  };
}

export function referralView(r: ReferralRow, names: { agency: (id: string) => string | null; user: (id: string) => string | null }) {
  return {
    id: r.id,
    disputeId: r.disputeId,
    mediationType: r.mediationType,
    agencyId: r.agencyId,
    agencyName: names.agency(r.agencyId),
    mediatorId: r.mediatorId,
    mediatorName: r.mediatorId ? names.user(r.mediatorId) : null,
    status: r.status,
    reason: r.reason,
    outcome: r.outcome,
    extensions: r.extensions as { consentedAt: string; days: number; note: string | null }[],
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy,
    acceptedAt: iso(r.acceptedAt),
    endedAt: iso(r.endedAt),
    version: r.version,
  };
}

export function sessionView(r: SessionRow) {
  return { id: r.id, referralId: r.referralId, heldAt: r.heldAt.toISOString(), place: r.place, attendees: r.attendees, summary: r.summary, recordedBy: r.recordedBy };
}

export interface SignatureView {
  partyId: string;
  method: string;
  at: string;
}

export function agreementView(r: AgreementRow) {
  return {
    referralId: r.referralId,
    text: r.text,
    performanceMethod: r.performanceMethod,
    performancePlace: r.performancePlace,
    performanceDeadline: r.performanceDeadline,
    signatures: r.signatures as SignatureView[],
    mediatorId: r.mediatorId,
    mediatorName: r.mediatorName,
    agencyId: r.agencyId,
    signedAt: r.signedAt.toISOString(),
    performedAt: iso(r.performedAt),
    judicialConfirmationAt: iso(r.judicialConfirmationAt),
  };
}

export function followupView(r: FollowupRow) {
  return { id: r.id, at: r.at.toISOString(), method: r.method, performance: r.performance, note: r.note, recordedBy: r.recordedBy };
}

export function eventView(r: DisputeEventRow) {
  return { id: r.id, at: r.at.toISOString(), type: r.type, username: r.username, detail: (r.detail ?? {}) as Record<string, unknown> };
}

export function agencyView(r: AgencyRow, mediators: { id: string; username: string; displayName: string }[]) {
  return { id: r.id, kind: r.kind, name: r.name, servesUnitId: r.servesUnitId, mediators };
}
