/**
 * 位置待核实 — issue 11 #4: a place neither in the registry nor among the landmarks is recorded as the
 * caller said it, without a point, for the station the call-taker picks by keyboard (F6, type to
 * filter, Enter). The dispatcher then sees the incident as "location to be confirmed".
 */
import type { RefObject } from 'react';
import { Form } from 'antd';
import { AimOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import StationSelect, { type StationRef } from './StationSelect';
import { Kbd } from './form';

export interface LocateLaterProps {
  stationId: string | null;
  onStation: (id: string | null) => void;
  selectRef: RefObject<StationRef | null>;
  error?: string;
}

export default function LocateLater({ stationId, onStation, selectRef, error }: LocateLaterProps) {
  const { t } = useTranslation('intake');
  return (
    <Form.Item
      label={
        <span>
          <AimOutlined /> {t('locateLater')} <Kbd>F6</Kbd>
        </span>
      }
      validateStatus={error ? 'error' : undefined}
      help={error ?? <span className="sw-muted">{stationId ? t('locateLaterChosen') : t('locateLaterHint')}</span>}
      className="sw-fi"
      data-testid="intake-locate-later"
    >
      <StationSelect value={stationId} onChange={onStation} selectRef={selectRef} status={error ? 'error' : undefined} />
    </Form.Item>
  );
}
