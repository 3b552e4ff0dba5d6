/**
 * The demo of 随手拍, ratings and safety notices (issue 15, later parts): traffic-violation reports of the
 * last weeks (some valid and rewarded, some duplicates of a rewarded one, some not valid, some waiting
 * for review), ratings of resolved reports (one resolved report of the demo citizen is left unrated, to
 * try), and two notices in force (the whole city, and one station). Runs after seedDemoCitizen, once per
 * database (it looks for its own violation reports).
 */
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import type { Db } from '../db/client.js';
import type { Principal } from '../core/access.js';
import { mulberry32 } from '../core/random.js';
import type { CitizenDeps } from '../modules/citizen/index.js';
import type { ViolationType } from '../modules/citizen/domain/violation.js';
import { DEMO_CITIZEN_PHONE } from './citizen.js';

const rowsOf = <T>(r: unknown) => ((r as { rows?: T[] }).rows ?? (r as T[]));

/** [plate, type, minutes after the first of its group, metres north, verdict] — groups of one violation reported several times. */
const CASES: [string, ViolationType, number, number, 'valid' | 'not_valid' | 'pending', string?][] = [
  ['粤A3K721', 'bus_lane', 0, 0, 'valid'],
  ['粤A3K721', 'bus_lane', 6, 40, 'valid'], // a duplicate of the first
  ['粤A3K721', 'bus_lane', 12, 90, 'valid'], // a duplicate too
  ['MK4521', 'illegal_parking', 0, 0, 'valid'],
  ['粤C7P099', 'red_light', 0, 0, 'not_valid', '照片未能显示信号灯状态'],
  ['MA1888', 'phone_driving', 0, 0, 'valid'],
  ['MA1888', 'phone_driving', 3, 20, 'valid'], // a duplicate
  ['粤B20316', 'not_yielding', 0, 0, 'not_valid', '车牌被遮挡，无法辨认'],
  ['ME7309', 'wrong_way', 0, 0, 'valid'],
  ['MB6642', 'illegal_parking', 0, 0, 'pending'],
  ['粤A5N218', 'bus_lane', 0, 0, 'pending'],
];

export async function seedDemoCitizenMore(deps: CitizenDeps, db: Db): Promise<number> {
  if (rowsOf(await db.execute(sql`select 1 from citizen_violations limit 1`)).length) return 0;
  const stations = (await deps.jurisdiction.units(['station'])).filter((s) => s.polygon);
  const root = (await deps.jurisdiction.units(['bureau']))[0];
  if (!stations.length || !root) return 0;
  const system: Principal = { kind: 'user', id: 'demo', username: 'demo', displayName: '演示', roles: ['admin'], unitId: root.id, unitPath: root.path, unitKind: 'bureau', scopes: [] };
  const people = rowsOf<{ id: string; phone: string }>(await db.execute(sql`select id, phone from citizens where phone like '1380013800%' order by phone`));
  if (!people.length) return 0;
  const rand = mulberry32(1530);
  const image = (hue: number) => sharp({ create: { width: 480, height: 320, channels: 3, background: { r: 60 + hue, g: 70, b: 90 } } }).jpeg({ quality: 60 }).toBuffer();
  const now = Date.now();
  let n = 0;
  let groupStart = now;
  let groupPlace = { lon: 0, lat: 0 };
  for (const [i, [plate, type, after, north, verdict, reason]] of CASES.entries()) {
    if (after === 0) {
      const station = stations[Math.floor(rand() * Math.min(stations.length, 8))];
      const ring = (station.polygon as { coordinates: number[][][] }).coordinates[0];
      const [cx, cy] = ring.reduce(([x, y], p) => [x + p[0] / ring.length, y + p[1] / ring.length], [0, 0]);
      groupPlace = { lon: cx + (rand() - 0.5) * 0.003, lat: cy + (rand() - 0.5) * 0.003 };
      groupStart = now - (2 + Math.floor(rand() * 5 * 24 * 60)) * 60_000;
    }
    const reporter = people[i % people.length];
    try {
      const photoIds = [(await deps.photos.add(reporter.id, await image(i * 10))).id, (await deps.photos.add(reporter.id, await image(i * 10 + 5))).id];
      const row = await deps.writes.run((w) =>
        deps.violations.create(w, reporter.id, { plate, violationType: type, observedAt: new Date(groupStart + after * 60_000).toISOString(), location: { lon: groupPlace.lon, lat: groupPlace.lat + north / 111_195 }, photoIds }, new Date(groupStart + (after + 10) * 60_000)),
      );
      if (verdict !== 'pending') await deps.writes.run((w) => deps.violations.review(w, system, row.id, { verdict, reason }, new Date(groupStart + (after + 300) * 60_000)));
      n++;
    } catch {
      // A point outside every station: skipped.
    }
  }
  // Ratings of resolved reports: all but the demo citizen's newest resolved one (left to try in the portal).
  const resolved = rowsOf<{ id: number; citizen_id: string; unit_id: string; closed_at: Date; phone: string }>(
    await db.execute(sql`select r.id, r.citizen_id, r.unit_id, r.closed_at, c.phone from citizen_reports r join citizens c on c.id = r.citizen_id
      where r.status = 'resolved' and r.service_code <> 'TV' order by r.closed_at desc`),
  );
  let keptOne = false;
  for (const [i, r] of resolved.entries()) {
    if (r.phone === DEMO_CITIZEN_PHONE && !keptOne) {
      keptOne = true;
      continue;
    }
    const score = [5, 5, 4, 5, 3, 5, 2][i % 7];
    await db.execute(sql`insert into citizen_ratings (report_id, citizen_id, score, comment, unit_id, at)
      values (${r.id}, ${r.citizen_id}, ${score}, ${score >= 4 ? '民警处理及时，态度很好' : score === 3 ? '解决了，但等了比较久' : '问题没有根本解决'}, ${r.unit_id}, ${new Date(new Date(r.closed_at).getTime() + 3_600_000).toISOString()}::timestamptz) on conflict do nothing`);
  }
  // Two notices in force: the whole city, and the first station.
  const from = new Date(now - 86_400_000);
  const to = new Date(now + 30 * 86_400_000);
  await deps.writes.run((w) => deps.notices.publish(w, system, { title: '警惕冒充客服退款诈骗', body: '凡是自称客服、要求您下载会议软件或共享屏幕办理退款的，都是诈骗。如有疑问请拨打 110 或 96110 咨询。', stationId: null, validFrom: from.toISOString(), validTo: to.toISOString() }, new Date(now - 86_400_000)));
  await deps.writes.run((w) => deps.notices.publish(w, system, { title: '周末夜间道路施工绕行提示', body: `${stations[0].name}辖区主干道本周六、日 22:00 至次日 6:00 封闭施工，请提前绕行，注意交通安全。`, stationId: stations[0].id, validFrom: from.toISOString(), validTo: new Date(now + 7 * 86_400_000).toISOString() }, new Date(now - 3_600_000)));
  return n;
}
