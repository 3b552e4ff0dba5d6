/**
 * The wall's panels, sized for a 1920×1080 design read from across a room (no text under 20 px): today's
 * count against last year's same day up to the same instant (judged), today by priority and by category
 * family, the open P1s and the dispatch alerts.
 */
import type { ReactNode } from 'react';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { KpiValue } from '../analytics/model';
import type { IntervalRow } from './model';
import { PRIORITIES, type Incident, type Priority } from '../incidents/model';
import { ageText, mmss, type DispatchAlert } from '../dispatch/model';
import { useAlertText } from '../dispatch/alertText';
import { useNow } from '../dispatch/clock';

/** Priority colours light enough to read on the wall's dark panels (the map keeps the console's). */
export const WALL_PRIORITY: Record<Priority, string> = { P1: '#ff6b6b', P2: '#ffa940', P3: '#69b1ff', P4: '#c9d1d9' };

export function Panel({ title, extra, children, testId, grow }: { title: string; extra?: ReactNode; children: ReactNode; testId: string; grow?: boolean }) {
  return (
    <section className={`sw-wall-panel${grow ? ' sw-wall-grow' : ''}`} aria-label={title} data-testid={testId}>
      <header className="sw-wall-panel-title">
        <h2>{title}</h2>
        {extra && <span className="sw-wall-panel-extra">{extra}</span>}
      </header>
      <div className="sw-wall-panel-body">{children}</div>
    </section>
  );
}

/** A count's verdict against last year: "no significant change" unless the Poisson test says otherwise. */
function useVerdict() {
  const { t } = useTranslation('wall');
  return (v: KpiValue): { text: string; tone: 'up' | 'down' | 'flat' } => {
    if (!v.significant || v.direction === 'same') return { text: t('noSignificant'), tone: 'flat' };
    const pct = v.pct === null ? '' : `${Math.abs(v.pct)}%`;
    return v.direction === 'up' ? { text: t('significantUp', { pct }), tone: 'up' } : { text: t('significantDown', { pct }), tone: 'down' };
  };
}

const MARK = { up: '▲', down: '▼', flat: '●' } as const;

/**
 * Today so far against last year's same weekday up to the same instant (the server cuts both spans there:
 * runningCut), judged by the Poisson test like any count: the word in large type, coloured, with an arrow
 * (never the colour alone), readable from across the room.
 */
function DayVerdict({ day }: { day: KpiValue }) {
  const { t } = useTranslation('wall');
  const tone = !day.significant || day.direction === 'same' ? 'flat' : day.direction === 'up' ? 'up' : 'down';
  const pct = tone !== 'flat' && day.pct !== null ? `${day.pct > 0 ? '+' : '−'}${Math.abs(day.pct)}%` : null;
  return (
    <div className={`sw-wall-day-verdict sw-wall-${tone}`} data-testid="wall-today-verdict" data-significant={String(day.significant)} data-direction={day.direction} title={t('sameInstantHint')}>
      <span className="sw-wall-day-mark" aria-hidden>
        {MARK[tone]}
      </span>
      <span className="sw-wall-day-text">
        <span className="sw-wall-day-word">{t(tone === 'up' ? 'dayUp' : tone === 'down' ? 'dayDown' : 'dayFlat')}</span>
        {pct && <span className="sw-wall-day-pct">{pct}</span>}
      </span>
    </div>
  );
}

export function TodayPanel({ total, day, ytd }: { total: number | undefined; day: KpiValue | null | undefined; ytd: KpiValue | null | undefined }) {
  const { t } = useTranslation('wall');
  const verdict = useVerdict();
  const prev = day?.previous;
  const yv = ytd ? verdict(ytd) : null;
  const judged = !!day && !!prev && prev.value !== null && day.current.value !== null;
  return (
    <Panel title={t('today')} extra={t('todayNote')} testId="wall-today">
      <div className="sw-wall-today-row">
        <div className="sw-wall-big" data-testid="wall-today-count">
          {total ?? '…'}
        </div>
        {judged && <DayVerdict day={day} />}
      </div>
      {prev && prev.value !== null && (
        <div className="sw-wall-line" data-testid="wall-today-lastyear">
          {t('lastYearDay', { date: `${prev.from} ${dayjs(prev.from).format('ddd')}`, n: String(prev.value) })}
          <div className="sw-wall-note" data-testid="wall-today-basis" title={t('sameInstantHint')}>
            {t('sameInstant')}
          </div>
        </div>
      )}
      {ytd && ytd.current.value !== null && yv && (
        <div className="sw-wall-line" data-testid="wall-ytd">
          <span className="sw-wall-strong">{t('ytd', { n: ytd.current.value.toLocaleString() })}</span>
          {ytd.previous?.value !== null && ytd.previous?.value !== undefined && <span> · {t('ytdLastYear', { n: ytd.previous.value.toLocaleString() })}</span>}
          <div className={`sw-wall-verdict sw-wall-${yv.tone}`} data-testid="wall-ytd-verdict">
            {yv.text}
          </div>
        </div>
      )}
    </Panel>
  );
}

export function PriorityPanel({ counts }: { counts: Record<Priority, number> | undefined }) {
  const { t } = useTranslation('wall');
  return (
    <Panel title={t('byPriority')} testId="wall-priority">
      <div className="sw-wall-prio">
        {PRIORITIES.map((p) => (
          <div key={p} className="sw-wall-prio-tile" style={{ borderColor: WALL_PRIORITY[p] }} data-testid={`wall-prio-${p}`}>
            <div className="sw-wall-prio-label" style={{ color: WALL_PRIORITY[p] }}>
              {p}
            </div>
            <div className="sw-wall-prio-n">{counts ? counts[p] : '…'}</div>
          </div>
        ))}
      </div>
    </Panel>
  );
}

export function FamilyPanel({ rows, read, total }: { rows: { name: string; n: number }[] | undefined; read: number; total: number }) {
  const { t } = useTranslation('wall');
  const max = Math.max(1, ...(rows ?? []).map((r) => r.n));
  return (
    <Panel title={t('byFamily')} extra={read < total ? t('familyPartial', { n: String(read) }) : undefined} testId="wall-family" grow>
      {rows && rows.length === 0 && <div className="sw-wall-empty">{t('noneToday')}</div>}
      <ol className="sw-wall-bars">
        {(rows ?? []).map((r) => (
          <li key={r.name} className={r.n ? undefined : 'sw-wall-bar-zero'}>
            <span className="sw-wall-bar-name">{r.name}</span>
            <span className="sw-wall-bar-track">
              <span className="sw-wall-bar" style={{ width: `${(r.n / max) * 100}%` }} />
            </span>
            <span className="sw-wall-bar-n">{r.n}</span>
          </li>
        ))}
      </ol>
    </Panel>
  );
}

export function P1Panel({ items, label }: { items: Incident[]; label: (i: Incident) => string }) {
  const { t } = useTranslation('wall');
  const now = useNow();
  return (
    <Panel title={t('openP1')} extra={<span className="sw-wall-count-badge" data-testid="wall-p1-count">{items.length}</span>} testId="wall-p1" grow>
      {items.length === 0 && <div className="sw-wall-empty">{t('noOpenP1')}</div>}
      <ul className="sw-wall-list">
        {items.slice(0, 6).map((i) => (
          <li key={i.id}>
            <div className="sw-wall-list-head">
              <span className="sw-wall-num">{i.number}</span>
              <span className="sw-wall-age">{t('waiting', { age: ageText((now - Date.parse(i.times.recordedAt)) / 1000) })}</span>
            </div>
            <div className="sw-wall-list-text">{label(i)}</div>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

export function AlertsPanel({ alerts, allowed }: { alerts: DispatchAlert[] | undefined; allowed: boolean }) {
  const { t } = useTranslation('wall');
  const text = useAlertText();
  const now = useNow();
  const open = (alerts ?? []).filter((a) => a.status !== 'resolved');
  return (
    <Panel title={t('alerts')} extra={allowed ? <span className="sw-wall-count-badge sw-wall-badge-alert" data-testid="wall-alert-count">{open.length}</span> : undefined} testId="wall-alerts" grow>
      {!allowed && <div className="sw-wall-empty">{t('alertsNotShown')}</div>}
      {allowed && open.length === 0 && <div className="sw-wall-empty">{t('noAlerts')}</div>}
      <ul className="sw-wall-list">
        {open.slice(0, 5).map((a) => (
          <li key={a.id} className={a.level === 'escalated' ? 'sw-wall-escalated' : undefined}>
            <div className="sw-wall-list-head">
              <span className="sw-wall-num">{a.params?.number ?? ''}</span>
              <span className="sw-wall-age">{t('waiting', { age: ageText((now - Date.parse(a.raisedAt)) / 1000) })}</span>
            </div>
            <div className="sw-wall-list-text">{text(a) ?? a.kind}</div>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

const MEASURES = ['answer', 'intake', 'dispatch', 'travel', 'response'] as const;

/** Today's medians, all priorities and P1 (PRODUCT.md "Measures"), when the server gives them. */
export function IntervalsPanel({ rows }: { rows: IntervalRow[] }) {
  const { t } = useTranslation('wall');
  const cell = (measure: string, priority: string) => {
    const r = rows.find((x) => x.measure === measure && x.priority === priority);
    return r && r.current.median !== null ? mmss(r.current.median) : '—';
  };
  return (
    <Panel title={t('intervals')} testId="wall-intervals">
      <table className="sw-wall-table">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">{t('allPriorities')}</th>
            <th scope="col" style={{ color: WALL_PRIORITY.P1 }}>
              P1
            </th>
          </tr>
        </thead>
        <tbody>
          {MEASURES.map((m) => (
            <tr key={m}>
              <th scope="row">{t(`iv_${m}`)}</th>
              <td>{cell(m, 'all')}</td>
              <td>{cell(m, 'P1')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}

/** The wall's clock: time to the second and the date with its weekday. */
export function WallClock() {
  const now = useNow();
  const d = dayjs(now);
  return (
    <div className="sw-wall-clock" data-testid="wall-clock">
      <time dateTime={d.toISOString()} className="sw-wall-time">
        {d.format('HH:mm:ss')}
      </time>
      <span className="sw-wall-date">{d.format('YYYY-MM-DD dddd')}</span>
    </div>
  );
}
