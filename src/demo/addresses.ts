/**
 * The demo city's address registry, built on the address module's public API, and generated
 * registries (pure, reproducible: same roads + seed → identical output).
 *  - createDemoAddressService(): the registry as the server starts it in demo mode — on the demo city's
 *    database its road names (popular and Portuguese) and, on first start, its generated addresses and
 *    its landmarks (landmarks.ts).
 *  - demoAddresses(): the demo city's registry, door numbers along its named roads — odd numbers on
 *    the left of the drawing direction, even on the right, 12 m off the centreline, 20–40 m apart with
 *    gaps; some doors are buildings (大廈, 花園, 中心) with several blocks (座), one address each.
 *    Station and grid come from the demo organisation's polygons; the district is the branch's area.
 *  - syntheticAddresses(): a registry of any size with realistic road names and numbers, for the
 *    search benchmark (the full registry of a city of 3 million is about 500,000 addresses).
 */
import type { Db } from '../db/client.js';
import { mulberry32 } from '../core/random.js';
import { pointInPolygon } from '../core/geometry.js';
import { AddressService, composeText, type AddressRecord, type NamedRoad } from '../modules/addresses/index.js';
import { demoOrganisation, loadDemoRoads } from './city.js';
import { type DemoUnit, type RoadsFC } from './geometry.js';
import { isDemoCity } from './seed.js';
import { seedDemoLandmarks } from './landmarks.js';

/** An address as the generators make it (the registry's fields without its source). */
export type GeneratedAddress = AddressRecord;

/**
 * The address registry loaded into memory; on the demo city's database (seedDemo wrote the demo
 * setting) with the demo roads' other names, and with the demo city's addresses inserted first when
 * the registry is empty. On any other database: the plain registry.
 */
export async function createDemoAddressService(db: Db): Promise<AddressService> {
  const registry = new AddressService(db);
  if (await isDemoCity(db)) {
    const roads = loadDemoRoads();
    registry.useRoadNames(roads.features as NamedRoad[]);
    if ((await registry.count()) === 0) await registry.insertGenerated(demoAddresses(roads, demoOrganisation()), 'demo');
    const where = new Jurisdiction(demoOrganisation());
    await seedDemoLandmarks(registry, roads, (lon, lat) => where.locate(lon, lat).stationId !== null);
  }
  await registry.loadFromDatabase();
  return registry;
}

export const DEMO_ADDRESS_SEED = 110_012;

const M_PER_DEG = 111_320;
const OFFSET_M = 12;
const SKIP_ROAD = /橋|隧道|圓形地|天橋|行車道/;
const SKIP_HIGHWAY = /_link$|^motorway|^trunk/;

const BUILDING_HEAD = ['海景', '金龍', '富豪', '帝景', '南灣', '濠庭', '翠湖', '東方', '明珠', '華富', '利達', '寶豐', '永亨', '新城', '海怡', '君悅', '星河', '嘉應', '怡景', '廣福', '建興', '昌明', '雅苑', '康泰'];
const BUILDING_TAIL = ['大廈', '大廈', '大廈', '花園', '中心', '閣', '苑', '廣場'];
const BLOCKS = ['第一座', '第二座', '第三座', '第四座', 'A座', 'B座', 'C座', 'D座'];

/** The area a branch polices, from its name: 半岛分局 → 澳门半岛, 氹仔分局 → 氹仔. */
export function districtOfBranch(branchName: string): string {
  const area = branchName.replace(/分局$/, '');
  return area === '半岛' ? '澳门半岛' : area;
}

/** A station or grid for the lookup; the polygon is a GeoJSON Polygon or MultiPolygon. */
export interface JurisdictionUnit {
  key: string;
  parentKey: string | null;
  kind: string;
  code: string;
  name: string;
  polygon: { type: string; coordinates: any } | null;
  center?: [number, number] | null;
}

interface Zone {
  unit: JurisdictionUnit;
  bbox: [number, number, number, number];
  polygons: number[][][][];
}

function zoneOf(u: JurisdictionUnit): Zone {
  const polygons: number[][][][] = u.polygon!.type === 'MultiPolygon' ? u.polygon!.coordinates : [u.polygon!.coordinates];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of polygons) {
    for (const [x, y] of p[0]) {
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return { unit: u, bbox: [minX, minY, maxX, maxY], polygons };
}

function findZone(zones: Zone[], lon: number, lat: number): JurisdictionUnit | null {
  for (const z of zones) {
    const [a, b, c, d] = z.bbox;
    if (lon < a || lon > c || lat < b || lat > d) continue;
    if (z.polygons.some((p) => pointInPolygon(lon, lat, p))) return z.unit;
  }
  return null;
}

/**
 * Point → station, grid and district over the demo organisation as generated (before it is in any
 * database; the district is the branch's area). The running registry asks the org module instead.
 */
export class Jurisdiction {
  private stations: Zone[];
  private gridsOf = new Map<string, Zone[]>();
  private districtOf = new Map<string, string>();
  private centres: { key: string; lon: number; lat: number }[] = [];

  constructor(units: JurisdictionUnit[]) {
    const byKey = new Map(units.map((u) => [u.key, u]));
    this.stations = units.filter((u) => u.kind === 'station' && u.polygon).map(zoneOf);
    for (const s of this.stations) {
      this.gridsOf.set(s.unit.key, units.filter((u) => u.kind === 'grid' && u.parentKey === s.unit.key && u.polygon).map(zoneOf));
      const branch = s.unit.parentKey ? byKey.get(s.unit.parentKey) : undefined;
      this.districtOf.set(s.unit.key, branch ? districtOfBranch(branch.name) : '');
      const [a, b, c, d] = s.bbox;
      this.centres.push({ key: s.unit.key, lon: s.unit.center?.[0] ?? (a + c) / 2, lat: s.unit.center?.[1] ?? (b + d) / 2 });
    }
  }

  /** Station and grid containing the point (codes), and the district; outside: the nearest station's district. */
  locate(lon: number, lat: number): { stationId: string | null; gridId: string | null; district: string } {
    const station = findZone(this.stations, lon, lat);
    if (station) {
      const grid = findZone(this.gridsOf.get(station.key) ?? [], lon, lat);
      return { stationId: station.code, gridId: grid?.code ?? null, district: this.districtOf.get(station.key) ?? '' };
    }
    let best = '';
    let bestD = Infinity;
    for (const c of this.centres) {
      const d = (c.lon - lon) ** 2 + (c.lat - lat) ** 2;
      if (d < bestD) {
        bestD = d;
        best = c.key;
      }
    }
    return { stationId: null, gridId: null, district: this.districtOf.get(best) ?? '' };
  }
}

/** The demo city's registry along its named roads (about 25,000 addresses for Macau). */
export function demoAddresses(roads: RoadsFC, org: DemoUnit[], seed: number = DEMO_ADDRESS_SEED): GeneratedAddress[] {
  const rnd = mulberry32(seed);
  const where = new Jurisdiction(org);
  const byName = new Map<string, number[][][]>();
  for (const f of roads.features) {
    if (f.geometry.type !== 'LineString') continue;
    const name = String(f.properties.name_zh ?? '').trim();
    if (!/[\u4e00-\u9fff]/.test(name) || SKIP_ROAD.test(name) || SKIP_HIGHWAY.test(String(f.properties.highway ?? ''))) continue;
    const lines = byName.get(name) ?? [];
    lines.push(f.geometry.coordinates as number[][]);
    byName.set(name, lines);
  }
  const names = [...byName.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const serials = new Map<string, number>();
  const out: GeneratedAddress[] = [];
  const usedBuildings = new Set<string>();

  const emit = (road: string, number: string, building: string, unit: string, lon: number, lat: number) => {
    const j = where.locate(lon, lat);
    const prefix = j.stationId ? j.stationId.slice(2, 6) : '0000';
    const serial = (serials.get(prefix) ?? 0) + 1;
    serials.set(prefix, serial);
    const code = `MO${prefix}${String(serial).padStart(6, '0')}`;
    const a = { code, district: j.district, road, number, building, unit, lon: round6(lon), lat: round6(lat), stationId: j.stationId, gridId: j.gridId };
    out.push({ ...a, text: composeText(a) });
  };

  const buildingName = () => {
    for (let tries = 0; tries < 20; tries++) {
      const name = BUILDING_HEAD[Math.floor(rnd() * BUILDING_HEAD.length)] + BUILDING_TAIL[Math.floor(rnd() * BUILDING_TAIL.length)];
      if (!usedBuildings.has(name) || tries === 19) {
        usedBuildings.add(name);
        return name;
      }
    }
    return '';
  };

  for (const road of names) {
    let odd = 1;
    let even = 2;
    for (const line of byName.get(road)!) {
      let next = 5 + rnd() * 15;
      let walked = 0;
      for (let k = 1; k < line.length; k++) {
        const [x0, y0] = line[k - 1];
        const [x1, y1] = line[k];
        const mx = M_PER_DEG * Math.cos((y0 * Math.PI) / 180);
        const dx = (x1 - x0) * mx;
        const dy = (y1 - y0) * M_PER_DEG;
        const len = Math.hypot(dx, dy);
        if (len === 0) continue;
        // Unit normal to the left of the drawing direction, in metres.
        const nx = -dy / len;
        const ny = dx / len;
        while (next <= walked + len) {
          const t = (next - walked) / len;
          const px = x0 + (x1 - x0) * t;
          const py = y0 + (y1 - y0) * t;
          for (const side of [1, -1]) {
            if (rnd() < 0.25) continue; // a gap: a wall, a park, a side street
            const number = String(side === 1 ? odd : even);
            if (side === 1) odd += 2;
            else even += 2;
            const lon = px + (side * nx * OFFSET_M) / mx;
            const lat = py + (side * ny * OFFSET_M) / M_PER_DEG;
            if (rnd() < 0.12) {
              const b = buildingName();
              const blocks = 2 + Math.floor(rnd() * 3);
              const letters = rnd() < 0.5;
              for (let u = 0; u < blocks; u++) {
                const blockName = BLOCKS[(letters ? 4 : 0) + u];
                emit(road, number, b, blockName, lon + (u * 4) / mx, lat);
              }
            } else {
              emit(road, number, '', '', lon, lat);
            }
          }
          next += 20 + rnd() * 20;
        }
        walked += len;
      }
    }
  }
  return out;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

// ------------------------------------------------------------------ synthetic registry (benchmark)

const SYLLABLES = '德 華 興 安 寧 和 平 福 祥 利 康 泰 昌 盛 榮 富 貴 光 明 新 東 西 南 北 中 海 山 江 河 湖 林 松 竹 梅 蘭 菊 龍 鳳 鶴 雲 星 月 陽 春 秋 文 武 仁 義 禮 智 信 民 生 長 樂 永 豐 順 通 達 建 國 友 誼 學 院 教 育 醫 院 市 場 花 園 水 坑 尾 高 士 厘 羅 理 基 博 士 孫 逸 仙 宋 玉 生 馬 濟 時 總 督 提 督 罅 些 喇 賈 伯 樂 荷 蘭 園 俾 利 喇 雅 廉 訪 連 勝 巴 坡 沙 美 副 將 飛 能 便 度 鏡 湖 媽 閣 下 環 司 打 口 新 馬 路 草 堆 營 地 板 樟 堂 關 前 十 月 初 五 蓮 峰 黑 沙 環 青 洲 台 山 望 廈 筷 子 基 祐 漢 氹 仔 路 環 九 澳 石 排 灣'.split(' ');
const ROAD_TYPES = ['大馬路', '馬路', '街', '路', '巷', '圍', '斜巷', '前地', '里', '大街', '橫街', '新街'];
const SYN_DISTRICTS = ['澳门半岛', '氹仔', '路环', '北区', '东区', '南区', '西区', '中区', '新城区', '高新区', '滨海区', '开发区'];

/** A registry of n addresses with realistic names (≈ n / 60 roads), for benchmarks. Codes SY + 10 digits. */
export function syntheticAddresses(n: number, seed = 500_000): GeneratedAddress[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const roadCount = Math.max(10, Math.round(n / 60));
  const roads: { name: string; district: string; lon: number; lat: number; dir: number; length: number }[] = [];
  const seen = new Set<string>();
  while (roads.length < roadCount) {
    const len = 2 + Math.floor(rnd() * 4);
    let name = '';
    for (let k = 0; k < len; k++) name += pick(SYLLABLES);
    name += pick(ROAD_TYPES);
    const district = pick(SYN_DISTRICTS);
    if (seen.has(district + name)) continue;
    seen.add(district + name);
    roads.push({ name, district, lon: 113.0 + rnd() * 0.8, lat: 22.0 + rnd() * 0.6, dir: rnd() * Math.PI, length: 0 });
  }
  const out: GeneratedAddress[] = [];
  let ri = 0;
  while (out.length < n) {
    const r = roads[ri++ % roads.length];
    const doors = 10 + Math.floor(rnd() * 100);
    for (let k = 0; k < doors && out.length < n; k++) {
      r.length++;
      const number = String(r.length) + (rnd() < 0.04 ? pick(['A', 'B', 'C']) : '');
      const d = r.length * 15;
      const lon = r.lon + (Math.cos(r.dir) * d) / (M_PER_DEG * 0.92);
      const lat = r.lat + (Math.sin(r.dir) * d) / M_PER_DEG;
      const building = rnd() < 0.15 ? pick(BUILDING_HEAD) + pick(BUILDING_TAIL) : '';
      const unit = building && rnd() < 0.7 ? pick(BLOCKS) : '';
      const code = `SY${String(out.length + 1).padStart(10, '0')}`;
      const a = { code, district: r.district, road: r.name, number, building, unit, lon: round6(lon), lat: round6(lat), stationId: null, gridId: null };
      out.push({ ...a, text: composeText(a) });
    }
  }
  return out;
}
