/**
 * The demo city's mediation agencies and their mediators (四所一庭): per station its own mediation
 * room (派出所, police mediation by its community officers) and a people's mediation committee (调委会);
 * per branch a judicial office (司法所) and a people's court (法庭); two law firms for the city. Each
 * has two mediators with demo accounts; the demo `mediator` account belongs to the first branch's
 * judicial office, the demo `community` officer to the first station's mediation room, and `lawyer`
 * (a second browser in the demo walk-through) to the first law firm.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { users } from '../db/schema.js';
import { disputeAgencies, disputeAgencyMembers } from '../modules/disputes/index.js';
import type { DemoUnit } from './city.js';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['丽', '芳', '敏', '静', '伟', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '华', '平', '建国'];

export interface DemoAgency {
  id: string;
  kind: 'station' | 'judicial' | 'law_firm' | 'court' | 'committee';
  name: string;
  servesUnitId: string | null;
}

export function demoAgencies(units: readonly DemoUnit[]): DemoAgency[] {
  const out: DemoAgency[] = [];
  for (const s of units.filter((u) => u.kind === 'station')) {
    const short = s.name.replace(/派出所$/, '');
    out.push({ id: `AG-${s.code}-PS`, kind: 'station', name: `${s.name}调解室`, servesUnitId: s.code });
    out.push({ id: `AG-${s.code}-TW`, kind: 'committee', name: `${short}人民调解委员会`, servesUnitId: s.code });
  }
  for (const b of units.filter((u) => u.kind === 'branch')) {
    const short = b.name.replace(/分局$/, '');
    out.push({ id: `AG-${b.code}-SF`, kind: 'judicial', name: `${short}司法所`, servesUnitId: b.code });
    out.push({ id: `AG-${b.code}-FT`, kind: 'court', name: `${short}人民法庭`, servesUnitId: b.code });
  }
  out.push({ id: 'AG-LAW-1', kind: 'law_firm', name: '濠江律师事务所', servesUnitId: null });
  out.push({ id: 'AG-LAW-2', kind: 'law_firm', name: '南湾律师事务所', servesUnitId: null });
  return out;
}

/**
 * Inside the demo seed's transaction: agencies, two mediator accounts each (the station rooms take the
 * station's community officers instead), and the demo accounts' memberships.
 */
export async function seedDemoAgencies(tx: Db, units: readonly DemoUnit[], passwordHash: string): Promise<number> {
  const agencies = demoAgencies(units);
  await tx.insert(disputeAgencies).values(agencies).onConflictDoNothing();
  const byName = async (username: string) => (await tx.select({ id: users.id }).from(users).where(eq(users.username, username)))[0]?.id;
  const members: { agencyId: string; userId: string }[] = [];
  let n = 0;
  for (const a of agencies) {
    if (a.kind === 'station') continue;
    const unitId = a.servesUnitId ?? units.find((u) => u.kind === 'bureau')!.code;
    for (let k = 0; k < 2; k++) {
      const username = `${a.id.toLowerCase().replace(/^ag-/, 'med-')}-${k + 1}`;
      const id = randomUUID();
      const name = SURNAMES[n % SURNAMES.length]! + GIVEN[(n * 7 + k) % GIVEN.length]!;
      n++;
      await tx.insert(users).values({ id, username, displayName: `调解员 ${name}`, passwordHash, roles: ['mediator'], unitId }).onConflictDoNothing();
      members.push({ agencyId: a.id, userId: (await byName(username))! });
    }
  }
  const firstBranch = units.find((u) => u.kind === 'branch')!.code;
  const firstStation = units.find((u) => u.kind === 'station')!.code;
  const mediator = await byName('mediator');
  const community = await byName('community');
  const chief = await byName('chief');
  if (mediator) members.push({ agencyId: `AG-${firstBranch}-SF`, userId: mediator });
  if (community) members.push({ agencyId: `AG-${firstStation}-PS`, userId: community });
  if (chief) members.push({ agencyId: `AG-${firstStation}-PS`, userId: chief });
  const lawyer = randomUUID();
  await tx.insert(users).values({ id: lawyer, username: 'lawyer', displayName: '律师 林嘉欣', passwordHash, roles: ['mediator'], unitId: firstBranch }).onConflictDoNothing();
  members.push({ agencyId: 'AG-LAW-1', userId: (await byName('lawyer'))! });
  await tx.insert(disputeAgencyMembers).values(members).onConflictDoNothing();
  return agencies.length;
}
