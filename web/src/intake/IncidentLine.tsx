/** One incident as a short block (history, duplicates): priority, number, status, time, category, address. */
import type { ReactNode } from 'react';
import dayjs from 'dayjs';
import { useCategoryLabel, type Incident } from '../incidents/model';
import { PriorityTag, StatusTag } from '../incidents/tags';
import { distanceM } from './form';

export default function IncidentLine({ x, point, extra }: { x: Incident; point: { lon: number; lat: number } | null; extra?: ReactNode }) {
  const catLabel = useCategoryLabel();
  return (
    <div className="sw-incident-line">
      <div className="sw-incident-line-head">
        <PriorityTag p={x.priority} />
        <a className="sw-mono" href={`/incidents/${x.id}`} target="_blank" rel="noreferrer">
          {x.number}
        </a>
        <StatusTag s={x.status} />
        <span className="sw-muted">{dayjs(x.times.recordedAt).format('MM-DD HH:mm')}</span>
        {extra}
      </div>
      <div className="sw-incident-line-body">
        <b>{catLabel(x.categoryCode)}</b> · {x.address ?? '—'}
        {point && x.location ? <span className="sw-muted"> · {Math.round(distanceM(point, x.location))} m</span> : null}
      </div>
      <div className="sw-incident-line-desc">{x.description}</div>
    </div>
  );
}
