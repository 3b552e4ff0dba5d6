/**
 * 接警台 — the call-taker console. One keyboard-first screen: number → caller → address → category →
 * priority → description, Ctrl+Enter records the incident, F8 marks the call answered, F6 picks the
 * station of a place to be located later, F9 transfers a non-police matter (intake/useIntakeKeys.ts). Beside the form:
 * the caller's and the place's history and a map to pick or correct the point; on the right: possible
 * duplicates (live), the repeat-location warning and today's queue (web/src/intake/*).
 */
import { useCallback, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Card, Form, Input, type GetRef, type InputRef } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, uuid, type User } from '../api';
import MapView, { type MapPoint } from '../components/MapView';
import { priorityRank, startOfToday, useCategories, type AddressHit, type CreatedIncident, type History, type Incident, type Priority, type PrioritySuggestion } from '../incidents/model';
import { useDebounced } from '../incidents/useDebounced';
import AddressField, { type AddressRef } from '../intake/AddressField';
import CategoryField, { type CategoryRef } from '../intake/CategoryField';
import HistoryCard from '../intake/HistoryCard';
import DisputeHintCard, { hintPhone, useDisputeHints } from '../intake/DisputeHintCard';
import SidePanel from '../intake/SidePanel';
import FormTail, { FormTitle } from '../intake/FormParts';
import { fieldOf, PHONE_RE, type Errors, type FieldName } from '../intake/form';
import { readScreenPop, useCallTimes } from '../intake/useCallTimes';
import { useIntakeKeys, type IntakeKeyActions } from '../intake/useIntakeKeys';
import { useClearCall } from '../intake/useClearCall';
import CallerFields from '../intake/CallerFields';
import LocateLater from '../intake/LocateLater';
import type { StationRef } from '../intake/StationSelect';
import TransferDialog from '../intake/TransferDialog';
import { TransferButton, useIntakeTransfer } from '../intake/transfer';
import { landmarkText, registryCode } from '../intake/landmarks';

export default function IntakePage({ user }: { user: User }) {
  const { t } = useTranslation(['incidents', 'intake']);
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const categories = useCategories();

  // A screen pop from telephony (/intake?phone=…&callStartedAt=…) fills the number and the call start.
  const pop = useMemo(() => readScreenPop(location.search), [location.search]);
  const call = useCallTimes(pop);

  // ---------------------------------------------------------------- form state
  const [phone, setPhone] = useState(pop.phone ?? '');
  const [callerName, setCallerName] = useState('');
  const [addrText, setAddrText] = useState('');
  const [addrHit, setAddrHit] = useState<AddressHit | null>(null);
  const [point, setPoint] = useState<{ lon: number; lat: number } | null>(null);
  const [pointNote, setPointNote] = useState<string | null>(null);
  const [catPath, setCatPath] = useState<string[]>([]);
  const [priority, setPriority] = useState<Priority | null>(null);
  const [priorityTouched, setPriorityTouched] = useState(false);
  const [priorityReason, setPriorityReason] = useState('');
  const [description, setDescription] = useState('');
  const [marked, setMarked] = useState<Incident | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [submitting, setSubmitting] = useState(false);
  const [retryable, setRetryable] = useState(false);
  const [lastCreated, setLastCreated] = useState<CreatedIncident | null>(null);
  // Locate later (issue 11 #4): no point, the station chosen by keyboard; transfer (issue 11 #8).
  const [stationId, setStationId] = useState<string | null>(null);
  const [locateLater, setLocateLater] = useState(false);

  const phoneRef = useRef<InputRef>(null);
  const addrRef = useRef<AddressRef>(null);
  const catRef = useRef<CategoryRef>(null);
  const descRef = useRef<GetRef<typeof Input.TextArea>>(null);
  const stationRef = useRef<StationRef>(null);
  const confirmOpen = useRef(false);
  const idemKey = useRef<string | null>(null);
  const keys = useRef<IntakeKeyActions>({});

  const categoryCode = catPath.length ? catPath[catPath.length - 1] : null;
  const catNode = categoryCode ? categories.index.get(categoryCode)?.node : undefined;

  // ---------------------------------------------------------------- live look-ups
  const descDebounced = useDebounced(description, 300);
  const suggestion = useQuery({
    queryKey: ['incidents', 'priority-suggestion', categoryCode, descDebounced],
    queryFn: ({ signal }) => api<PrioritySuggestion>('/api/v1/incidents/priority-suggestion', { query: { categoryCode, description: descDebounced.slice(0, 4000) }, signal }),
    enabled: !!categoryCode,
    placeholderData: keepPreviousData,
  });
  const suggested: Priority | null = categoryCode ? (suggestion.data?.priority ?? catNode?.defaultPriority ?? null) : null;
  const effectivePriority: Priority | null = priorityTouched ? priority : suggested;
  const needsReason = !!(effectivePriority && suggested && priorityRank(effectivePriority) > priorityRank(suggested));

  const phoneDebounced = useDebounced(phone.trim(), 250);
  const phoneOk = PHONE_RE.test(phoneDebounced) && phoneDebounced.replace(/\D/g, '').length >= 5;
  const history = useQuery({
    queryKey: ['incidents', 'history', phoneOk ? phoneDebounced : null, point?.lon, point?.lat],
    queryFn: ({ signal }) =>
      api<History>('/api/v1/incidents/history', { query: { phone: phoneOk ? phoneDebounced : undefined, lon: point?.lon, lat: point?.lat }, signal }),
    enabled: phoneOk || !!point,
    placeholderData: keepPreviousData,
  });
  const hist = phoneOk || point ? history.data : undefined;
  // Open disputes at this number or place (issue 12), with the same debounced number as the history.
  const disputeHints = useDisputeHints({ allowed: user.permissions.includes('dispute.hint'), phone: phoneOk ? hintPhone(phoneDebounced) : undefined, addressCode: registryCode(addrHit), point });

  const duplicates = useQuery({
    queryKey: ['incidents', 'duplicates', categoryCode, point?.lon, point?.lat],
    queryFn: ({ signal }) => api<{ items: Incident[] }>('/api/v1/incidents/duplicates', { query: { categoryCode, lon: point!.lon, lat: point!.lat }, signal }).then((r) => r.items),
    enabled: !!categoryCode && !!point,
    refetchInterval: 15_000,
  });
  const dupItems = categoryCode && point ? (duplicates.data ?? []) : [];

  const queueKey = ['incidents', 'queue', user.username];
  const queue = useQuery({
    queryKey: queueKey,
    queryFn: () => api<{ items: Incident[]; total: number }>('/api/v1/incidents', { query: { mine: true, from: startOfToday(), limit: 100 } }).then((r) => r.items),
    refetchInterval: 30_000,
  });

  // ---------------------------------------------------------------- actions
  const setError = (name: FieldName, msg: string | undefined) => setErrors((e) => ({ ...e, [name]: msg }));

  const reset = useCallback(() => {
    setPhone('');
    setCallerName('');
    setAddrText('');
    setAddrHit(null);
    setPoint(null);
    setPointNote(null);
    setCatPath([]);
    setPriority(null);
    setPriorityTouched(false);
    setPriorityReason('');
    setDescription('');
    setStationId(null);
    setLocateLater(false);
    call.reset();
    setMarked(null);
    setErrors({});
    setRetryable(false);
    idemKey.current = null;
    // The screen pop belonged to that call: the next one starts clean.
    if (location.search) navigate('/intake', { replace: true });
    window.setTimeout(() => phoneRef.current?.focus(), 0);
  }, [call, location.search, navigate]);

  const filled = !!(phone || callerName || addrText || point || catPath.length || description || priorityTouched || stationId);

  const clear = useClearCall({ filled, reset, blocked: confirmOpen, phoneRef });

  // Editing the words drops an accepted registry address (and its point); a point set on the map stays.
  const onAddrText = useCallback(
    (v: string) => {
      if (addrHit) setPoint(null);
      setAddrText(v);
      setAddrHit(null);
      setError('address', undefined);
    },
    [addrHit],
  );

  const pickAddress = useCallback((hit: AddressHit) => {
    // A landmark names the place; what the caller said beside it (正门, 对面) stays in the words.
    setAddrText((said) => (hit.kind === 'landmark' ? landmarkText(hit.text, said) : hit.text));
    setAddrHit(hit);
    setPoint({ lon: hit.lon, lat: hit.lat });
    setPointNote(null);
    setError('address', undefined);
  }, []);

  const onMapPick = async (lon: number, lat: number) => {
    call.touch();
    const p = { lon: Number(lon.toFixed(6)), lat: Number(lat.toFixed(6)) };
    setPoint(p);
    setAddrHit(null);
    setError('address', undefined);
    try {
      const [near] = await api<AddressHit[]>('/api/v1/addresses/reverse', { query: { lon: p.lon, lat: p.lat, radius: 50, limit: 1 } });
      if (near) {
        // The caller's words stay when there are any; the registry address is then only the point's name.
        if (!addrText.trim()) setAddrText(near.text);
        setAddrHit(addrText.trim() ? null : near);
        setPointNote(addrText.trim() ? t('addressPicked', { text: near.text }) : null);
      } else {
        setPointNote(t('reverseNone'));
      }
    } catch {
      setPointNote(t('reverseNone'));
    }
  };

  const submit = async () => {
    if (submitting) return;
    const errs: Errors = {};
    if (phone.trim() && !PHONE_RE.test(phone.trim())) errs.phone = t('phoneInvalid');
    if (!point && !stationId) errs.address = t('intake:addressOrStation');
    if (!categoryCode) errs.category = t('categoryRequired');
    if (!description.trim()) errs.description = t('descriptionRequired');
    if (needsReason && !priorityReason.trim()) errs.priorityReason = t('priorityReasonRequired');
    setErrors(errs);
    if (Object.keys(errs).length) {
      const first = (['phone', 'address', 'category', 'priorityReason', 'description'] as FieldName[]).find((f) => errs[f]);
      if (first === 'address') addrRef.current?.focus();
      else if (first === 'category') catRef.current?.focus();
      else if (first === 'description') descRef.current?.focus();
      else if (first === 'phone') phoneRef.current?.focus();
      return;
    }
    const times = call.forSubmit();
    const body = { ...commonBody(times), categoryCode: categoryCode!, priority: effectivePriority ?? undefined, priorityReason: needsReason ? priorityReason.trim() : undefined };
    idemKey.current ??= uuid();
    setSubmitting(true);
    try {
      const created = await api<CreatedIncident>('/api/v1/incidents', { method: 'POST', body, idempotencyKey: idemKey.current });
      idemKey.current = null;
      const secs = Math.round((Date.now() - new Date(times.answeredAt).getTime()) / 1000);
      let mergedInto: Incident | null = null;
      if (marked) {
        try {
          await api(`/api/v1/incidents/${encodeURIComponent(created.id)}/merge`, { method: 'POST', body: { masterId: marked.id } });
          mergedInto = marked;
        } catch (e) {
          message.error(e instanceof Error ? e.message : String(e));
        }
      }
      message.success({
        content: (
          <span data-testid="intake-toast">
            {t('submitted', { number: '' })}
            <b className="sw-mono" data-testid="intake-toast-number" style={{ fontSize: 14 }}>
              {created.number}
            </b>
            {mergedInto ? ` · ${t('mergedInto', { a: created.number, b: mergedInto.number })}` : ''}
            <span style={{ color: '#8c8c8c', marginInlineStart: 8 }}>{t('submittedIn', { s: `${secs}s` })}</span>
          </span>
        ),
        duration: 6,
      });
      const candidates = (created.duplicateCandidates ?? []).filter((d) => d.id !== mergedInto?.id);
      setLastCreated(!mergedInto && candidates.length ? { ...created, duplicateCandidates: candidates } : null);
      qc.setQueryData<Incident[]>(queueKey, (old) => [{ ...created, status: mergedInto ? 'merged' : created.status }, ...(old ?? []).filter((x) => x.id !== created.id)]);
      void qc.invalidateQueries({ queryKey: ['incidents'], refetchType: 'active' });
      reset();
    } catch (e) {
      if (e instanceof ApiError && (e.status === 0 || e.status >= 500)) {
        setRetryable(true); // keep the Idempotency-Key: a retry cannot record the call twice
        message.error(`${e.message} — ${t('retryHint')}`);
      } else {
        idemKey.current = null;
        const f = e instanceof ApiError ? fieldOf(e.field) : null;
        const msg = e instanceof Error ? e.message : String(e);
        if (f) setError(f, msg);
        else message.error(msg);
      }
    } finally {
      setSubmitting(false);
    }
  };
  /** What a recorded call and a transferred one both carry: the caller, the words, the place, the times. */
  function commonBody(times: ReturnType<typeof call.forSubmit>) {
    return {
      source: 'call110',
      caller: phone.trim() || callerName.trim() ? { phone: phone.trim() || undefined, name: callerName.trim() || undefined } : undefined,
      address: addrText.trim() || undefined,
      addressCode: registryCode(addrHit),
      location: point ? { lon: point.lon, lat: point.lat } : undefined,
      stationId: point ? undefined : (stationId ?? undefined),
      description: description.trim(),
      ...times,
    };
  }

  // Not a police matter (issue 11 #8): the caller's words first, then the dialog asks where and why.
  const transfer = useIntakeTransfer({
    ready: () => {
      const errs: Errors = {};
      if (phone.trim() && !PHONE_RE.test(phone.trim())) errs.phone = t('phoneInvalid');
      if (!description.trim()) errs.description = t('descriptionRequired');
      setErrors(errs);
      if (errs.phone) phoneRef.current?.focus();
      else if (errs.description) descRef.current?.focus();
      return !errs.phone && !errs.description;
    },
    body: () => commonBody(call.forSubmit()),
    blocked: confirmOpen,
    onRecorded: (created) => {
      qc.setQueryData<Incident[]>(queueKey, (old) => [created, ...(old ?? []).filter((x) => x.id !== created.id)]);
      void qc.invalidateQueries({ queryKey: ['incidents'], refetchType: 'active' });
      reset();
    },
  });

  const focusStation = () => {
    setLocateLater(true);
    window.setTimeout(() => stationRef.current?.focus(), 0);
  };
  keys.current = {
    submit: () => void submit(),
    address: () => addrRef.current?.focus(),
    category: () => catRef.current?.focus(),
    description: () => descRef.current?.focus(),
    station: focusStation,
    answered: call.markAnswered,
    transfer: transfer.start,
    clear,
  };
  useIntakeKeys(keys, confirmOpen);

  const mergeLast = async (master: Incident) => {
    if (!lastCreated) return;
    try {
      await api(`/api/v1/incidents/${encodeURIComponent(lastCreated.id)}/merge`, { method: 'POST', body: { masterId: master.id } });
      message.success({ content: <span data-testid="merge-toast">{t('mergedInto', { a: lastCreated.number, b: master.number })}</span> });
      setLastCreated(null);
      void qc.invalidateQueries({ queryKey: ['incidents'] });
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e));
    }
  };

  // ---------------------------------------------------------------- keyboard
  const onFormKeyDown = (e: ReactKeyboardEvent) => {
    if (e.key.length === 1 || e.key === 'Backspace' || e.key === 'Delete' || e.key === 'Process') call.touch();
  };

  // ---------------------------------------------------------------- derived view data
  const mapPoints = useMemo<MapPoint[]>(() => {
    const pts: MapPoint[] = [];
    for (const h of hist?.place ?? []) if (h.location) pts.push({ ...h.location, color: '#8c8c8c', size: 4 });
    for (const d of dupItems) if (d.location) pts.push({ ...d.location, color: '#fa8c16', size: 6 });
    if (point) pts.push({ ...point, color: '#cf1322', size: 8 });
    return pts;
  }, [hist?.place, dupItems, point]);


  return (
    <div className="sw-intake" data-testid="page-intake">
      <div className="sw-intake-left">
        <div className="sw-intake-top">
          <Card size="small" className="sw-intake-form" title={<FormTitle call={call} />}>
            <Form layout="vertical" component={false} size="middle">
              <div onKeyDownCapture={onFormKeyDown} data-testid="intake-form">
                <CallerFields
                  phone={phone}
                  onPhone={(v) => {
                    setPhone(v);
                    setError('phone', undefined);
                  }}
                  name={callerName}
                  onName={setCallerName}
                  phoneError={errors.phone}
                  phoneRef={phoneRef}
                />
                <AddressField text={addrText} hit={addrHit} onText={onAddrText} onPick={pickAddress} error={errors.address} note={pointNote} fieldRef={addrRef} />
                {!point && (locateLater || stationId || errors.address) ? (
                  <LocateLater
                    stationId={stationId}
                    onStation={(v) => {
                      setStationId(v);
                      setError('address', undefined);
                    }}
                    selectRef={stationRef}
                  />
                ) : null}
                <FormTail
                  categoryField={
                    <CategoryField
                      tree={categories.data ?? []}
                      value={catPath}
                      onChange={(v) => {
                        setCatPath(v);
                        setError('category', undefined);
                      }}
                      error={errors.category}
                      fieldRef={catRef}
                    />
                  }
                  suggested={suggested}
                  suggestion={categoryCode ? suggestion.data : undefined}
                  priority={effectivePriority}
                  onPriority={(p) => {
                    setPriority(p);
                    setPriorityTouched(true);
                  }}
                  needsReason={needsReason}
                  priorityReason={priorityReason}
                  onPriorityReason={setPriorityReason}
                  description={description}
                  onDescription={(v) => {
                    setDescription(v);
                    setError('description', undefined);
                  }}
                  descRef={descRef}
                  errors={errors}
                  submitting={submitting}
                  onSubmit={() => void submit()}
                  onClear={clear}
                  marked={marked}
                  onUnmark={() => setMarked(null)}
                  retryable={retryable}
                  extraActions={<TransferButton onClick={transfer.start} />}
                />
              </div>
            </Form>
          </Card>
          <div className="sw-intake-side">
            <DisputeHintCard items={disputeHints} canOpen={user.permissions.includes('dispute.read')} />
            <HistoryCard phoneOk={phoneOk} point={point} hist={hist} fetching={history.isFetching} />
          </div>
        </div>
        <div className="sw-intake-map">
          <MapView
            height="100%"
            testId="intake-map"
            points={mapPoints}
            focus={point}
            onPick={(lon, lat) => void onMapPick(lon, lat)}
            legend={
              <span>
                <EnvironmentOutlined /> {point ? (addrHit ? addrHit.text : t('addressMapPoint', { lon: point.lon.toFixed(5), lat: point.lat.toFixed(5) })) : t('mapPickHint')}
              </span>
            }
          />
        </div>
      </div>
      <SidePanel
        point={point}
        waiting={!categoryCode || !point}
        dupItems={dupItems}
        dupFetching={duplicates.isFetching}
        marked={marked}
        onMark={setMarked}
        lastCreated={lastCreated}
        onMergeLast={(m) => void mergeLast(m)}
        repeatCount={point && hist?.repeatLocation ? hist.placeCount30d : null}
        queue={queue.data ?? []}
        queueLoading={queue.isLoading}
      />
      <TransferDialog {...transfer.dialog} categoryCode={categoryCode} needsStation={!point} stationId={stationId} onStation={setStationId} />
    </div>
  );
}
