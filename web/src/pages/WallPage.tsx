/**
 * 指挥大屏 — the command wall (issue 16): full screen without the app's shell, dark, laid out at
 * 1920×1080 and scaled as a whole to the screen (3840×2160 reads the same, the map drawn at full
 * resolution). The live map of the jurisdiction, today's counts against last year, by priority and by
 * category family, the open P1s, the dispatch alerts and a clock. The stream (useRealtime) makes the
 * queries stale as incidents, units and alerts change: nothing is reloaded.
 *
 * Who sees it: `analytics.read` (analyst, chief, supervisor, administrator). A command centre's wall
 * account is a dispatcher who also holds the analyst role; the alerts panel needs `alert.read`
 * (dispatcher, chief) and says so otherwise.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, type User } from '../api';
import { useLang } from '../i18n';
import { useUnitDetail } from '../session';
import { pollInterval, useRealtime } from '../realtime';
import { useNow } from '../dispatch/clock';
import { useDispatchUnits, useOpenIncidents, type DispatchAlert } from '../dispatch/model';
import { useCategories, useCategoryLabel, type Incident } from '../incidents/model';
import { fitScale, tally, useTodayByPriority, useTodayCategories, useTodayIntervals, useWallKpis } from '../wall/model';
import { AlertsPanel, FamilyPanel, IntervalsPanel, P1Panel, PriorityPanel, TodayPanel, WallClock } from '../wall/WallPanels';
import WallMap from '../wall/WallMap';
import '../wall/wall.css';

const W = 1920;
const H = 1080;

function useFit() {
  const [size, setSize] = useState({ w: window.innerWidth, h: window.innerHeight });
  useEffect(() => {
    const on = () => setSize({ w: window.innerWidth, h: window.innerHeight });
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return fitScale(size.w, size.h, W, H);
}

export default function WallPage({ user }: { user: User }) {
  const { t } = useTranslation('wall');
  const { lang } = useLang();
  const qc = useQueryClient();
  const live = useRealtime(qc);
  const fit = useFit();
  const now = useNow();
  const today = dayjs(now).format('YYYY-MM-DD');
  const own = useUnitDetail(user.unit.id);
  const canAlerts = user.permissions.includes('alert.read');

  const kpis = useWallKpis(today, user.permissions.includes('analytics.read'));
  const intervals = useTodayIntervals(today, user.permissions.includes('analytics.read'));
  const byPriority = useTodayByPriority(today);
  const cats = useTodayCategories(today);
  const open = useOpenIncidents(live);
  const units = useDispatchUnits(live);
  const alerts = useQuery({
    queryKey: ['dispatch', 'alerts'],
    queryFn: () => api<{ items: DispatchAlert[] }>('/api/v1/alerts').then((r) => r.items),
    refetchInterval: pollInterval(live),
    enabled: canAlerts,
  });

  const categories = useCategories();
  const catLabel = useCategoryLabel();
  // Every family of the category tree, in a fixed order (a wall reads better when rows do not jump), with today's count.
  const families = useMemo(() => {
    if (!cats.data || !categories.data) return undefined;
    const counts = new Map(tally(cats.data.codes.map((code) => categories.index.get(code)?.path[0]?.code ?? code.slice(0, 2))).map((r) => [r.key, r.n]));
    return categories.data.map((top) => ({ name: lang === 'en' ? top.nameEn || top.name : top.name, n: counts.get(top.code) ?? 0 }));
  }, [cats.data, categories.data, categories.index, lang]);
  const label = useCallback((i: Incident) => `${i.priority} ${catLabel(i.categoryCode)}${i.address ? ` · ${i.address}` : ''}`, [catLabel]);
  const openIncidents = useMemo(() => open.data ?? [], [open.data]);
  const p1 = useMemo(() => openIncidents.filter((i) => i.priority === 'P1').sort((a, b) => a.times.recordedAt.localeCompare(b.times.recordedAt)), [openIncidents]);
  const unitList = useMemo(() => units.data ?? [], [units.data]);
  const total = byPriority.data ? Object.values(byPriority.data).reduce((a, b) => a + b, 0) : undefined;
  const free = unitList.filter((u) => u.status === 'available').length;
  const busy = unitList.filter((u) => ['dispatched', 'en_route', 'on_scene', 'busy'].includes(u.status)).length;

  // The wall is the whole window: no scroll bars around the scaled stage.
  useEffect(() => {
    const prev = document.body.style.overflow;
    document.body.style.overflow = 'hidden';
    document.title = `${t('title')} · ${user.unit.name}`;
    return () => {
      document.body.style.overflow = prev;
    };
  }, [t, user.unit.name]);

  return (
    <div className="sw-wall-screen" data-testid="page-wall" data-stream={live} data-today={today}>
      <main className="sw-wall" style={{ width: W, height: H, transform: `translate(${fit.left}px, ${fit.top}px) scale(${fit.scale})` }} data-scale={fit.scale.toFixed(3)}>
        <header className="sw-wall-header">
          <div className="sw-wall-brand">
            <h1>{t('title')}</h1>
            <span className="sw-wall-unit">{t('jurisdiction', { name: user.unit.name })}</span>
          </div>
          <div className="sw-wall-status">
            <span className={`sw-wall-dot sw-wall-dot-${live}`} aria-hidden />
            <span data-testid="wall-stream">{live === 'live' ? t('streamLive') : live === 'connecting' ? t('streamConnecting') : t('streamOffline')}</span>
          </div>
          <WallClock />
        </header>
        <div className="sw-wall-body">
          <div className="sw-wall-col">
            <TodayPanel total={kpis.data?.day?.current.value ?? total} day={kpis.data?.day} ytd={kpis.data?.ytd} />
            <PriorityPanel counts={byPriority.data} />
            <FamilyPanel rows={families} read={cats.data?.codes.length ?? 0} total={cats.data?.total ?? 0} />
          </div>
          <div className="sw-wall-center">
            <WallMap incidents={openIncidents} units={unitList} scale={fit.scale} highlight={user.unit.kind === 'bureau' ? null : (own.data?.polygon ?? null)} label={label} />
            <div className="sw-wall-strip" data-testid="wall-strip">
              <span>
                {t('openIncidents')} <b data-testid="wall-open-count">{openIncidents.length}</b>
              </span>
              <span>
                {t('units')} <b>{unitList.length}</b>
              </span>
              <span>{t('unitsAvailable', { n: String(free) })}</span>
              <span>{t('unitsBusy', { n: String(busy) })}</span>
            </div>
          </div>
          <div className="sw-wall-col">
            <P1Panel items={p1} label={label} />
            {intervals.data && <IntervalsPanel rows={intervals.data} />}
            <AlertsPanel alerts={alerts.data} allowed={canAlerts} />
          </div>
        </div>
      </main>
    </div>
  );
}
