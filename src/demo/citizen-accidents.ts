/**
 * 快处快赔 demo (issue 15): two months of minor accidents settled online across the demo city's stations —
 * most agreed and closed with the insurer's reference, one escalated to 110 (an injury), one agreed and
 * waiting for the reference — and one open now in station MO0101 awaiting the officer's determination, with
 * the demo citizen (13800138000) as driver A. The mix handles ≥ 90% online. Once per database.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Principal } from '../core/access.js';
import { mulberry32 } from '../core/random.js';
import type { CitizenDeps } from '../modules/citizen/index.js';
import type { Liability } from '../modules/citizen/domain/accident.js';

const rowsOf = <T>(r: unknown) => ((r as { rows?: T[] }).rows ?? (r as T[]));

const PLACES = ['新马路与南湾大马路交界', '友谊大马路近观音像', '罗理基博士大马路停车场出口', '高士德大马路红绿灯前', '提督马路近红街市', '氹仔孙逸仙大马路'];
const STORIES: [string, string, Liability, string][] = [
  ['我正常直行，对方从右侧车道变道刮到我车左侧', '我变道时没注意到左后方来车', 'b_full', '乙方变更车道未让正常行驶车辆先行'],
  ['等红灯时被后车追尾', '前车急停，我没刹住', 'b_full', '乙方未保持安全车距'],
  ['倒车出车位时与经过的车辆碰擦', '我经过停车场通道时对方突然倒车', 'a_main', '甲方倒车未确认安全，乙方通过停车场车速过快'],
  ['两车并行转弯时发生刮擦', '两车并行转弯时发生刮擦', 'equal', '双方转弯时均未保持安全间距'],
  ['我在路口左转，对方直行闯黄灯', '我直行时黄灯亮起，对方左转抢行', 'b_main', '甲方左转未让直行，乙方黄灯通过路口未减速'],
];

export async function seedDemoAccidents(deps: CitizenDeps, db: Db): Promise<number> {
  if (rowsOf(await db.execute(sql`select 1 from citizen_accidents where channel = 'demo' limit 1`)).length) return 0;
  const stations = (await deps.jurisdiction.units(['station'])).filter((s) => s.polygon);
  const root = (await deps.jurisdiction.units(['bureau']))[0];
  if (!stations.length || !root) return 0;
  const officer: Principal = { kind: 'user', id: 'demo', username: 'officer', displayName: '演示民警', roles: ['officer'], unitId: root.id, unitPath: root.path, unitKind: 'bureau', scopes: [] };
  const ids: string[] = [];
  for (const phone of ['13800138000', '13800138001', '13800138002', '13800138003', '13800138004', '13800138005']) {
    await db.execute(sql`insert into citizens (id, phone) values (gen_random_uuid()::text, ${phone}) on conflict (phone) do nothing`);
    ids.push(rowsOf<{ id: string }>(await db.execute(sql`select id from citizens where phone = ${phone}`))[0].id);
  }
  const rand = mulberry32(29);
  const centre = (s: (typeof stations)[number]) => {
    const ring = (s.polygon as { coordinates: number[][][] }).coordinates[0];
    return ring.reduce(([x, y], p) => [x + p[0] / ring.length, y + p[1] / ring.length], [0, 0]);
  };
  const a = deps.accidents;
  const run = <T>(fn: Parameters<typeof deps.writes.run<T>>[0]) => deps.writes.run(fn);
  let n = 0;
  // 25 past accidents: 23 closed, 1 agreed (no insurer reference yet), 1 escalated to 110; plus 1 open now → 24 of 26 online.
  for (let i = 0; i < 26; i++) {
    const open = i === 25;
    const station = open ? (stations.find((s) => s.code === 'MO0101' || s.id === 'MO0101') ?? stations[0]) : stations[Math.floor(rand() * Math.min(stations.length, 8))];
    const [cx, cy] = centre(station);
    const at = open ? { lon: cx, lat: cy } : { lon: cx + (rand() - 0.5) * 0.003, lat: cy + (rand() - 0.5) * 0.003 };
    const [sa, sb, liability, reason] = STORIES[i % STORIES.length];
    const driverA = open ? ids[0] : ids[(i % 5) + 1];
    const driverB = open ? ids[1] : ids[((i + 2) % 5) + 1] === driverA ? ids[0] : ids[((i + 2) % 5) + 1];
    const plateA = `粤${'ABCDE'[i % 5]}${String(10000 + Math.floor(rand() * 89999))}`;
    const plateB = `MX${String(1000 + Math.floor(rand() * 8999))}`;
    try {
      const injured = i === 7;
      const { row, code } = await run((w) => a.start(w, driverA, { location: at, placeText: PLACES[i % PLACES.length], plate: plateA, insurer: ['中国人保', '平安保险', '太平洋保险'][i % 3], statement: sa, injury: injured }));
      if (code) {
        const id = await a.resolveCode(driverB, code);
        await run((w) => a.join(w, driverB, id, { plate: plateB, insurer: ['澳门保险', '富卫保险', '中国人寿'][i % 3], statement: sb }));
        await run((w) => a.partyAct(w, driverA, id, 'submit'));
        if (!open) {
          await run((w) => a.determine(w, officer, id, { liability, reason }));
          await run((w) => a.partyAct(w, driverA, id, 'confirm'));
          await run((w) => a.partyAct(w, driverB, id, 'confirm'));
          if (i !== 12) await run((w) => a.close(w, officer, id, `KPKC-${2026}${String(1000 + i)}`));
        }
      }
      // Spread over the last 60 days (the open one: 10 minutes ago); each step minutes after the last.
      const back = open ? 10 : 60 + Math.floor(rand() * 60 * 24 * 60);
      const shift = sql`make_interval(mins => ${back})`;
      await db.execute(sql`update citizen_accidents set channel = 'demo', occurred_at = occurred_at - ${shift} - interval '5 minutes', created_at = created_at - ${shift}, updated_at = updated_at - ${shift},
        submitted_at = submitted_at - ${shift} + interval '6 minutes', determined_at = determined_at - ${shift} + interval '14 minutes', agreed_at = agreed_at - ${shift} + interval '20 minutes', closed_at = closed_at - ${shift} + interval '25 minutes' where id = ${row.id}`);
      await db.execute(sql`update citizen_accident_events set at = at - ${shift} + (id - (select min(id) from citizen_accident_events e where e.accident_id = ${row.id})) * interval '4 minutes' where accident_id = ${row.id}`);
      n++;
    } catch {
      // A point outside every station (the city's edge): skipped.
    }
  }
  return n;
}
