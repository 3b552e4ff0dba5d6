/**
 * The address box of the intake console. What the caller says is kept as typed; a registry address is a
 * suggestion that the call-taker accepts explicitly, with Enter on the highlighted line or a click
 * (issue 11 #3: Tab moves on and never replaces the words). The list only ever shows the results of the
 * text now in the box: while its search runs, the list waits, and an Enter pressed meanwhile takes the
 * first result once it arrives (issue 11 #2: Enter took the previous query's first line). Landmarks
 * (hotels, schools, hospitals, squares, bridges, stations; issue 11 #4) come in the same list, tagged.
 */
import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { AutoComplete, Form, Tag, type GetRef } from 'antd';
import { EnvironmentOutlined, FlagOutlined, LoadingOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import type { AddressHit } from '../incidents/model';
import { useDebounced } from '../incidents/useDebounced';
import { Kbd } from './form';

export type AddressRef = GetRef<typeof AutoComplete>;

interface Results {
  /** The text these results answer. */
  q: string;
  items: AddressHit[];
}

export interface AddressFieldProps {
  text: string;
  hit: AddressHit | null;
  onText: (text: string) => void;
  onPick: (hit: AddressHit) => void;
  error?: string;
  note?: string | null;
  fieldRef: RefObject<AddressRef | null>;
}

export default function AddressField({ text, hit, onText, onPick, error, note, fieldRef }: AddressFieldProps) {
  const { t } = useTranslation(['incidents', 'intake']);
  const typed = hit ? '' : text.trim();
  const debounced = useDebounced(typed, 120);
  const search = useQuery<Results>({
    queryKey: ['addresses', 'search', debounced],
    queryFn: ({ signal }) => api<AddressHit[]>('/api/v1/addresses/search', { query: { q: debounced, limit: 8 }, signal }).then((items) => ({ q: debounced, items })),
    enabled: debounced.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  // Only results of the text in the box; null while its search has not answered.
  const current = typed && search.data?.q === typed ? search.data.items : null;
  const latest = useRef<Results | undefined>(undefined);
  latest.current = search.data;

  // An Enter pressed before the results of this text arrived: taken by the first result when they do.
  const [waitFor, setWaitFor] = useState<string | null>(null);
  useEffect(() => {
    if (waitFor === null) return;
    if (waitFor !== typed) setWaitFor(null);
    else if (current) {
      setWaitFor(null);
      if (current.length) onPick(current[0]);
    }
  }, [waitFor, typed, current, onPick]);

  const onKeyDownCapture = (e: ReactKeyboardEvent) => {
    if (e.nativeEvent.isComposing || e.keyCode === 229) return; // the IME's own Enter
    // Tab moves on: the list never takes it (it would replace the caller's words by a suggestion).
    if (e.key === 'Tab') {
      e.stopPropagation();
      return;
    }
    if (e.key !== 'Enter' || e.ctrlKey || e.metaKey || e.altKey) return;
    const now = ((e.target as HTMLInputElement).value ?? '').trim();
    if (hit || !now) return;
    const ready = latest.current?.q === now ? latest.current.items : null;
    if (ready && ready.length) return; // the list shows this text's results: Enter takes the highlighted one
    e.preventDefault();
    e.stopPropagation();
    if (!ready) setWaitFor(now);
  };

  const searching = !!typed && current === null;
  const noMatch = !!typed && current !== null && current.length === 0;
  const help = error ?? (note ? <span className="sw-muted">{note}</span> : noMatch ? <span className="sw-muted" data-testid="addr-no-match">{t('intake:addressNoMatch')}</span> : undefined);

  return (
    <Form.Item
      label={
        <span>
          {t('address')} <Kbd>F2</Kbd>
        </span>
      }
      validateStatus={error ? 'error' : undefined}
      help={help}
      className="sw-fi"
    >
      <div onKeyDownCapture={onKeyDownCapture} data-testid="intake-address-box">
        <AutoComplete
          ref={fieldRef}
          value={text}
          options={(current ?? []).map((h) => ({
            value: h.code,
            hit: h,
            label: (
              <div className="sw-addr-option" data-testid="addr-option" data-kind={h.kind ?? 'address'}>
                {h.kind === 'landmark' ? (
                  <Tag color="purple" variant="outlined" style={{ marginInlineEnd: 4 }} data-testid="addr-landmark">
                    <FlagOutlined /> {t('intake:landmark')}·{t(`intake:lk_${h.landmarkKind ?? 'other'}`)}
                  </Tag>
                ) : (
                  <EnvironmentOutlined style={{ color: '#1d3a6e' }} />
                )}{' '}
                {h.text}
                {h.alias ? <span className="sw-muted"> · {t('intake:addressAlias', { alias: h.alias })}</span> : null}
                <span className="sw-muted sw-mono" style={{ float: 'right' }}>
                  {h.stationId ?? ''}
                </span>
              </div>
            ),
          }))}
          notFoundContent={
            searching ? (
              <span className="sw-muted" data-testid="addr-searching">
                <LoadingOutlined /> {waitFor ? t('intake:addressEnterWaits') : t('intake:addressSearching', { q: typed })}
              </span>
            ) : null
          }
          onSearch={(v) => {
            onText(v);
            setWaitFor(null);
          }}
          onSelect={(_v: string, opt: { hit?: AddressHit }) => {
            if (opt.hit) onPick(opt.hit);
          }}
          defaultActiveFirstOption
          placeholder={t('addressPlaceholder')}
          data-testid="intake-address"
          aria-label={t('address')}
          style={{ width: '100%' }}
          popupMatchSelectWidth
        />
      </div>
    </Form.Item>
  );
}
