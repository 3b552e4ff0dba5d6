/**
 * 快处快赔 (issue 15): driver A starts an accident and gets a shared code, driver B joins with it on their
 * own phone, either submits when both have given plate, insurer and statement, an officer of the place's
 * station determines liability remotely, the agreement text is generated, both drivers confirm it, and the
 * officer records the insurer's reference. An injury or a refusal sends them to 110 (the online path ends).
 * The rules are domain/accident.ts; this file reads and writes.
 */
import { and, asc, desc, eq, gt, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { AppError, notFound } from '../../../core/errors.js';
import { localParts } from '../../../core/clock.js';
import { maskPhone, unitScope, type Principal } from '../../../core/access.js';
import type { Write, Writes } from '../../../kernel/write.js';
import type { JurisdictionIndex } from '../../org/index.js';
import type { AddressService } from '../../addresses/index.js';
import { citizenPhotos, citizens } from '../schema.js';
import { citizenAccidentCodeFailures, citizenAccidentEvents, citizenAccidentParties, citizenAccidents } from './schema.js';
import { agreementText, hashShareCode, mayTryCode, newShareCode, nextAccident, normalisePlate, normaliseShareCode, SHARE_CODE, type AccidentEvent, type AccidentState, type AccidentStatus, type Liability, type Party } from '../domain/accident.js';
import { invalidField, refuse } from '../errors.js';
import { resolvePlace } from '../reports.js';

export type AccidentRow = typeof citizenAccidents.$inferSelect;
export type PartyRow = typeof citizenAccidentParties.$inferSelect;

export interface AccidentDeps {
  db: Db;
  writes: Writes;
  jurisdiction: JurisdictionIndex;
  addresses?: AddressService;
  secret: string;
}

export interface PartyInput {
  plate: string;
  insurer: string;
  statement: string;
  mediaIds?: string[];
}

export interface StartInput extends PartyInput {
  occurredAt?: string;
  location?: { lon: number; lat: number };
  addressCode?: string;
  placeText?: string;
  injury?: boolean;
}

const MAX_PHOTOS_PER_PARTY = 6;

export const localText = (d: Date) => {
  const p = localParts(d);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
};

function cleanParty(x: PartyInput, prefix = ''): { plate: string; insurer: string; statement: string } {
  const plate = normalisePlate(x.plate);
  if (!plate) throw invalidField(`${prefix}plate`, '请输入有效的车牌号（如 粤A12345、MX-12-34）', 'Enter a valid plate (e.g. 粤A12345, MX-12-34)');
  const insurer = x.insurer.trim();
  if (!insurer) throw invalidField(`${prefix}insurer`, '请填写承保的保险公司', 'Name your insurer');
  const statement = x.statement.trim();
  if (statement.length < 5) throw invalidField(`${prefix}statement`, '请陈述事故经过（至少 5 个字）', 'Describe what happened (at least 5 characters)');
  return { plate, insurer, statement };
}

export class CitizenAccidents {
  constructor(readonly deps: AccidentDeps) {}

  // ------------------------------------------------------------ the drivers

  /** Driver A starts the accident. With an injury it is recorded and ends at once: call 110. */
  async start(w: Write, citizenId: string, input: StartInput, now = new Date()): Promise<{ row: AccidentRow; code: string | null }> {
    const party = cleanParty(input);
    const place = await resolvePlace(this.deps, input);
    const located = await this.deps.jurisdiction.locate(place.lon, place.lat);
    if (!located) throw invalidField(input.addressCode ? 'addressCode' : 'location', '该位置不在本市辖区内', 'The place is outside the city');
    const occurredAt = input.occurredAt ? new Date(input.occurredAt) : now;
    if (Number.isNaN(occurredAt.getTime()) || occurredAt.getTime() > now.getTime() + 5 * 60_000 || occurredAt.getTime() < now.getTime() - 24 * 3_600_000)
      throw invalidField('occurredAt', '事故时间须在过去 24 小时内', 'The accident must have happened within the last 24 hours');
    const placeText = (place.addressText ?? input.placeText?.trim()) || `${place.lon.toFixed(5)}, ${place.lat.toFixed(5)}`;
    const injury = input.injury === true;
    const code = injury ? null : await this.freeCode(w.tx, now);
    const [row] = await w.tx
      .insert(citizenAccidents)
      .values({
        status: injury ? 'escalated_to_110' : 'drafted',
        occurredAt,
        lon: place.lon,
        lat: place.lat,
        addressCode: place.addressCode,
        placeText: placeText.slice(0, 300),
        stationId: located.stationId,
        unitId: located.stationId,
        codeHash: code ? hashShareCode(this.deps.secret, code) : null,
        codeExpiresAt: code ? new Date(now.getTime() + SHARE_CODE.ttlMs) : null,
        injury,
        escalation: injury ? 'injury' : null,
        statusNote: injury ? '有人员受伤，已提示立即拨打110 / someone is hurt: told to call 110' : null,
        createdAt: now,
        updatedAt: now,
        closedAt: injury ? now : null,
      })
      .returning();
    await w.tx.insert(citizenAccidentParties).values({ accidentId: row.id, role: 'a', citizenId, ...party, joinedAt: now });
    await this.event(w, row.id, 'drafted', null, 'a', now);
    if (injury) await this.event(w, row.id, 'escalated_to_110', row.statusNote, 'a', now);
    await this.attach(w, citizenId, row.id, input.mediaIds);
    w.entity(String(row.id));
    return { row, code };
  }

  /** A code no open accident is using now (a collision would let B join the wrong accident). */
  private async freeCode(db: Db, now: Date): Promise<string> {
    for (let i = 0; i < 20; i++) {
      const code = newShareCode();
      const [taken] = await db.select({ id: citizenAccidents.id }).from(citizenAccidents).where(and(eq(citizenAccidents.codeHash, hashShareCode(this.deps.secret, code)), gt(citizenAccidents.codeExpiresAt, now)));
      if (!taken) return code;
    }
    throw new AppError(503, 'citizen_rule', { zh: '暂时无法生成共享码，请稍后再试', en: 'No shared code could be made: try again shortly' });
  }

  /** A fresh code for driver A while B has not joined (the old one stops working). */
  async renewCode(w: Write, citizenId: string, id: number, now = new Date()): Promise<{ row: AccidentRow; code: string }> {
    const { row, role } = await this.mine(citizenId, id, w.tx, true);
    if (role !== 'a' || row.status !== 'drafted') throw refuse('只有发起人在对方加入前可以重新获取共享码', 'Only the driver who started it can renew the code, before the other joins');
    const code = await this.freeCode(w.tx, now);
    const [u] = await w.tx.update(citizenAccidents).set({ codeHash: hashShareCode(this.deps.secret, code), codeExpiresAt: new Date(now.getTime() + SHARE_CODE.ttlMs), updatedAt: now }).where(eq(citizenAccidents.id, id)).returning();
    w.entity(String(id));
    return { row: u, code };
  }

  /**
   * Which accident a typed code opens, counted against the citizen's wrong tries (its own transaction, so
   * a wrong try stays counted though the join is refused). Wrong, expired and used codes look alike.
   */
  async resolveCode(citizenId: string, typed: string, now = new Date()): Promise<number> {
    const code = normaliseShareCode(typed);
    const out = await this.deps.writes.run(async (w) => {
      await w.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'accident-code:' + citizenId}))`);
      const since = new Date(now.getTime() - SHARE_CODE.windowMs);
      const [n] = await w.tx.select({ n: sql<number>`count(*)::int` }).from(citizenAccidentCodeFailures).where(and(eq(citizenAccidentCodeFailures.citizenId, citizenId), gt(citizenAccidentCodeFailures.at, since)));
      if (!mayTryCode(n?.n ?? 0)) return { ok: false as const, locked: true };
      const [row] = code
        ? await w.tx.select({ id: citizenAccidents.id }).from(citizenAccidents).where(and(eq(citizenAccidents.codeHash, hashShareCode(this.deps.secret, code)), gt(citizenAccidents.codeExpiresAt, now), eq(citizenAccidents.status, 'drafted')))
        : [];
      if (!row) {
        await w.tx.insert(citizenAccidentCodeFailures).values({ citizenId, at: now });
        return { ok: false as const, locked: false };
      }
      return { ok: true as const, id: row.id };
    });
    if (out.ok) return out.id;
    if (out.locked) throw new AppError(429, 'citizen_rule', { zh: '共享码错误次数过多，请 30 分钟后再试，或请对方重新获取共享码', en: 'Too many wrong codes: try again in 30 minutes, or ask the other driver for a new code' }, 'code');
    throw new AppError(404, 'citizen_invalid', { field: 'code', zh: '共享码不正确或已过期', en: 'The code is wrong or has expired' }, 'code');
  }

  /** Driver B joins with their plate, insurer and statement. */
  async join(w: Write, citizenId: string, id: number, input: PartyInput, now = new Date()): Promise<AccidentRow> {
    const party = cleanParty(input);
    const [row] = await w.tx.select().from(citizenAccidents).where(eq(citizenAccidents.id, id)).for('update');
    if (!row) throw notFound('accident');
    const parties = await w.tx.select().from(citizenAccidentParties).where(eq(citizenAccidentParties.accidentId, id));
    if (parties.some((p) => p.citizenId === citizenId)) throw invalidField('code', '不能加入自己发起的事故，请让对方用其手机输入共享码', 'You started this accident: the other driver enters the code on their own phone');
    const a = parties.find((p) => p.role === 'a');
    if (a && a.plate === party.plate) throw invalidField('plate', '双方车牌号相同', 'Both plates are the same');
    const v = this.step(row, parties, { type: 'join' });
    await w.tx.insert(citizenAccidentParties).values({ accidentId: id, role: 'b', citizenId, ...party, joinedAt: now });
    const [u] = await w.tx.update(citizenAccidents).set({ status: v.status, codeHash: null, codeExpiresAt: null, updatedAt: now }).where(eq(citizenAccidents.id, id)).returning();
    await this.event(w, id, 'joined', null, 'b', now);
    await this.attach(w, citizenId, id, input.mediaIds);
    w.entity(String(id));
    return u;
  }

  /** A party's own photos (uploaded through /citizen/photos) joined to the accident. */
  async attach(w: Write, citizenId: string, id: number, mediaIds?: string[]): Promise<void> {
    if (!mediaIds?.length) return;
    const ids = [...new Set(mediaIds)];
    const [have] = await w.tx.select({ n: sql<number>`count(*)::int` }).from(citizenPhotos).where(and(eq(citizenPhotos.accidentId, id), eq(citizenPhotos.citizenId, citizenId)));
    if ((have?.n ?? 0) + ids.length > MAX_PHOTOS_PER_PARTY) throw invalidField('mediaIds', `每位驾驶人最多 ${MAX_PHOTOS_PER_PARTY} 张照片`, `At most ${MAX_PHOTOS_PER_PARTY} photos per driver`);
    const taken = await w.tx
      .update(citizenPhotos)
      .set({ accidentId: id })
      .where(and(inArray(citizenPhotos.id, ids), eq(citizenPhotos.citizenId, citizenId), isNull(citizenPhotos.reportId), isNull(citizenPhotos.accidentId)))
      .returning({ id: citizenPhotos.id });
    if (taken.length !== ids.length) throw invalidField('mediaIds', '照片不存在或已用于其他报事', 'A photo does not exist or belongs to another report');
  }

  async addPhotos(w: Write, citizenId: string, id: number, mediaIds: string[]): Promise<AccidentRow> {
    const { row } = await this.mine(citizenId, id, w.tx, true);
    if (!['drafted', 'joined', 'submitted'].includes(row.status)) throw refuse('民警认定责任后不能再补充照片', 'Photos can no longer be added once liability is determined');
    await this.attach(w, citizenId, id, mediaIds);
    w.entity(String(id));
    return row;
  }

  /** submit, confirm, withdraw or escalate by one of the two drivers. */
  async partyAct(w: Write, citizenId: string, id: number, type: 'submit' | 'confirm' | 'withdraw' | 'escalate', reason?: 'injury' | 'refusal', now = new Date()): Promise<AccidentRow> {
    const { row, role } = await this.mine(citizenId, id, w.tx, true);
    const parties = await w.tx.select().from(citizenAccidentParties).where(eq(citizenAccidentParties.accidentId, id));
    const event: AccidentEvent = type === 'escalate' ? { type, reason: reason ?? 'refusal' } : { type, by: role };
    const v = this.step(row, parties, event);
    const set: Partial<AccidentRow> = { status: v.status, updatedAt: now };
    let note: string | null = null;
    if (v.status === 'submitted') set.submittedAt = now;
    if (type === 'confirm') await w.tx.update(citizenAccidentParties).set({ confirmedAt: now }).where(and(eq(citizenAccidentParties.accidentId, id), eq(citizenAccidentParties.role, role)));
    if (v.status === 'agreed') set.agreedAt = now;
    if (type === 'withdraw') {
      set.closedAt = now;
      set.codeHash = null;
      note = role === 'a' ? '甲方撤回 / withdrawn by A' : '乙方撤回 / withdrawn by B';
    }
    if (type === 'escalate') {
      set.escalation = reason ?? 'refusal';
      set.injury = row.injury || reason === 'injury';
      set.closedAt = now;
      set.codeHash = null;
      note = reason === 'injury' ? '有人员受伤，已提示立即拨打110 / someone is hurt: told to call 110' : '一方不配合网上处理，已提示拨打110 / a party refused: told to call 110';
    }
    if (note) set.statusNote = note;
    const [u] = await w.tx.update(citizenAccidents).set(set).where(eq(citizenAccidents.id, id)).returning();
    await this.event(w, id, type === 'confirm' && v.status !== 'agreed' ? 'confirmed' : v.status, type === 'confirm' ? `${role === 'a' ? '甲方' : '乙方'}已确认 / ${role.toUpperCase()} confirmed` : note, role, now);
    w.entity(String(id));
    return u;
  }

  /** The accident if the citizen is one of its two drivers, else 404 (another citizen's accident is as absent as a missing one). */
  async mine(citizenId: string, id: number, db: Db = this.deps.db, lock = false): Promise<{ row: AccidentRow; role: Party }> {
    const [party] = await db.select().from(citizenAccidentParties).where(and(eq(citizenAccidentParties.accidentId, id), eq(citizenAccidentParties.citizenId, citizenId)));
    if (!party) throw notFound('accident');
    const q = db.select().from(citizenAccidents).where(eq(citizenAccidents.id, id));
    const [row] = lock ? await q.for('update') : await q;
    if (!row) throw notFound('accident');
    return { row, role: party.role as Party };
  }

  async listMine(citizenId: string): Promise<{ row: AccidentRow; role: Party }[]> {
    const rows = await this.deps.db
      .select({ row: citizenAccidents, role: citizenAccidentParties.role })
      .from(citizenAccidents)
      .innerJoin(citizenAccidentParties, eq(citizenAccidentParties.accidentId, citizenAccidents.id))
      .where(eq(citizenAccidentParties.citizenId, citizenId))
      .orderBy(desc(citizenAccidents.createdAt), desc(citizenAccidents.id))
      .limit(50);
    return rows.map((r) => ({ row: r.row, role: r.role as Party }));
  }

  async parties(id: number): Promise<PartyRow[]> {
    return this.deps.db.select().from(citizenAccidentParties).where(eq(citizenAccidentParties.accidentId, id)).orderBy(asc(citizenAccidentParties.role));
  }

  async history(id: number) {
    return this.deps.db.select({ status: citizenAccidentEvents.status, note: citizenAccidentEvents.note, by: citizenAccidentEvents.by, at: citizenAccidentEvents.at }).from(citizenAccidentEvents).where(eq(citizenAccidentEvents.accidentId, id)).orderBy(asc(citizenAccidentEvents.id));
  }

  /** Photos by party: which driver took each. */
  async photos(id: number, parties: PartyRow[]): Promise<{ a: string[]; b: string[] }> {
    const rows = await this.deps.db.select({ id: citizenPhotos.id, citizenId: citizenPhotos.citizenId }).from(citizenPhotos).where(eq(citizenPhotos.accidentId, id)).orderBy(asc(citizenPhotos.createdAt));
    const roleOf = new Map(parties.map((p) => [p.citizenId, p.role]));
    return { a: rows.filter((r) => roleOf.get(r.citizenId) === 'a').map((r) => r.id), b: rows.filter((r) => roleOf.get(r.citizenId) === 'b').map((r) => r.id) };
  }

  // ------------------------------------------------------------ the officer

  /** The drivers' phones, masked (the officer needs no more to settle it; 110 has the full number when called). */
  async maskedPhones(parties: PartyRow[]): Promise<Map<string, string | null>> {
    if (!parties.length) return new Map();
    const rows = await this.deps.db.select({ id: citizens.id, phone: citizens.phone }).from(citizens).where(inArray(citizens.id, parties.map((p) => p.citizenId)));
    return new Map(rows.map((r) => [r.id, maskPhone(r.phone)]));
  }

  private scope(p: Principal): SQL | undefined {
    return unitScope(p, citizenAccidents.unitId);
  }

  async queue(p: Principal, status: AccidentStatus[] | undefined, limit: number): Promise<{ rows: AccidentRow[]; total: number }> {
    const where = and(this.scope(p), status?.length ? inArray(citizenAccidents.status, status) : undefined);
    // Awaiting determination first (the drivers are waiting at the roadside), then oldest.
    const rows = await this.deps.db
      .select()
      .from(citizenAccidents)
      .where(where)
      .orderBy(sql`case ${citizenAccidents.status} when 'submitted' then 0 when 'agreed' then 1 when 'liability_determined' then 2 else 3 end`, desc(citizenAccidents.createdAt))
      .limit(limit);
    const [n] = await this.deps.db.select({ n: sql<number>`count(*)::int` }).from(citizenAccidents).where(where);
    return { rows, total: n?.n ?? 0 };
  }

  async forStaff(p: Principal, id: number, db: Db = this.deps.db, lock = false): Promise<AccidentRow> {
    const q = db.select().from(citizenAccidents).where(and(eq(citizenAccidents.id, id), this.scope(p)));
    const [row] = lock ? await q.for('update') : await q;
    if (!row) throw notFound('accident');
    return row;
  }

  /** Liability determined remotely; the agreement text both drivers will confirm is fixed here. */
  async determine(w: Write, p: Principal, id: number, input: { liability: Liability; reason: string; videoLink?: string }, now = new Date()): Promise<AccidentRow> {
    const row = await this.forStaff(p, id, w.tx, true);
    const parties = await w.tx.select().from(citizenAccidentParties).where(eq(citizenAccidentParties.accidentId, id));
    this.step(row, parties, { type: 'determine', liability: input.liability, reason: input.reason });
    const a = parties.find((x) => x.role === 'a')!;
    const b = parties.find((x) => x.role === 'b')!;
    const unit = await this.deps.jurisdiction.unit(row.unitId);
    const text = agreementText({ id: row.id, occurredAt: localText(row.occurredAt), place: row.placeText, a, b, liability: input.liability, reason: input.reason.trim(), officerName: p.displayName, officerNo: p.username, unitName: unit?.name ?? row.unitId, determinedAt: localText(now) }).join('\n');
    const [u] = await w.tx
      .update(citizenAccidents)
      .set({ status: 'liability_determined', liability: input.liability, liabilityReason: input.reason.trim(), videoLink: input.videoLink?.trim() || null, determinedBy: p.username, officerName: p.displayName, determinedAt: now, agreementText: text, updatedAt: now })
      .where(eq(citizenAccidents.id, id))
      .returning();
    await this.event(w, id, 'liability_determined', input.reason.trim(), p.username, now);
    w.entity(String(id));
    return u;
  }

  async reject(w: Write, p: Principal, id: number, reason: string, now = new Date()): Promise<AccidentRow> {
    const row = await this.forStaff(p, id, w.tx, true);
    const parties = await w.tx.select().from(citizenAccidentParties).where(eq(citizenAccidentParties.accidentId, id));
    this.step(row, parties, { type: 'reject', reason });
    const [u] = await w.tx.update(citizenAccidents).set({ status: 'rejected', statusNote: reason.trim(), closedAt: now, updatedAt: now }).where(eq(citizenAccidents.id, id)).returning();
    await this.event(w, id, 'rejected', reason.trim(), p.username, now);
    w.entity(String(id));
    return u;
  }

  async close(w: Write, p: Principal, id: number, insurerRef: string, now = new Date()): Promise<AccidentRow> {
    const row = await this.forStaff(p, id, w.tx, true);
    const parties = await w.tx.select().from(citizenAccidentParties).where(eq(citizenAccidentParties.accidentId, id));
    this.step(row, parties, { type: 'close', insurerRef });
    const [u] = await w.tx.update(citizenAccidents).set({ status: 'closed', insurerRef: insurerRef.trim(), closedAt: now, updatedAt: now }).where(eq(citizenAccidents.id, id)).returning();
    await this.event(w, id, 'closed', `保险报案号 / insurer reference ${insurerRef.trim()}`, p.username, now);
    w.entity(String(id));
    return u;
  }

  // ------------------------------------------------------------ shared

  /** Runs the pure machine on the stored state; a refusal names the field in both languages. */
  private step(row: AccidentRow, parties: PartyRow[], e: AccidentEvent): AccidentState {
    const a = parties.find((p) => p.role === 'a');
    const b = parties.find((p) => p.role === 'b');
    const state: AccidentState = { status: row.status as AccidentStatus, joined: !!b, completeA: !!a, completeB: !!b, confirmedA: !!a?.confirmedAt, confirmedB: !!b?.confirmedAt };
    const v = nextAccident(state, e);
    if (v.ok) return v.state;
    switch (v.code) {
      case 'not_joined':
        throw refuse('对方驾驶人尚未加入：请让对方在其手机上输入共享码', 'The other driver has not joined: they enter the shared code on their own phone');
      case 'incomplete':
        throw invalidField('statement', '双方须填写车牌、保险公司和陈述', 'Both drivers must give plate, insurer and statement');
      case 'reason_required':
        throw invalidField('reason', '须填写理由', 'A reason is needed');
      case 'bad_liability':
        throw invalidField('liability', '无效的责任类型', 'Unknown liability');
      case 'insurer_ref_required':
        throw invalidField('insurerRef', '请填写保险公司报案号', 'Give the insurer’s reference');
      case 'already_confirmed':
        throw refuse('您已确认过协议', 'You have already confirmed the agreement');
      default:
        throw refuse(`事故当前状态为 ${row.status}，不能进行此操作`, `The accident is ${row.status}: this step is not possible now`);
    }
  }

  private async event(w: Write, id: number, status: string, note: string | null, by: string, at: Date) {
    await w.tx.insert(citizenAccidentEvents).values({ accidentId: id, status, note, by, at });
  }
}
