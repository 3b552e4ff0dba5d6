/**
 * The sources and layers of the dispatcher's live map (incidents with clusters, units, their labels,
 * the route and the coverage), added to the base style by LiveLayers. Only style here, no behaviour.
 */
import type { ExpressionSpecification, Map as MlMap } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { PRIORITY_COLOR } from '../incidents/model';
import { LABEL_FONT } from '../components/mapStyle';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
/** Colour of the most urgent priority (an incident's own rank or a cluster's minimum). */
const PRIORITY_FILL = [
  'match',
  ['coalesce', ['get', 'minRank'], ['get', 'rankNum'], 9],
  1,
  PRIORITY_COLOR.P1,
  2,
  PRIORITY_COLOR.P2,
  3,
  PRIORITY_COLOR.P3,
  4,
  PRIORITY_COLOR.P4,
  '#8c8c8c',
] as ExpressionSpecification;
const CLUSTERED = ['has', 'point_count'] as ExpressionSpecification;
const LABEL_HALO = { 'text-color': '#1f2937', 'text-halo-color': '#ffffff', 'text-halo-width': 1.6 };

/** Adds the live sources and layers (once per map). */
export function addLiveLayers(m: MlMap) {
  for (const id of ['d-coverage', 'd-route']) if (!m.getSource(id)) m.addSource(id, { type: 'geojson', data: EMPTY });
  // Incidents cluster only when their markers would overlap; at every zoom, so that duplicates at
  // one address (which never separate) stay one marker with a count.
  if (!m.getSource('d-incidents'))
    m.addSource('d-incidents', {
      type: 'geojson',
      data: EMPTY,
      cluster: true,
      clusterRadius: 12,
      maxzoom: 24,
      clusterMaxZoom: 23,
      clusterProperties: { minRank: ['min', ['get', 'rankNum']], maxAge: ['max', ['get', 'ageMin']] },
    });
  // Units carry their id as a property, promoted to the feature id for updateData.
  if (!m.getSource('d-units')) m.addSource('d-units', { type: 'geojson', data: EMPTY, promoteId: 'id' });
  m.addLayer({
    id: 'd-coverage',
    type: 'line',
    source: 'd-coverage',
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: {
      'line-color': ['case', ['==', ['get', 'far'], 1], '#e8342a', '#2f9e44'],
      'line-opacity': ['case', ['==', ['get', 'far'], 1], 0.85, 0.22],
      'line-width': ['interpolate', ['linear'], ['zoom'], 11, ['case', ['==', ['get', 'far'], 1], 1.6, 0.8], 16, ['case', ['==', ['get', 'far'], 1], 4, 2]],
    },
  });
  m.addLayer({ id: 'd-route-casing', type: 'line', source: 'd-route', layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': 8, 'line-opacity': 0.9 } });
  m.addLayer({ id: 'd-route', type: 'line', source: 'd-route', layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': '#1554d1', 'line-width': 4.5 } });
  m.addLayer({
    id: 'd-inc-halo',
    type: 'circle',
    source: 'd-incidents',
    paint: {
      'circle-color': PRIORITY_FILL,
      'circle-opacity': 0.18,
      'circle-stroke-color': PRIORITY_FILL,
      'circle-stroke-width': 1,
      'circle-stroke-opacity': 0.45,
      // Waiting time in minutes → halo radius: a fresh call is a small ring, 30 min a large one.
      'circle-radius': ['interpolate', ['linear'], ['coalesce', ['get', 'ageMin'], ['get', 'maxAge'], 0], 0, 11, 5, 16, 15, 24, 30, 32, 60, 40],
    },
  });
  m.addLayer({
    id: 'd-inc-sel',
    type: 'circle',
    source: 'd-incidents',
    filter: ['==', ['get', 'id'], ''],
    paint: { 'circle-radius': 13, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#111827', 'circle-stroke-width': 3 },
  });
  m.addLayer({
    id: 'd-incidents',
    type: 'circle',
    source: 'd-incidents',
    filter: ['!', CLUSTERED],
    paint: { 'circle-radius': 8, 'circle-color': ['get', 'color'], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
  });
  m.addLayer({
    id: 'd-inc-cluster',
    type: 'circle',
    source: 'd-incidents',
    filter: CLUSTERED,
    paint: { 'circle-radius': 12, 'circle-color': PRIORITY_FILL, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2.5 },
  });
  m.addLayer({
    id: 'd-inc-cluster-count',
    type: 'symbol',
    source: 'd-incidents',
    filter: CLUSTERED,
    layout: { 'text-field': ['to-string', ['get', 'point_count']], 'text-font': LABEL_FONT, 'text-size': 13, 'text-allow-overlap': true, 'text-ignore-placement': true },
    paint: { 'text-color': '#ffffff' },
  });
  m.addLayer({
    id: 'd-inc-label',
    type: 'symbol',
    source: 'd-incidents',
    minzoom: 13.5,
    filter: ['!', CLUSTERED],
    layout: { 'text-field': ['get', 'number'], 'text-font': LABEL_FONT, 'text-size': 11, 'text-anchor': 'left', 'text-offset': [1.1, 0], 'text-optional': true },
    paint: LABEL_HALO,
  });
  m.addLayer({
    id: 'd-units-sel',
    type: 'circle',
    source: 'd-units',
    filter: ['==', ['get', 'id'], ''],
    paint: { 'circle-radius': 12, 'circle-color': 'rgba(21,84,209,0.15)', 'circle-stroke-color': '#1554d1', 'circle-stroke-width': 2.5 },
  });
  m.addLayer({
    id: 'd-units',
    type: 'circle',
    source: 'd-units',
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 4, 15, 6.5],
      'circle-color': ['case', ['==', ['get', 'hollow'], 1], '#ffffff', ['get', 'color']],
      'circle-stroke-color': ['case', ['==', ['get', 'hollow'], 1], ['get', 'color'], '#ffffff'],
      'circle-stroke-width': ['case', ['==', ['get', 'hollow'], 1], 2.2, 1.5],
    },
  });
  m.addLayer({
    id: 'd-units-label',
    type: 'symbol',
    source: 'd-units',
    minzoom: 13.5,
    layout: { 'text-field': ['get', 'callSign'], 'text-font': LABEL_FONT, 'text-size': 11, 'text-anchor': 'left', 'text-offset': [0.9, 0], 'text-optional': true },
    paint: { ...LABEL_HALO, 'text-color': '#1554d1' },
  });

}
