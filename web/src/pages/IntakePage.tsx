/**
 * 接警台 — the call-taker console. One keyboard-first screen: number → caller → address → category →
 * priority → description, Ctrl+Enter records the incident. Beside the form: the caller's and the
 * place's history and a map to pick or correct the point; on the right: possible duplicates (live),
 * the repeat-location warning and today's queue.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  AutoComplete,
  Button,
  Card,
  Cascader,
  Empty,
  Form,
  Input,
  Radio,
  Space,
  Table,
  Tag,
  Typography,
  type GetRef,
  type InputRef,
} from 'antd';
import { ClearOutlined, EnvironmentOutlined, HistoryOutlined, PhoneOutlined, SendOutlined, WarningOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, ApiError, uuid, type User } from '../api';
import { normaliseField } from '../format';
import MapView, { type MapPoint } from '../components/MapView';
import {
  PRIORITIES,
  PRIORITY_HEX,
  priorityRank,
  startOfToday,
  useCategories,
  useCategoryLabel,
  type AddressHit,
  type CategoryNode,
  type CreatedIncident,
  type History,
  type Incident,
  type Priority,
  type PrioritySuggestion,
} from '../incidents/model';
import { useLang } from '../i18n';
import { PriorityTag, StatusTag } from '../incidents/tags';
import { useDebounced, useHeight } from '../incidents/useDebounced';

type FieldName = 'phone' | 'callerName' | 'address' | 'category' | 'priority' | 'priorityReason' | 'description';
type Errors = Partial<Record<FieldName, string>>;

interface CatOption {
  value: string;
  label: string;
  keywords: string[];
  children?: CatOption[];
}

const PHONE_RE = /^[+0-9 ()-]{3,32}$/;

/** Where a server error's field goes on this form. */
function fieldOf(field: string | undefined): FieldName | null {
  if (!field) return null;
  const f = field.replace(/^\/+/, '').replace(/^body[./]/, '');
  if (f.startsWith('caller/phone') || f.startsWith('caller.phone')) return 'phone';
  if (f.startsWith('caller')) return 'callerName';
  const n = normaliseField(f);
  if (n === 'categoryCode') return 'category';
  if (n === 'location' || n === 'addressCode' || n === 'address' || n === 'stationId') return 'address';
  if (n === 'priority' || n === 'priorityReason' || n === 'description') return n;
  return null;
}

function distanceM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const R = 6_371_000;
  const dLat = ((b.lat - a.lat) * Math.PI) / 180;
  const dLon = ((b.lon - a.lon) * Math.PI) / 180;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos((a.lat * Math.PI) / 180) * Math.cos((b.lat * Math.PI) / 180) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(s));
}

function Kbd({ children }: { children: string }) {
  return <kbd className="sw-kbd">{children}</kbd>;
}

export default function IntakePage({ user }: { user: User }) {
  const { t } = useTranslation('incidents');
  const { lang } = useLang();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message, modal } = AntApp.useApp();
  const categories = useCategories();
  const catLabel = useCategoryLabel();

  // ---------------------------------------------------------------- form state
  const [phone, setPhone] = useState('');
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
  const [callStartedAt, setCallStartedAt] = useState<string | null>(null);
  const [marked, setMarked] = useState<Incident | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [submitting, setSubmitting] = useState(false);
  const [retryable, setRetryable] = useState(false);
  const [lastCreated, setLastCreated] = useState<CreatedIncident | null>(null);
  const [now, setNow] = useState(Date.now());

  const phoneRef = useRef<InputRef>(null);
  const addrRef = useRef<GetRef<typeof AutoComplete>>(null);
  const catRef = useRef<GetRef<typeof Cascader>>(null);
  const descRef = useRef<GetRef<typeof Input.TextArea>>(null);
  const addrOpen = useRef(false);
  const catOpen = useRef(false);
  const catSearch = useRef('');
  const confirmOpen = useRef(false);
  const idemKey = useRef<string | null>(null);
  const startedRef = useRef<string | null>(null);
  const submitRef = useRef<() => void>(() => {});
  const clearRef = useRef<() => void>(() => {});

  const categoryCode = catPath.length ? catPath[catPath.length - 1] : null;
  const catNode = categoryCode ? categories.index.get(categoryCode)?.node : undefined;

  const touch = useCallback(() => {
    if (!startedRef.current) {
      startedRef.current = new Date().toISOString();
      setCallStartedAt(startedRef.current);
    }
  }, []);

  useEffect(() => {
    if (!callStartedAt) return;
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, [callStartedAt]);

  // ---------------------------------------------------------------- live look-ups
  const addrQuery = useDebounced(addrHit ? '' : addrText.trim(), 120);
  const addrSearch = useQuery({
    queryKey: ['addresses', 'search', addrQuery],
    queryFn: ({ signal }) => api<AddressHit[]>('/api/v1/addresses/search', { query: { q: addrQuery, limit: 8 }, signal }),
    enabled: addrQuery.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const addrHits = useMemo(() => (addrHit || !addrText.trim() ? [] : (addrSearch.data ?? [])), [addrHit, addrText, addrSearch.data]);

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

  // ---------------------------------------------------------------- category options
  const catOptions = useMemo<CatOption[]>(() => {
    const map = (nodes: CategoryNode[]): CatOption[] =>
      nodes.map((n) => ({
        value: n.code,
        label: lang === 'en' ? n.nameEn || n.name : n.name,
        keywords: [n.name, n.nameEn, ...(n.keywords ?? [])].filter(Boolean),
        ...(n.leaf || !n.children?.length ? {} : { children: map(n.children) }),
      }));
    return map(categories.data ?? []);
  }, [categories.data, lang]);

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
    setCallStartedAt(null);
    startedRef.current = null;
    setMarked(null);
    setErrors({});
    setRetryable(false);
    idemKey.current = null;
    window.setTimeout(() => phoneRef.current?.focus(), 0);
  }, []);

  const filled = !!(phone || callerName || addrText || point || catPath.length || description || priorityTouched);

  const clear = useCallback(() => {
    if (!filled) {
      reset();
      return;
    }
    confirmOpen.current = true;
    let cleared = false;
    modal.confirm({
      title: t('clearConfirmTitle'),
      content: t('clearConfirmText'),
      okText: t('clear'),
      okButtonProps: { danger: true, 'data-testid': 'intake-clear-ok' } as { danger: boolean },
      onOk: () => {
        cleared = true;
        reset();
      },
      afterClose: () => {
        confirmOpen.current = false;
        // The modal gives the focus back to where it was: a fresh call starts in the phone field.
        if (cleared) phoneRef.current?.focus();
      },
    });
  }, [filled, modal, t, reset]);

  const pickAddress = (hit: AddressHit) => {
    setAddrText(hit.text);
    setAddrHit(hit);
    setPoint({ lon: hit.lon, lat: hit.lat });
    setPointNote(null);
    setError('address', undefined);
  };

  const onMapPick = async (lon: number, lat: number) => {
    touch();
    const p = { lon: Number(lon.toFixed(6)), lat: Number(lat.toFixed(6)) };
    setPoint(p);
    setAddrHit(null);
    setError('address', undefined);
    try {
      const [near] = await api<AddressHit[]>('/api/v1/addresses/reverse', { query: { lon: p.lon, lat: p.lat, radius: 50, limit: 1 } });
      if (near) {
        setAddrText(near.text);
        setAddrHit(near);
        setPointNote(null);
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
    const started = startedRef.current ?? new Date().toISOString();
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
      callStartedAt: started,
      answeredAt: started,
    };
    idemKey.current ??= uuid();
    setSubmitting(true);
    try {
      const created = await api<CreatedIncident>('/api/v1/incidents', { method: 'POST', body, idempotencyKey: idemKey.current });
      idemKey.current = null;
      const secs = Math.round((Date.now() - new Date(started).getTime()) / 1000);
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
      } else if (e.key === 'Escape') {
        if (addrOpen.current || catOpen.current || document.querySelector('.ant-modal-wrap:not([style*="display: none"])')) return;
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
    if (e.key.length === 1 || e.key === 'Backspace' || e.key === 'Delete' || e.key === 'Process') touch();
    // Category search: Enter takes the first match when none is highlighted (like the address box).
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && catOpen.current && catSearch.current.trim()) {
      const popup = document.querySelector('.sw-cat-popup:not(.ant-select-dropdown-hidden)');
      if (popup && !popup.querySelector('.ant-cascader-menu-item-active')) {
        const first = popup.querySelector<HTMLElement>('.ant-cascader-menu-item:not(.ant-cascader-menu-item-disabled)');
        if (first) {
          e.preventDefault();
          e.stopPropagation();
          first.click();
          catSearch.current = '';
        }
      }
    }
  };

  // ---------------------------------------------------------------- derived view data
  const mapPoints = useMemo<MapPoint[]>(() => {
    const pts: MapPoint[] = [];
    for (const h of hist?.place ?? []) if (h.location) pts.push({ ...h.location, color: '#8c8c8c', size: 4 });
    for (const d of dupItems) if (d.location) pts.push({ ...d.location, color: '#fa8c16', size: 6 });
    if (point) pts.push({ ...point, color: '#cf1322', size: 8 });
    return pts;
  }, [hist?.place, dupItems, point]);

  const elapsed = callStartedAt ? Math.max(0, Math.floor((now - new Date(callStartedAt).getTime()) / 1000)) : null;
  const [queueBox, queueHeight] = useHeight<HTMLDivElement>();

  const fieldProps = (name: FieldName) => ({ validateStatus: errors[name] ? ('error' as const) : undefined, help: errors[name] });

  const incidentLine = (x: Incident, extra?: React.ReactNode) => (
    <div className="sw-incident-line" key={x.id}>
      <div className="sw-incident-line-head">
        <PriorityTag p={x.priority} />
        <a className="sw-mono" href={`/incidents/${x.id}`} target="_blank" rel="noreferrer">
          {x.number}
        </a>
        <StatusTag s={x.status} />
        <span className="sw-muted">{dayjs(x.times.recordedAt).format('MM-DD HH:mm')}</span>
        {extra}
      </div>
      <div className="sw-incident-line-body">
        <b>{catLabel(x.categoryCode)}</b> · {x.address ?? '—'}
        {point && x.location ? <span className="sw-muted"> · {Math.round(distanceM(point, x.location))} m</span> : null}
      </div>
      <div className="sw-incident-line-desc">{x.description}</div>
    </div>
  );

  const queueColumns = [
    { title: t('number'), dataIndex: 'number', key: 'number', width: 190, render: (v: string) => <span className="sw-mono">{v}</span> },
    { title: t('time'), key: 'time', width: 76, render: (_: unknown, r: Incident) => dayjs(r.times.recordedAt).format('HH:mm:ss') },
    { title: t('category'), key: 'cat', ellipsis: true, render: (_: unknown, r: Incident) => catLabel(r.categoryCode) },
    { title: t('filterPriority'), key: 'p', width: 80, render: (_: unknown, r: Incident) => <PriorityTag p={r.priority} /> },
    { title: t('address'), dataIndex: 'address', key: 'address', ellipsis: true },
    { title: t('status'), key: 'status', width: 92, render: (_: unknown, r: Incident) => <StatusTag s={r.status} /> },
  ];

  return (
    <div className="sw-intake" data-testid="page-intake">
      <div className="sw-intake-left">
        <div className="sw-intake-top">
          <Card
            size="small"
            className="sw-intake-form"
            title={
              <Space size={8}>
                <PhoneOutlined />
                {t('consoleTitle')}
                <Tag color={elapsed === null ? 'default' : elapsed > 60 ? 'red' : 'green'} data-testid="intake-timer" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {t('callTimer')} {elapsed === null ? '—' : `${Math.floor(elapsed / 60)}:${String(elapsed % 60).padStart(2, '0')}`}
                </Tag>
              </Space>
            }
          >
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
                      prefix={<PhoneOutlined style={{ color: '#8c8c8c' }} />}
                      inputMode="tel"
                      maxLength={32}
                      autoComplete="off"
                      data-testid="intake-phone"
                    />
                  </Form.Item>
                  <Form.Item label={t('callerName')} {...fieldProps('callerName')} className="sw-fi">
                    <Input value={callerName} onChange={(e) => setCallerName(e.target.value)} placeholder={t('callerNamePlaceholder')} maxLength={64} autoComplete="off" data-testid="intake-name" />
                  </Form.Item>
                </div>
                <Form.Item
                  label={
                    <span>
                      {t('address')} <Kbd>F2</Kbd>
                    </span>
                  }
                  validateStatus={errors.address ? 'error' : undefined}
                  help={errors.address ?? (pointNote ? <span className="sw-muted">{pointNote}</span> : undefined)}
                  className="sw-fi"
                >
                  <AutoComplete
                    ref={addrRef}
                    value={addrText}
                    options={addrHits.map((h) => ({
                      value: h.code,
                      hit: h,
                      label: (
                        <div className="sw-addr-option" data-testid="addr-option">
                          <EnvironmentOutlined style={{ color: '#1d3a6e' }} /> {h.text}
                          <span className="sw-muted sw-mono" style={{ float: 'right' }}>
                            {h.stationId ?? ''}
                          </span>
                        </div>
                      ),
                    }))}
                    onSearch={(v) => {
                      setAddrText(v);
                      setAddrHit(null);
                      setError('address', undefined);
                    }}
                    onSelect={(_v: string, opt: { hit?: AddressHit }) => {
                      if (opt.hit) pickAddress(opt.hit);
                    }}
                    onOpenChange={(o) => {
                      addrOpen.current = o;
                    }}
                    defaultActiveFirstOption
                    placeholder={t('addressPlaceholder')}
                    data-testid="intake-address"
                    style={{ width: '100%' }}
                    popupMatchSelectWidth
                  />
                </Form.Item>
                <div className="sw-intake-row2">
                  <Form.Item
                    label={
                      <span>
                        {t('category')} <Kbd>F3</Kbd>
                      </span>
                    }
                    {...fieldProps('category')}
                    className="sw-fi"
                  >
                    <Cascader
                      ref={catRef}
                      options={catOptions}
                      value={catPath}
                      onChange={(v) => {
                        setCatPath((v as string[] | undefined) ?? []);
                        setError('category', undefined);
                      }}
                      onOpenChange={(o) => {
                        catOpen.current = o;
                      }}
                      showSearch={{
                        filter: (input, path) => {
                          const q = input.trim().toLowerCase();
                          return path.some((o) => (o as CatOption).keywords.some((k) => k.toLowerCase().includes(q)));
                        },
                        limit: 60,
                        onSearch: (v) => {
                          catSearch.current = v;
                        },
                      }}
                      placeholder={t('categoryPlaceholder')}
                      expandTrigger="hover"
                      allowClear={false}
                      displayRender={(labels) => labels.join(' / ')}
                      data-testid="intake-category"
                      classNames={{ popup: { root: 'sw-cat-popup' } }}
                      style={{ width: '100%' }}
                    />
                  </Form.Item>
                  <Form.Item
                    label={
                      <span>
                        {t('priority')}
                        {suggested && (
                          <Tag color="default" style={{ marginInlineStart: 8 }} data-testid="intake-suggested">
                            {t('suggested', { p: suggested })}
                          </Tag>
                        )}
                      </span>
                    }
                    {...fieldProps('priority')}
                    className="sw-fi"
                  >
                    <Radio.Group
                      value={effectivePriority}
                      onChange={(e) => {
                        setPriority(e.target.value as Priority);
                        setPriorityTouched(true);
                      }}
                      optionType="button"
                      buttonStyle="solid"
                      name="priority"
                      data-testid="intake-priority"
                      className="sw-priority"
                    >
                      {PRIORITIES.map((p) => (
                        <Radio.Button key={p} value={p} data-p={p} style={effectivePriority === p ? { background: PRIORITY_HEX[p], borderColor: PRIORITY_HEX[p], color: '#fff' } : undefined}>
                          {p}
                        </Radio.Button>
                      ))}
                    </Radio.Group>
                  </Form.Item>
                </div>
                <div className="sw-reasons" data-testid="intake-reasons">
                  {suggestion.data?.reasons?.length && categoryCode ? (
                    <>
                      <span className="sw-muted">{t('suggestedBy')}：</span>
                      {suggestion.data.reasons.map((r) => (
                        <Tag key={r} color={suggestion.data!.priority === 'P1' ? 'red' : 'blue'} variant="outlined">
                          {r}
                        </Tag>
                      ))}
                    </>
                  ) : null}
                </div>
                {needsReason && (
                  <Form.Item label={t('priorityReason')} {...fieldProps('priorityReason')} className="sw-fi" extra={!errors.priorityReason ? t('priorityReasonHint') : undefined}>
                    <Input value={priorityReason} onChange={(e) => setPriorityReason(e.target.value)} maxLength={500} data-testid="intake-priority-reason" />
                  </Form.Item>
                )}
                <Form.Item
                  label={
                    <span>
                      {t('description')} <Kbd>F4</Kbd>
                    </span>
                  }
                  {...fieldProps('description')}
                  className="sw-fi"
                >
                  <Input.TextArea
                    ref={descRef}
                    value={description}
                    onChange={(e) => {
                      setDescription(e.target.value);
                      setError('description', undefined);
                    }}
                    placeholder={t('descriptionPlaceholder')}
                    autoSize={{ minRows: 3, maxRows: 3 }}
                    maxLength={4000}
                    data-testid="intake-description"
                  />
                </Form.Item>
                <div className="sw-intake-actions">
                  <Button type="primary" icon={<SendOutlined />} loading={submitting} onClick={() => void submit()} data-testid="intake-submit">
                    {t('submit')} <span className="sw-btn-kbd">Ctrl+Enter</span>
                  </Button>
                  <Button icon={<ClearOutlined />} onClick={clear} data-testid="intake-clear">
                    {t('clear')} <span className="sw-btn-kbd sw-btn-kbd-dark">Esc</span>
                  </Button>
                  {marked && (
                    <Tag color="orange" closable onClose={() => setMarked(null)} data-testid="intake-marked">
                      {t('markedDuplicate', { number: marked.number })}
                    </Tag>
                  )}
                  {retryable && <Typography.Text type="warning">{t('retryHint')}</Typography.Text>}
                  <span className="sw-keys" data-testid="intake-keys">
                    <Kbd>F2</Kbd> {t('keyF2')} <Kbd>F3</Kbd> {t('keyF3')} <Kbd>F4</Kbd> {t('keyF4')} <Kbd>Ctrl+Enter</Kbd> {t('keySubmit')} <Kbd>Esc</Kbd> {t('keyClear')}
                  </span>
                </div>
              </div>
            </Form>
          </Card>

          <Card size="small" className="sw-intake-history" title={<Space size={6}><HistoryOutlined />{t('history')}</Space>} data-testid="intake-history">
            <div className="sw-hist-section">
              <div className="sw-hist-title">
                {t('callerHistory')}
                {phoneOk && hist && <Tag style={{ marginInlineStart: 6 }}>{t('times', { n: hist.caller.length })}</Tag>}
              </div>
              {!phoneOk ? (
                <div className="sw-muted sw-hist-empty">{t('enterPhoneHint')}</div>
              ) : hist?.caller.length ? (
                <div data-testid="history-caller">{hist.caller.slice(0, 6).map((x) => incidentLine(x))}</div>
              ) : (
                <div className="sw-muted sw-hist-empty">{history.isFetching ? '…' : t('noCallerHistory')}</div>
              )}
            </div>
            <div className="sw-hist-section">
              <div className="sw-hist-title">
                {t('placeHistory')}
                {point && hist && (
                  <Tag color={hist.repeatLocation ? 'red' : 'default'} style={{ marginInlineStart: 6 }}>
                    {t('placeCount30d', { n: hist.placeCount30d })}
                  </Tag>
                )}
              </div>
              {!point ? (
                <div className="sw-muted sw-hist-empty">{t('pickAddressHint')}</div>
              ) : hist?.place.length ? (
                <div data-testid="history-place">{hist.place.slice(0, 8).map((x) => incidentLine(x))}</div>
              ) : (
                <div className="sw-muted sw-hist-empty">{history.isFetching ? '…' : t('noPlaceHistory')}</div>
              )}
            </div>
          </Card>
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

      <div className="sw-intake-right">
        <Card
          size="small"
          className="sw-intake-dups"
          title={
            <Space size={6}>
              <WarningOutlined style={{ color: dupItems.length ? '#fa8c16' : undefined }} />
              {t('duplicates')}
              {dupItems.length > 0 && <Tag color="orange">{dupItems.length}</Tag>}
            </Space>
          }
          extra={<span className="sw-muted">{t('duplicatesHint')}</span>}
          data-testid="intake-duplicates"
        >
          {lastCreated && lastCreated.duplicateCandidates.length > 0 && (
            <div className="sw-dup-after" data-testid="intake-after-dups">
              <div className="sw-hist-title">{t('justRecorded', { number: lastCreated.number })}</div>
              {lastCreated.duplicateCandidates.slice(0, 3).map((d) =>
                incidentLine(
                  d,
                  <Button size="small" type="primary" style={{ marginInlineStart: 'auto' }} onClick={() => void mergeLast(d)} data-testid={`merge-into-${d.number}`}>
                    {t('mergeInto')}
                  </Button>,
                ),
              )}
            </div>
          )}
          {!categoryCode || !point ? (
            <div className="sw-muted sw-hist-empty">{t('duplicatesWaiting')}</div>
          ) : dupItems.length ? (
            <div data-testid="dup-list">
              {dupItems.slice(0, 4).map((d) =>
                incidentLine(
                  d,
                  <Button
                    size="small"
                    style={{ marginInlineStart: 'auto' }}
                    type={marked?.id === d.id ? 'primary' : 'default'}
                    danger={marked?.id !== d.id}
                    onClick={() => setMarked(marked?.id === d.id ? null : d)}
                    data-testid={`mark-dup-${d.number}`}
                    tabIndex={-1}
                  >
                    {marked?.id === d.id ? t('unmark') : t('markDuplicate')}
                  </Button>,
                ),
              )}
            </div>
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={duplicates.isFetching ? '…' : t('noDuplicates')} style={{ margin: '8px 0' }} />
          )}
        </Card>
        {point && hist?.repeatLocation && (
          <Alert type="error" showIcon title={t('repeatLocation', { n: hist.placeCount30d })} data-testid="intake-repeat" />
        )}
        <Card size="small" className="sw-intake-queue" title={t('queueToday')} extra={<Tag>{(queue.data ?? []).length}</Tag>} data-testid="intake-queue">
          <div ref={queueBox} className="sw-intake-queue-box">
            <Table<Incident>
              size="small"
              rowKey="id"
              columns={queueColumns}
              dataSource={queue.data ?? []}
              loading={queue.isLoading}
              pagination={false}
              scroll={{ y: Math.max(120, queueHeight - 40) }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('queueEmpty')} /> }}
              onRow={(r) => ({ onClick: () => navigate(`/incidents/${r.id}`), style: { cursor: 'pointer' }, 'data-testid': `queue-row-${r.number}` }) as React.HTMLAttributes<HTMLTableRowElement>}
              data-testid="queue-table"
            />
          </div>
        </Card>
      </div>
    </div>
  );
}

