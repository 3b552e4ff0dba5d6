/**
 * The data of bench/disputes.ts: ten years of a city's dispute register and incidents, generated
 * reproducibly (mulberry32) and bulk-loaded with `insert … select from unnest($1::text[], …)` in chunks
 * (one statement per 10,000 rows, on either driver). Places are points along the demo roads, each in the
 * station whose polygon holds it; the busier roads get more. Disputes: mostly closed with an outcome
 * (those of the last two months partly open), risk grades red 3 % / orange 12 % / yellow 45 % / blue 40 %,
 * two parties each (the applicant's phone also calls in now and then), one referral each. Incidents: 90 a
 * day over the same years (scaled with the number of disputes).
 */
import { rawQuery, type Db } from '../src/db/client.js';
import { demoOrganisation, loadDemoRoads } from '../src/demo/city.js';
import { pointInPolygon } from '../src/core/geometry.js';
import { mulberry32 } from '../src/core/random.js';
import { localDayCompact } from '../src/core/clock.js';

const DAY = 86_400_000;
const YEARS = 10;
const CHUNK = 10_000;
/** The demo map's extent, for repeating it side by side. */
const TILE_LON = 0.1;
const TILE_LAT = 0.13;

export interface BenchPlace {
  lon: number;
  lat: number;
  stationId: string;
  code: string;
  text: string;
}

export interface OpenDispute {
  id: string;
  lon: number;
  lat: number;
  phone: string;
  stationId: string;
}

export function loadBenchCity(): BenchPlace[] {
  const stations = demoOrganisation().filter((u) => u.kind === 'station' && u.polygon);
  const places: BenchPlace[] = [];
  for (const f of loadDemoRoads().features) {
    const name = String(f.properties.name_zh ?? '街道');
    const lines = (f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][];
    for (const line of lines)
      for (let i = 0; i < line.length; i += 2) {
        const [lon, lat] = line[i] as [number, number];
        const st = stations.find((s) => pointInPolygon(lon, lat, s.polygon!));
        if (st) places.push({ lon, lat, stationId: st.code, code: `BENCH${places.length}`, text: `${name}${(places.length % 200) + 1}号` });
      }
  }
  return places;
}

type Column = [name: string, pgType: string, values: unknown[]];

/** One `insert … select from unnest(…)` per chunk; jsonb columns travel as text. */
async function bulk(db: Db, table: string, columns: Column[]) {
  const rows = columns[0]![2].length;
  const select = columns.map(([, t], i) => (t === 'jsonb' ? `c${i}::jsonb` : `c${i}`)).join(', ');
  const args = columns.map(([, t], i) => `$${i + 1}::${t === 'jsonb' ? 'text' : t}[]`).join(', ');
  const names = columns.map(([n]) => n).join(', ');
  const alias = columns.map((_, i) => `c${i}`).join(', ');
  for (let from = 0; from < rows; from += CHUNK) {
    const params = columns.map(([, , v]) => v.slice(from, from + CHUNK));
    await rawQuery(db, `insert into ${table} (${names}) select ${select} from unnest(${args}) as t(${alias})`, params);
  }
}

const TYPES: [string, number][] = [['family', 38], ['neighbour', 16], ['labour', 10], ['debt', 9], ['consumer', 7], ['property', 6], ['tenancy', 5], ['medical', 4], ['traffic', 4], ['land', 1]]; // prettier-ignore
const GRADES: [string, number, number, number][] = [['red', 3, 70, 110], ['orange', 12, 45, 69], ['yellow', 45, 25, 44], ['blue', 40, 5, 24]]; // prettier-ignore
const OUTCOMES: [string, number][] = [['agreement_performed', 92], ['agreement', 4], ['litigation', 2], ['no_agreement', 1], ['withdrawn', 1]]; // prettier-ignore
const OPEN_STATUS: [string, number][] = [['registered', 10], ['referred', 35], ['in_mediation', 30], ['agreed', 25]]; // prettier-ignore
const REFERRAL_OF: Record<string, string> = { registered: '', referred: 'pending', in_mediation: 'in_mediation', agreed: 'mediated', closed: 'closed' };
const SUMMARIES = ['报警人称与丈夫因家务琐事发生争吵。民警到场后双方情绪平复，同意由调解组织调解', '报警人称楼上单位漏水到其家中，对方拒绝维修。民警现场劝解，双方同意调解', '报警人称公司拖欠其两个月工资，老板拒绝支付。劳动者要求结清工资，双方同意调解', '报警人称房东不退押金，双方发生争执。经民警现场调处，双方同意调解'];

/**
 * `spread` tiles per side: the demo map repeated spread × spread times side by side, each copy's points
 * keeping the station of the original. Ten years of a city with 30,000 disputes a year do not fit in the
 * demo city's 30 km² (every point would have ~18 live disputes within 100 m); spread 6 gives ~1,100 km²,
 * the size of the cities whose figures the issue quotes.
 */
export async function loadDisputes(db: Db, base: readonly BenchPlace[], n: number, log: (m: string) => void, spread = 1) {
  const r = mulberry32(300_000);
  const tile = () => [Math.floor(r() * spread), Math.floor(r() * spread)] as const;
  const at = (p: BenchPlace): BenchPlace => {
    const [x, y] = tile();
    return x || y ? { ...p, lon: p.lon + x * TILE_LON, lat: p.lat + y * TILE_LAT, code: `${p.code}-${x}-${y}` } : p;
  };
  const places = { length: base.length, pick: () => at(base[Math.floor(r() * base.length)]!) };
  const weighted = <T extends [string, number, ...unknown[]]>(xs: readonly T[]) => {
    let u = r() * xs.reduce((s, x) => s + x[1], 0);
    for (const x of xs) if ((u -= x[1]) < 0) return x;
    return xs.at(-1)!;
  };
  const phone = () => `6${String(Math.floor(r() * 1e7)).padStart(7, '0')}`;
  const now = Date.now();
  const seq = new Map<string, number>();
  const d = { id: [] as string[], number: [] as string[], type: [] as string[], status: [] as string[], summary: [] as string[], addressText: [] as string[], addressCode: [] as string[], lon: [] as number[], lat: [] as number[], stationId: [] as string[], riskGrade: [] as string[], riskScore: [] as number[], riskReasons: [] as string[], riskAt: [] as string[], registeredAt: [] as string[], closedAt: [] as (string | null)[], outcome: [] as (string | null)[] }; // prettier-ignore
  const p = { id: [] as string[], disputeId: [] as string[], role: [] as string[], name: [] as string[], phone: [] as (string | null)[], sortOrder: [] as number[] };
  const f = { id: [] as string[], disputeId: [] as string[], type: [] as string[], agencyId: [] as string[], status: [] as string[], outcome: [] as (string | null)[], createdAt: [] as string[], acceptedAt: [] as (string | null)[] }; // prettier-ignore
  const openSample: OpenDispute[] = [];
  let open = 0;
  for (let i = 0; i < n; i++) {
    const place = places.pick();
    const reg = now - r() * YEARS * 365 * DAY;
    const age = (now - reg) / DAY;
    // Closed: all but 0.3 % of those older than two months; of the younger, more the older they are.
    const closed = age > 60 ? r() > 0.003 : r() < (age / 60) * 0.85;
    const status = closed ? 'closed' : weighted(OPEN_STATUS)[0];
    const closedAt = closed ? Math.min(now - 60_000, reg + (2 + r() * 55) * DAY) : null;
    const [grade, , lo, hi] = weighted(GRADES);
    const type = weighted(TYPES)[0];
    const id = `bd-${i}`;
    const day = localDayCompact(reg);
    const key = `${place.stationId}${day}`;
    const s = (seq.get(key) ?? 0) + 1;
    seq.set(key, s);
    d.id.push(id);
    d.number.push(`JF${place.stationId}${day}${String(s).padStart(4, '0')}`);
    d.type.push(type);
    d.status.push(status);
    d.summary.push(SUMMARIES[i % SUMMARIES.length]!);
    d.addressText.push(place.text);
    d.addressCode.push(place.code);
    d.lon.push(place.lon + (r() - 0.5) * 0.0001);
    d.lat.push(place.lat + (r() - 0.5) * 0.0001);
    d.stationId.push(place.stationId);
    d.riskGrade.push(grade);
    const score = lo + Math.floor(r() * (hi - lo + 1));
    d.riskScore.push(score);
    d.riskReasons.push(JSON.stringify([{ code: `type_${type}`, points: Math.min(score, 30), zh: '纠纷类型', en: 'dispute type' }, { code: 'repeat_place', points: Math.max(0, score - 30), zh: '90日内同一地点警情', en: 'incidents at the place in 90 days' }]));
    d.riskAt.push(new Date(closedAt ?? now - 3_600_000).toISOString());
    d.registeredAt.push(new Date(reg).toISOString());
    d.closedAt.push(closedAt ? new Date(closedAt).toISOString() : null);
    d.outcome.push(closed ? weighted(OUTCOMES)[0] : null);
    const applicantPhone = phone();
    for (const [k, role] of ['applicant', 'respondent'].entries()) {
      p.id.push(`bp-${i}-${k}`);
      p.disputeId.push(id);
      p.role.push(role);
      p.name.push(k ? '李强' : '王芳');
      p.phone.push(k ? (r() < 0.7 ? phone() : null) : applicantPhone);
      p.sortOrder.push(k);
    }
    const refStatus = REFERRAL_OF[status]!;
    if (refStatus) {
      f.id.push(`br-${i}`);
      f.disputeId.push(id);
      f.type.push(type === 'family' ? 'police' : 'people');
      f.agencyId.push(type === 'family' ? `AG-${place.stationId}-PS` : `AG-${place.stationId}-TW`);
      f.status.push(closed && r() < 0.02 ? 'failed' : refStatus);
      f.outcome.push(closed ? d.outcome.at(-1)! : null);
      f.createdAt.push(new Date(reg + 3_600_000).toISOString());
      f.acceptedAt.push(refStatus === 'pending' ? null : new Date(reg + 20 * 3_600_000).toISOString());
    }
    if (!closed) {
      open++;
      if (openSample.length < 5_000) openSample.push({ id, lon: d.lon.at(-1)!, lat: d.lat.at(-1)!, phone: applicantPhone, stationId: place.stationId });
    }
  }
  log('disputes generated; loading');
  await bulk(db, 'disputes', [
    ['id', 'text', d.id], ['number', 'text', d.number], ['source', 'text', d.id.map(() => 'incident')], ['type', 'text', d.type], ['status', 'text', d.status], ['summary', 'text', d.summary],
    ['address_text', 'text', d.addressText], ['address_code', 'text', d.addressCode], ['lon', 'float8', d.lon], ['lat', 'float8', d.lat], ['station_id', 'text', d.stationId],
    ['risk_grade', 'text', d.riskGrade], ['risk_score', 'int4', d.riskScore], ['risk_reasons', 'jsonb', d.riskReasons], ['risk_at', 'timestamptz', d.riskAt],
    ['registered_at', 'timestamptz', d.registeredAt], ['registered_by', 'text', d.id.map(() => 'bench')], ['closed_at', 'timestamptz', d.closedAt], ['outcome', 'text', d.outcome],
  ]); // prettier-ignore
  await bulk(db, 'dispute_parties', [['id', 'text', p.id], ['dispute_id', 'text', p.disputeId], ['role', 'text', p.role], ['name', 'text', p.name], ['phone', 'text', p.phone], ['sort_order', 'int4', p.sortOrder]]);
  await bulk(db, 'dispute_referrals', [
    ['id', 'text', f.id], ['dispute_id', 'text', f.disputeId], ['mediation_type', 'text', f.type], ['agency_id', 'text', f.agencyId], ['status', 'text', f.status],
    ['outcome', 'text', f.outcome], ['created_at', 'timestamptz', f.createdAt], ['created_by', 'text', f.id.map(() => 'bench')], ['accepted_at', 'timestamptz', f.acceptedAt],
  ]); // prettier-ignore
  log('disputes loaded; incidents');

  // Incidents of the same years, at the same places; now and then from a party's phone.
  const incidents = Math.round(90 * 365 * YEARS * (n / 300_000));
  for (let from = 0; from < incidents; from += 50_000) {
    const cols = { id: [] as string[], number: [] as string[], lon: [] as number[], lat: [] as number[], station: [] as string[], phone: [] as string[], at: [] as string[] };
    for (let i = from; i < Math.min(incidents, from + 50_000); i++) {
      const place = places.pick();
      cols.id.push(`bi-${i}`);
      cols.number.push(`BI${String(i).padStart(10, '0')}`);
      cols.lon.push(place.lon + (r() - 0.5) * 0.0004);
      cols.lat.push(place.lat + (r() - 0.5) * 0.0004);
      cols.station.push(place.stationId);
      cols.phone.push(r() < 0.05 ? p.phone[2 * Math.floor(r() * n)]! : phone());
      cols.at.push(new Date(now - r() * YEARS * 365 * DAY).toISOString());
    }
    const k = cols.id.length;
    const same = (v: string) => Array.from({ length: k }, () => v);
    await bulk(db, 'incidents', [
      ['id', 'text', cols.id], ['number', 'text', cols.number], ['source', 'text', same('call110')], ['category_code', 'text', same('05010103')], ['category_family', 'text', same('05')],
      ['priority', 'text', same('P3')], ['suggested_priority', 'text', same('P3')], ['caller_phone', 'text', cols.phone], ['lon', 'float8', cols.lon], ['lat', 'float8', cols.lat],
      ['description', 'text', same('邻里纠纷')], ['station_id', 'text', cols.station], ['status', 'text', same('closed')], ['created_by', 'text', same('bench')], ['recorded_at', 'timestamptz', cols.at],
    ]); // prettier-ignore
  }
  // Ten years of rows are all visible to everyone: what autovacuum leaves after a bulk insert on PostgreSQL
  // (counts read the index alone). PGlite has no autovacuum; a demo database there is small.
  log('incidents loaded; vacuum analyze');
  for (const t of ['disputes', 'dispute_parties', 'dispute_referrals', 'incidents']) await rawQuery(db, `vacuum analyze ${t}`);
  return { open, openSample, incidents };
}

/** A database an earlier run loaded with at least `n` disputes: the open ones to touch, without loading again. */
export async function reuseLoaded(db: Db, n: number) {
  const [{ count } = { count: 0 }] = await rawQuery<{ count: number }>(db, `select count(*)::int as count from disputes where registered_by = 'bench'`);
  if (count < n) return null;
  const open = await rawQuery<{ id: string; lon: number; lat: number; phone: string; stationId: string }>(
    db,
    `select d.id, d.lon, d.lat, p.phone, d.station_id as "stationId" from disputes d join dispute_parties p on p.dispute_id = d.id and p.role = 'applicant' where d.closed_at is null and d.registered_by = 'bench' order by d.id limit 5000`,
  );
  const [{ incidents } = { incidents: 0 }] = await rawQuery<{ incidents: number }>(db, `select count(*)::int as incidents from incidents`);
  const [{ total } = { total: 0 }] = await rawQuery<{ total: number }>(db, `select count(*)::int as total from disputes where closed_at is null`);
  return { open: total, openSample: open as OpenDispute[], incidents };
}
