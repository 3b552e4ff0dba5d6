/**
 * Report routing (PRODUCT.md "Rules that are data"): category + place → owning unit. The category list is
 * the routing table an administrator edits (citizen_services); this is the pure decision.
 *
 *  - `station`: the station whose jurisdiction holds the place;
 *  - `unit`: a named unit (the traffic brigade for traffic matters) when it exists, else the station;
 *  - `hotline12345`: not a police matter — owned by the station for the record, and handed to 12345
 *    through the incidents module's transfer when staff accept it.
 */
export const ROUTES = ['station', 'unit', 'hotline12345'] as const;
export type RouteKind = (typeof ROUTES)[number];

export const SERVICE_GROUPS = ['issue', 'traffic', 'non_police'] as const;
export type ServiceGroup = (typeof SERVICE_GROUPS)[number];

export interface ServiceRoute {
  code: string;
  route: RouteKind;
  unitId: string | null;
}

export interface RoutedTo {
  unitId: string;
  /** 'station' | 'unit' | 'hotline12345' as applied (a missing unit falls back to the station). */
  applied: RouteKind;
  transferTo12345: boolean;
}

/** Where a report goes: `stationId` is the station of the place (null outside the city). */
export function routeReport(service: ServiceRoute, stationId: string | null, unitExists: (id: string) => boolean): RoutedTo | null {
  if (service.route === 'unit' && service.unitId && unitExists(service.unitId)) return { unitId: service.unitId, applied: 'unit', transferTo12345: false };
  if (!stationId) return null;
  if (service.route === 'hotline12345') return { unitId: stationId, applied: 'hotline12345', transferTo12345: true };
  return { unitId: stationId, applied: 'station', transferTo12345: false };
}

/** The default routing table of a new city (the demo city's, too): code, names, group, route, 12345 category, duplicate radius. */
export interface DefaultService {
  code: string;
  zh: string;
  en: string;
  group: ServiceGroup;
  route: RouteKind;
  /** For 12345 transfers: the leaf of the non-police family (08) the incident is recorded under. */
  incidentCategory: string | null;
  radiusM: number;
  keywords: string;
}

export const DEFAULT_SERVICES: readonly DefaultService[] = [
  { code: '101', zh: '噪音扰民', en: 'Noise nuisance', group: 'issue', route: 'station', incidentCategory: null, radiusM: 75, keywords: '噪音,noise' },
  { code: '102', zh: '治安隐患', en: 'Public-order hazard', group: 'issue', route: 'station', incidentCategory: null, radiusM: 75, keywords: '治安,hazard' },
  { code: '103', zh: '可疑情况线索', en: 'Suspicious activity (tip)', group: 'issue', route: 'station', incidentCategory: null, radiusM: 75, keywords: '可疑,suspicious' },
  { code: '104', zh: '遗失物品', en: 'Lost property', group: 'issue', route: 'station', incidentCategory: null, radiusM: 50, keywords: '遗失,lost' },
  { code: '201', zh: '违章停车', en: 'Illegal parking', group: 'traffic', route: 'unit', incidentCategory: null, radiusM: 50, keywords: '停车,parking' },
  { code: '202', zh: '交通设施损坏', en: 'Damaged traffic signal or sign', group: 'traffic', route: 'unit', incidentCategory: null, radiusM: 75, keywords: '红绿灯,信号灯,signal' },
  { code: '203', zh: '交通拥堵', en: 'Traffic congestion', group: 'traffic', route: 'unit', incidentCategory: null, radiusM: 150, keywords: '拥堵,congestion' },
  { code: '301', zh: '路灯井盖等市政设施', en: 'Street lights, manholes and other street furniture', group: 'non_police', route: 'hotline12345', incidentCategory: '08010102', radiusM: 75, keywords: '路灯,井盖,streetlight' },
  { code: '302', zh: '环境卫生', en: 'Sanitation', group: 'non_police', route: 'hotline12345', incidentCategory: '08010103', radiusM: 75, keywords: '垃圾,rubbish' },
  { code: '303', zh: '占道经营', en: 'Street trading obstruction', group: 'non_police', route: 'hotline12345', incidentCategory: '08010104', radiusM: 75, keywords: '摆摊,vendor' },
];
