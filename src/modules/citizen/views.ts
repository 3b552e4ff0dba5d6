/** What each reader sees of a report: the citizen (no staff names), staff (reporter masked), Open311 (public fields). */
import type { ReportRow, ServiceRow } from './reports.js';
import { open311Status } from './domain/status.js';
import type { ReportStatus } from './domain/status.js';
import { w3 } from './domain/open311.js';

export type ServiceNames = Map<string, ServiceRow>;

const name = (services: ServiceNames, code: string) => {
  const s = services.get(code);
  return { zh: s?.nameZh ?? code, en: s?.nameEn ?? code };
};
const place = (r: ReportRow) => (r.lon !== null && r.lat !== null ? { lon: r.lon, lat: r.lat } : null);

export function citizenView(r: ReportRow, services: ServiceNames, citizenId: string, history: { status: string; note: string | null; at: Date }[], photos: string[]) {
  return {
    id: String(r.id),
    serviceCode: r.serviceCode,
    serviceName: name(services, r.serviceCode),
    description: r.description,
    location: place(r),
    addressCode: r.addressCode,
    addressText: r.addressText,
    status: r.status as ReportStatus,
    statusNote: r.statusNote,
    urgent: r.urgent,
    voices: r.voices,
    duplicateOf: r.duplicateOf === null ? null : String(r.duplicateOf),
    mine: r.citizenId === citizenId,
    photos,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    history: history.map((h) => ({ status: h.status, note: h.note, at: h.at.toISOString() })),
  };
}

export function duplicateView(r: ReportRow & { distanceM: number }) {
  return { id: String(r.id), serviceCode: r.serviceCode, description: r.description.slice(0, 200), status: r.status, voices: r.voices, distanceM: r.distanceM, createdAt: r.createdAt.toISOString() };
}

export function staffView(r: ReportRow, services: ServiceNames, unitName: string, reporterPhone: string | null, photos: string[]) {
  return {
    id: String(r.id),
    channel: r.channel,
    serviceCode: r.serviceCode,
    serviceName: name(services, r.serviceCode),
    description: r.description,
    location: place(r),
    addressText: r.addressText,
    unitId: r.unitId,
    unitName,
    route: r.route,
    status: r.status as ReportStatus,
    statusNote: r.statusNote,
    urgent: r.urgent,
    voices: r.voices,
    duplicateOf: r.duplicateOf === null ? null : String(r.duplicateOf),
    incidentId: r.incidentId,
    reporterPhone,
    createdAt: r.createdAt.toISOString(),
    acceptedAt: r.acceptedAt?.toISOString() ?? null,
    closedAt: r.closedAt?.toISOString() ?? null,
    photos,
  };
}

/** Open311 `request`: public fields only (no reporter, no phone, no unit internals). */
export function open311Request(r: ReportRow, services: ServiceNames, agency: string, mediaUrl: string | null) {
  return {
    service_request_id: String(r.id),
    status: open311Status(r.status as ReportStatus),
    status_notes: r.statusNote,
    service_name: services.get(r.serviceCode)?.nameZh ?? null,
    service_code: r.serviceCode,
    description: r.description,
    agency_responsible: agency,
    service_notice: null,
    requested_datetime: w3(r.createdAt)!,
    updated_datetime: w3(r.updatedAt),
    expected_datetime: null,
    address: r.addressText,
    address_id: r.addressCode,
    zipcode: null,
    lat: r.lat,
    long: r.lon,
    media_url: mediaUrl,
  };
}

export function open311Service(s: ServiceRow) {
  return {
    service_code: s.code,
    service_name: s.nameZh,
    description: `${s.nameZh} / ${s.nameEn}`,
    metadata: false,
    type: 'realtime',
    keywords: s.keywords,
    group: s.group,
  };
}
