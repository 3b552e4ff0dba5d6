/** Photos of a saved visit (≤ 6): taken or picked on the phone, sent as they are (the server strips EXIF/GPS), shown as thumbnails. */
import { useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Space } from 'antd';
import { CameraOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { errorMessage } from '../format';

const MAX = 6;

export default function VisitPhotos({ visitId }: { visitId: string }) {
  const { t } = useTranslation('community');
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const base = `/api/v1/visits/${encodeURIComponent(visitId)}/photos`;
  const photos = useQuery({ queryKey: ['community', 'photos', visitId], queryFn: () => api<{ items: { id: string }[] }>(base) });
  const items = photos.data?.items ?? [];
  const send = async (files: File[]) => {
    setBusy(true);
    try {
      for (const f of files.slice(0, MAX - items.length)) {
        const res = await fetch(base, { method: 'POST', credentials: 'include', headers: { 'Content-Type': f.type || 'application/octet-stream', 'Idempotency-Key': crypto.randomUUID() }, body: f });
        if (!res.ok) {
          const e = ((await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } }).error;
          throw new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? res.statusText);
        }
      }
      await qc.invalidateQueries({ queryKey: ['community', 'photos', visitId] });
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="visit-photos">
      <Space wrap size={6}>
        {items.map((p) => (
          <img key={p.id} src={`${base}/${p.id}?thumb=true`} alt={t('photo')} width={72} height={72} style={{ objectFit: 'cover', borderRadius: 4, border: '1px solid #ddd' }} />
        ))}
      </Space>
      {items.length < MAX && (
        <Button block icon={<CameraOutlined />} loading={busy} onClick={() => input.current?.click()} style={{ minHeight: 44 }}>
          {t('addPhotos', { n: items.length, max: MAX })}
        </Button>
      )}
      <input ref={input} type="file" accept="image/jpeg,image/png,image/webp" multiple hidden aria-label={t('addPhotos', { n: items.length, max: MAX })} onChange={(e) => void send([...(e.target.files ?? [])]).then(() => (e.target.value = ''))} data-testid="visit-photo-input" />
    </Space>
  );
}
