import { describe, it, expect } from 'vitest';
import { demoOrganisation, loadDemoRoads } from '../../../src/demo/city.js';
import { pointInPolygon } from '../../../src/demo/geometry.js';
import {
  generateDemoHistory,
  type DemoHistoryInput,
  type DemoIncident,
  type DemoRoadPoint,
} from '../../../src/demo/history-generator.js';
import { findCategory } from '../../../src/modules/incidents/domain/categories.js';
import { isDispositionCode } from '../../../src/modules/incidents/domain/dispositions.js';
import { localDay, localDayStart, localParts, parseIncidentNumber } from '../../../src/modules/incidents/domain/numbering.js';
import { suggestPriority } from '../../../src/modules/incidents/domain/priority.js';
import { distanceMeters, isRepeatLocation } from '../../../src/modules/incidents/domain/proximity.js';

const units = demoOrganisation();
const stations = units.filter((u) => u.kind === 'station').map((u) => ({ code: u.code, id: `st-${u.code}`, polygon: u.polygon, center: u.center }));
const grids = units.filter((u) => u.kind === 'grid').map((u) => ({ id: `gr-${u.code}`, parentId: `st-${u.parentKey}`, polygon: u.polygon }));
const roadPoints: DemoRoadPoint[] = [];
for (const f of loadDemoRoads().features) {
  if (f.geometry.type !== 'LineString') continue;
  const name = typeof f.properties.name_zh === 'string' ? f.properties.name_zh : undefined;
  const cs = f.geometry.coordinates as number[][];
  for (let i = 0; i < cs.length; i += 4) roadPoints.push(name ? [cs[i][0], cs[i][1], name] : [cs[i][0], cs[i][1]]);
}
const NOW = new Date('2025-06-15T10:30:00+08:00');
const input = (over: Partial<DemoHistoryInput> = {}): DemoHistoryInput => ({ seed: 110, now: NOW, days: 365, perDay: 90, stations, grids, roadPoints, ...over });

const cpu0 = process.cpuUsage();
const wall0 = performance.now();
const year = generateDemoHistory(input());
const cpuMs = (() => {
  const u = process.cpuUsage(cpu0);
  return (u.user + u.system) / 1000;
})();
const wallMs = performance.now() - wall0;

/** Collects violations so that 33k records cost one expect, not hundreds of thousands. */
function violations(fn: (fail: (cond: boolean, what: string) => void) => void): string[] {
  const out: string[] = [];
  fn((cond, what) => {
    if (!cond && out.length < 10) out.push(what);
  });
  return out;
}

const S = 1000;
const M = 60_000;
const t = (d: Date | null) => d?.getTime() ?? null;

describe('demo history: volume, determinism, speed', () => {
  it('generates a year at ~90/day', () => {
    expect(year.length).toBeGreaterThan(365 * 90 * 0.95);
    expect(year.length).toBeLessThan(365 * 90 * 1.05);
    // Speed is reported, not asserted (tests never assert timings; the machine may be shared).
    console.info(`demo history: ${year.length} incidents in ${cpuMs.toFixed(0)} ms CPU, ${wallMs.toFixed(0)} ms wall`);
  });

  it('same seed → same output; another seed differs', () => {
    const a = generateDemoHistory(input({ days: 20 }));
    const b = generateDemoHistory(input({ days: 20 }));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(generateDemoHistory(input({ days: 20, seed: 7 })))).not.toBe(JSON.stringify(a));
    expect(a.length).toBeGreaterThan(20 * 90 * 0.85);
  });

  it('covers the `days` local days before today and nothing after now', () => {
    const first = localDayStart(localDay(new Date(NOW.getTime() - 365 * 86_400_000))).getTime();
    const today = localDayStart(localDay(NOW)).getTime();
    const bad = violations((fail) => {
      for (const o of year) {
        fail(o.callStartedAt.getTime() >= first && o.callStartedAt.getTime() < today, `${o.number} outside the days`);
        for (const d of [o.closedAt, o.transferredAt, o.cancelledAt, o.callback?.at ?? null]) if (d) fail(d.getTime() <= NOW.getTime(), `${o.number} after now`);
      }
    });
    expect(bad).toEqual([]);
  });
});

describe('demo history: records', () => {
  it('timestamps are ordered and intervals realistic', () => {
    const within = (x: number, lo: number, hi: number) => x >= lo && x <= hi;
    const bad = violations((fail) => {
      for (const o of year) {
        const chain = [o.callStartedAt, o.answeredAt, o.recordedAt, o.dispatchedAt, o.enRouteAt, o.onSceneAt, o.clearedAt, o.closedAt].map(t).filter((x): x is number => x !== null);
        for (let i = 1; i < chain.length; i++) fail(chain[i] >= chain[i - 1], `${o.number} out of order`);
        if (o.callback) fail(o.callback.at.getTime() > o.closedAt!.getTime(), `${o.number} callback before close`);
        if (o.source === 'call110') {
          fail(within(t(o.answeredAt)! - t(o.callStartedAt)!, 3 * S, 15 * S), `${o.number} answer time`);
          fail(within(t(o.recordedAt)! - t(o.answeredAt)!, 40 * S, 90 * S), `${o.number} intake time`);
        }
        if (o.dispatchedAt) fail(within(t(o.dispatchedAt)! - t(o.recordedAt)!, 30 * S, 5 * M), `${o.number} dispatch time`);
        if (o.onSceneAt) {
          const travel = t(o.onSceneAt)! - t(o.dispatchedAt)!;
          fail(within(travel, 2 * M, o.priority === 'P1' ? 8 * M : 15 * M), `${o.number} travel time ${o.priority}`);
          fail(within(t(o.clearedAt)! - t(o.onSceneAt)!, 10 * M, 60 * M), `${o.number} time on scene`);
        }
      }
    });
    expect(bad).toEqual([]);
  });

  it('numbers are unique and gap-free per station per local day of recording', () => {
    expect(new Set(year.map((o) => o.number)).size).toBe(year.length);
    const byKey = new Map<string, number[]>();
    const bad = violations((fail) => {
      for (const o of year) {
        const p = parseIncidentNumber(o.number, 6)!;
        fail(p.day === localDay(o.recordedAt) && `st-${p.stationCode}` === o.stationId, `${o.number} station/day`);
        const k = `${p.stationCode}|${p.day}`;
        const list = byKey.get(k) ?? [];
        list.push(p.seq);
        byKey.set(k, list);
      }
      for (const [k, seqs] of byKey) {
        seqs.sort((a, b) => a - b);
        fail(seqs.every((x, i) => x === i + 1), `${k} has gaps`);
      }
    });
    expect(bad).toEqual([]);
  });

  it('statuses, dispositions, categories, priorities and places are consistent', () => {
    let inside = 0;
    const gridParent = new Map(grids.map((g) => [g.id, g.parentId]));
    const stationById = new Map(stations.map((st) => [st.id, st]));
    const bad = violations((fail) => {
      for (const o of year) {
        const n = o.number;
        const cat = findCategory(o.categoryCode);
        fail(cat?.leaf === true, `${n} category not a leaf`);
        fail(o.priority === suggestPriority(o.categoryCode, o.description, { source: o.source }).priority, `${n} priority ≠ suggestion`);
        fail(o.description.length > 5 && !/\{|\}|undefined/.test(o.description), `${n} description ${o.description}`);
        if (o.status === 'closed') fail(isDispositionCode(o.dispositionCode), `${n} closed without disposition`);
        if (o.status === 'transferred')
          fail(o.categoryCode.startsWith('08') && o.transferTo === cat!.transferTo && o.dispatchedAt === null, `${n} bad transfer`);
        if (o.status === 'cancelled') fail(!!o.cancelReason && o.onSceneAt === null, `${n} bad cancel`);
        if (o.categoryCode.startsWith('09')) fail(o.dispositionCode === 'D07' && o.dispatchedAt === null, `${n} invalid call dispatched`);
        if (o.callerPhone) fail(/^(1[358]\d{9}|6\d{7})$/.test(o.callerPhone), `${n} phone ${o.callerPhone}`);
        if (o.source === 'device_alarm') fail(o.priority === 'P1', `${n} device alarm not P1`);
        const st = stationById.get(o.stationId);
        fail(!!st, `${n} unknown station`);
        if (st && pointInPolygon(o.lon, o.lat, st.polygon!)) inside++;
        if (o.gridId) fail(gridParent.get(o.gridId) === o.stationId, `${n} grid not in station`);
      }
    });
    expect(bad).toEqual([]);
    expect(inside / year.length).toBeGreaterThan(0.99);
    const share = (f: (o: DemoIncident) => boolean) => year.filter(f).length / year.length;
    expect(share((o) => o.status === 'closed')).toBeGreaterThan(0.9);
    expect(share((o) => o.status === 'cancelled')).toBeGreaterThan(0.005);
    expect(share((o) => o.status === 'transferred')).toBeGreaterThan(0.02);
    expect(share((o) => o.callerName === null)).toBeLessThan(0.15);
  });

  it('category mix: disputes and assistance lead, criminal ~8 %, traffic ~20 %', () => {
    const fam: Record<string, number> = {};
    for (const o of year) fam[o.categoryCode.slice(0, 2)] = (fam[o.categoryCode.slice(0, 2)] ?? 0) + 1 / year.length;
    const top2 = Object.entries(fam).sort((a, b) => b[1] - a[1]).slice(0, 2).map((e) => e[0]).sort();
    expect(top2).toEqual(['05', '06']);
    expect(fam['01']).toBeGreaterThan(0.06);
    expect(fam['01']).toBeLessThan(0.1);
    expect(fam['03']).toBeGreaterThan(0.16);
    expect(fam['03']).toBeLessThan(0.24);
  });

  it('daily and weekly rhythm', () => {
    const byHour = new Array(24).fill(0);
    for (const o of year) byHour[localParts(o.callStartedAt).hour]++;
    const night = byHour[3] + byHour[4] + byHour[5];
    const evening = byHour[19] + byHour[20] + byHour[21];
    expect(evening).toBeGreaterThan(night * 4);
    // Friday and Saturday evenings are busier than Monday–Thursday evenings (per evening).
    const eve = (wds: number[]) => year.filter((o) => { const p = localParts(o.callStartedAt); return p.hour >= 19 && wds.includes(p.weekday); }).length / wds.length; // prettier-ignore
    expect(eve([5, 6])).toBeGreaterThan(eve([1, 2, 3, 4]) * 1.2);
  });

  it('a few repeat locations carry many incidents', () => {
    const byAddr = new Map<string, DemoIncident[]>();
    for (const o of year) {
      const list = byAddr.get(o.addressText) ?? [];
      list.push(o);
      byAddr.set(o.addressText, list);
    }
    const hot = [...byAddr.values()].filter((l) => l.length >= 100);
    expect(hot.length).toBeGreaterThanOrEqual(5);
    // Within 100 m of the hot spot, in the last 30 days: a repeat location.
    const spot = hot[0];
    const last = spot[spot.length - 1];
    const recent = spot.filter((o) => last.callStartedAt.getTime() - o.callStartedAt.getTime() <= 30 * 86_400_000 && distanceMeters(o, last) <= 100);
    expect(isRepeatLocation(recent.length)).toBe(true);
  });

  it('callbacks: ~97–99 % satisfied or basically satisfied', () => {
    const answered = year.filter((o) => o.callback && o.callback.outcome !== 'unreachable');
    expect(answered.length).toBeGreaterThan(year.length * 0.6);
    const ok = answered.filter((o) => o.callback!.outcome !== 'dissatisfied').length / answered.length;
    expect(ok).toBeGreaterThan(0.97);
    expect(ok).toBeLessThan(0.995);
    for (const o of answered) if (o.callback!.outcome === 'dissatisfied') expect(o.callback!.reason).toBeTruthy();
    expect(year.some((o) => o.callback?.outcome === 'unreachable')).toBe(true);
  });

  it('works with standard addresses and without road names', () => {
    const addresses = Array.from({ length: 50 }, (_, i) => ({ code: `A${i}`, text: `测试街${i + 1}号`, lon: roadPoints[i * 97][0], lat: roadPoints[i * 97][1] }));
    const out = generateDemoHistory(input({ days: 10, addresses, roadPoints: roadPoints.map((p) => [p[0], p[1]] as const) }));
    expect(out.some((o) => o.addressCode !== null)).toBe(true);
    expect(out.some((o) => o.addressText.startsWith('地图定位'))).toBe(true);
    expect(() => generateDemoHistory(input({ stations: [] }))).toThrow();
  });
});
