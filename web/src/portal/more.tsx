/**
 * The portal's later parts of issue 15: safety notices, 随手拍 (traffic-violation reports with at least 2
 * photos or a video of at least 10 s — violation-video.tsx — and the third-party notice), rating a resolved report, the 110 callback survey online, and the
 * public list of open reports nearby (grouped by area; no map library, so the bundle stays small).
 */
import { useEffect, useState } from 'react';
import i18n, { usePortalT } from './i18n';
import { call } from './api';
import { useMoreT } from './more-i18n';
import { VideoEvidence, type UploadedVideo } from './violation-video';

const lang = () => (i18n.language === 'en' ? 'en' : 'zh');
const pad = (n: number) => String(n).padStart(2, '0');
const localInput = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
const fmt = (at: string) => {
  const d = new Date(at);
  return `${d.getMonth() + 1}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

interface Notice {
  id: string;
  title: string;
  body: string;
  stationName: string | null;
  validTo: string;
}

/**
 * The notices in force for the citizen's area — the place of their latest report when signed in — and the
 * whole city's. Public: shown before sign-in too (the city's only).
 */
export function Notices({ signedIn }: { signedIn: boolean }) {
  const { t } = useMoreT();
  const [items, setItems] = useState<Notice[]>([]);
  useEffect(() => {
    void (async () => {
      let q = '';
      if (signedIn) {
        const mine = await call<{ items: { location: { lon: number; lat: number } | null }[] }>('GET', '/citizen/reports').catch(() => ({ items: [] }));
        const at = mine.items.find((r) => r.location)?.location;
        if (at) q = `?lon=${at.lon}&lat=${at.lat}`;
      }
      setItems((await call<{ items: Notice[] }>('GET', `/public/notices${q}`).catch(() => ({ items: [] as Notice[] }))).items);
    })();
  }, [signedIn]);
  if (!items.length) return null;
  return (
    <section className="notices" aria-label={t('noticesTitle')} data-testid="notices">
      {items.map((n) => (
        <details key={n.id}>
          <summary>
            <span className="tag s-notice">{n.stationName ?? t('cityWide')}</span> {n.title}
          </summary>
          <p>{n.body}</p>
        </details>
      ))}
    </section>
  );
}

async function uploadPhoto(f: File): Promise<string> {
  const res = await fetch('/api/v1/citizen/photos', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': f.type || 'application/octet-stream', 'accept-language': lang() === 'en' ? 'en' : 'zh-CN' }, body: f });
  const data = (await res.json()) as { id?: string; error?: { message: string } };
  if (!res.ok || !data.id) throw new Error(data.error?.message ?? res.statusText);
  return data.id;
}

interface ViolationType {
  code: string;
  zh: string;
  en: string;
}
interface Violation {
  reportId: string;
  plate: string;
  violationName: { zh: string; en: string };
  observedAt: string;
  verdict: 'pending' | 'valid' | 'not_valid' | 'duplicate';
  verdictReason: string | null;
  rewarded: boolean;
  statusNote: string | null;
}

const VERDICT_CLASS = { pending: 's-received', valid: 's-resolved', not_valid: 's-rejected', duplicate: 's-duplicate' } as const;

export function ViolationTab() {
  const { t } = useMoreT();
  const [types, setTypes] = useState<ViolationType[]>([]);
  const [plate, setPlate] = useState('');
  const [type, setType] = useState('illegal_parking');
  const [when, setWhen] = useState(() => localInput(new Date()));
  const [where, setWhere] = useState<{ lon: number; lat: number } | null>(null);
  const [addressCode, setAddressCode] = useState('');
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [mode, setMode] = useState<'photos' | 'video'>('photos');
  const [video, setVideo] = useState<UploadedVideo | null>(null);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [mine, setMine] = useState<Violation[]>([]);
  const load = () => void call<{ items: Violation[] }>('GET', '/citizen/violations').then((r) => setMine(r.items));
  useEffect(() => {
    void call<{ items: ViolationType[] }>('GET', '/citizen/violation-types').then((r) => setTypes(r.items));
    load();
  }, []);
  const add = async (files: FileList | null) => {
    if (!files) return;
    setErr(null);
    setBusy(true);
    const ids = [...photos];
    for (const f of Array.from(files).slice(0, 6 - ids.length)) {
      try {
        ids.push(await uploadPhoto(f));
      } catch (e) {
        setErr((e as Error).message);
      }
    }
    setPhotos(ids);
    setBusy(false);
  };
  const gps = () =>
    navigator.geolocation?.getCurrentPosition(
      (p) => setWhere({ lon: Math.round(p.coords.longitude * 1e6) / 1e6, lat: Math.round(p.coords.latitude * 1e6) / 1e6 }),
      () => setErr(t('tvNeed')),
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  const submit = async () => {
    setErr(null);
    const evidence = mode === 'video' ? video !== null : photos.length >= 2;
    if (!plate.trim() || !when || (!where && !addressCode.trim()) || !evidence) return setErr(t(mode === 'video' ? 'tvNeedVideo' : 'tvNeed'));
    setBusy(true);
    try {
      const place = where ? { location: where } : { addressCode: addressCode.trim() };
      const r = await call<Violation>('POST', '/citizen/violations', { plate, violationType: type, observedAt: new Date(when).toISOString(), ...place, description: note.trim() || undefined, ...(mode === 'video' && video ? { videoId: video.id } : { mediaIds: photos }) });
      setSent(r.reportId);
      setPlate('');
      setPhotos([]);
      setVideo(null);
      setNote('');
      load();
    } catch (e) {
      setErr((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {sent && <p className="ok" data-testid="tv-sent">{t('tvSent', { id: sent })}</p>}
      <section className="card" data-testid="violation-form">
        <h2>{t('tvTitle')}</h2>
        <p className="privacy" data-testid="third-party">{t('tvThirdParty')}</p>
        <label>
          {t('plate')}
          <input value={plate} maxLength={16} onChange={(e) => setPlate(e.target.value)} placeholder={t('platePlaceholder')} autoCapitalize="characters" data-testid="plate" />
        </label>
        <label>
          {t('violationType')}
          <select value={type} onChange={(e) => setType(e.target.value)} data-testid="violation-type">
            {types.map((v) => (
              <option key={v.code} value={v.code}>
                {lang() === 'en' ? v.en : v.zh}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('observedAt')}
          <input type="datetime-local" value={when} max={localInput(new Date())} onChange={(e) => setWhen(e.target.value)} data-testid="observed-at" />
        </label>
        <div className="field">
          <button type="button" className="secondary" onClick={gps} data-testid="tv-gps">
            {where ? `✓ ${where.lon.toFixed(5)}, ${where.lat.toFixed(5)}` : t('tvGps')}
          </button>
          <input value={addressCode} onChange={(e) => setAddressCode(e.target.value)} aria-label={t('tvAddress')} placeholder={t('tvAddress')} data-testid="tv-address" />
        </div>
        <div className="seg" role="radiogroup" aria-label={t('tvEvidence')}>
          {(['photos', 'video'] as const).map((m) => (
            <button key={m} type="button" role="radio" aria-checked={mode === m} className={mode === m ? 'on' : ''} onClick={() => setMode(m)} data-testid={`tv-mode-${m}`}>
              {t(m === 'photos' ? 'tvUsePhotos' : 'tvUseVideo')}
            </button>
          ))}
        </div>
        {mode === 'video' && <VideoEvidence video={video} onChange={setVideo} disabled={busy} />}
        {mode === 'photos' && (
          <div className="field">
            <span>{t('tvPhotos')}</span>
            <div className="thumbs">
              {photos.map((id) => (
                <img key={id} src={`/api/v1/citizen/photos/${id}?thumb=true`} alt="" width={64} height={64} />
              ))}
            </div>
            {photos.length < 6 && <input type="file" accept="image/jpeg,image/png,image/webp" multiple disabled={busy} onChange={(e) => void add(e.target.files)} aria-label={t('tvPhotos')} data-testid="tv-photos" />}
          </div>
        )}
        <label>
          {t('tvNote')}
          <textarea rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} data-testid="tv-note" />
        </label>
        <p className="hint">{t('rewardRule')}</p>
        {err && <p className="error" role="alert">{err}</p>}
        <button type="button" onClick={() => void submit()} disabled={busy} data-testid="tv-submit">
          {t('tvSubmit')}
        </button>
      </section>
      <h3>{t('tvMine')}</h3>
      {mine.length === 0 ? (
        <p className="empty">{t('tvNone')}</p>
      ) : (
        <ul className="list" data-testid="my-violations">
          {mine.map((v) => (
            <li key={v.reportId} className="card compact">
              <div className="line">
                <strong>
                  #{v.reportId} {v.plate}
                </strong>
                <span className={`tag ${VERDICT_CLASS[v.verdict]}`}>{t(`verdict_${v.verdict}`)}</span>
              </div>
              <span className="hint">
                {v.violationName[lang()]} · {fmt(v.observedAt)} {v.rewarded && <span className="tag s-resolved">{t('rewarded')}</span>}
              </span>
              {v.verdict !== 'pending' && v.statusNote && <div className="note">{v.statusNote}</div>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** Rating of my resolved report: 1–5 and a comment, once. */
export function RateBox({ reportId, status, mine }: { reportId: string; status: string; mine: boolean }) {
  const { t } = useMoreT();
  const [rated, setRated] = useState<number | null | undefined>(undefined);
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => {
    if (status !== 'resolved' || !mine) return;
    void call<{ items: { reportId: string; score: number }[] }>('GET', '/citizen/ratings').then((r) => setRated(r.items.find((x) => x.reportId === reportId)?.score ?? null));
  }, [reportId, status, mine]);
  if (status !== 'resolved' || !mine || rated === undefined) return null;
  if (rated !== null) return <p className="ok" data-testid="rated">{t('rated', { score: rated })}</p>;
  const send = async () => {
    try {
      await call('POST', `/citizen/reports/${reportId}/rating`, { score, comment: comment.trim() || undefined });
      setRated(score);
    } catch (e) {
      setErr((e as Error).message);
    }
  };
  return (
    <div className="rate" data-testid="rate">
      <strong>{t('rateTitle')}</strong>
      <div className="stars" role="radiogroup" aria-label={t('rateTitle')}>
        {[1, 2, 3, 4, 5].map((n) => (
          <button key={n} type="button" role="radio" aria-checked={score === n} aria-label={t('star', { n })} className={n <= score ? 'star on' : 'star'} onClick={() => setScore(n)} data-testid={`star-${n}`}>
            ★
          </button>
        ))}
      </div>
      <textarea rows={2} maxLength={500} value={comment} onChange={(e) => setComment(e.target.value)} aria-label={t('rateComment')} placeholder={t('rateComment')} data-testid="rate-comment" />
      {err && <p className="error" role="alert">{err}</p>}
      <button type="button" disabled={!score} onClick={() => void send()} data-testid="rate-send">
        {t('rateSend')}
      </button>
    </div>
  );
}

interface Survey {
  id: string;
  incidentNumber: string;
}

/** The 110 callback surveys waiting for my phone, answered here instead of by a phone call. */
export function Surveys() {
  const { t } = useMoreT();
  const [items, setItems] = useState<Survey[]>([]);
  const [done, setDone] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => {
    void call<{ items: Survey[] }>('GET', '/citizen/surveys').then((r) => setItems(r.items), () => setItems([]));
  }, []);
  if (!items.length) return null;
  const send = async (id: string) => {
    setErr(null);
    try {
      await call('POST', `/citizen/surveys/${id}`, { outcome: picked[id], reason: picked[id] === 'dissatisfied' ? reason : undefined });
      setDone((d) => [...d, id]);
    } catch (e) {
      setErr((e as Error).message);
    }
  };
  return (
    <section className="card" data-testid="surveys">
      <h2>{t('surveysTitle')}</h2>
      {items.map((s) =>
        done.includes(s.id) ? (
          <p key={s.id} className="ok">{t('surveyThanks')}</p>
        ) : (
          <div key={s.id} className="field">
            <span>{t('surveyText', { number: s.incidentNumber })}</span>
            <div className="choices">
              {(['satisfied', 'basically_satisfied', 'dissatisfied'] as const).map((o) => (
                <button key={o} type="button" className={picked[s.id] === o ? '' : 'secondary'} aria-pressed={picked[s.id] === o} onClick={() => setPicked((p) => ({ ...p, [s.id]: o }))}>
                  {t(`outcome_${o}`)}
                </button>
              ))}
            </div>
            {picked[s.id] === 'dissatisfied' && <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} aria-label={t('surveyReason')} placeholder={t('surveyReason')} />}
            <button type="button" disabled={!picked[s.id]} onClick={() => void send(s.id)}>
              {t('surveySend')}
            </button>
          </div>
        ),
      )}
      {err && <p className="error" role="alert">{err}</p>}
    </section>
  );
}

interface PublicItem {
  category: { code: string; zh: string; en: string };
  area: string;
  status: string;
  ageHours: number;
}

/** The open reports of the city, grouped by area (public fields only). */
export function PublicList() {
  const { t } = useMoreT();
  const { t: tp } = usePortalT();
  const [data, setData] = useState<{ items: PublicItem[]; truncated: boolean } | null>(null);
  useEffect(() => {
    void call<{ items: PublicItem[]; truncated: boolean }>('GET', '/public/citizen-reports?bbox=-180,-90,180,90').then(setData);
  }, []);
  if (!data) return null;
  const groups = new Map<string, PublicItem[]>();
  for (const i of data.items) groups.set(i.area, [...(groups.get(i.area) ?? []), i]);
  return (
    <section className="card" data-testid="public-list">
      <h2>{t('mapTitle')}</h2>
      <p className="hint">{t('mapHint')}</p>
      {!data.items.length && <p className="empty">{t('mapNone')}</p>}
      {[...groups.entries()].map(([area, items], g) => (
        <details key={area} open={groups.size <= 3 || g === 0}>
          <summary>
            {area} <span className="badge neutral">{items.length}</span>
          </summary>
          <ul className="plain">
            {items.map((i, k) => (
              <li key={k}>
                {i.category[lang()]} <span className={`tag s-${i.status}`}>{tp(`status_${i.status}` as 'status_received')}</span> <span className="hint">· {i.ageHours < 48 ? t('ageHours', { n: i.ageHours }) : t('ageDays', { n: Math.floor(i.ageHours / 24) })}</span>
              </li>
            ))}
          </ul>
        </details>
      ))}
      {data.truncated && <p className="hint">{t('truncated')}</p>}
    </section>
  );
}
