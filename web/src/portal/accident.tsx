/**
 * 快处快赔 in the portal (375 px): driver A starts (nobody hurt? place, time, plate, insurer, statement,
 * photos) and shows the 6-digit shared code; driver B joins with it on their own phone; either sends it to
 * the officer; both read the liability and the agreement and confirm it; an injury or a refusal shows
 * "call 110" and ends the online path.
 */
import { useCallback, useEffect, useState } from 'react';
import i18n from './i18n';
import { call } from './api';
import { useAccidentT } from './accident-i18n';
import { Call110, FINAL, PartyFields, Photos, Status } from './accident-parts';

interface Party {
  role: 'a' | 'b';
  plate: string;
  insurer: string;
  statement: string;
  confirmed: boolean;
  photos: string[];
  mine: boolean;
}
export interface Accident {
  id: string;
  status: string;
  statusNote: string | null;
  myRole: 'a' | 'b';
  occurredAt: string;
  placeText: string;
  parties: Party[];
  liabilityText: { zh: string; en: string } | null;
  liabilityReason: string | null;
  videoLink: string | null;
  officerName: string | null;
  agreement: string | null;
  insurerRef: string | null;
  call110: { zh: string; en: string } | null;
  codeExpiresAt: string | null;
  history: { status: string; note: string | null; at: string }[];
  code?: string | null;
}
type View = { kind: 'list' } | { kind: 'start' } | { kind: 'join' } | { kind: 'one'; id: string; code?: string };

const fmt = (at: string) => {
  const d = new Date(at);
  return `${d.getMonth() + 1}-${String(d.getDate()).padStart(2, '0')} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};
const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

function Start({ onMade }: { onMade: (id: string, code: string | null) => void }) {
  const { t } = useAccidentT();
  const [injury, setInjury] = useState<boolean | null>(null);
  const [when, setWhen] = useState(localInput(new Date()));
  const [where, setWhere] = useState<{ lon: number; lat: number } | null>(null);
  const [gpsMsg, setGpsMsg] = useState<string | null>(null);
  const [addressCode, setAddressCode] = useState('');
  const [placeText, setPlaceText] = useState('');
  const [party, setParty] = useState({ plate: '', insurer: '', statement: '' });
  const [photos, setPhotos] = useState<string[]>([]);
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const gps = () =>
    navigator.geolocation?.getCurrentPosition(
      (p) => {
        const at = { lon: Math.round(p.coords.longitude * 1e6) / 1e6, lat: Math.round(p.coords.latitude * 1e6) / 1e6 };
        setWhere(at);
        setGpsMsg(t('gpsOk', { lon: at.lon.toFixed(5), lat: at.lat.toFixed(5) }));
      },
      () => setGpsMsg(t('gpsFail')),
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  const send = async (hurt: boolean) => {
    setErr(null);
    if (!hurt && (!party.plate || !party.insurer || !party.statement || (!where && !addressCode.trim()))) return setErr(t('required'));
    setBusy(true);
    try {
      const place = where ? { location: where } : { addressCode: addressCode.trim() };
      const r = await call<Accident>('POST', '/citizen/accidents', { kind: 'minor_accident', occurredAt: new Date(when).toISOString(), ...place, placeText: placeText.trim() || undefined, ...party, mediaIds: photos.length ? photos : undefined, injury: hurt || undefined });
      onMade(r.id, r.code ?? null);
    } catch (e) {
      setErr((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  if (injury === true) return <Call110 />;
  return (
    <section className="card" data-testid="accident-start">
      <p className="hint">{t('intro')}</p>
      <div className="field">
        <span>{t('injuryQ')}</span>
        <button type="button" className={injury === false ? '' : 'secondary'} onClick={() => setInjury(false)} data-testid="injury-no">
          {t('injuryNo')}
        </button>
        <button type="button" className="danger" onClick={() => setInjury(true)} data-testid="injury-yes">
          {t('injuryYes')}
        </button>
      </div>
      {injury === false && (
        <>
          <p className="note">{t('moveCars')}</p>
          <label>
            {t('when')}
            <input type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} data-testid="accident-when" />
          </label>
          <div className="field">
            <span>{t('place')}</span>
            <button type="button" className="secondary" onClick={gps} data-testid="accident-gps">
              {t('useGps')}
            </button>
            {gpsMsg && <p className="hint" data-testid="accident-gps-msg">{gpsMsg}</p>}
            <input value={addressCode} onChange={(e) => setAddressCode(e.target.value)} placeholder={t('addressCode')} aria-label={t('addressCode')} />
            <input value={placeText} onChange={(e) => setPlaceText(e.target.value)} placeholder={t('placeText')} aria-label={t('placeText')} data-testid="accident-place" />
          </div>
          <PartyFields v={party} set={(k, s) => setParty((p) => ({ ...p, [k]: s }))} />
          <Photos ids={photos} onChange={setPhotos} />
          {err && <p className="error" role="alert">{err}</p>}
          <button type="button" onClick={() => void send(false)} disabled={busy} data-testid="accident-create">
            {t('create')}
          </button>
        </>
      )}
    </section>
  );
}

function Join({ onJoined }: { onJoined: (id: string) => void }) {
  const { t } = useAccidentT();
  const [code, setCode] = useState('');
  const [party, setParty] = useState({ plate: '', insurer: '', statement: '' });
  const [photos, setPhotos] = useState<string[]>([]);
  const [err, setErr] = useState<string | null>(null);
  const go = async () => {
    setErr(null);
    try {
      const r = await call<Accident>('POST', '/citizen/accidents/join', { code, ...party, mediaIds: photos.length ? photos : undefined });
      onJoined(r.id);
    } catch (e) {
      setErr((e as Error).message);
    }
  };
  return (
    <section className="card" data-testid="accident-join">
      <h2>{t('joinTitle')}</h2>
      <label>
        {t('code')}
        <input inputMode="numeric" maxLength={7} value={code} onChange={(e) => setCode(e.target.value)} data-testid="accident-code-input" />
      </label>
      <PartyFields v={party} set={(k, s) => setParty((p) => ({ ...p, [k]: s }))} />
      <Photos ids={photos} onChange={setPhotos} />
      {err && <p className="error" role="alert">{err}</p>}
      <button type="button" onClick={() => void go()} disabled={!code || !party.plate || !party.insurer || !party.statement} data-testid="accident-join-go">
        {t('joinGo')}
      </button>
    </section>
  );
}

function One({ id, code: firstCode, onBack }: { id: string; code?: string; onBack: () => void }) {
  const { t } = useAccidentT();
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const [a, setA] = useState<Accident | null>(null);
  const [code, setCode] = useState<string | undefined>(firstCode);
  const [err, setErr] = useState<string | null>(null);
  const load = useCallback(() => void call<Accident>('GET', `/citizen/accidents/${id}`).then(setA, (e: Error) => setErr(e.message)), [id]);
  useEffect(load, [load]);
  // The other driver and the officer act on their own devices: follow along.
  useEffect(() => {
    if (a && FINAL.includes(a.status)) return;
    const h = setInterval(load, 4000);
    return () => clearInterval(h);
  }, [a, load]);
  const act = async (path: string, body?: unknown) => {
    setErr(null);
    try {
      const r = await call<Accident>('POST', `/citizen/accidents/${id}/${path}`, body);
      setA(r);
      if (r.code) setCode(r.code);
    } catch (e) {
      setErr((e as Error).message);
    }
  };
  if (!a) return err ? <p className="error">{err}</p> : null;
  const me = a.parties.find((p) => p.mine);
  return (
    <section className="card" data-testid="accident-detail">
      <button type="button" className="link" onClick={onBack}>
        ← {t('back')}
      </button>
      <h2>
        {t('tab')} #{a.id} <Status s={a.status} />
      </h2>
      {a.call110 && <Call110 />}
      {a.statusNote && !a.call110 && <p className="note">{a.statusNote}</p>}
      <p className="hint">
        {fmt(a.occurredAt)} · {a.placeText}
      </p>
      {a.status === 'drafted' && a.myRole === 'a' && (
        <div className="demo" data-testid="accident-code">
          {code ? (
            <>
              <div>{t('code')}</div>
              <div style={{ fontSize: 34, fontWeight: 700, letterSpacing: 6 }} data-testid="accident-code-value">
                {code}
              </div>
              <div>{t('codeHint', { min: 30 })}</div>
            </>
          ) : (
            <button type="button" className="secondary" onClick={() => void act('code')}>
              {t('renew')}
            </button>
          )}
          <div>{t('waiting')}</div>
        </div>
      )}
      {a.parties.map((p) => (
        <div key={p.role} className="note" data-testid={`party-${p.role}`}>
          <strong>
            {t(p.role === 'a' ? 'partyA' : 'partyB')}
            {p.mine ? t('me') : ''} · {p.plate} · {p.insurer}
          </strong>
          {a.liabilityText && <span className="hint"> · {p.confirmed ? t('confirmed') : t('notConfirmed')}</span>}
          <div>{p.statement}</div>
          <div className="thumbs">
            {p.photos.map((ph) => (
              <img key={ph} src={`/api/v1/citizen/accidents/${a.id}/photos/${ph}?thumb=true`} alt="" width={56} height={56} />
            ))}
          </div>
        </div>
      ))}
      {a.status === 'joined' && (
        <button type="button" onClick={() => void act('submit')} data-testid="accident-submit">
          {t('submit')}
        </button>
      )}
      {a.status === 'submitted' && <p className="ok">{t('submitted')}</p>}
      {a.liabilityText && (
        <div className="dups" data-testid="accident-liability">
          <strong>
            {t('liability')}：{a.liabilityText[lang]}
          </strong>
          <div>
            {t('reason')}：{a.liabilityReason}
          </div>
          <div className="hint">
            {t('officer')}：{a.officerName}
            {a.videoLink && (
              <>
                {' · '}
                <a href={a.videoLink} target="_blank" rel="noreferrer">
                  {t('video')}
                </a>
              </>
            )}
          </div>
        </div>
      )}
      {a.agreement && (
        <>
          <h3>{t('agreement')}</h3>
          <pre className="note" style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit', margin: 0 }} data-testid="accident-agreement">
            {a.agreement}
          </pre>
          <a href={`/api/v1/citizen/accidents/${a.id}/agreement.docx`} data-testid="accident-docx">
            {t('download')}
          </a>
        </>
      )}
      {a.status === 'liability_determined' && me && !me.confirmed && (
        <button type="button" onClick={() => void act('confirm')} data-testid="accident-confirm">
          {t('confirm')}
        </button>
      )}
      {a.status === 'liability_determined' && me?.confirmed && <p className="ok">{t('waitOther')}</p>}
      {(a.status === 'agreed' || a.status === 'closed') && <p className="ok" data-testid="accident-agreed">{t('agreedNote')}</p>}
      {a.insurerRef && (
        <p className="hint">
          {t('insurerRef')}：{a.insurerRef}
        </p>
      )}
      {err && <p className="error" role="alert">{err}</p>}
      {['drafted', 'joined', 'submitted', 'liability_determined'].includes(a.status) && (
        <div className="field">
          <span>{t('escalate')}</span>
          <button type="button" className="danger" onClick={() => void act('escalate', { reason: 'injury' })} data-testid="accident-escalate-injury">
            {t('escalateInjury')}
          </button>
          <button type="button" className="danger" onClick={() => void act('escalate', { reason: 'refusal' })}>
            {t('escalateRefusal')}
          </button>
        </div>
      )}
      <h3>{t('history')}</h3>
      <ol className="timeline">
        {a.history.map((h, i) => (
          <li key={i}>
            <Status s={h.status} /> <span className="hint">{fmt(h.at)}</span>
            {h.note && <div className="note">{h.note}</div>}
          </li>
        ))}
      </ol>
    </section>
  );
}

export default function AccidentTab() {
  const { t } = useAccidentT();
  const [view, setView] = useState<View>({ kind: 'list' });
  const [items, setItems] = useState<Accident[] | null>(null);
  useEffect(() => {
    if (view.kind === 'list') void call<{ items: Accident[] }>('GET', '/citizen/accidents').then((r) => setItems(r.items));
  }, [view]);
  if (view.kind === 'start') return <Start onMade={(id, code) => setView({ kind: 'one', id, code: code ?? undefined })} />;
  if (view.kind === 'join') return <Join onJoined={(id) => setView({ kind: 'one', id })} />;
  if (view.kind === 'one') return <One id={view.id} code={view.code} onBack={() => setView({ kind: 'list' })} />;
  return (
    <section className="card" data-testid="accident-home">
      <p className="hint">{t('intro')}</p>
      <button type="button" onClick={() => setView({ kind: 'start' })} data-testid="accident-start-btn">
        {t('start')}
      </button>
      <button type="button" className="secondary" onClick={() => setView({ kind: 'join' })} data-testid="accident-join-btn">
        {t('join')}
      </button>
      <h3>{t('mine')}</h3>
      {items && !items.length && <p className="empty">{t('none')}</p>}
      <ul className="list">
        {(items ?? []).map((a) => (
          <li key={a.id}>
            <button type="button" className="row" onClick={() => setView({ kind: 'one', id: a.id })} data-testid={`accident-${a.id}`}>
              <span>
                #{a.id} {a.parties.map((p) => p.plate).join(' / ')}
                <span className="hint"> · {fmt(a.occurredAt)}</span>
              </span>
              <Status s={a.status} />
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
