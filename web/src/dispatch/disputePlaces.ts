/**
 * The dispatcher's hint of high-risk disputes (issue 12): open red and orange disputes drawn at their
 * place as small warning triangles — a hint about the address, not an incident, so a shape of its own
 * beside the incidents' circles and under them. A click shows number, grade, type and days open.
 * Refreshed by the stream's `dispute` events (realtime.ts invalidates ['disputes']) and a slow poll.
 */
import { useQuery } from '@tanstack/react-query';
import { Popup, type GeoJSONSource, type Map as MlMap, type MapLayerMouseEvent } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { api } from '../api';
import { RISK_COLOR, type RiskPlace } from '../components/DisputeRisk';
import type { StreamState } from '../realtime';

const SOURCE = 'd-disputes';
export const DISPUTE_LAYER = 'd-disputes';
/** Under the incidents: an incident at the same address stays on top. */
const BELOW = 'd-inc-halo';
const GRADES = ['red', 'orange'] as const;
const icon = (g: string) => `sw-dispute-${g}`;
/** Where the triangle's middle is from the place (its lower left corner sits at [3, -3], it is 22 × 20). */
const TRI: [number, number] = [14, -13];
/** The popups point at the triangle, not at the place beside it, on whichever side they open. */
const POPUP_OFFSET = {
  center: TRI,
  top: [TRI[0], TRI[1] + 12],
  'top-left': [TRI[0], TRI[1] + 12],
  'top-right': [TRI[0], TRI[1] + 12],
  bottom: [TRI[0], TRI[1] - 12],
  'bottom-left': [TRI[0], TRI[1] - 12],
  'bottom-right': [TRI[0], TRI[1] - 12],
  left: [TRI[0] + 13, TRI[1]],
  right: [TRI[0] - 13, TRI[1]],
} satisfies Record<string, [number, number]>;

export function useRiskPlaces(enabled: boolean, live: StreamState) {
  return useQuery({
    queryKey: ['disputes', 'risk-places'],
    queryFn: () => api<{ items: RiskPlace[] }>('/api/v1/disputes/risk-places').then((r) => r.items),
    enabled,
    staleTime: 30_000,
    refetchInterval: live === 'live' ? 120_000 : 30_000,
  });
}

/** A warning triangle with an exclamation mark, drawn once per grade (2× for sharp edges). */
function triangle(color: string): ImageData | null {
  const r = 2;
  const w = 22 * r;
  const h = 20 * r;
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  const g = c.getContext('2d');
  if (!g) return null;
  g.lineJoin = 'round';
  g.beginPath();
  g.moveTo(w / 2, 1.5 * r);
  g.lineTo(w - 1.5 * r, h - 1.5 * r);
  g.lineTo(1.5 * r, h - 1.5 * r);
  g.closePath();
  g.fillStyle = color;
  g.fill();
  g.lineWidth = 1.6 * r;
  g.strokeStyle = '#ffffff';
  g.stroke();
  g.fillStyle = '#ffffff';
  g.fillRect(w / 2 - 1.2 * r, 7 * r, 2.4 * r, 6.5 * r);
  g.fillRect(w / 2 - 1.2 * r, 14.8 * r, 2.4 * r, 2.2 * r);
  return g.getImageData(0, 0, w, h);
}

export class DisputePlacesLayer {
  private popup: Popup | null = null;
  private readonly tip = new Popup({ closeButton: false, closeOnClick: false, offset: POPUP_OFFSET, className: 'sw-map-tip' });
  private places = new Map<string, RiskPlace>();
  private disposed = false;

  constructor(
    private readonly map: MlMap,
    /** The content of the popup a click opens; `hover` is the one-line tooltip. */
    private readonly content: { popup: (p: RiskPlace) => HTMLElement; hover: (p: RiskPlace) => string },
  ) {
    for (const g of GRADES) {
      const img = map.hasImage(icon(g)) ? null : triangle(RISK_COLOR[g]);
      if (img) map.addImage(icon(g), img, { pixelRatio: 2 });
    }
    if (!map.getSource(SOURCE)) map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer(
      {
        id: DISPUTE_LAYER,
        type: 'symbol',
        source: SOURCE,
        layout: {
          'icon-image': ['concat', 'sw-dispute-', ['get', 'grade']],
          // Pinned by its lower left corner beside the address: a flag at the place, clear of an incident's circle there.
          'icon-anchor': 'bottom-left',
          'icon-offset': [3, -3],
          'icon-size': ['interpolate', ['linear'], ['zoom'], 11, 0.75, 15, 1],
          'icon-allow-overlap': true,
          'icon-ignore-placement': true,
          'symbol-sort-key': ['get', 'rank'],
        },
      },
      map.getLayer(BELOW) ? BELOW : undefined,
    );
    map.on('mousemove', DISPUTE_LAYER, this.onMove);
    map.on('mouseleave', DISPUTE_LAYER, this.onLeave);
    map.on('click', DISPUTE_LAYER, this.onClick);
  }

  private place(e: MapLayerMouseEvent): RiskPlace | undefined {
    const id = e.features?.[0]?.properties?.id as string | undefined;
    return id ? this.places.get(id) : undefined;
  }

  private onMove = (e: MapLayerMouseEvent) => {
    const p = this.place(e);
    if (!p) return;
    this.map.getCanvas().style.cursor = 'pointer';
    this.tip.setLngLat([p.location.lon, p.location.lat]).setText(this.content.hover(p)).addTo(this.map);
  };

  private onLeave = () => {
    this.map.getCanvas().style.cursor = '';
    this.tip.remove();
  };

  private onClick = (e: MapLayerMouseEvent) => {
    const p = this.place(e);
    if (!p) return;
    this.tip.remove();
    // A new popup per click: the open one's close-on-click runs in this same click and would close a reused one.
    this.popup?.remove();
    this.popup = new Popup({ closeButton: true, closeOnClick: true, offset: POPUP_OFFSET, className: 'sw-map-tip sw-dispute-tip' })
      .setLngLat([p.location.lon, p.location.lat])
      .setDOMContent(this.content.popup(p))
      .addTo(this.map);
  };

  /** The places to draw; an empty list when the layer is off. */
  setPlaces(items: readonly RiskPlace[]) {
    if (this.disposed) return;
    this.places = new Map(items.map((p) => [p.id, p]));
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      // Red drawn over orange where they overlap.
      features: items.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.location.lon, p.location.lat] }, properties: { id: p.id, number: p.number, grade: p.riskGrade, rank: p.riskGrade === 'red' ? 2 : 1 } })),
    };
    (this.map.getSource(SOURCE) as GeoJSONSource | undefined)?.setData(fc);
    if (!items.length) this.popup?.remove();
  }

  destroy() {
    this.disposed = true;
    this.popup?.remove();
    this.tip.remove();
    this.map.off('mousemove', DISPUTE_LAYER, this.onMove);
    this.map.off('mouseleave', DISPUTE_LAYER, this.onLeave);
    this.map.off('click', DISPUTE_LAYER, this.onClick);
    // The map may already be gone (the page is leaving).
    try {
      if (this.map.getLayer(DISPUTE_LAYER)) this.map.removeLayer(DISPUTE_LAYER);
      if (this.map.getSource(SOURCE)) this.map.removeSource(SOURCE);
    } catch {
      /* removed with the map */
    }
  }
}
