/**
 * The demo's community policing (issue 13): the four grids of the first station get their community
 * officers — the demo `community` account owns the first, three more demo officers (same password) the
 * others — and a year of home visits, as officers following the plan would have made them: each week
 * 11–17 doors per officer (some weeks short of the 15 of the norm), never-visited doors first, now and
 * then a problem found (a few of them registered as disputes later are not faked: the register has its
 * own history). Bulk-inserted in one pass (a few thousand rows), once (`demo_community` setting). Then the
 * three demo police rooms with their visitor log (police-rooms.ts).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { addresses, orgUnits, settings, users } from '../db/schema.js';
import { communityGridOwners, communityVisits } from '../modules/community/index.js';
import { mulberry32 } from '../core/random.js';
import { seedDemoPoliceRooms } from './police-rooms.js';

export const COMMUNITY_SETTING = 'demo_community';
const DAY = 86_400_000;
const WEEKS = 52;

const NAMES = ['社区民警 何静', '社区民警 梁伟', '社区民警 吴敏'];
const SERVICES = ['anti_fraud_advice', 'security_check', 'safety_notice', 'door_plate_check', 'help_request'];
const FINDINGS: { code: string; note: string }[] = [
  { code: 'dispute', note: '楼上漏水，邻里多次争吵' },
  { code: 'fire_hazard', note: '楼道堆放杂物，堵塞消防通道' },
  { code: 'security_hazard', note: '单元门门禁损坏' },
  { code: 'public_facility', note: '路灯不亮' },
  { code: 'fraud_risk', note: '独居老人接到冒充客服电话' },
  { code: 'help_needed', note: '行动不便，需要社区帮扶' },
];

export async function seedDemoCommunity(db: Db, opts: { now: Date; log?: (msg: string) => void }): Promise<number> {
  const [done] = await db.select().from(settings).where(eq(settings.key, COMMUNITY_SETTING));
  if (done) return 0;
  const [community] = await db.select().from(users).where(eq(users.username, 'community'));
  if (!community) return 0;
  const [grid0] = await db.select().from(orgUnits).where(eq(orgUnits.id, community.unitId));
  if (!grid0?.parentId) return 0;
  const grids = await db.select().from(orgUnits).where(and(eq(orgUnits.parentId, grid0.parentId), eq(orgUnits.kind, 'grid'))).orderBy(asc(orgUnits.code));
  const rnd = mulberry32(1313);
  const owners: { id: string; name: string; gridId: string }[] = [];
  for (const [i, g] of grids.entries()) {
    if (g.id === community.unitId) {
      owners.push({ id: community.id, name: community.displayName, gridId: g.id });
      continue;
    }
    const name = NAMES[(i - 1 + NAMES.length) % NAMES.length]!;
    const username = `community-${g.code.toLowerCase()}`;
    const [existing] = await db.select().from(users).where(eq(users.username, username));
    const id = existing?.id ?? randomUUID();
    if (!existing) await db.insert(users).values({ id, username, displayName: name, passwordHash: community.passwordHash, roles: ['community'], unitId: g.id });
    owners.push({ id, name, gridId: g.id });
  }
  await db.insert(communityGridOwners).values(owners.map((o) => ({ gridId: o.gridId, userId: o.id, assignedBy: 'demo' }))).onConflictDoNothing();

  const now = opts.now.getTime();
  const rows: (typeof communityVisits.$inferInsert)[] = [];
  for (const o of owners) {
    const doors = await db.select({ code: addresses.code, lon: addresses.lon, lat: addresses.lat, stationId: addresses.stationId }).from(addresses).where(eq(addresses.gridId, o.gridId)).orderBy(asc(addresses.code));
    if (!doors.length) continue;
    // The plan's order: a fixed shuffle of the doors, worked round after round.
    const order = doors.map((d) => ({ d, k: rnd() })).sort((a, b) => a.k - b.k).map((x) => x.d);
    let next = 0;
    for (let w = WEEKS; w >= 0; w--) {
      const weekStart = now - w * 7 * DAY - ((new Date(now).getUTCDay() + 6) % 7) * DAY;
      // This week so far: a few visits; past weeks: 11–17.
      const n = w === 0 ? 6 : 11 + Math.floor(rnd() * 7);
      for (let k = 0; k < n; k++) {
        const d = order[next++ % order.length]!;
        const at = Math.min(now - 3_600_000, weekStart + Math.floor(rnd() * 6) * DAY + (9 + Math.floor(rnd() * 9)) * 3_600_000 + Math.floor(rnd() * 3_600_000));
        const services = SERVICES.filter(() => rnd() < 0.35);
        if (!services.length) services.push('security_check');
        const findings = rnd() < 0.08 ? [FINDINGS[Math.floor(rnd() * FINDINGS.length)]!] : [];
        rows.push({ id: randomUUID(), addressCode: d.code, lon: d.lon, lat: d.lat, stationId: d.stationId ?? grid0.parentId, gridId: o.gridId, premises: rnd() < 0.33 ? 'unit' : 'household', officerId: o.id, officerName: o.name, visitedAt: new Date(at), recordedAt: new Date(at + 60_000), services, findings, metCount: 1 + Math.floor(rnd() * 3) });
      }
    }
  }
  for (let i = 0; i < rows.length; i += 500) await db.insert(communityVisits).values(rows.slice(i, i + 500));
  await db.insert(settings).values({ key: COMMUNITY_SETTING, value: { owners: owners.length, visits: rows.length, seededAt: new Date().toISOString() } });
  await db.execute(sql`analyze community_visits`);
  opts.log?.(`demo community: ${owners.length} grid owners, ${rows.length} visits`);
  // Three police rooms: the first two in this station, served by the grids' officers (and the chief's station staff).
  // The demo `community` account serves in the first (the phone's "my police room" card).
  const others = owners.filter((o) => o.id !== community.id).map((o) => o.id);
  const half = Math.floor(others.length / 2);
  await seedDemoPoliceRooms(db, { now: opts.now, stationId: grid0.parentId, officers: [[community.id, ...others.slice(0, half)], others.slice(half)], log: opts.log });
  return rows.length;
}
