import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { PRIORITY_COLOR, STATUS_COLOR, type IncidentStatus, type Priority } from './model';
import { useLabel } from '../i18n';

export function PriorityTag({ p, long = false }: { p: Priority; long?: boolean }) {
  const { t } = useTranslation('incidents');
  return (
    <Tag color={PRIORITY_COLOR[p] ?? 'default'} variant="solid" style={{ marginInlineEnd: 0, fontWeight: 600 }} data-priority={p}>
      {long ? t(p) : p}
    </Tag>
  );
}

export function StatusTag({ s }: { s: IncidentStatus | string }) {
  const label = useLabel('incidents');
  return (
    <Tag color={STATUS_COLOR[s as IncidentStatus] ?? 'default'} style={{ marginInlineEnd: 0 }} data-status={s}>
      {label('st_', s)}
    </Tag>
  );
}

/**
 * 位置待核实 (issue 11 #4): an incident recorded without a point — the caller's words and the station
 * chosen at intake, the place still to be found. Renders nothing when the incident has a point.
 */
export function LocationPendingTag({ incident }: { incident: { location: unknown } }) {
  const { t } = useTranslation('intake');
  if (incident.location) return null;
  return (
    <Tag color="orange" style={{ marginInlineEnd: 4 }} data-testid="location-pending">
      {t('locationPending')}
    </Tag>
  );
}
