/**
 * The demo's community police rooms (社区警务室, issue 13): two in the first station (where the demo
 * `chief` and `community` accounts sit) and one in a neighbouring station, each at a registered address,
 * with the usual reception hours (one with a Saturday morning, one with evening hours) and four months
 * of visitor log by purpose — counts only, as the real log keeps them. Once (`demo_police_rooms`).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNotNull, ne } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { addresses, orgUnits, settings } from '../db/schema.js';
import { communityPoliceRooms, communityRoomVisitors, isOpenAt, USUAL_HOURS, type RoomPurpose, type WeeklyHours } from '../modules/community/index.js';
import { mulberry32 } from '../core/random.js';

export const POLICE_ROOMS_SETTING = 'demo_police_rooms';
const DAYS = 120;
const HOUR = 3_600_000;

const WEEKDAYS_EVENING: WeeklyHours = [
  ...([1, 2, 3, 4, 5] as const).flatMap((day) => [
    { day, opens: '09:00', closes: '12:00' },
    { day, opens: '14:30', closes: '20:00' },
  ]),
];
const WEEKDAYS_ONLY: WeeklyHours = ([1, 2, 3, 4, 5] as const).map((day) => ({ day, opens: '09:00', closes: '17:30' }));

/** Purposes with their weights: most people come to ask or for help with paperwork. */
const PURPOSES: [RoomPurpose, number][] = [
  ['consultation', 40],
  ['paperwork', 25],
  ['report_problem', 12],
  ['dispute', 8],
  ['lost_found', 8],
  ['other', 7],
];
const NOTES: Partial<Record<RoomPurpose, string[]>> = {
  consultation: ['咨询户籍迁入手续', '咨询反诈知识', '咨询居住证办理'],
  paperwork: ['协助填写居住证申请表', '开具无犯罪记录证明指引'],
  report_problem: ['反映小区路灯不亮', '反映楼道堆放杂物'],
  dispute: ['邻里噪音纠纷，当场调解'],
  lost_found: ['捡拾钱包一个，已登记', '前来认领失物'],
};

function pick(rnd: () => number): RoomPurpose {
  let x = rnd() * 100;
  for (const [p, w] of PURPOSES) if ((x -= w) < 0) return p;
  return 'other';
}

export async function seedDemoPoliceRooms(db: Db, opts: { now: Date; stationId: string; officers: string[][]; log?: (msg: string) => void }): Promise<number> {
  const [done] = await db.select().from(settings).where(eq(settings.key, POLICE_ROOMS_SETTING));
  if (done) return 0;
  const [station] = await db.select().from(orgUnits).where(eq(orgUnits.id, opts.stationId));
  if (!station?.parentId) return 0;
  const [other] = await db
    .select()
    .from(orgUnits)
    .where(and(eq(orgUnits.parentId, station.parentId), eq(orgUnits.kind, 'station'), ne(orgUnits.id, station.id)))
    .orderBy(asc(orgUnits.code))
    .limit(1);
  const doorsOf = (stationId: string) => db.select().from(addresses).where(and(eq(addresses.stationId, stationId), isNotNull(addresses.gridId))).orderBy(asc(addresses.code)).limit(400);
  const here = await doorsOf(station.id);
  const there = other ? await doorsOf(other.id) : [];
  const places = [
    { door: here[17], name: `${station.name}第一社区警务室`, hours: USUAL_HOURS, officers: opts.officers[0] ?? [] },
    { door: here[here.length - 23], name: `${station.name}第二社区警务室`, hours: WEEKDAYS_EVENING, officers: opts.officers[1] ?? [] },
    { door: there[31], name: `${other?.name ?? ''}社区警务室`, hours: WEEKDAYS_ONLY, officers: [] },
  ].filter((x) => x.door);
  const rnd = mulberry32(2027);
  const now = opts.now.getTime();
  let entries = 0;
  for (const [i, pl] of places.entries()) {
    const id = randomUUID();
    const d = pl.door!;
    await db.insert(communityPoliceRooms).values({ id, name: pl.name, address: d.text, lon: d.lon, lat: d.lat, stationId: d.stationId!, officerIds: pl.officers, hours: pl.hours, phone: `0853-2857 ${String(3100 + i * 7).padStart(4, '0')}`, updatedBy: 'demo', createdAt: new Date(now - (DAYS + 30) * 24 * HOUR) });
    const rows: (typeof communityRoomVisitors.$inferInsert)[] = [];
    // Every half hour of the last DAYS days: while the room is open, now and then someone comes in.
    for (let t = Math.ceil((now - DAYS * 24 * HOUR) / (HOUR / 2)) * (HOUR / 2); t < now - HOUR; t += HOUR / 2) {
      if (!isOpenAt(pl.hours, t) || rnd() > 0.22) continue;
      const purpose = pick(rnd);
      const notes = NOTES[purpose];
      const note = notes && rnd() < 0.3 ? notes[Math.floor(rnd() * notes.length)]! : null;
      const at = new Date(t + Math.floor(rnd() * 25) * 60_000);
      rows.push({ id: randomUUID(), roomId: id, stationId: d.stationId!, purpose, visitors: rnd() < 0.8 ? 1 : 2 + Math.floor(rnd() * 3), at, note, recordedBy: 'demo', recordedAt: new Date(at.getTime() + 5 * 60_000) });
    }
    for (let k = 0; k < rows.length; k += 500) await db.insert(communityRoomVisitors).values(rows.slice(k, k + 500));
    entries += rows.length;
  }
  await db.insert(settings).values({ key: POLICE_ROOMS_SETTING, value: { rooms: places.length, entries, seededAt: new Date().toISOString() } });
  opts.log?.(`demo police rooms: ${places.length} rooms, ${entries} visitor-log entries`);
  return places.length;
}
