/**
 * The station an incident without a point goes to (issue 11 #4, "locate later"): a select the call-taker
 * reaches by keyboard (F6) and filters by typing a station's name or code; Enter takes the highlighted one.
 */
import type { RefObject } from 'react';
import { Select, type GetRef } from 'antd';
import { useTranslation } from 'react-i18next';
import { useUnits } from '../session';

export type StationRef = GetRef<typeof Select>;

export interface StationSelectProps {
  value: string | null;
  onChange: (id: string | null) => void;
  selectRef?: RefObject<StationRef | null>;
  testId?: string;
  status?: 'error';
  autoFocus?: boolean;
}

export default function StationSelect({ value, onChange, selectRef, testId = 'intake-station', status, autoFocus }: StationSelectProps) {
  const { t } = useTranslation('intake');
  const units = useUnits();
  const options = (units.data ?? []).filter((u) => u.kind === 'station').map((u) => ({ value: u.id, label: `${u.name} ${u.code}` }));
  return (
    <Select
      ref={selectRef}
      showSearch={{ optionFilterProp: 'label' }}
      allowClear
      autoFocus={autoFocus}
      value={value ?? undefined}
      onChange={(v?: string) => onChange(v ?? null)}
      options={options}
      loading={units.isLoading}
      placeholder={t('stationPlaceholder')}
      aria-label={t('station')}
      status={status}
      defaultActiveFirstOption
      data-testid={testId}
      style={{ width: '100%' }}
      classNames={{ popup: { root: `${testId}-popup` } }}
    />
  );
}
