/**
 * The demo city's volunteer police (义警) and a linked-defence group, inside the demo seed's transaction:
 * five teams at the first station (the demo `chief`'s), six volunteers each (the demo `volunteer` in the
 * first team), patrol shifts this week — the past ones served (check-in/out and hours), some coming ones
 * full, one tomorrow short of people — and one 联店联防 group of shops around the station, the demo
 * `volunteer` keeping one of them. Times are relative to the seeding, so the week is always this week.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { users } from '../db/schema.js';
import { defenceGroups, defenceMembers, volunteerLedger, volunteerMembers, volunteerShifts, volunteerSignups, volunteerTeams, type GeoPolygon } from '../modules/volunteers/index.js';
import type { DemoUnit } from './city.js';

const H = 3_600_000;
const TEAMS = ['平安巡逻一队', '平安巡逻二队', '夜巡护学队', '商圈守护队', '社区守望队'];
const SURNAMES = ['陈', '林', '梁', '黄', '何', '郑', '罗', '谢', '冯', '邓'];
const GIVEN = ['志强', '美玲', '家豪', '嘉欣', '国华', '淑仪', '伟明', '少芬', '浩然', '子晴'];
const SKILLS = [['急救'], ['粤语', '普通话'], ['驾驶'], ['急救', '消防'], ['心理疏导']];
const SHOPS = ['金记茶餐厅', '永利金铺', '新华书局', '好运便利店', '德成药房', '大丰五金'];

/** A square of `half` degrees around a point: the demo's patrol areas. */
export function squareAround([lon, lat]: [number, number], half = 0.003): GeoPolygon {
  return { type: 'Polygon', coordinates: [[[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half]]] };
}

/** 19:00 local (UTC+8) of the day `days` from today. */
function eveningOf(now: Date, days: number): Date {
  const local = new Date(now.getTime() + 8 * H);
  local.setUTCHours(19, 0, 0, 0);
  return new Date(local.getTime() - 8 * H + days * 24 * H);
}

export async function seedDemoVolunteers(tx: Db, units: readonly DemoUnit[], passwordHash: string, now = new Date()): Promise<number> {
  const station = units.find((u) => u.kind === 'station')!;
  const centre = station.center ?? [113.54, 22.19];
  const byName = async (username: string) => (await tx.select({ id: users.id }).from(users).where(eq(users.username, username)))[0]?.id;
  const demoVolunteer = await byName('volunteer');
  let shifts = 0;
  for (const [t, teamName] of TEAMS.entries()) {
    const teamId = `VT-${station.code}-${t + 1}`;
    await tx.insert(volunteerTeams).values({ id: teamId, stationId: station.code, name: teamName, note: null, createdBy: 'demo' }).onConflictDoNothing();
    const memberIds: string[] = [];
    for (let k = 0; k < 6; k++) {
      const username = `vol-${station.code.toLowerCase()}-${t + 1}-${k + 1}`;
      const id = randomUUID();
      await tx.insert(users).values({ id, username, displayName: `义警 ${SURNAMES[(t * 3 + k) % SURNAMES.length]}${GIVEN[(t + k * 7) % GIVEN.length]}`, passwordHash, roles: ['volunteer'], unitId: station.code }).onConflictDoNothing();
      memberIds.push((await byName(username))!);
    }
    if (t === 0 && demoVolunteer) memberIds.splice(1, 0, demoVolunteer);
    await tx
      .insert(volunteerMembers)
      .values(memberIds.map((userId, k) => ({ teamId, userId, leader: k === 0, skills: SKILLS[(t + k) % SKILLS.length]!, qualifications: k % 3 === 0 ? ['义警培训合格证'] : [] })))
      .onConflictDoNothing();
    // This week's evenings, -3 … +4 days: the past ones served, tomorrow's of the last team short.
    const area = squareAround([centre[0] + (t - 2) * 0.004, centre[1] + ((t % 2) - 0.5) * 0.004]);
    for (let day = -3; day <= 4; day++) {
      const startsAt = eveningOf(now, day);
      const endsAt = new Date(startsAt.getTime() + 3 * H);
      const shiftId = `VS-${teamId}-${day + 3}`;
      const maxPeople = 4;
      const minPeople = t === 0 ? 2 : 3;
      const past = endsAt <= now;
      const short = t === TEAMS.length - 1 && day === 1;
      // The demo volunteer's own shifts stay open for them (the walk-through signs up); the first team's others fill up on even days.
      const signed = short ? 1 : past ? 3 + (day & 1) : t === 0 ? Math.min(2, memberIds.length - 1) : day % 2 === 0 ? maxPeople : 3;
      const who = memberIds.filter((id) => id !== demoVolunteer).slice(0, signed);
      await tx
        .insert(volunteerShifts)
        .values({ id: shiftId, teamId, stationId: station.code, title: `${teamName}晚间巡逻`, startsAt, endsAt, area, minPeople, maxPeople, needsApproval: t === 2, signupOpensHours: 72, taken: who.length, confirmed: who.length, createdBy: 'chief' })
        .onConflictDoNothing();
      for (const userId of who) {
        const checkedInAt = past ? new Date(startsAt.getTime() - 5 * 60_000) : null;
        const checkedOutAt = past ? new Date(endsAt.getTime() - ((userId.charCodeAt(0) % 3) * 20 * 60_000)) : null;
        await tx.insert(volunteerSignups).values({ id: randomUUID(), shiftId, userId, status: 'confirmed', createdAt: new Date(startsAt.getTime() - 48 * H), checkedInAt, checkedOutAt }).onConflictDoNothing();
        if (past && checkedInAt && checkedOutAt) {
          const hours = Math.round(((checkedOutAt.getTime() - startsAt.getTime()) / H) * 100) / 100;
          await tx.insert(volunteerLedger).values({ id: randomUUID(), userId, teamId, stationId: station.code, shiftId, hours, points: Math.floor(hours * 2) + (hours >= 3 - 5 / 60 ? 2 : 0), at: checkedOutAt }).onConflictDoNothing();
        }
      }
      shifts++;
    }
  }
  // 联店联防: the shops around the station; the demo volunteer keeps the first one.
  const groupId = `DG-${station.code}-1`;
  await tx.insert(defenceGroups).values({ id: groupId, stationId: station.code, kind: 'shops', name: `${station.name.replace(/派出所$/, '')}商圈联店联防组`, createdBy: 'demo' }).onConflictDoNothing();
  await tx
    .insert(defenceMembers)
    .values(
      SHOPS.map((name, i) => ({
        id: `DM-${station.code}-${i + 1}`,
        groupId,
        name,
        addressText: `${station.name.replace(/派出所$/, '')}街 ${12 + i * 4} 号地铺`,
        addressCode: null,
        lon: centre[0] + (i - 2.5) * 0.0006,
        lat: centre[1] + 0.0004 * (i % 2),
        contactChannel: i % 3 === 2 ? 'wechat' : 'phone',
        contact: i % 3 === 2 ? `shop_${i + 1}` : `1388800${String(1000 + i).slice(-4)}`,
        userId: i === 0 ? (demoVolunteer ?? null) : null,
      })),
    )
    .onConflictDoNothing();
  return shifts;
}
