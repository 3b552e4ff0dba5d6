/** Reports the phone's position while switched on (asks the browser's permission only then). A 44 px toggle button with its state spoken. */
import { useEffect, useRef, useState } from 'react';
import { Button } from 'antd';
import { AimOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api';

export default function GeoReporter({ unitId }: { unitId: string }) {
  const { t } = useTranslation('officer');
  const [on, setOn] = useState(false);
  const [err, setErr] = useState(false);
  const last = useRef(0);
  const hasGeo = typeof navigator !== 'undefined' && !!navigator.geolocation;
  useEffect(() => {
    if (!on || !hasGeo) return;
    setErr(false);
    const id = navigator.geolocation.watchPosition(
      (p) => {
        const now = Date.now();
        if (now - last.current < 5000) return;
        last.current = now;
        const body: Record<string, number> = { lon: p.coords.longitude, lat: p.coords.latitude };
        if (p.coords.speed !== null && p.coords.speed >= 0) body.speed = Math.min(400, p.coords.speed * 3.6);
        if (p.coords.heading !== null && p.coords.heading >= 0 && !Number.isNaN(p.coords.heading)) body.heading = p.coords.heading % 360;
        api(`/api/v1/units/${encodeURIComponent(unitId)}/position`, { method: 'POST', body }).catch(() => setErr(true));
      },
      () => setErr(true),
      { enableHighAccuracy: true, maximumAge: 5000, timeout: 20_000 },
    );
    return () => navigator.geolocation.clearWatch(id);
  }, [on, hasGeo, unitId]);
  if (!hasGeo) return null;
  const label = err ? t('locationDenied') : on ? t('sharingLocation') : t('shareLocation');
  return (
    <Button
      className={`sw-officer-geo sw-touch ${on ? 'sw-officer-geo-on' : ''}`}
      type={on ? 'primary' : 'default'}
      danger={err}
      icon={<AimOutlined />}
      role="switch"
      aria-checked={on}
      onClick={() => setOn((v) => !v)}
      data-testid="officer-geo"
    >
      {label}
    </Button>
  );
}
