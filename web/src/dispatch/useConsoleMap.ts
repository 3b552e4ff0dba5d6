/**
 * The dispatcher console's map kept in step with the page: the live layers (incidents of the queue,
 * units, the selected incident and unit, the route, coverage), positions from the stream straight to the
 * layer (no React render), and the camera (fly to the selection, fit the route or the free units).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Map as MlMap } from 'maplibre-gl';
import { boundsOf } from '../components/MapView';
import type { Incident } from '../incidents/model';
import { useStreamEvent } from '../realtime';
import { PositionTimes } from './clock';
import { LiveLayers, type LiveIncident } from './liveLayers';
import { unitPoint, type CoverageCollection, type DispatchUnit, type Recommendation, type RouteFeature } from './model';

export interface ConsoleMapState {
  map: MlMap | null;
  queue: Incident[];
  units: DispatchUnit[];
  selected: Incident | null;
  highlighted: Recommendation | null;
  focusUnit: string | null;
  route: RouteFeature | null;
  coverage: CoverageCollection | null;
  coverageOn: boolean;
  unitLabel: (u: DispatchUnit) => string;
  incidentLabel: (i: Incident) => string;
  onIncidentClick: (id: string) => void;
  onUnitClick: (id: string) => void;
}

/** Returns the position times the unit list shows ("seen 12 s ago"), fed by the same stream events. */
export function useConsoleMap(s: ConsoleMapState): PositionTimes {
  const { map, queue, units, selected, highlighted, focusUnit, route, coverage, coverageOn, unitLabel, incidentLabel } = s;
  const layersRef = useRef<LiveLayers | null>(null);
  const [layers, setLayers] = useState<LiveLayers | null>(null);
  // The click handlers change with every render; the layers are made once per map.
  const clicks = useRef({ incident: s.onIncidentClick, unit: s.onUnitClick });
  clicks.current = { incident: s.onIncidentClick, unit: s.onUnitClick };
  useEffect(() => {
    if (!map) return;
    const l = new LiveLayers(map, { onIncidentClick: (id) => clicks.current.incident(id), onUnitClick: (id) => clicks.current.unit(id) });
    layersRef.current = l;
    setLayers(l);
    return () => {
      l.destroy();
      layersRef.current = null;
      setLayers(null);
    };
  }, [map]);

  useEffect(() => {
    layers?.setUnits(units, unitLabel);
  }, [layers, units, unitLabel]);
  useEffect(() => {
    if (!layers) return;
    const items: LiveIncident[] = queue
      .filter((i) => i.location)
      .map((i) => ({ id: i.id, number: i.number, lon: i.location!.lon, lat: i.location!.lat, priority: i.priority, recordedAt: i.times.recordedAt, label: incidentLabel(i) }));
    layers.setIncidents(items);
  }, [layers, queue, incidentLabel]);
  useEffect(() => layers?.selectIncident(selected?.id ?? null), [layers, selected?.id]);
  useEffect(() => layers?.selectUnit(highlighted?.unitId ?? focusUnit), [layers, highlighted, focusUnit]);
  useEffect(() => layers?.setRoute(route), [layers, route]);
  useEffect(() => layers?.setCoverage(coverageOn ? coverage : null), [layers, coverageOn, coverage]);

  // Positions from the stream go to the map layer and the position times (no React render).
  const positionTimes = useMemo(() => new PositionTimes(), []);
  useStreamEvent<{ unitId: string; lon: number; lat: number; status?: string; at?: string }>('unit_position', (e) => {
    positionTimes.note(e.data.unitId, e.data.at);
    layersRef.current?.position(e.data);
  });

  // Fly to the selected incident; fit the route when one is shown.
  useEffect(() => {
    if (!map || !selected?.location) return;
    map.easeTo({ center: [selected.location.lon, selected.location.lat], zoom: Math.max(map.getZoom(), 15), duration: 400 });
  }, [map, selected?.id]);
  useEffect(() => {
    if (!map || !route) return;
    const b = boundsOf([route.geometry]);
    if (b) map.fitBounds(b, { padding: { top: 160, bottom: 160, left: 220, right: 220 }, maxZoom: 15, duration: 400 });
  }, [map, route]);
  // Coverage on: show the whole area of the free units.
  useEffect(() => {
    if (!map || !coverageOn) return;
    const free = units.filter((u) => u.status === 'available');
    const b = boundsOf(free.map((u) => ({ type: 'Point' as const, coordinates: unitPoint(u) })));
    if (b) map.fitBounds(b, { padding: 60, maxZoom: 15, duration: 400 });
  }, [map, coverageOn]);
  useEffect(() => {
    if (!map || !focusUnit) return;
    const u = units.find((x) => x.id === focusUnit);
    if (u) map.easeTo({ center: unitPoint(u), zoom: Math.max(map.getZoom(), 15), duration: 400 });
  }, [map, focusUnit]);
  return positionTimes;
}
