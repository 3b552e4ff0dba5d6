/**
 * Citizen reports: intake from the portal and from Open311 (the same report), duplicate suggestions,
 * voices, the staff review queue with its transitions, notifications, and the routing table.
 */
import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { AppError, notFound } from '../../core/errors.js';
import { coversUnit, maskPhone, unitScope, type Principal } from '../../core/access.js';
import type { Write, Writes } from '../../kernel/write.js';
import type { JurisdictionIndex } from '../org/index.js';
import type { IncidentsApi } from '../incidents/index.js';
import type { AddressService } from '../addresses/index.js';
import { citizenNotifications, citizenPhotos, citizenReportEvents, citizenReports, citizenServices, citizenVoices, citizens } from './schema.js';
import { boxAround, duplicatesOf } from './domain/geo.js';
import { checkTransition, isOpen, OPEN_STATUSES, type ReportStatus } from './domain/status.js';
import { detectEmergency } from './domain/emergency.js';
import { DEFAULT_SERVICES, routeReport, type RouteKind } from './domain/routing.js';
import { invalidField, refuse } from './errors.js';
import { VIOLATION_SERVICE } from './domain/violation.js';

export type ReportRow = typeof citizenReports.$inferSelect;
export type ServiceRow = typeof citizenServices.$inferSelect;

export interface ReportDeps {
  db: Db;
  writes: Writes;
  jurisdiction: JurisdictionIndex;
  incidents: IncidentsApi['incidents'];
  addresses?: AddressService;
  transferDueHours: number;
}

export interface Place {
  location?: { lon: number; lat: number };
  addressCode?: string;
}

export interface ReportInput extends Place {
  serviceCode: string;
  description: string;
  /** The citizen read the 110 warning and still sends it: accepted, flagged urgent to the station. */
  insist?: boolean;
  /** The citizen saw the suggested duplicates and still wants a new report. */
  ignoreDuplicates?: boolean;
  photoIds?: string[];
}

export interface Reporter {
  channel: 'portal' | 'open311' | 'demo';
  citizenId: string | null;
  apiKeyId?: string | null;
}

/** The place of a report: a point, or a standard address code turned into its point. */
export async function resolvePlace(deps: Pick<ReportDeps, 'addresses'>, place: Place): Promise<{ lon: number; lat: number; addressCode: string | null; addressText: string | null }> {
  if (place.addressCode) {
    const a = deps.addresses ? await deps.addresses.point(place.addressCode) : undefined;
    if (!a) throw invalidField('addressCode', '没有这个标准地址编码', 'No standard address has this code');
    return { lon: a.lon, lat: a.lat, addressCode: a.code, addressText: a.text };
  }
  if (!place.location) throw invalidField('location', '请在地图上选择位置、使用定位或输入标准地址编码', 'Pick the place on the map, use your location, or give a standard address code');
  return { ...place.location, addressCode: null, addressText: null };
}

export class CitizenReports {
  constructor(readonly deps: ReportDeps) {}
  private table: { at: number; byCode: Promise<Map<string, ServiceRow>> } | null = null;

  // ------------------------------------------------------------ routing table

  /** The whole table by code for Open311's every request: read again after 5 s, or at once after a change made here. */
  servicesByCode(): Promise<Map<string, ServiceRow>> {
    if (!this.table || Date.now() - this.table.at > 5000) {
      const byCode = this.services(true).then((rows) => new Map(rows.map((s) => [s.code, s])));
      byCode.catch(() => (this.table = null));
      this.table = { at: Date.now(), byCode };
    }
    return this.table.byCode;
  }

  async services(all = false): Promise<ServiceRow[]> {
    const q = this.deps.db.select().from(citizenServices);
    return (all ? q : q.where(eq(citizenServices.active, true))).orderBy(asc(citizenServices.sort), asc(citizenServices.code));
  }

  async service(code: string, db: Db = this.deps.db): Promise<ServiceRow | null> {
    const [s] = await db.select().from(citizenServices).where(eq(citizenServices.code, code));
    return s ?? null;
  }

  /** Replaces the routing table (codes absent from the list are deactivated, never deleted: reports name them). */
  async putServices(w: Write, rows: { code: string; nameZh: string; nameEn: string; group: string; route: RouteKind; unitId?: string | null; incidentCategory?: string | null; radiusM: number; keywords?: string; active?: boolean }[]): Promise<void> {
    const seen = new Set<string>();
    for (const [i, r] of rows.entries()) {
      if (seen.has(r.code)) throw invalidField(`services.${i}.code`, `代码 ${r.code} 重复`, `Code ${r.code} appears twice`);
      seen.add(r.code);
      if (r.route === 'unit' && r.unitId && !(await this.deps.jurisdiction.unit(r.unitId))) throw invalidField(`services.${i}.unitId`, '没有这个单位', 'No such unit');
      if (r.route === 'hotline12345') {
        if (!r.incidentCategory || !/^08\d{6}$/.test(r.incidentCategory)) throw invalidField(`services.${i}.incidentCategory`, '转12345须指定非警务类别（08 开头的末级类别）', 'A 12345 route needs a non-police leaf category (08……)');
      }
    }
    const now = new Date();
    this.table = null;
    await w.tx.update(citizenServices).set({ active: false, updatedAt: now });
    for (const [i, r] of rows.entries()) {
      const v = { nameZh: r.nameZh, nameEn: r.nameEn, group: r.group, route: r.route, unitId: r.unitId ?? null, incidentCategory: r.incidentCategory ?? null, radiusM: r.radiusM, keywords: r.keywords ?? '', active: r.active ?? true, sort: i, updatedAt: now };
      await w.tx.insert(citizenServices).values({ code: r.code, ...v }).onConflictDoUpdate({ target: citizenServices.code, set: v });
    }
  }

  /** The default table, once (a new database). */
  async seedServices(db: Db = this.deps.db): Promise<void> {
    const [n] = await db.select({ n: sql<number>`count(*)::int` }).from(citizenServices);
    if ((n?.n ?? 0) > 0) return;
    await db
      .insert(citizenServices)
      .values(DEFAULT_SERVICES.map((s, i) => ({ code: s.code, nameZh: s.zh, nameEn: s.en, group: s.group, route: s.route, unitId: null, incidentCategory: s.incidentCategory, radiusM: s.radiusM, keywords: s.keywords, sort: i })))
      .onConflictDoNothing();
  }

  // ------------------------------------------------------------ intake

  /** Open reports of the same category near the place: what the citizen may add a voice to. */
  async duplicates(serviceCode: string, at: { lon: number; lat: number }, radiusM: number, excludeId?: number, db: Db = this.deps.db): Promise<(ReportRow & { distanceM: number })[]> {
    const box = boxAround(at, radiusM);
    const rows = await db
      .select()
      .from(citizenReports)
      .where(
        and(
          eq(citizenReports.serviceCode, serviceCode),
          inArray(citizenReports.status, [...OPEN_STATUSES]),
          gte(citizenReports.lat, box.minLat),
          lte(citizenReports.lat, box.maxLat),
          gte(citizenReports.lon, box.minLon),
          lte(citizenReports.lon, box.maxLon),
        ),
      )
      .limit(200);
    return duplicatesOf(at, serviceCode, radiusM, rows.filter((r) => r.id !== excludeId).map((r) => ({ ...r, id: r.id as unknown as string, open: isOpen(r.status as ReportStatus) })))
      .slice(0, 5)
      .map((r) => ({ ...r, id: Number(r.id) }));
  }

  /** What the form shows before submit: the 110 warning and the duplicates. */
  async check(input: { serviceCode: string; description?: string } & Place) {
    const service = await this.activeService(input.serviceCode);
    const emergency = detectEmergency(input.description ?? '');
    let dups: (ReportRow & { distanceM: number })[] = [];
    if (input.location || input.addressCode) {
      const place = await resolvePlace(this.deps, input);
      dups = await this.duplicates(service.code, place, service.radiusM);
    }
    return { emergency, duplicates: dups, radiusM: service.radiusM };
  }

  private async activeService(code: string, db: Db = this.deps.db): Promise<ServiceRow> {
    const s = await this.service(code, db);
    if (!s || !s.active) throw new AppError(404, 'citizen_invalid', { field: 'serviceCode', zh: `没有这个事项类别：${code}`, en: `No such service: ${code}` }, 'serviceCode');
    return s;
  }

  /**
   * A new report's row before it is written — place, routing, urgency — and the note of its first status
   * event: create below and the Open311 batch (open311-intake.ts) share it. Refused (409) when it reads like
   * an emergency from the portal and the citizen did not insist.
   */
  async draft(service: ServiceRow, input: ReportInput, who: Reporter, now: Date): Promise<{ values: typeof citizenReports.$inferInsert; place: { lon: number; lat: number }; note: string | null; by: string }> {
    const description = input.description.trim();
    if (!description) throw invalidField('description', '请描述发生了什么', 'Describe what happened');
    const emergency = detectEmergency(description);
    if (emergency.emergency && !input.insist && who.channel === 'portal') throw new AppError(409, 'citizen_call_110', {}, 'description');
    const place = await resolvePlace(this.deps, input);
    const located = await this.deps.jurisdiction.locate(place.lon, place.lat);
    const units = new Set((await this.deps.jurisdiction.units()).map((u) => u.id));
    const routed = routeReport({ code: service.code, route: service.route as RouteKind, unitId: service.unitId }, located?.stationId ?? null, (id) => units.has(id));
    if (!routed || !located) throw invalidField(input.addressCode ? 'addressCode' : 'location', '该位置不在本市辖区内', 'The place is outside the city');
    return {
      place,
      note: emergency.emergency ? '含紧急情况关键词，已标记为紧急 / flagged urgent' : null,
      by: who.channel === 'open311' ? 'open311' : 'citizen',
      values: {
        citizenId: who.citizenId,
        channel: who.channel,
        apiKeyId: who.apiKeyId ?? null,
        serviceCode: service.code,
        description,
        lon: place.lon,
        lat: place.lat,
        addressCode: place.addressCode,
        addressText: place.addressText,
        stationId: located.stationId,
        unitId: routed.unitId,
        route: routed.applied,
        status: 'received',
        urgent: emergency.emergency,
        token: randomBytes(12).toString('base64url'),
        createdAt: now,
        updatedAt: now,
      },
    };
  }

  /** A new report, routed; refused (409) when it reads like an emergency and the citizen did not insist, or duplicates exist and were not seen. */
  async create(w: Write, input: ReportInput, who: Reporter, now = new Date()): Promise<ReportRow> {
    if (!input.description.trim()) throw invalidField('description', '请描述发生了什么', 'Describe what happened');
    const service = await this.activeService(input.serviceCode, w.tx);
    const d = await this.draft(service, input, who, now);
    if (who.channel === 'portal' && !input.ignoreDuplicates) {
      const dups = await this.duplicates(service.code, d.place, service.radiusM, undefined, w.tx);
      if (dups.length) throw new AppError(409, 'citizen_duplicates', { n: dups.length }, 'serviceCode');
    }
    const [row] = await w.tx.insert(citizenReports).values(d.values).returning();
    await w.tx.insert(citizenReportEvents).values({ reportId: row.id, status: 'received', note: d.note, by: d.by, at: now });
    if (input.photoIds?.length) {
      if (!who.citizenId) throw invalidField('photoIds', '只有登录的群众可以附照片', 'Only a signed-in citizen can attach photos');
      const ids = [...new Set(input.photoIds)];
      if (ids.length > 6) throw invalidField('photoIds', '最多 6 张照片', 'At most 6 photos');
      const taken = await w.tx
        .update(citizenPhotos)
        .set({ reportId: row.id })
        .where(and(inArray(citizenPhotos.id, ids), eq(citizenPhotos.citizenId, who.citizenId), isNull(citizenPhotos.reportId)))
        .returning({ id: citizenPhotos.id });
      if (taken.length !== ids.length) throw invalidField('photoIds', '照片不存在或已用于其他报事', 'A photo does not exist or belongs to another report');
    }
    w.entity(String(row.id));
    return row;
  }

  // ------------------------------------------------------------ what a citizen sees

  /** A report the citizen made or voiced, else 404 (another citizen's report is as absent as a missing one). */
  async mine(citizenId: string, id: number): Promise<ReportRow> {
    const [row] = await this.deps.db
      .select()
      .from(citizenReports)
      .where(and(eq(citizenReports.id, id), or(eq(citizenReports.citizenId, citizenId), sql`exists (select 1 from citizen_voices v where v.report_id = ${citizenReports.id} and v.citizen_id = ${citizenId})`)));
    if (!row) throw notFound('report');
    return row;
  }

  async listMine(citizenId: string, limit = 50): Promise<ReportRow[]> {
    return this.deps.db
      .select()
      .from(citizenReports)
      .where(or(eq(citizenReports.citizenId, citizenId), sql`exists (select 1 from citizen_voices v where v.report_id = ${citizenReports.id} and v.citizen_id = ${citizenId})`))
      .orderBy(desc(citizenReports.createdAt), desc(citizenReports.id))
      .limit(limit);
  }

  async history(reportId: number) {
    return this.deps.db.select({ status: citizenReportEvents.status, note: citizenReportEvents.note, at: citizenReportEvents.at }).from(citizenReportEvents).where(eq(citizenReportEvents.reportId, reportId)).orderBy(asc(citizenReportEvents.id));
  }

  async photosOf(reportId: number): Promise<string[]> {
    return (await this.deps.db.select({ id: citizenPhotos.id }).from(citizenPhotos).where(eq(citizenPhotos.reportId, reportId)).orderBy(asc(citizenPhotos.createdAt))).map((p) => p.id);
  }

  /** "Add my voice": the citizen follows an open report instead of making a new one (once). */
  async addVoice(w: Write, citizenId: string, id: number): Promise<{ voices: number; added: boolean }> {
    const [row] = await w.tx.select().from(citizenReports).where(eq(citizenReports.id, id)).for('update');
    // Open reports are public information (Open311 lists them); a closed one cannot be joined.
    // 随手拍 violation reports are not: only their reporter sees them (a voice would open them to another).
    if (!row || row.serviceCode === VIOLATION_SERVICE) throw notFound('report');
    if (!isOpen(row.status as ReportStatus)) throw refuse('该报事已办结，不能再附议，请新建报事', 'That report is closed: make a new one');
    if (row.citizenId === citizenId) return { voices: row.voices, added: false };
    const added = await w.tx.insert(citizenVoices).values({ reportId: id, citizenId }).onConflictDoNothing().returning({ id: citizenVoices.reportId });
    if (!added.length) return { voices: row.voices, added: false };
    const [u] = await w.tx.update(citizenReports).set({ voices: sql`${citizenReports.voices} + 1` }).where(eq(citizenReports.id, id)).returning({ voices: citizenReports.voices });
    w.entity(String(id));
    return { voices: u.voices, added: true };
  }

  async notifications(citizenId: string, unreadOnly: boolean) {
    return this.deps.db
      .select()
      .from(citizenNotifications)
      .where(and(eq(citizenNotifications.citizenId, citizenId), unreadOnly ? isNull(citizenNotifications.readAt) : undefined))
      .orderBy(desc(citizenNotifications.id))
      .limit(100);
  }

  async markRead(citizenId: string, ids: number[] | 'all'): Promise<number> {
    const rows = await this.deps.db
      .update(citizenNotifications)
      .set({ readAt: new Date() })
      .where(and(eq(citizenNotifications.citizenId, citizenId), isNull(citizenNotifications.readAt), ids === 'all' ? undefined : inArray(citizenNotifications.id, ids.length ? ids : [-1])))
      .returning({ id: citizenNotifications.id });
    return rows.length;
  }

  // ------------------------------------------------------------ staff

  private scope(p: Principal): SQL | undefined {
    return unitScope(p, citizenReports.unitId);
  }

  async queue(p: Principal, q: { status?: ReportStatus[]; limit: number; offset: number }) {
    const where = and(this.scope(p), q.status?.length ? inArray(citizenReports.status, q.status) : undefined);
    const rows = await this.deps.db.select().from(citizenReports).where(where).orderBy(desc(citizenReports.urgent), asc(citizenReports.createdAt)).limit(q.limit).offset(q.offset);
    const [n] = await this.deps.db.select({ n: sql<number>`count(*)::int` }).from(citizenReports).where(where);
    return { rows, total: n?.n ?? 0 };
  }

  async forStaff(p: Principal, id: number, db: Db = this.deps.db): Promise<ReportRow> {
    const [row] = await db.select().from(citizenReports).where(and(eq(citizenReports.id, id), this.scope(p)));
    if (!row) throw notFound('report');
    return row;
  }

  /** The reporter's phone, masked (staff never need more to review). */
  async reporterPhone(citizenId: string | null): Promise<string | null> {
    if (!citizenId) return null;
    const [c] = await this.deps.db.select({ phone: citizens.phone }).from(citizens).where(eq(citizens.id, citizenId));
    return maskPhone(c?.phone ?? null);
  }

  /**
   * Before an accept (outside its transaction: the incidents module writes on its own): a 12345 matter is
   * recorded as a non-police incident already transferred to 12345 (the incidents module's transfer
   * path). Answers the incident's id, or undefined when there is nothing to transfer.
   */
  async transferBeforeAccept(p: Principal, id: number): Promise<string | undefined> {
    const row = await this.forStaff(p, id);
    if (row.route !== 'hotline12345' || row.incidentId || row.status !== 'received' || row.lon === null || row.lat === null) return undefined;
    const service = await this.service(row.serviceCode);
    if (!service?.incidentCategory) return undefined;
    const made = await this.deps.incidents.create(p, {
      source: 'citizen_portal',
      categoryCode: service.incidentCategory,
      description: `[网上报事 #${row.id}] ${row.description}`.slice(0, 2000),
      location: { lon: row.lon, lat: row.lat },
      externalRef: `CR-${row.id}`,
      transfer: { target: '12345', reason: '群众网上报事，非警务事项 / citizen report, not a police matter', dueHours: this.deps.transferDueHours },
    });
    return made.row.id;
  }

  /**
   * A staff transition: accept (a 12345 matter is transferred through the incidents module), start,
   * resolve with an outcome, reject with a reason, or mark as a duplicate of an open original (the
   * reporter then follows the original and is told).
   */
  async transition(w: Write, p: Principal, id: number, input: { to: ReportStatus; reason?: string; duplicateOf?: number; incidentId?: string }, now = new Date()): Promise<ReportRow> {
    const [row] = await w.tx.select().from(citizenReports).where(and(eq(citizenReports.id, id), this.scope(p))).for('update');
    if (!row) throw notFound('report');
    const verdict = checkTransition(row.status as ReportStatus, { to: input.to, reason: input.reason ?? (input.to === 'duplicate' && input.duplicateOf ? `与报事 #${input.duplicateOf} 重复 / duplicate of #${input.duplicateOf}` : null) });
    if (!verdict.ok) {
      if (verdict.code === 'reason_required') throw invalidField(verdict.field!, input.to === 'resolved' ? '办结须填写处理结果' : '须填写原因（群众可见）', input.to === 'resolved' ? 'Resolving needs the outcome' : 'A reason is needed (the citizen reads it)');
      throw refuse(`报事当前状态为 ${row.status}，不能改为 ${input.to}`, `The report is ${row.status}; it cannot become ${input.to}`);
    }
    let note = input.reason?.trim() || null;
    let original: ReportRow | undefined;
    if (input.to === 'duplicate') {
      if (!input.duplicateOf) throw invalidField('duplicateOf', '请指定原报事编号', 'Give the original report’s number');
      if (input.duplicateOf === id) throw invalidField('duplicateOf', '不能与自身重复', 'A report cannot duplicate itself');
      [original] = await w.tx.select().from(citizenReports).where(and(eq(citizenReports.id, input.duplicateOf), this.scope(p))).for('update');
      if (!original) throw invalidField('duplicateOf', '原报事不存在或不在您的辖区', 'The original does not exist or is outside your jurisdiction');
      if (!isOpen(original.status as ReportStatus)) throw invalidField('duplicateOf', '原报事已办结', 'The original is closed');
      note ??= `与报事 #${original.id} 重复 / duplicate of #${original.id}`;
    }
    const incidentId = input.incidentId ?? row.incidentId;
    if (input.incidentId) note ??= '非警务事项，已转 12345 政务服务热线办理 / not a police matter: handed to the 12345 hotline';
    const final = input.to === 'resolved' || input.to === 'rejected' || input.to === 'duplicate';
    const [updated] = await w.tx
      .update(citizenReports)
      .set({
        status: input.to,
        statusNote: note,
        duplicateOf: original ? original.id : row.duplicateOf,
        incidentId,
        acceptedAt: input.to === 'accepted' ? now : row.acceptedAt,
        closedAt: final ? now : row.closedAt,
        updatedAt: now,
      })
      .where(eq(citizenReports.id, id))
      .returning();
    await w.tx.insert(citizenReportEvents).values({ reportId: id, status: input.to, note, by: p.username, at: now });
    await this.notify(w, updated, input.to, note, now);
    if (original && row.citizenId) {
      // The reporter follows the original from now on (their voice is added to it).
      const added = await w.tx.insert(citizenVoices).values({ reportId: original.id, citizenId: row.citizenId, at: now }).onConflictDoNothing().returning({ r: citizenVoices.reportId });
      if (added.length && original.citizenId !== row.citizenId) await w.tx.update(citizenReports).set({ voices: sql`${citizenReports.voices} + 1` }).where(eq(citizenReports.id, original.id));
    }
    w.entity(String(id));
    return updated;
  }

  /** The reporter and every citizen who added a voice hear of the change. */
  private async notify(w: Write, row: ReportRow, status: string, note: string | null, now: Date) {
    const voices = await w.tx.select({ citizenId: citizenVoices.citizenId }).from(citizenVoices).where(eq(citizenVoices.reportId, row.id));
    const who = new Set<string>(voices.map((v) => v.citizenId));
    if (row.citizenId) who.add(row.citizenId);
    if (!who.size) return;
    await w.tx.insert(citizenNotifications).values([...who].map((citizenId) => ({ citizenId, reportId: row.id, status, note, at: now })));
  }

  /** Whether a staff member may see a unit's reports (used by the detail route's 404). */
  covers(p: Principal, unitPath: string): boolean {
    return coversUnit(p, unitPath);
  }
}
