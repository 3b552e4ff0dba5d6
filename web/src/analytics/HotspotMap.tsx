/**
 * Hot spots on the map (issue 16): incidents per H3 hexagon in the span (GET /analytics/hotspots), filled
 * darker the more there are, outlined red where the rise against last year's fair span is significant
 * and blue where the fall is; a click tells the two counts and the verdict. The hexagons' outlines are
 * computed here from their indexes (h3-js), on the project's own base map (no external tiles).
 * The smallest hexagons (resolution 9) are offered for spans of at most MAX_STREET_SPAN_DAYS (14 days), as the route allows them
 * (domain/hotspot-span.ts); a longer span shows them disabled and falls back to 8, saying so.
 */
import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Segmented, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { cellToBoundary } from 'h3-js';
import type { ExpressionSpecification, GeoJSONSource, Map as MlMap, MapLayerMouseEvent } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { api } from '../api';
import type { ApiAnswer } from '../contract';
import MapView, { boundsOf } from '../components/MapView';
import { MAX_STREET_SPAN_DAYS, resolutionAllowed, spanDays } from '../../../src/modules/analytics/domain/hotspot-span';

export type HotspotResolution = 7 | 8 | 9;
const RESOLUTIONS: readonly HotspotResolution[] = [7, 8, 9];

/** GET /analytics/hotspots's answer (the server's contract): cells with their counts against last year. */
export type Hotspots = ApiAnswer<'/api/v1/analytics/hotspots', 'get'>;
export type HotCell = Hotspots['cells'][number];

export function useHotspots(span: { from: string; to: string }, resolution: HotspotResolution, unitId?: string) {
  return useQuery({
    queryKey: ['analytics', 'hotspots', span.from, span.to, resolution, unitId ?? ''],
    queryFn: () => api<Hotspots>('/api/v1/analytics/hotspots', { query: { from: span.from, to: span.to, resolution: String(resolution), unitId } }),
  });
}

/** Sequential fill, light to dark (yellow–orange–brown: neither the red of a rise nor the blue of a fall). */
const FILL = ['#fff7bc', '#fec44f', '#d95f0e', '#7f2704'] as const;
const RISE = '#f5222d';
const FALL = '#1677ff';
const SOURCE = 'hotspots';

function featuresOf(cells: HotCell[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: cells.map((c) => ({
      type: 'Feature',
      // Closed [lng, lat] rings, as GeoJSON wants them.
      geometry: { type: 'Polygon', coordinates: [cellToBoundary(c.cell, true)] },
      properties: { cell: c.cell, count: c.count, significant: c.significant, direction: c.direction },
    })),
  };
}

function fillColor(max: number): ExpressionSpecification {
  const m = Math.max(max, 3);
  return ['interpolate', ['linear'], ['get', 'count'], 0, FILL[0], m / 3, FILL[1], (2 * m) / 3, FILL[2], m, FILL[3]];
}

/** Adds the hexagon layers under the street names, once per map; answers the source to feed. */
function ensureLayers(map: MlMap): GeoJSONSource {
  if (!map.getSource(SOURCE)) {
    map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    const before = map.getLayer('road-labels') ? 'road-labels' : undefined;
    map.addLayer({ id: 'hotspots-fill', type: 'fill', source: SOURCE, paint: { 'fill-color': FILL[0], 'fill-opacity': 0.62 } }, before);
    map.addLayer({ id: 'hotspots-line', type: 'line', source: SOURCE, filter: ['!', ['get', 'significant']], paint: { 'line-color': '#8c8c8c', 'line-width': 0.6, 'line-opacity': 0.7 } }, before);
    map.addLayer(
      { id: 'hotspots-change', type: 'line', source: SOURCE, filter: ['get', 'significant'], paint: { 'line-color': ['match', ['get', 'direction'], 'up', RISE, FALL], 'line-width': 3 } },
      before,
    );
    // The hexagon clicked, so its figures below can be told from the rest.
    map.addLayer({ id: 'hotspots-picked', type: 'line', source: SOURCE, filter: ['==', ['get', 'cell'], ''], paint: { 'line-color': '#141414', 'line-width': 2, 'line-dasharray': [2, 1] } }, before);
  }
  return map.getSource(SOURCE) as GeoJSONSource;
}

export default function HotspotMap({ span, unitId }: { span: { from: string; to: string }; unitId?: string }) {
  const { t } = useTranslation('analytics');
  // The user's choice; a span too long for it is drawn at 8 (never asked at 9: the route refuses it).
  const [chosen, setResolution] = useState<HotspotResolution>(8);
  const fineAllowed = resolutionAllowed(9, spanDays(span.from, span.to));
  const resolution: HotspotResolution = chosen === 9 && !fineAllowed ? 8 : chosen;
  const fellBack = resolution !== chosen;
  const [map, setMap] = useState<MlMap | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const q = useHotspots(span, resolution, unitId);
  const cells = useMemo(() => q.data?.cells ?? [], [q.data]);
  const max = cells.reduce((m, c) => Math.max(m, c.count), 0);
  const fc = useMemo(() => featuresOf(cells), [cells]);

  // Feed the hexagons; fit the map to them when the span or the resolution changes.
  useEffect(() => {
    if (!map) return;
    ensureLayers(map).setData(fc);
    map.setPaintProperty('hotspots-fill', 'fill-color', fillColor(max));
    const b = boundsOf(fc.features.map((f) => f.geometry));
    if (b) map.fitBounds(b, { padding: 32, maxZoom: 15, duration: 0 });
  }, [map, fc, max]);

  useEffect(() => {
    if (!map) return;
    const click = (e: MapLayerMouseEvent) => setPicked((e.features?.[0]?.properties?.cell as string | undefined) ?? null);
    const enter = () => (map.getCanvas().style.cursor = 'pointer');
    const leave = () => (map.getCanvas().style.cursor = '');
    map.on('click', 'hotspots-fill', click);
    map.on('mouseenter', 'hotspots-fill', enter);
    map.on('mouseleave', 'hotspots-fill', leave);
    return () => {
      map.off('click', 'hotspots-fill', click);
      map.off('mouseenter', 'hotspots-fill', enter);
      map.off('mouseleave', 'hotspots-fill', leave);
    };
  }, [map]);

  useEffect(() => setPicked(null), [span.from, span.to, resolution]);
  useEffect(() => {
    if (map?.getLayer('hotspots-picked')) map.setFilter('hotspots-picked', ['==', ['get', 'cell'], picked ?? '']);
  }, [map, picked, fc]);
  const cell = cells.find((c) => c.cell === picked) ?? null;

  const legend = (
    <div className="sw-hotspot-legend" data-testid="hotspot-legend" style={{ display: 'flex', flexDirection: 'column', gap: 4, fontSize: 12 }}>
      <span>{t('hotLegendCount')}</span>
      <div style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
        <span>0</span>
        <span style={{ width: 96, height: 10, background: `linear-gradient(to right, ${FILL.join(', ')})`, opacity: 0.8 }} />
        <span>{Math.max(max, 3)}</span>
      </div>
      <span>
        <span style={{ display: 'inline-block', width: 14, height: 10, border: `3px solid ${RISE}`, verticalAlign: 'middle', marginInlineEnd: 6 }} />
        {t('hotLegendRise')}
      </span>
      <span>
        <span style={{ display: 'inline-block', width: 14, height: 10, border: `3px solid ${FALL}`, verticalAlign: 'middle', marginInlineEnd: 6 }} />
        {t('hotLegendFall')}
      </span>
    </div>
  );

  return (
    <div data-testid="hotspots" style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      <Space wrap>
        <span className="sw-muted">{t('hotResolution')}</span>
        <Segmented<HotspotResolution>
          value={resolution}
          onChange={setResolution}
          options={RESOLUTIONS.map((r) => (r === 9 && !fineAllowed ? { value: r, label: t('hotRes9'), disabled: true, tooltip: t('hotRes9Limit', { days: MAX_STREET_SPAN_DAYS }) } : { value: r, label: t(`hotRes${r}`) }))}
          data-testid="hotspot-resolution"
        />
        {!fineAllowed && !fellBack && (
          <span className="sw-muted" data-testid="hotspot-res9-hint">
            {t('hotRes9Limit', { days: MAX_STREET_SPAN_DAYS })}
          </span>
        )}
        {q.data && (
          <span className="sw-muted" data-testid="hotspot-summary">
            {t('hotSummary', { n: q.data.total, from: q.data.previous.from, to: q.data.previous.to })}
          </span>
        )}
      </Space>
      {fellBack && <Alert type="info" showIcon title={t('hotRes9FellBack', { days: MAX_STREET_SPAN_DAYS })} data-testid="hotspot-res9-fallback" />}
      {q.error && <Alert type="error" showIcon title={String(q.error as Error)} />}
      {q.data?.truncated && <Alert type="info" showIcon title={t('hotTruncated', { shown: cells.length, total: q.data.total })} data-testid="hotspot-truncated" />}
      <MapView height={440} legend={legend} testId="hotspot-map" onMap={setMap} />
      <div data-testid="hotspot-detail" aria-live="polite">
        {cell ? (
          <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} bordered>
            <Descriptions.Item label={t('hotNow')}>
              <span data-testid="hotspot-count">{cell.count}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('hotLastYear', { from: q.data!.previous.from, to: q.data!.previous.to })}>
              <span data-testid="hotspot-previous">{cell.previous}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('hotVerdict')}>
              <span data-testid="hotspot-verdict" style={{ color: !cell.significant ? undefined : cell.direction === 'up' ? RISE : FALL }}>
                {t(...verdict(cell))}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('hotCell')}>
              <span className="sw-mono">{cell.cell}</span>
            </Descriptions.Item>
          </Descriptions>
        ) : (
          <Typography.Text type="secondary">{q.data && !cells.length ? t('hotEmpty') : t('hotPick')}</Typography.Text>
        )}
      </div>
    </div>
  );
}

/** The verdict's message and its parameter: "no significant change" unless |z| > 3. */
function verdict(c: HotCell): ['noSignificant' | 'significantUp' | 'significantDown', { pct: string }] {
  const pct = c.pct === null ? '' : `${Math.abs(c.pct)}%`;
  return [!c.significant ? 'noSignificant' : c.direction === 'up' ? 'significantUp' : 'significantDown', { pct }];
}
