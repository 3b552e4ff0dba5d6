/**
 * The citizen portal (/portal/): its own light shell and bundle, a phone first (375 px), zh-CN first
 * with English. Sign in with a phone number and a one-time code, report a non-emergency (category,
 * place by GPS or standard address code — a QR door plate opens /portal/report?address=<code>,
 * description), see the 110 warning and the duplicates nearby before sending, follow my reports'
 * status history and read the updates; the community police rooms nearby with their hours (open now).
 * No Ant Design, no map library in this bundle.
 */
import { lazy, StrictMode, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import i18n, { setLang, usePortalT } from './i18n';
import { call, PortalError, type Dup, type Note, type Report, type Service } from './api';
import PoliceRooms from './PoliceRooms';
import './portal.css';
import { Notices, RateBox, Surveys, ViolationTab } from './more';
import { NearbyTab } from './nearby';
import { useMoreT } from './more-i18n';

// 快处快赔 loads when its tab opens (the first load stays small).
const AccidentTab = lazy(() => import('./accident'));

const DEMO_PHONE = '13800138000';
type Tab = 'report' | 'tv' | 'accident' | 'mine' | 'notes' | 'map';
const TAB_PATH: Record<string, Tab> = { mine: 'mine', violations: 'tv', accident: 'accident', notes: 'notes', map: 'map' };

function fmt(at: string) {
  const d = new Date(at);
  return `${d.getMonth() + 1}-${String(d.getDate()).padStart(2, '0')} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function SignIn({ onIn }: { onIn: () => void }) {
  const { t } = usePortalT();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [demo, setDemo] = useState<string | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ask = async () => {
    setErr(null);
    try {
      const r = await call<{ demoCode?: string }>('POST', '/citizen/otp', { phone });
      setDemo(r.demoCode ?? null);
    } catch (e) {
      setErr((e as Error).message);
    }
  };
  const go = async () => {
    setErr(null);
    setBusy(true);
    try {
      await call('POST', '/citizen/session', { phone, code });
      onIn();
    } catch (e) {
      setErr((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" data-testid="signin">
      <label>
        {t('phone')}
        <input inputMode="tel" autoComplete="tel" value={phone} onChange={(e) => setPhone(e.target.value)} data-testid="phone" placeholder="138 0000 0000" />
      </label>
      <p className="hint">{t('demoPhone', { phone: DEMO_PHONE })}</p>
      <button type="button" className="secondary" onClick={ask} disabled={!phone} data-testid="get-code">
        {t('getCode')}
      </button>
      {demo && (
        <p className="demo" data-testid="demo-code">
          {t('demoCode', { code: demo })}{' '}
          <button type="button" className="link" onClick={() => setCode(demo)}>
            {t('useDemoCode')}
          </button>
        </p>
      )}
      <label>
        {t('code')}
        <input inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => setCode(e.target.value)} data-testid="code" />
      </label>
      {err && <p className="error" role="alert">{err}</p>}
      <button type="button" onClick={go} disabled={busy || !phone || !code} data-testid="sign-in">
        {t('signIn')}
      </button>
    </section>
  );
}

function ReportForm({ onDone, initialAddress }: { onDone: (id: string) => void; initialAddress: string }) {
  const { t } = usePortalT();
  const [services, setServices] = useState<Service[]>([]);
  const [serviceCode, setServiceCode] = useState('');
  const [where, setWhere] = useState<{ lon: number; lat: number } | null>(null);
  const [addressCode, setAddressCode] = useState(initialAddress);
  const [description, setDescription] = useState('');
  const [gpsMsg, setGpsMsg] = useState<string | null>(null);
  const [emergency, setEmergency] = useState(false);
  const [dups, setDups] = useState<Dup[]>([]);
  const [mustConfirm, setMustConfirm] = useState<'110' | 'dup' | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [voiced, setVoiced] = useState<string | null>(null);
  const [photos, setPhotos] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);

  // Photos go up one by one as chosen (the server strips their metadata); at most 6.
  const addPhotos = async (files: FileList | null) => {
    if (!files) return;
    setErr(null);
    setUploading(true);
    const ids = [...photos];
    for (const f of Array.from(files).slice(0, 6 - ids.length)) {
      try {
        const res = await fetch('/api/v1/citizen/photos', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': f.type || 'application/octet-stream', 'accept-language': i18n.language === 'en' ? 'en' : 'zh-CN' }, body: f });
        const data = (await res.json()) as { id?: string; error?: { message: string } };
        if (!res.ok || !data.id) throw new Error(data.error?.message ?? res.statusText);
        ids.push(data.id);
      } catch (e) {
        setErr((e as Error).message);
      }
    }
    setPhotos(ids);
    setUploading(false);
  };
  const lang = i18n.language === 'en' ? 'en' : 'zh';

  useEffect(() => {
    void call<{ items: Service[] }>('GET', '/citizen/services').then((r) => {
      setServices(r.items);
      setServiceCode((c) => c || r.items[0]?.code || '');
    });
  }, []);

  // The 110 warning and the duplicates, checked as the citizen types and picks.
  const seq = useRef(0);
  useEffect(() => {
    if (!serviceCode) return;
    const n = ++seq.current;
    const h = setTimeout(() => {
      const place = where ? { location: where } : addressCode.trim() ? { addressCode: addressCode.trim() } : {};
      call<{ emergency: { emergency: boolean }; duplicates: Dup[] }>('POST', '/citizen/reports/check', { serviceCode, description, ...place })
        .then((r) => {
          if (n !== seq.current) return;
          setEmergency(r.emergency.emergency);
          setDups(r.duplicates);
        })
        .catch(() => {});
    }, 300);
    return () => clearTimeout(h);
  }, [serviceCode, description, where, addressCode]);

  const gps = () => {
    setGpsMsg(null);
    if (!navigator.geolocation) return setGpsMsg(t('gpsFail'));
    navigator.geolocation.getCurrentPosition(
      (p) => {
        const at = { lon: Math.round(p.coords.longitude * 1e6) / 1e6, lat: Math.round(p.coords.latitude * 1e6) / 1e6 };
        setWhere(at);
        setGpsMsg(t('gpsOk', { lon: at.lon.toFixed(5), lat: at.lat.toFixed(5) }));
      },
      () => setGpsMsg(t('gpsFail')),
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  };

  const submit = async (opts: { insist?: boolean; ignoreDuplicates?: boolean } = {}) => {
    setErr(null);
    if (!serviceCode || !description.trim() || (!where && !addressCode.trim())) return setErr(t('required'));
    setBusy(true);
    try {
      const place = where ? { location: where } : { addressCode: addressCode.trim() };
      const r = await call<Report>('POST', '/citizen/reports', { serviceCode, description, ...place, mediaIds: photos.length ? photos : undefined, insist: opts.insist || undefined, ignoreDuplicates: opts.ignoreDuplicates || dups.length === 0 || undefined });
      onDone(r.id);
    } catch (e) {
      if (e instanceof PortalError && e.code === 'citizen_call_110') setMustConfirm('110');
      else if (e instanceof PortalError && e.code === 'citizen_duplicates') setMustConfirm('dup');
      else setErr((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const voice = async (id: string) => {
    try {
      await call('POST', `/citizen/reports/${id}/voices`);
      setVoiced(id);
    } catch (e) {
      setErr((e as Error).message);
    }
  };

  return (
    <section className="card" data-testid="report-form">
      {emergency && (
        <div className="alarm" role="alert" data-testid="call-110">
          <strong>{t('call110')}</strong>
          <a className="call" href="tel:110">
            {t('call110Link')}
          </a>
        </div>
      )}
      <label>
        {t('category')}
        <select value={serviceCode} onChange={(e) => setServiceCode(e.target.value)} data-testid="service">
          {services.map((s) => (
            <option key={s.code} value={s.code}>
              {lang === 'en' ? s.nameEn : s.nameZh}
            </option>
          ))}
        </select>
      </label>
      <div className="field">
        <span>{t('place')}</span>
        <button type="button" className="secondary" onClick={gps} data-testid="gps">
          {t('useGps')}
        </button>
        {gpsMsg && <p className="hint" data-testid="gps-msg">{gpsMsg}</p>}
        <input value={addressCode} onChange={(e) => setAddressCode(e.target.value)} placeholder={t('addressCode')} aria-label={t('addressCode')} data-testid="address-code" />
      </div>
      <label>
        {t('description')}
        <textarea rows={4} maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="description" />
      </label>
      <p className="hint">{t('descriptionHint')}</p>
      <div className="field">
        <span>{t('photos')}</span>
        <div className="thumbs">
          {photos.map((id) => (
            <img key={id} src={`/api/v1/citizen/photos/${id}?thumb=true`} alt="" width={64} height={64} />
          ))}
        </div>
        {photos.length < 6 && <input type="file" accept="image/jpeg,image/png,image/webp" multiple disabled={uploading} onChange={(e) => void addPhotos(e.target.files)} aria-label={t('photos')} data-testid="photos" />}
        <p className="hint">{t('photosHint')}</p>
      </div>
      {dups.length > 0 && (
        <div className="dups" data-testid="duplicates">
          <strong>{t('dupTitle')}</strong>
          <p className="hint">{t('dupHint')}</p>
          {dups.map((d) => (
            <div key={d.id} className="dup">
              <div>
                <div>#{d.id} · {d.description}</div>
                <div className="hint">
                  {t('metres', { m: d.distanceM })} · {t(`status_${d.status}` as 'status_received')} · {t('voices', { n: d.voices })}
                </div>
              </div>
              {voiced === d.id ? (
                <span className="ok" data-testid="voiced">{t('voiced')}</span>
              ) : (
                <button type="button" className="secondary" onClick={() => voice(d.id)} data-testid={`voice-${d.id}`}>
                  {t('addVoice')}
                </button>
              )}
            </div>
          ))}
        </div>
      )}
      {err && <p className="error" role="alert">{err}</p>}
      {mustConfirm === '110' ? (
        <button type="button" className="danger" onClick={() => submit({ insist: true })} disabled={busy} data-testid="insist">
          {t('insist')}
        </button>
      ) : mustConfirm === 'dup' || dups.length > 0 ? (
        <button type="button" className="secondary" onClick={() => submit({ ignoreDuplicates: true })} disabled={busy} data-testid="new-anyway">
          {t('newAnyway')}
        </button>
      ) : (
        <button type="button" onClick={() => submit()} disabled={busy} data-testid="submit">
          {busy ? t('submitting') : t('submit')}
        </button>
      )}
    </section>
  );
}

function StatusTag({ s }: { s: string }) {
  const { t } = usePortalT();
  return <span className={`tag s-${s}`}>{t(`status_${s}` as 'status_received')}</span>;
}

function Mine({ openId, onOpen }: { openId: string | null; onOpen: (id: string | null) => void }) {
  const { t } = usePortalT();
  const [items, setItems] = useState<Report[] | null>(null);
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  useEffect(() => {
    void call<{ items: Report[] }>('GET', '/citizen/reports').then((r) => setItems(r.items));
  }, [openId]);
  if (!items) return null;
  const open = openId ? items.find((r) => r.id === openId) : undefined;
  if (open)
    return (
      <section className="card" data-testid="report-detail">
        <button type="button" className="link" onClick={() => onOpen(null)}>
          ← {t('back')}
        </button>
        <h2>
          #{open.id} {open.serviceName[lang]} <StatusTag s={open.status} />
        </h2>
        <p>{open.description}</p>
        {open.statusNote && <p className="note">{open.statusNote}</p>}
        <RateBox reportId={open.id} status={open.status} mine={open.mine} />
        <h3>{t('history')}</h3>
        <ol className="timeline" data-testid="history">
          {open.history.map((h, i) => (
            <li key={i}>
              <StatusTag s={h.status} /> <span className="hint">{fmt(h.at)}</span>
              {h.note && <div className="note">{h.note}</div>}
            </li>
          ))}
        </ol>
      </section>
    );
  if (!items.length) return <p className="empty">{t('none')}</p>;
  return (
    <ul className="list" data-testid="my-reports">
      {items.map((r) => (
        <li key={r.id}>
          <button type="button" className="row" onClick={() => onOpen(r.id)} data-testid={`report-${r.id}`}>
            <span>
              #{r.id} {r.serviceName[lang]} {r.urgent && <span className="tag s-urgent">{t('urgent')}</span>}
              <span className="hint"> · {r.mine ? t('mineTag') : t('followTag')} · {fmt(r.createdAt)}</span>
            </span>
            <StatusTag s={r.status} />
          </button>
        </li>
      ))}
    </ul>
  );
}

function Notes({ onOpen, onRead }: { onOpen: (id: string) => void; onRead: () => void }) {
  const { t } = usePortalT();
  const [items, setItems] = useState<Note[] | null>(null);
  useEffect(() => {
    void call<{ items: Note[] }>('GET', '/citizen/notifications').then((r) => {
      setItems(r.items);
      if (r.items.some((n) => !n.read)) void call('POST', '/citizen/notifications/read', {}).then(onRead);
    });
  }, [onRead]);
  if (!items) return null;
  if (!items.length) return <p className="empty">{t('noNotes')}</p>;
  return (
    <ul className="list" data-testid="notes">
      {items.map((n) => (
        <li key={n.id} className={n.read ? '' : 'unread'}>
          <button type="button" className="row" onClick={() => onOpen(n.reportId)}>
            <span>
              {t('report')} #{n.reportId} <StatusTag s={n.status} />
              {n.note && <span className="note"> {n.note}</span>}
            </span>
            <span className="hint">{fmt(n.at)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function Portal() {
  const { t } = usePortalT();
  const [me, setMe] = useState<{ phone: string; unread: number } | null | undefined>(undefined);
  const params = new URLSearchParams(location.search);
  const { t: tm } = useMoreT();
  const [tab, setTab] = useState<Tab>(TAB_PATH[location.pathname.split('/')[2] ?? ''] ?? 'report');
  const [openId, setOpenId] = useState<string | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const refresh = useCallback(() => {
    call<{ phone: string; unread: number }>('GET', '/citizen/me').then(setMe, () => setMe(null));
  }, []);
  useEffect(refresh, [refresh]);
  const go = (next: Tab) => {
    setTab(next);
    setOpenId(null);
    setFlash(null);
    history.replaceState(null, '', next === 'report' ? '/portal/report' + location.search : `/portal/${next === 'tv' ? 'violations' : next}`);
  };
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  return (
    <div className="shell">
      <header>
        <div>
          <h1>{t('title')}</h1>
          <p>{t('subtitle')}</p>
        </div>
        <button type="button" className="link light" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
          {t('lang')}
        </button>
      </header>
      <a className="bar" href="tel:110">
        {t('emergencyBar')}
      </a>
      <main>
        {me !== undefined && <Notices signedIn={!!me} />}
        {me === undefined ? null : me === null ? (
          tab === 'map' ? <NearbyTab /> : <SignIn onIn={refresh} />
        ) : (
          <>
            <nav className="tabs">
              {(['report', 'tv', 'accident', 'mine', 'notes', 'map'] as Tab[]).map((k) => (
                <button key={k} type="button" className={tab === k ? 'on' : ''} onClick={() => go(k)} data-testid={`tab-${k}`}>
                  {k === 'tv' ? tm('tabViolation') : k === 'map' ? tm('tabMap') : t(k === 'report' ? 'tabReport' : k === 'mine' ? 'tabMine' : k === 'accident' ? 'tabAccident' : 'tabNotes')}
                  {k === 'notes' && me.unread > 0 && <span className="badge">{me.unread}</span>}
                </button>
              ))}
            </nav>
            {flash && <p className="ok" data-testid="flash">{flash}</p>}
            {tab === 'report' && (
              <ReportForm
                initialAddress={params.get('address') ?? ''}
                onDone={(id) => {
                  setFlash(t('created', { id }));
                  setTab('mine');
                  setOpenId(id);
                }}
              />
            )}
            {tab === 'accident' && (
              <Suspense fallback={null}>
                <AccidentTab />
              </Suspense>
            )}
            {tab === 'mine' && <Mine openId={openId} onOpen={setOpenId} />}
            {tab === 'tv' && <ViolationTab />}
            {tab === 'map' && <NearbyTab />}
            {tab === 'notes' && <Surveys />}
            {tab === 'notes' && (
              <Notes
                onRead={refresh}
                onOpen={(id) => {
                  setTab('mine');
                  setOpenId(id);
                }}
              />
            )}
            <p className="foot">
              {me.phone} ·{' '}
              <button type="button" className="link" onClick={() => void call('DELETE', '/citizen/session').then(refresh)}>
                {t('signOut')}
              </button>
            </p>
          </>
        )}
        <PoliceRooms />
      </main>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Portal />
  </StrictMode>,
);
