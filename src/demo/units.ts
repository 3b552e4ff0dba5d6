/**
 * Demo units for the demo city: about five per station (patrol cars, a motorcycle, a 最小作战单元 or a
 * foot patrol, a traffic or community unit), home points on roads near the station centre, a roster
 * where most units are on duty at any hour, and the demo `officer` account crewing the first unit of
 * its station. Reproducible: same seed, same units.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { users } from '../db/schema.js';
import { demoOrganisation, loadDemoRoads } from './city.js';
import { mulberry32 } from '../core/random.js';
import { type DemoUnit } from './geometry.js';
import { addLocalDays, localDay } from '../modules/incidents/index.js';
import { units, unitShifts } from '../modules/dispatch/schema.js';
import { shiftTimes } from '../modules/dispatch/domain/roster.js';
import { metresBetween } from '../modules/dispatch/domain/track.js';
import type { UnitKind } from '../modules/dispatch/service.js';

export interface UnitSeed {
  id: string;
  callSign: string;
  kind: UnitKind;
  stationId: string;
  members: string[];
  capabilities: string[];
  home: [number, number];
  /** Daily shifts as local 'HH:MM' pairs (an end before the start runs into the next day). */
  shifts: [string, string][];
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志宏海波鹏辉斌宇浩凯俊峰晨阳雪梅琳';

/** Crews work round the clock in two 12-hour shifts; community units by day. */
const ROUND_THE_CLOCK: [string, string][] = [
  ['07:00', '19:00'],
  ['19:00', '07:00'],
];
const DAYTIME: [string, string][] = [['09:00', '17:00']];

const PLAN: { kind: UnitKind; tag: string; caps: string[][]; crew: number; shifts: [string, string][] }[] = [
  { kind: 'patrol_car', tag: '巡', caps: [['armed'], ['armed', 'medical'], ['mediation']], crew: 2, shifts: ROUND_THE_CLOCK },
  // General units hold no specialist capability (a K9 or special-police crew is a specialist unit below).
  { kind: 'patrol_car', tag: '巡', caps: [['medical'], ['female_officer', 'mediation'], ['armed', 'crowd']], crew: 2, shifts: ROUND_THE_CLOCK },
  { kind: 'motorcycle', tag: '摩', caps: [['traffic'], ['traffic', 'medical']], crew: 1, shifts: ROUND_THE_CLOCK },
  { kind: 'min_combat_unit', tag: '快', caps: [['armed', 'crowd'], ['armed', 'crowd', 'medical']], crew: 3, shifts: ROUND_THE_CLOCK },
  { kind: 'traffic', tag: '交', caps: [['traffic']], crew: 2, shifts: ROUND_THE_CLOCK },
  { kind: 'community', tag: '社', caps: [['mediation', 'juvenile'], ['mediation', 'anti_fraud']], crew: 1, shifts: DAYTIME },
  { kind: 'foot', tag: '步', caps: [[], ['female_officer']], crew: 2, shifts: DAYTIME },
];

/**
 * Specialist units a city keeps per district (分局), round the clock, based at the district's first
 * station: criminal investigation with forensics and anti-fraud, a women-and-children investigation
 * team, special police (negotiator, rescue), K9 with EOD, and marine police. Together with the general
 * units they hold every capability a category asks of police units (test/dispatch/response-plan.test.ts).
 */
const SPECIALISTS: { kind: UnitKind; tag: string; caps: string[]; crew: number }[] = [
  { kind: 'patrol_car', tag: '刑', caps: ['investigation', 'forensics', 'anti_fraud'], crew: 2 },
  { kind: 'patrol_car', tag: '妇', caps: ['investigation', 'female_officer', 'juvenile'], crew: 2 },
  { kind: 'min_combat_unit', tag: '特', caps: ['armed', 'special', 'negotiator', 'rescue', 'crowd'], crew: 4 },
  { kind: 'patrol_car', tag: '犬', caps: ['k9', 'eod', 'armed'], crew: 2 },
  { kind: 'patrol_car', tag: '水', caps: ['water_rescue', 'rescue'], crew: 3 },
];

let roadPoints: [number, number][] | null = null;
function demoRoadPoints(): [number, number][] {
  if (!roadPoints) {
    const pts: [number, number][] = [];
    for (const f of loadDemoRoads().features) {
      const g = f.geometry;
      const lines: [number, number][][] = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : [];
      for (const line of lines) for (const c of line) pts.push([c[0], c[1]]);
    }
    roadPoints = pts;
  }
  return roadPoints;
}

/** Units of the demo stations, reproducibly (seeded). */
export function demoUnits(stations: readonly DemoUnit[] = demoOrganisation().filter((u) => u.kind === 'station'), seed = 110): UnitSeed[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const pts = demoRoadPoints();
  const out: UnitSeed[] = [];
  stations.forEach((s, si) => {
    const center = s.center ?? [113.55, 22.17];
    const near = pts.filter((p) => metresBetween({ lon: center[0], lat: center[1] }, { lon: p[0], lat: p[1] }) <= 600);
    const pool = near.length ? near : [center as [number, number]];
    // Five units: two patrol cars, then three of the other kinds (a 最小作战单元 at every other station).
    const kinds = [PLAN[0], PLAN[1], PLAN[2], si % 2 === 0 ? PLAN[3] : PLAN[4], si % 3 === 0 ? PLAN[6] : PLAN[5]];
    kinds.forEach((k, ui) => {
      const n = ui + 1;
      const members = Array.from({ length: k.crew }, () => pick([...SURNAMES]) + pick([...GIVEN]) + (rnd() < 0.5 ? pick([...GIVEN]) : ''));
      out.push({
        id: `${s.code}-${n}`,
        callSign: `澳门${k.tag}${si + 1}${n}`,
        kind: k.kind,
        stationId: s.code,
        members,
        capabilities: [...pick(k.caps)],
        home: [...pick(pool)] as [number, number],
        shifts: k.shifts,
      });
    });
  });
  // Specialists: one set per district, at its first station, numbered after the station's own units.
  const srnd = mulberry32(seed + 1);
  const spick = <T>(xs: readonly T[]): T => xs[Math.floor(srnd() * xs.length)];
  const districts = new Map<string, number>();
  stations.forEach((s) => {
    const district = s.code.slice(0, -2);
    if (districts.has(district)) return;
    districts.set(district, districts.size + 1);
    const d = districts.size;
    const center = s.center ?? [113.55, 22.17];
    const near = pts.filter((p) => metresBetween({ lon: center[0], lat: center[1] }, { lon: p[0], lat: p[1] }) <= 600);
    const pool = near.length ? near : [center as [number, number]];
    SPECIALISTS.forEach((k, ki) => {
      out.push({
        id: `${s.code}-${6 + ki}`,
        callSign: `澳门${k.tag}${d}${ki + 1}`,
        kind: k.kind,
        stationId: s.code,
        members: Array.from({ length: k.crew }, () => spick([...SURNAMES]) + spick([...GIVEN]) + (srnd() < 0.5 ? spick([...GIVEN]) : '')),
        capabilities: [...k.caps],
        home: [...spick(pool)] as [number, number],
        shifts: ROUND_THE_CLOCK,
      });
    });
  });
  return out;
}

/** Inserts the demo units and a roster from yesterday to a week ahead. Idempotent (and extends the roster). */
export async function seedDemoUnits(db: Db, now = new Date()): Promise<{ units: number; shifts: number }> {
  const seeds = demoUnits();
  const [officer] = await db.select({ id: users.id, unitId: users.unitId }).from(users).where(eq(users.username, 'officer'));
  const firstOfOfficerStation = officer ? seeds.find((u) => u.stationId === officer.unitId) : undefined;
  const inserted = await db
    .insert(units)
    .values(
      seeds.map((u) => ({
        id: u.id,
        callSign: u.callSign,
        kind: u.kind,
        stationId: u.stationId,
        members: u.members,
        memberUserIds: officer && u === firstOfOfficerStation ? [officer.id] : [],
        capabilities: u.capabilities,
        homeLon: u.home[0],
        homeLat: u.home[1],
        status: 'off_duty',
        statusAt: now,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: units.id });
  const today = localDay(now);
  const rows: (typeof unitShifts.$inferInsert)[] = [];
  for (const u of seeds) {
    for (let d = -1; d <= 7; d++) {
      const day = addLocalDays(today, d);
      for (const [start, end] of u.shifts) {
        const t = shiftTimes(day, start, end)!;
        rows.push({ id: randomUUID(), unitId: u.id, day, startsAt: t.startsAt, endsAt: t.endsAt, note: 'demo', createdBy: 'system' });
      }
    }
  }
  let shifts = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const r = await db.insert(unitShifts).values(rows.slice(i, i + 500)).onConflictDoNothing().returning({ id: unitShifts.id });
    shifts += r.length;
  }
  return { units: inserted.length, shifts };
}
