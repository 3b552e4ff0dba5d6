/**
 * The place of a dispute on the registration form: a standard address searched as one types (the
 * registry's own search, as the intake console's address box uses), or the phone's own position with
 * the nearest standard address named beside it. Either is optional: without a place the dispute
 * belongs to the registering officer's station.
 */
import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { AutoComplete, Button, Typography } from 'antd';
import { AimOutlined, CloseOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import type { AddressHit } from '../incidents/model';
import { useDebounced } from '../incidents/useDebounced';

export type Place = { kind: 'address'; hit: AddressHit } | { kind: 'point'; lon: number; lat: number; near: string | null } | null;

export default function PlaceField({ value, onChange }: { value: Place; onChange: (p: Place) => void }) {
  const { t } = useTranslation('disputes');
  const [text, setText] = useState('');
  const [locating, setLocating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const q = useDebounced(text.trim(), 200);
  const search = useQuery({
    queryKey: ['addresses', 'search', q],
    queryFn: ({ signal }) => api<AddressHit[]>('/api/v1/addresses/search', { query: { q, limit: 8 }, signal }),
    enabled: q.length > 0 && value === null,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

  const locate = () => {
    setError(null);
    if (!navigator.geolocation) return setError(t('locationUnsupported'));
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      async (pos) => {
        const lon = pos.coords.longitude;
        const lat = pos.coords.latitude;
        let near: string | null = null;
        try {
          const hits = await api<AddressHit[]>('/api/v1/addresses/reverse', { query: { lon, lat, radius: 100, limit: 1 } });
          near = hits[0]?.text ?? null;
        } catch {
          /* the point alone will do */
        }
        setLocating(false);
        onChange({ kind: 'point', lon, lat, near });
      },
      (e) => {
        setLocating(false);
        setError(t('locationFailed', { msg: e.message }));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  if (value) {
    const shown = value.kind === 'address' ? value.hit.text : t('locationPoint', { lon: value.lon.toFixed(5), lat: value.lat.toFixed(5) });
    return (
      <div className="sw-place-row" data-testid="place-chosen">
        <EnvironmentOutlined style={{ marginTop: 5 }} aria-hidden />
        <div style={{ flex: 1, minWidth: 0 }}>
          <div>{shown}</div>
          {value.kind === 'point' && value.near && <Typography.Text type="secondary">{t('placeNear', { text: value.near })}</Typography.Text>}
        </div>
        <Button icon={<CloseOutlined />} onClick={() => onChange(null)} aria-label={t('clearPlace')} data-testid="place-clear" />
      </div>
    );
  }
  return (
    <div>
      <div className="sw-place-row">
        <AutoComplete
          value={text}
          onChange={setText}
          onSelect={(code: string) => {
            const hit = search.data?.find((h) => h.code === code);
            if (hit) onChange({ kind: 'address', hit });
          }}
          options={(q ? (search.data ?? []) : []).map((h) => ({ value: h.code, label: <div className="sw-addr-option">{h.text}</div> }))}
          placeholder={t('placePlaceholder')}
          aria-label={t('placeLabel')}
          data-testid="place-search"
        />
        <Button icon={<AimOutlined />} loading={locating} onClick={locate} data-testid="place-locate">
          {locating ? t('locating') : t('useLocation')}
        </Button>
      </div>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </div>
  );
}
