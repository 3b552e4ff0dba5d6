/** Pieces of the 快处快赔 screens: the 110 warning, the status tag, the photo picker, a driver's fields. */
import { useState } from 'react';
import i18n from './i18n';
import { useAccidentT, type AccidentKey } from './accident-i18n';

export const FINAL = ['closed', 'rejected', 'withdrawn', 'escalated_to_110'];

export function Call110() {
  const { t } = useAccidentT();
  return (
    <div className="alarm" role="alert" data-testid="accident-110">
      <strong>{t('call110')}</strong>
      <a className="call" href="tel:110">
        {t('call110Link')}
      </a>
    </div>
  );
}

export function Status({ s }: { s: string }) {
  const { t } = useAccidentT();
  const cls = s === 'closed' || s === 'agreed' ? 's-resolved' : FINAL.includes(s) ? 's-rejected' : s === 'drafted' ? 's-received' : 's-accepted';
  return <span className={`tag ${cls}`}>{t(`status_${s}` as AccidentKey)}</span>;
}

export function Photos({ ids, onChange }: { ids: string[]; onChange: (ids: string[]) => void }) {
  const { t } = useAccidentT();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const add = async (files: FileList | null) => {
    if (!files) return;
    setBusy(true);
    setErr(null);
    const next = [...ids];
    for (const f of Array.from(files).slice(0, 6 - next.length)) {
      const res = await fetch('/api/v1/citizen/photos', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': f.type || 'application/octet-stream', 'accept-language': i18n.language === 'en' ? 'en' : 'zh-CN' }, body: f });
      const data = (await res.json().catch(() => ({}))) as { id?: string; error?: { message: string } };
      if (res.ok && data.id) next.push(data.id);
      else setErr(data.error?.message ?? res.statusText);
    }
    onChange(next);
    setBusy(false);
  };
  return (
    <div className="field">
      <span>{t('photos')}</span>
      <div className="thumbs">
        {ids.map((id) => (
          <img key={id} src={`/api/v1/citizen/photos/${id}?thumb=true`} alt="" width={64} height={64} />
        ))}
      </div>
      {ids.length < 6 && <input type="file" accept="image/jpeg,image/png,image/webp" multiple disabled={busy} onChange={(e) => void add(e.target.files)} aria-label={t('photos')} data-testid="accident-photos" />}
      <p className="hint">{t('photosHint')}</p>
      {err && <p className="error">{err}</p>}
    </div>
  );
}

export function PartyFields({ v, set }: { v: { plate: string; insurer: string; statement: string }; set: (k: 'plate' | 'insurer' | 'statement', s: string) => void }) {
  const { t } = useAccidentT();
  return (
    <>
      <label>
        {t('plate')}
        <input value={v.plate} onChange={(e) => set('plate', e.target.value)} autoCapitalize="characters" placeholder="粤A12345 / MX-12-34" data-testid="accident-plate" />
      </label>
      <label>
        {t('insurer')}
        <input value={v.insurer} onChange={(e) => set('insurer', e.target.value)} data-testid="accident-insurer" />
      </label>
      <label>
        {t('statement')}
        <textarea rows={3} maxLength={2000} value={v.statement} onChange={(e) => set('statement', e.target.value)} data-testid="accident-statement" />
      </label>
    </>
  );
}
