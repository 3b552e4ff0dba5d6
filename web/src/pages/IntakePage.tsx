/**
 * 接警台 — the call-taker console. One keyboard-first screen: number → caller → address → category →
 * priority → description, Ctrl+Enter records the incident, F8 marks the call answered. Beside the form:
 * the caller's and the place's history and a map to pick or correct the point; on the right: possible
 * duplicates (live), the repeat-location warning and today's queue (web/src/intake/*).
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
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
import { fieldOf, focusedListOpen, PHONE_RE, type Errors, type FieldName } from '../intake/form';
import { readScreenPop, useCallTimes } from '../intake/useCallTimes';

export default function IntakePage({ user }: { user: User }) {
  const { t } = useTranslation('incidents');
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const { message, modal } = AntApp.useApp();
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

  const phoneRef = useRef<InputRef>(null);
  const addrRef = useRef<AddressRef>(null);
  const catRef = useRef<CategoryRef>(null);
  const descRef = useRef<GetRef<typeof Input.TextArea>>(null);
  const confirmOpen = useRef(false);
  const idemKey = useRef<string | null>(null);
  const submitRef = useRef<() => void>(() => {});
  const clearRef = useRef<() => void>(() => {});
  const answerRef = useRef<() => void>(() => {});

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
  const disputeHints = useDisputeHints({ allowed: user.permissions.includes('dispute.hint'), phone: phoneOk ? hintPhone(phoneDebounced) : undefined, addressCode: addrHit?.code, point });

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
    call.reset();
    setMarked(null);
    setErrors({});
    setRetryable(false);
    idemKey.current = null;
    // The screen pop belonged to that call: the next one starts clean.
    if (location.search) navigate('/intake', { replace: true });
    window.setTimeout(() => phoneRef.current?.focus(), 0);
  }, [call, location.search, navigate]);

  const filled = !!(phone || callerName || addrText || point || catPath.length || description || priorityTouched);

  const clear = useCallback(() => {
    if (!filled) {
      reset();
      return;
    }
    confirmOpen.current = true;
    let cleared = false;
    const before = document.activeElement as HTMLElement | null;
    modal.confirm({
      // Focus goes back by our rule below, not the dialog's: its late restore took keys typed meanwhile.
      focusable: { focusTriggerAfterClose: false },
      title: t('clearConfirmTitle'),
      content: t('clearConfirmText'),
      okText: t('clear'),
      okButtonProps: { danger: true, 'data-testid': 'intake-clear-ok' } as { danger: boolean },
      onOk: () => {
        cleared = true;
        // The keys work again at once (F2 right after confirming), not only once the dialog has faded.
        confirmOpen.current = false;
        reset();
      },
      afterClose: () => {
        confirmOpen.current = false;
        // A fresh call starts in the phone field, a kept one where it was; unless the call-taker has
        // already moved on (F2 right after confirming) while the dialog faded.
        if (document.activeElement?.closest('[data-testid="intake-form"]')) return;
        if (cleared) phoneRef.current?.focus();
        else before?.focus();
      },
    });
  }, [filled, modal, t, reset]);

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
    setAddrText(hit.text);
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
    if (!point) errs.address = t('addressNone');
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
    const body = {
      source: 'call110',
      categoryCode: categoryCode!,
      priority: effectivePriority ?? undefined,
      priorityReason: needsReason ? priorityReason.trim() : undefined,
      caller: phone.trim() || callerName.trim() ? { phone: phone.trim() || undefined, name: callerName.trim() || undefined } : undefined,
      address: addrText.trim() || undefined,
      addressCode: addrHit?.code,
      location: point ? { lon: point.lon, lat: point.lat } : undefined,
      description: description.trim(),
      ...times,
    };
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
  submitRef.current = () => void submit();
  clearRef.current = clear;
  answerRef.current = call.markAnswered;

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
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (confirmOpen.current) return;
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        e.stopPropagation();
        submitRef.current();
      } else if (e.key === 'F2') {
        e.preventDefault();
        addrRef.current?.focus();
      } else if (e.key === 'F3') {
        e.preventDefault();
        catRef.current?.focus();
      } else if (e.key === 'F4') {
        e.preventDefault();
        descRef.current?.focus();
      } else if (e.key === 'F8') {
        e.preventDefault();
        answerRef.current();
      } else if (e.key === 'Escape') {
        // An open list closes first (its own Esc); a dialog handles its own Esc.
        if (focusedListOpen() || document.querySelector('.ant-modal-wrap:not([style*="display: none"])')) return;
        e.preventDefault();
        e.stopPropagation();
        // Open the dialog after this key event is over: opened during it, the same Escape closed it at once.
        window.setTimeout(() => clearRef.current(), 0);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

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

  const fieldProps = (name: FieldName) => ({ validateStatus: errors[name] ? ('error' as const) : undefined, help: errors[name] });

  return (
    <div className="sw-intake" data-testid="page-intake">
      <div className="sw-intake-left">
        <div className="sw-intake-top">
          <Card size="small" className="sw-intake-form" title={<FormTitle call={call} />}>
            <Form layout="vertical" component={false} size="middle">
              <div onKeyDownCapture={onFormKeyDown} data-testid="intake-form">
                <div className="sw-intake-row2">
                  <Form.Item label={t('phone')} {...fieldProps('phone')} className="sw-fi">
                    <Input
                      ref={phoneRef}
                      autoFocus
                      value={phone}
                      onChange={(e) => {
                        setPhone(e.target.value);
                        setError('phone', undefined);
                      }}
                      placeholder={t('phonePlaceholder')}
                      aria-label={t('phone')}
                      inputMode="tel"
                      maxLength={32}
                      autoComplete="off"
                      data-testid="intake-phone"
                    />
                  </Form.Item>
                  <Form.Item label={t('callerName')} {...fieldProps('callerName')} className="sw-fi">
                    <Input value={callerName} onChange={(e) => setCallerName(e.target.value)} placeholder={t('callerNamePlaceholder')} aria-label={t('callerName')} maxLength={64} autoComplete="off" data-testid="intake-name" />
                  </Form.Item>
                </div>
                <AddressField text={addrText} hit={addrHit} onText={onAddrText} onPick={pickAddress} error={errors.address} note={pointNote} fieldRef={addrRef} />
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
    </div>
  );
}
