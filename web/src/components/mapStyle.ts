/**
 * The base map style, drawn from our own data only: water and land, the road network with street
 * names, polygons and their names. No tile or glyph service: label text is rasterised in the browser
 * from fonts our own origin serves —
 *  - Latin letters and digits (call signs' digits, incident numbers, Portuguese street names) from
 *    Noto Sans (SIL Open Font License 1.1, package @fontsource/noto-sans), bundled by Vite and
 *    declared in the style's `font-faces` (see web/src/components/FONTS.md);
 *  - Chinese characters from the system's CJK fonts (`localIdeographFontFamily`), as a 9 MB CJK
 *    font is not worth sending to every console.
 *
 * Land and water: the demo data has no coastline, so land is drawn as a wide band (≈ 360 m) around
 * every road except bridges, on a water-coloured background: the sea between the islands, the
 * harbours and the estuary show as water, built-up land as land. Large hills without roads show as
 * water-coloured holes; a real coastline layer would replace this band.
 */
import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import notoLatin from '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff2?url';
import notoLatinExt from '@fontsource/noto-sans/files/noto-sans-latin-ext-400-normal.woff2?url';

export const LABEL_FONT = ['Noto Sans Regular'];
/** CJK glyphs come from the local fonts (Traditional names first: the demo city is Macau). */
export const LOCAL_CJK_FONTS = "'Noto Sans CJK TC', 'Noto Sans CJK SC', 'Noto Sans TC', 'Noto Sans SC', 'PingFang TC', 'Microsoft JhengHei', 'Microsoft YaHei', 'Noto Serif CJK TC', sans-serif";

export const WATER_COLOR = '#b9d3e6';
export const LAND_COLOR = '#f2f1ec';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** Absolute URLs: the style is resolved in a worker too. */
const abs = (u: string) => new URL(u, window.location.href).href;

const roadClassWidth = (scale: number): ExpressionSpecification => [
  'match',
  ['get', 'highway'],
  ['motorway', 'trunk', 'primary'],
  1.6 * scale,
  ['secondary', 'motorway_link', 'trunk_link', 'primary_link'],
  1.2 * scale,
  ['tertiary', 'secondary_link', 'tertiary_link'],
  0.9 * scale,
  0.5 * scale,
];

/** Metres to pixels at Macau's latitude (≈ 22.2°N): 1 px = 145 km / 2^zoom. */
const metres = (m: number): ExpressionSpecification => ['interpolate', ['exponential', 2], ['zoom'], 8, (m * 256) / 145_000, 22, (m * 4_194_304) / 145_000];

const BRIDGE: ExpressionSpecification = ['any', ['in', '大橋', ['get', 'name']], ['in', '大桥', ['get', 'name']], ['in', 'Ponte ', ['get', 'name']]];

/** The Chinese part of "大學大馬路 Avenida da Universidade" (names are stored "zh pt"); the whole name otherwise. */
const ROAD_NAME: ExpressionSpecification = ['let', 'n', ['get', 'name'], ['let', 'sp', ['index-of', ' ', ['var', 'n']], ['case', ['>', ['var', 'sp'], 0], ['slice', ['var', 'n'], 0, ['var', 'sp']], ['var', 'n']]]];

const MAJOR: ExpressionSpecification = ['match', ['get', 'highway'], ['motorway', 'trunk', 'primary', 'secondary'], true, false];

export function baseStyle(): StyleSpecification {
  return {
    version: 8,
    'font-faces': {
      'Noto Sans Regular': [
        { url: abs(notoLatin), 'unicode-range': ['U+0000-00FF', 'U+0131', 'U+0152-0153', 'U+02BB-02BC', 'U+02C6', 'U+02DA', 'U+02DC', 'U+0304', 'U+0308', 'U+0329', 'U+2000-206F', 'U+20AC', 'U+2122', 'U+2191', 'U+2193', 'U+2212', 'U+2215', 'U+FEFF', 'U+FFFD'] },
        { url: abs(notoLatinExt), 'unicode-range': ['U+0100-02BA', 'U+02BD-02C5', 'U+02C7-02CC', 'U+02CE-02D7', 'U+02DD-02FF', 'U+1E00-1E9F', 'U+1EF2-1EFF', 'U+2020', 'U+20A0-20AB', 'U+20AD-20C0', 'U+2113', 'U+2C60-2C7F', 'U+A720-A7FF'] },
      ],
    },
    sources: {
      roads: { type: 'geojson', data: EMPTY },
      areas: { type: 'geojson', data: EMPTY },
      outlines: { type: 'geojson', data: EMPTY },
      highlight: { type: 'geojson', data: EMPTY },
      points: { type: 'geojson', data: EMPTY },
      places: { type: 'geojson', data: EMPTY },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': WATER_COLOR } },
      {
        id: 'land',
        type: 'line',
        source: 'roads',
        filter: ['!', BRIDGE],
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': LAND_COLOR, 'line-width': metres(360) },
      },
      { id: 'areas-fill', type: 'fill', source: 'areas', paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.14 } },
      {
        id: 'roads',
        type: 'line',
        source: 'roads',
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: {
          'line-color': ['match', ['get', 'highway'], ['motorway', 'trunk', 'primary', 'secondary'], '#9aa3ad', '#b9bfc6'],
          'line-width': ['interpolate', ['linear'], ['zoom'], 11, roadClassWidth(0.5), 14, roadClassWidth(1.2), 17, roadClassWidth(3)],
        },
      },
      {
        id: 'outlines-line',
        type: 'line',
        source: 'outlines',
        paint: { 'line-color': '#5b6b7f', 'line-width': 0.8, 'line-dasharray': [3, 2], 'line-opacity': 0.8 },
      },
      { id: 'areas-line', type: 'line', source: 'areas', paint: { 'line-color': ['get', 'color'], 'line-width': 1.6, 'line-opacity': 0.9 } },
      { id: 'highlight-fill', type: 'fill', source: 'highlight', paint: { 'fill-color': '#fadb14', 'fill-opacity': 0.12 } },
      { id: 'highlight-line', type: 'line', source: 'highlight', paint: { 'line-color': '#d4380d', 'line-width': 2.6 } },
      {
        // Street names: main roads from zoom 14, every named street from 15.5.
        id: 'road-labels',
        type: 'symbol',
        source: 'roads',
        minzoom: 14,
        filter: ['all', ['!=', ['get', 'name'], ''], ['any', MAJOR, ['>=', ['zoom'], 15.5]]],
        layout: {
          'symbol-placement': 'line',
          'symbol-spacing': 320,
          'text-field': ROAD_NAME,
          'text-font': LABEL_FONT,
          'text-size': ['interpolate', ['linear'], ['zoom'], 14, 11, 17, 13],
          'text-max-angle': 35,
          'text-padding': 4,
        },
        paint: { 'text-color': '#4a5563', 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 },
      },
      {
        id: 'points',
        type: 'circle',
        source: 'points',
        paint: {
          'circle-color': ['coalesce', ['get', 'color'], '#cf1322'],
          'circle-radius': ['coalesce', ['get', 'size'], 7],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2,
        },
      },
      {
        // Station and district names (a point per polygon, given by the page).
        id: 'place-labels',
        type: 'symbol',
        source: 'places',
        layout: {
          'text-field': ['get', 'name'],
          'text-font': LABEL_FONT,
          'text-size': ['interpolate', ['linear'], ['zoom'], 11, 11, 15, 14],
          'text-max-width': 8,
          'text-padding': 6,
        },
        paint: { 'text-color': '#1f3a5f', 'text-halo-color': 'rgba(255,255,255,0.92)', 'text-halo-width': 1.6 },
      },
    ],
  };
}
