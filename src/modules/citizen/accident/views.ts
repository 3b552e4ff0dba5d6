/** What each reader sees of an accident: a driver (no staff names, no phones), the officer (phones masked). */
import type { AccidentRow, PartyRow } from './service.js';
import { CALL_110_ACCIDENT, LIABILITY_TEXT, type AccidentStatus, type Liability } from '../domain/accident.js';

type History = { status: string; note: string | null; by: string; at: Date }[];

function common(r: AccidentRow) {
  const liability = (r.liability as Liability | null) ?? null;
  return {
    id: String(r.id),
    kind: 'minor_accident' as const,
    status: r.status as AccidentStatus,
    statusNote: r.statusNote,
    occurredAt: r.occurredAt.toISOString(),
    location: { lon: r.lon, lat: r.lat },
    placeText: r.placeText,
    liability,
    liabilityText: liability ? LIABILITY_TEXT[liability] : null,
    liabilityReason: r.liabilityReason,
    videoLink: r.videoLink,
    officerName: r.officerName,
    agreement: r.agreementText,
    insurerRef: r.insurerRef,
    call110: r.status === 'escalated_to_110' ? CALL_110_ACCIDENT : null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

const partyView = (p: PartyRow, photos: { a: string[]; b: string[] }) => ({ role: p.role as 'a' | 'b', plate: p.plate, insurer: p.insurer, statement: p.statement, confirmed: p.confirmedAt !== null, photos: p.role === 'a' ? photos.a : photos.b });

export function driverView(r: AccidentRow, role: 'a' | 'b', parties: PartyRow[], photos: { a: string[]; b: string[] }, history: History) {
  return {
    ...common(r),
    myRole: role,
    parties: parties.map((p) => ({ ...partyView(p, photos), mine: p.role === role })),
    codeExpiresAt: role === 'a' && r.status === 'drafted' && r.codeExpiresAt ? r.codeExpiresAt.toISOString() : null,
    // The drivers see who acted as 甲方/乙方/民警, never the officer's account name.
    history: history.map((h) => ({ status: h.status, note: h.note, at: h.at.toISOString() })),
  };
}

export function staffAccidentView(r: AccidentRow, unitName: string, parties: PartyRow[], photos: { a: string[]; b: string[] }, phones: Map<string, string | null>, history?: History) {
  return {
    ...common(r),
    unitId: r.unitId,
    unitName,
    injury: r.injury,
    escalation: r.escalation,
    determinedBy: r.determinedBy,
    determinedAt: r.determinedAt?.toISOString() ?? null,
    parties: parties.map((p) => ({ ...partyView(p, photos), phone: phones.get(p.citizenId) ?? null })),
    ...(history ? { history: history.map((h) => ({ status: h.status, note: h.note, by: h.by, at: h.at.toISOString() })) } : {}),
  };
}
