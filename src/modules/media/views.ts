/** A recording as the API answers it. */
import type { MediaRow } from './upload.js';
import type { LinkView } from './linkage.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const uploadUrl = (id: string) => `/api/v1/media/uploads/${id}`;

export function mediaItem(r: MediaRow, links: readonly LinkView[] = []) {
  return {
    id: r.id,
    status: r.status as 'uploading' | 'stored' | 'refused' | 'purged',
    size: r.size,
    received: r.received,
    contentType: r.contentType,
    fileName: r.fileName,
    sha256: r.sha256,
    officerId: r.officerId,
    officerName: r.officerName,
    stationId: r.stationId,
    recordedFrom: r.recordedFrom.toISOString(),
    recordedTo: r.recordedTo.toISOString(),
    source: r.source,
    createdBy: r.createdBy,
    storedAt: iso(r.storedAt),
    hold: r.hold,
    holdReason: r.holdReason,
    links: [...links],
    uploadUrl: r.status === 'uploading' ? uploadUrl(r.id) : null,
  };
}
