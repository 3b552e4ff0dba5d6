/**
 * The citizen portal's demo (issue 15): the demo citizen (13800138000, printed on the sign-in page) with
 * reports in every state across the demo city's stations, some from other citizens and from Open311,
 * voices, and the local Open311 key printed in the README (`o311-demo-local-only`, demo mode only).
 * Idempotent: runs once per database (it looks for its own reports).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Principal } from '../core/access.js';
import { mulberry32 } from '../core/random.js';
import { createOpen311Key, type CitizenDeps } from '../modules/citizen/index.js';
import { seedDemoAccidents } from './citizen-accidents.js';

export const DEMO_CITIZEN_PHONE = '13800138000';
export const DEMO_OPEN311_KEY = 'o311-demo-local-only';

const TEXTS: Record<string, string[]> = {
  '101': ['楼上装修噪音很大，晚上十点还在施工', '广场舞音响太吵，每晚到十点半', '酒吧深夜音乐声很大'],
  '102': ['小区后门门禁坏了，陌生人随意进出', '楼道堆放杂物堵住消防通道', '路口监控探头被遮挡'],
  '103': ['有人在停车场反复查看车窗', '楼下有陌生人挨家敲门推销'],
  '104': ['在公交站遗失黑色钱包一个', '捡到学生证一张，已交给保安'],
  '201': ['消防通道被私家车长期占用', '人行道上停满电动车'],
  '202': ['路口红绿灯不亮', '限速标志被树枝遮挡'],
  '203': ['放学时段学校门口严重拥堵'],
};

export async function seedDemoCitizen(deps: CitizenDeps, db: Db): Promise<number> {
  // 快处快赔 on its own: a failure there leaves the reports' demo standing.
  await seedDemoAccidents(deps, db).catch(() => 0);
  const done = await db.execute(sql`select 1 from citizen_reports where channel = 'demo' limit 1`);
  if (((done as { rows?: unknown[] }).rows ?? (done as unknown[])).length) return 0;
  const existingKey = await db.execute(sql`select 1 from open311_keys where name = 'demo (local only)'`);
  if (!((existingKey as { rows?: unknown[] }).rows ?? (existingKey as unknown[])).length) await createOpen311Key(db, 'demo (local only)', 'demo', DEMO_OPEN311_KEY);
  const rand = mulberry32(15);
  const stations = (await deps.jurisdiction.units(['station'])).filter((s) => s.polygon);
  const root = (await deps.jurisdiction.units(['bureau']))[0];
  if (!stations.length || !root) return 0;
  const system: Principal = { kind: 'user', id: 'demo', username: 'demo', displayName: '演示', roles: ['admin'], unitId: root.id, unitPath: root.path, unitKind: 'bureau', scopes: [] };
  const citizens = [DEMO_CITIZEN_PHONE, '13800138001', '13800138002', '13800138003'];
  const ids: string[] = [];
  for (const phone of citizens) {
    const id = randomUUID();
    await db.execute(sql`insert into citizens (id, phone) values (${id}, ${phone}) on conflict (phone) do nothing`);
    const r = await db.execute(sql`select id from citizens where phone = ${phone}`);
    ids.push(String(((r as { rows?: { id: string }[] }).rows ?? (r as { id: string }[]))[0].id));
  }
  const codes = Object.keys(TEXTS);
  const states: [string, string | null][] = [
    ['received', null],
    ['received', null],
    ['accepted', null],
    ['in_progress', null],
    ['resolved', '已到场处理，问题已解决'],
    ['resolved', '已约谈相关人员并责令整改'],
    ['rejected', '经核实不属于公安管辖，已告知向物业反映'],
  ];
  let n = 0;
  for (let i = 0; i < 28; i++) {
    const station = stations[Math.floor(rand() * Math.min(stations.length, 8))];
    const ring = (station.polygon as { coordinates: number[][][] }).coordinates[0];
    const [cx, cy] = ring.reduce(([x, y], p) => [x + p[0] / ring.length, y + p[1] / ring.length], [0, 0]);
    const code = codes[i % codes.length];
    const text = TEXTS[code][Math.floor(rand() * TEXTS[code].length)];
    const at = { lon: cx + (rand() - 0.5) * 0.004, lat: cy + (rand() - 0.5) * 0.004 };
    const citizenId = i % 4 === 0 ? ids[0] : ids[1 + (i % 3)];
    try {
      const row = await deps.writes.run((w) => deps.reports.create(w, { serviceCode: code, description: text, location: at, ignoreDuplicates: true }, { channel: i % 7 === 6 ? 'open311' : 'demo', citizenId: i % 7 === 6 ? null : citizenId }));
      const [state, note] = states[i % states.length];
      const path: [string, string | null][] = state === 'received' ? [] : state === 'accepted' ? [['accepted', null]] : state === 'in_progress' ? [['accepted', null], ['in_progress', null]] : state === 'rejected' ? [['rejected', note]] : [['accepted', null], ['resolved', note]];
      for (const [to, reason] of path) await deps.writes.run((w) => deps.reports.transition(w, system, row.id, { to: to as 'accepted', reason: reason ?? undefined }));
      // Spread them over the last two weeks.
      const back = Math.floor(rand() * 14 * 24 * 60);
      await db.execute(sql`update citizen_reports set created_at = created_at - make_interval(mins => ${back}), accepted_at = accepted_at - make_interval(mins => ${Math.max(0, back - 90)}), closed_at = closed_at - make_interval(mins => ${Math.max(0, back - 600)}) where id = ${row.id}`);
      await db.execute(sql`update citizen_report_events set at = at - make_interval(mins => ${back}) where report_id = ${row.id} and status = 'received'`);
      if (i % 5 === 1 && state !== 'rejected' && state !== 'resolved') await deps.writes.run((w) => deps.reports.addVoice(w, ids[0] === citizenId ? ids[1] : ids[0], row.id));
      n++;
    } catch {
      // A point outside every station (the city's edge): skipped.
    }
  }
  return n;
}
