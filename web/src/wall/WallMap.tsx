/**
 * The wall's live map: our own base style (components/mapStyle.ts) recoloured dark, the jurisdiction's
 * stations, and the dispatcher console's live layers (dispatch/liveLayers.ts): open incidents coloured
 * by priority, units by status, positions moving from the stream. Display only: nothing is clicked on a wall.
 *
 * The wall is laid out at 1920×1080 and scaled (a CSS transform) to the screen: the map's canvas is drawn
 * at the screen's pixels (pixel ratio × scale), so at 3840×2160 it is sharp, not a blown-up 1080p image.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Map as MlMap } from 'maplibre-gl';
import { useTranslation } from 'react-i18next';
import MapView from '../components/MapView';
import { useLabel } from '../i18n';
import { useStationPlaces, useStations } from '../dispatch/places';
import { LiveLayers, type LiveIncident } from '../dispatch/liveLayers';
import { useStreamEvent } from '../realtime';
import type { DispatchUnit } from '../dispatch/model';
import type { Incident } from '../incidents/model';
import type { Polygon, MultiPolygon } from 'geojson';

/** Paint of the base style's layers on the wall's dark background. */
type Paint = Parameters<MlMap['setPaintProperty']>;
const DARK_PAINT: [layer: string, property: Paint[1], value: Paint[2]][] = [
  ['background', 'background-color', '#0a1a2b'],
  ['land', 'line-color', '#172231'],
  ['areas-fill', 'fill-opacity', 0.1],
  ['roads', 'line-color', ['match', ['get', 'highway'], ['motorway', 'trunk', 'primary', 'secondary'], '#4a5b70', '#2f3d4e']],
  ['outlines-line', 'line-color', '#6b7f96'],
  ['highlight-fill', 'fill-color', '#2f6fd6'],
  ['highlight-fill', 'fill-opacity', 0.08],
  ['highlight-line', 'line-color', '#69b1ff'],
  ['road-labels', 'text-color', '#9fb0c3'],
  ['road-labels', 'text-halo-color', '#0a1a2b'],
  ['place-labels', 'text-color', '#e6f0ff'],
  ['place-labels', 'text-halo-color', 'rgba(10,26,43,0.9)'],
];

function darken(map: MlMap) {
  for (const [layer, prop, value] of DARK_PAINT) if (map.getLayer(layer)) map.setPaintProperty(layer, prop, value);
  // Station names large enough for a wall.
  if (map.getLayer('place-labels')) map.setLayoutProperty('place-labels', 'text-size', ['interpolate', ['linear'], ['zoom'], 11, 15, 15, 20]);
}

/** The console's markers and labels, larger: a wall is read from metres away. */
function enlargeLive(map: MlMap) {
  if (map.getLayer('d-incidents')) map.setPaintProperty('d-incidents', 'circle-radius', 11);
  if (map.getLayer('d-units')) map.setPaintProperty('d-units', 'circle-radius', ['interpolate', ['linear'], ['zoom'], 11, 6, 15, 9]);
  for (const id of ['d-inc-label', 'd-units-label']) if (map.getLayer(id)) map.setLayoutProperty(id, 'text-size', 15);
}

export default function WallMap({ incidents, units, scale, highlight, label }: { incidents: Incident[]; units: DispatchUnit[]; scale: number; highlight: Polygon | MultiPolygon | null; label: (i: Incident) => string }) {
  const { t } = useTranslation('wall');
  const dl = useLabel('dispatch');
  const stations = useStations();
  const places = useStationPlaces(stations.data);
  const [map, setMap] = useState<MlMap | null>(null);
  const [layers, setLayers] = useState<LiveLayers | null>(null);

  useEffect(() => {
    if (!map) return;
    darken(map);
    const l = new LiveLayers(map);
    enlargeLive(map);
    setLayers(l);
    return () => {
      l.destroy();
      setLayers(null);
    };
  }, [map]);
  // Draw at the screen's resolution under the CSS scale.
  useEffect(() => {
    if (map && scale > 0) map.setPixelRatio((window.devicePixelRatio || 1) * Math.max(1, scale));
  }, [map, scale]);

  const unitLabel = useCallback((u: DispatchUnit) => `${u.callSign} · ${dl('us_', u.status)}`, [dl]);
  useEffect(() => layers?.setUnits(units, unitLabel), [layers, units, unitLabel]);
  useEffect(() => {
    if (!layers) return;
    const items: LiveIncident[] = incidents
      .filter((i) => i.location)
      .map((i) => ({ id: i.id, number: i.number, lon: i.location!.lon, lat: i.location!.lat, priority: i.priority, recordedAt: i.times.recordedAt, label: label(i) }));
    layers.setIncidents(items);
  }, [layers, incidents, label]);
  useStreamEvent<{ unitId: string; lon: number; lat: number; status?: string; at?: string }>('unit_position', (e) => layers?.position(e.data));

  return (
    <section className="sw-wall-map" aria-label={t('mapLabel')}>
      <MapView height="100%" testId="wall-map" onMap={setMap} areas={stations.data ?? null} highlight={highlight} places={places} />
    </section>
  );
}
