/**
 * "Nearby police rooms" on the citizen portal: name, address, reception hours and whether the room is
 * open now, from the public endpoint (no sign-in); nearest first once the visitor shares a position.
 * Plain elements and the shared hours formatter only: the portal's bundle stays small.
 */
import { useEffect, useState } from 'react';
import { call } from './api';
import i18n, { usePortalT } from './i18n';
import { formatHours, nextOpenText, type Interval } from '../community/hours';

interface PublicRoom {
  id: string;
  name: string;
  address: string;
  hours: Interval[];
  openNow: boolean;
  nextOpensAt: string | null;
  distanceM: number | null;
}

export default function PoliceRooms() {
  const { t } = usePortalT();
  const [rooms, setRooms] = useState<PublicRoom[] | null>(null);
  const [near, setNear] = useState<{ lon: number; lat: number } | null>(null);
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  useEffect(() => {
    const q = near ? `?lon=${near.lon}&lat=${near.lat}&limit=3` : '?limit=3';
    call<{ items: PublicRoom[] }>('GET', `/public/police-rooms${q}`).then(
      (r) => setRooms(r.items),
      () => setRooms([]),
    );
  }, [near]);
  if (!rooms?.length) return null;
  const locate = () => navigator.geolocation?.getCurrentPosition((p) => setNear({ lon: p.coords.longitude, lat: p.coords.latitude }), () => undefined, { timeout: 8000 });
  return (
    <section className="card rooms" data-testid="police-rooms" style={{ marginTop: 12 }}>
      <h2>{t('roomsTitle')}</h2>
      {!near && (
        <button type="button" className="link" onClick={locate} style={{ alignSelf: 'flex-start' }}>
          {t('roomsNear')}
        </button>
      )}
      <ul className="list">
        {rooms.map((r) => (
          <li key={r.id} className="room">
            <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
              <strong>{r.name}</strong>
              <span className={`tag ${r.openNow ? 's-resolved' : ''}`}>{r.openNow ? t('roomOpen') : t('roomClosed')}</span>
            </div>
            <div className="hint">
              {r.address}
              {r.distanceM !== null ? ` · ${t('metres', { m: r.distanceM })}` : ''}
            </div>
            {formatHours(r.hours, lang).map((l) => (
              <div key={l} className="hint">
                {l}
              </div>
            ))}
            {!r.openNow && r.nextOpensAt && <div className="hint">{nextOpenText(r.nextOpensAt, lang)}</div>}
          </li>
        ))}
      </ul>
    </section>
  );
}
