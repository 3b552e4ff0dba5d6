/**
 * The 身边 map (issue 15 part 7): the open non-emergency reports of /public/citizen-reports on a
 * MapLibre map drawn from our own data only — the streets of /public/basemap/{cell} (0.02° cells of the
 * city's road network), the staff map's style and fonts (web/src/components/mapStyle.ts), no external
 * tiles. Public fields only: category, area, status, age; places rounded by the server to ~100 m.
 * Loaded on demand (React.lazy in nearby.tsx): MapLibre is not in the portal's first load.
 */
import { useEffect, useRef, useState } from 'react';
import { Map as MlMap, NavigationControl, Popup, setWorkerUrl, type GeoJSONSource, type MapGeoJSONFeature } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import { baseStyle, LOCAL_CJK_FONTS } from '../components/mapStyle';
import i18n, { usePortalT } from './i18n';
import { call } from './api';
import { useMoreT } from './more-i18n';

setWorkerUrl(workerUrl);

const CELL = 0.02;
/** Beyond this many cells in view the streets are not fetched (zoomed out too far to read them). */
const MAX_CELLS = 64;
const CENTER: [number, number] = [113.5439, 22.1987];
const STATUS_COLOR: Record<string, string> = { received: '#1677ff', accepted: '#d46b08', in_progress: '#c41d7f' };

interface Item {
  category: { code: string; zh: string; en: string };
  area: string;
  lon: number;
  lat: number;
  status: string;
  ageHours: number;
}

export default function PublicMap() {
  const { t } = useMoreT();
  const { t: tp } = usePortalT();
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const [summary, setSummary] = useState<{ n: number; truncated: boolean } | null>(null);
  const mapRef = useRef<MlMap | null>(null);
  const words = useRef({ t, tp });
  words.current = { t, tp };

  useEffect(() => {
    if (!box.current) return;
    let map: MlMap;
    try {
      map = new MlMap({ container: box.current, style: baseStyle(), center: CENTER, zoom: 13, minZoom: 10, maxZoom: 18, localIdeographFontFamily: LOCAL_CJK_FONTS, attributionControl: false, dragRotate: false, pitchWithRotate: false });
    } catch {
      setFailed(true);
      return;
    }
    mapRef.current = map;
    map.touchZoomRotate.disableRotation();
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    const cells = new Map<string, Feature<LineString>[]>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let gone = false;
    let asked = 0;

    const streets = async (w: number, s: number, e: number, n: number) => {
      const xs = [Math.floor(w / CELL), Math.floor(e / CELL)];
      const ys = [Math.floor(s / CELL), Math.floor(n / CELL)];
      if ((xs[1]! - xs[0]! + 1) * (ys[1]! - ys[0]! + 1) > MAX_CELLS) return;
      const missing: string[] = [];
      for (let x = xs[0]!; x <= xs[1]!; x++) for (let y = ys[0]!; y <= ys[1]!; y++) if (!cells.has(`${x}_${y}`)) missing.push(`${x}_${y}`);
      if (!missing.length) return;
      await Promise.all(
        missing.map(async (c) => {
          cells.set(c, []);
          const fc = await call<FeatureCollection<LineString>>('GET', `/public/basemap/${c}`).catch(() => null);
          if (fc) cells.set(c, fc.features);
          else cells.delete(c);
        }),
      );
      if (!gone) (map.getSource('roads') as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features: [...cells.values()].flat() });
    };

    const reports = async (w: number, s: number, e: number, n: number) => {
      const mine = ++asked;
      const f = (v: number) => v.toFixed(4);
      const out = await call<{ items: Item[]; truncated: boolean }>('GET', `/public/citizen-reports?bbox=${f(w)},${f(s)},${f(e)},${f(n)}`).catch(() => null);
      if (!out || gone || mine !== asked) return;
      const en = i18n.language === 'en';
      const features: Feature<Point>[] = out.items.map((i) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [i.lon, i.lat] },
        properties: { color: STATUS_COLOR[i.status] ?? '#595959', size: 7, category: en ? i.category.en : i.category.zh, area: i.area, status: i.status, ageHours: i.ageHours },
      }));
      (map.getSource('points') as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features });
      setSummary({ n: out.items.length, truncated: out.truncated });
    };

    const refresh = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const b = map.getBounds();
        const [w, s, e, n] = [Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()), Math.min(180, b.getEast()), Math.min(90, b.getNorth())];
        // Settled (streets and dots of this view drawn) is marked for tests and screenshots.
        box.current?.removeAttribute('data-idle');
        void Promise.all([streets(w, s, e, n), reports(w, s, e, n)]).then(() => {
          if (gone) return;
          map.once('idle', () => box.current?.setAttribute('data-idle', 'true'));
          map.triggerRepaint();
        });
      }, 250);
    };
    map.on('load', refresh);
    map.on('moveend', refresh);
    map.on('error', () => undefined);

    // A tap on a point: its public fields, written as text (never as HTML).
    map.on('click', 'points', (ev) => {
      const f = ev.features?.[0] as MapGeoJSONFeature | undefined;
      if (!f || f.geometry.type !== 'Point') return;
      const p = f.properties as { category: string; area: string; status: string; ageHours: number };
      const { t: tt, tp: tpp } = words.current;
      const el = document.createElement('div');
      el.className = 'map-pop';
      const title = document.createElement('strong');
      title.textContent = p.category;
      const line = document.createElement('div');
      const age = p.ageHours < 48 ? tt('ageHours', { n: p.ageHours }) : tt('ageDays', { n: Math.floor(p.ageHours / 24) });
      line.textContent = `${tpp(`status_${p.status}` as 'status_received')} · ${age}`;
      const area = document.createElement('div');
      area.textContent = p.area;
      el.append(title, line, area);
      new Popup({ closeButton: true, maxWidth: '220px' }).setLngLat(f.geometry.coordinates as [number, number]).setDOMContent(el).addTo(map);
    });
    map.on('mouseenter', 'points', () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', 'points', () => (map.getCanvas().style.cursor = ''));

    return () => {
      gone = true;
      clearTimeout(timer);
      mapRef.current = null;
      map.remove();
    };
  }, []);

  // Centre on the phone's position (used here only: the server sees the box of the view, as for any map).
  const locate = () => navigator.geolocation?.getCurrentPosition((p) => mapRef.current?.flyTo({ center: [p.coords.longitude, p.coords.latitude], zoom: 15 }), () => undefined, { timeout: 10_000 });

  if (failed) return <p className="hint" data-testid="public-map-failed">{t('mapFailed')}</p>;
  return (
    <section className="card map-card" data-testid="public-map">
      <div ref={box} className="public-map" role="region" aria-label={t('mapTitle')} />
      <button type="button" className="secondary" onClick={locate} data-testid="map-locate">
        {t('mapMine')}
      </button>
      <p className="hint">
        {summary ? t('mapCount', { n: summary.n }) : t('mapLoading')} {summary?.truncated ? t('truncated') : ''}
      </p>
      <p className="hint legend">
        {Object.entries(STATUS_COLOR).map(([s, c]) => (
          <span key={s}>
            <i style={{ background: c }} /> {tp(`status_${s}` as 'status_received')}
          </span>
        ))}
      </p>
    </section>
  );
}
