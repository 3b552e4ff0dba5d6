/**
 * 110 intake: creating incidents (numbered, located, prioritised), moving them through their
 * lifecycle, duplicates, caller and place history. Pure rules live in ./domain; this file is the I/O.
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.js';
import { AppError, notFound } from '../../core/errors.js';
import { pendingAuditRecord, requestAuditEntry } from '../audit/index.js';
import { coversUnit, unitScope, type Principal } from '../../core/access.js';
import type { JurisdictionIndex } from '../org/index.js';
import { callbacks, incidentEvents, incidents, transfers } from './schema.js';
import { DuplicateFinder, IncidentWriter, isUniqueViolation, type IncidentDraft } from './store.js';
import type { CategoryStore } from './categories-store.js';
import { suggestPriority, priorityOverrideNeedsReason } from './domain/priority.js';
import { storedCategory } from './categories-store.js';
import { canTransition, isTerminalStatus, type IncidentStatus } from './domain/lifecycle.js';
import { findDisposition, isDispositionCode } from './domain/dispositions.js';
import { distanceMeters } from './domain/proximity.js';
import { callbackView, incidentView, timelineFromTimes, transferView } from './views.js';
import { intakeTransferDraft, type IntakeTransferInput } from './intake-transfer.js';
import { storedKey, type Write, type Writes } from '../../kernel/write.js';
import type { Committed, OutboxDraft, OutboxRelay, StoredEvent } from '../../kernel/outbox.js';

export type IncidentRow = typeof incidents.$inferSelect;
/** Runs in the write that ends an incident (IncidentService.onEnded). */
export type EndedHook = (w: Write, row: IncidentRow) => Promise<void>;

/** A move of an incident; `detail` (other modules only, not the HTTP body) adds to the timeline event: the units that caused it, a reason code. */
export interface TransitionInput {
  to: string;
  dispositionCode?: string;
  dispositionNote?: string;
  reason?: string;
  detail?: Record<string, unknown>;
}
export type Priority = 'P1' | 'P2' | 'P3' | 'P4';
export { INCIDENT_SOURCES as SOURCES } from './domain/lifecycle.js';
import { INCIDENT_SOURCES } from './domain/lifecycle.js';

/**
 * Roles that need the caller's full name and number to do their work; everyone else sees them masked.
 * Even they see them only in a read of one incident (its page, the call being taken, the officer's
 * assignment, the caller's own history), each audited with the ids it showed (unmaskedCallerIds);
 * lists, duplicate panels and the stream show every caller masked (listView).
 */
const CALLER_ROLES = ['calltaker', 'dispatcher', 'chief', 'officer', 'admin'];
export const seesCaller = (p: Principal) => p.kind === 'user' && p.roles.some((r) => CALLER_ROLES.includes(r));

/** The ids of the incidents in an answer whose caller it shows unmasked: what the read's audit row names. */
export function unmaskedCallerIds(p: Principal, shown: readonly { id: string; caller: { name: string | null; phone: string | null } }[]): string[] {
  return seesCaller(p) ? shown.filter((v) => v.caller.name !== null || v.caller.phone !== null).map((v) => v.id) : [];
}

/** The phone number a search text stands for (digits, an optional +, spaces and dashes), or null. */
export function phoneSearched(text: string): string | null {
  const t = text.trim();
  return /^\+?[\d\s-]{5,20}$/.test(t) ? t.replace(/[\s-]/g, '') : null;
}

export interface AddressLookup {
  point(code: string): Promise<{ code: string; text: string; lon: number; lat: number } | undefined>;
}

export interface CreateIncidentInput {
  source: (typeof INCIDENT_SOURCES)[number];
  categoryCode: string;
  priority?: Priority;
  priorityReason?: string;
  caller?: { name?: string; phone?: string };
  address?: string;
  addressCode?: string;
  location?: { lon: number; lat: number; accuracyM?: number };
  stationId?: string;
  description: string;
  callStartedAt?: string;
  answeredAt?: string;
  /** A 12345 order's reference: the order is recorded with its incident, once (store.ts hotlineOrder). */
  externalRef?: string;
  /** Not a police matter: recorded already transferred, never waiting for dispatch (intake-transfer.ts). */
  transfer?: IntakeTransferInput & { dueHours: number };
}

/** Incidents of the principal's jurisdiction: by station, or by grid for grid-level users. */
export function incidentScope(p: Principal): SQL | undefined {
  const byStation = unitScope(p, incidents.stationId);
  if (!byStation) return undefined;
  return or(byStation, unitScope(p, incidents.gridId));
}

export class IncidentService {
  private readonly writer: IncidentWriter;
  private readonly duplicates: DuplicateFinder;
  private readonly endedHooks: EndedHook[] = [];

  /**
   * Every change goes out as an `incident` event through the outbox (`outbox`), committed with the
   * change (`writes`): consoles see the incident with the caller masked, dispatch handles it in-process.
   */
  constructor(
    private readonly db: Db,
    private readonly categories: CategoryStore,
    private readonly jurisdiction: JurisdictionIndex,
    private readonly writes: Writes,
    private readonly outbox: OutboxRelay,
    private readonly addresses?: AddressLookup,
  ) {
    this.writer = new IncidentWriter(db);
    this.duplicates = new DuplicateFinder(db);
    outbox.enrich('incident', (rows) => this.eventsOfStored(rows));
  }

  /** The stream's event of a change: the incident as a list shows it (caller masked: no personal data). */
  private async changeEvent(row: IncidentRow, event: string): Promise<OutboxDraft> {
    const station = await this.jurisdiction.station(row.stationId);
    return { topic: 'incident', key: row.id, event, unitPath: station?.path ?? null, data: { event, incident: this.listView(row) } };
  }

  /** Events left in the outbox by a crash, rebuilt from the incidents as they now stand. */
  private async eventsOfStored(stored: readonly StoredEvent[]): Promise<Committed[]> {
    const rows = await this.db.select().from(incidents).where(inArray(incidents.id, [...new Set(stored.map((s) => s.key))]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const out: Committed[] = [];
    for (const s of stored) {
      const row = byId.get(s.key);
      if (!row) continue;
      const e = await this.changeEvent(row, s.event);
      out.push({ seq: s.seq, bus: { type: e.topic, unitPath: e.unitPath, key: e.key, at: s.at.toISOString(), data: e.data }, local: row });
    }
    return out;
  }

  /** The answer to a create: the incident and the open ones it may duplicate. */
  createdAnswer(row: IncidentRow, duplicates: IncidentRow[], p: Principal) {
    return { ...this.view(row, p), duplicateCandidates: duplicates.map((d) => this.listView(d)) };
  }

  /** The answer to a create again, for a retry with the same Idempotency-Key (from the stored reference). */
  /** The answer stored under this request's Idempotency-Key by the request that committed it (a retry or a concurrent twin). */
  private async answerOfTwin(p: Principal, req: FastifyRequest) {
    const idem = req.idempotency!;
    const stored = await storedKey(this.db, idem.principal, idem.key);
    if (!stored || stored.state !== 'done') throw new AppError(409, 'idempotency_in_progress');
    if (stored.requestHash !== idem.requestHash) throw new AppError(422, 'idempotency_mismatch', {}, 'Idempotency-Key');
    idem.committed = true;
    idem.replayed = true;
    const ref = stored.response as Record<string, unknown>;
    const row = await this.get(p, String(ref.id));
    req.auditEntityId = row.id;
    return { row, duplicates: [] as IncidentRow[], answer: await this.replayCreated(p, ref) };
  }

  async replayCreated(p: Principal, ref: Record<string, unknown>) {
    const row = await this.get(p, String(ref.id));
    const ids = Array.isArray(ref.duplicateIds) ? ref.duplicateIds.map(String) : [];
    const found = ids.length ? await this.db.select().from(incidents).where(and(inArray(incidents.id, ids), incidentScope(p))) : [];
    const byId = new Map(found.map((r) => [r.id, r]));
    return this.createdAnswer(row, ids.flatMap((i) => byId.get(i) ?? []), p);
  }

  /** One incident as `p` may see it: the caller in full for the roles that need it (seesCaller). */
  view(r: IncidentRow, p: Principal) {
    return incidentView(r, seesCaller(p));
  }

  /** An incident in a list or panel: the caller masked for everyone. */
  listView(r: IncidentRow) {
    return incidentView(r, false);
  }


  private async locate(p: Principal, input: CreateIncidentInput) {
    let lon = input.location?.lon;
    let lat = input.location?.lat;
    let addressText = input.address ?? null;
    let addressCode: string | null = null;
    if (input.addressCode) {
      const a = await this.addresses?.point(input.addressCode);
      if (!a) throw new AppError(400, 'unknown_address', { code: input.addressCode }, 'addressCode');
      addressCode = a.code;
      addressText ??= a.text;
      if (lon === undefined) [lon, lat] = [a.lon, a.lat];
    }
    const located = lon !== undefined && lat !== undefined ? await this.jurisdiction.locate(lon, lat) : null;
    if (lon !== undefined && lat !== undefined && !located && !input.stationId) {
      throw new AppError(400, 'outside_jurisdiction', { lon, lat }, 'location');
    }
    let stationId = located?.stationId;
    let stationCode = located?.stationCode;
    let gridId = located?.gridId ?? null;
    let overridden = false;
    if (input.stationId && input.stationId !== stationId) {
      const s = await this.jurisdiction.station(input.stationId);
      if (!s || !coversUnit(p, s.path)) throw new AppError(400, 'invalid_value', { field: 'stationId', detail: 'no such station in your jurisdiction' }, 'stationId');
      [stationId, stationCode, gridId, overridden] = [s.id, s.code, null, located !== null];
    }
    if (!stationId || !stationCode) throw new AppError(400, 'location_required', {}, 'location');
    return { lon: lon ?? null, lat: lat ?? null, addressText, addressCode, stationId, stationCode, gridId, overridden };
  }

  async create(p: Principal, input: CreateIncidentInput, req?: FastifyRequest): Promise<{ row: IncidentRow; duplicates: IncidentRow[]; answer: ReturnType<IncidentService['createdAnswer']> }> {
    const cat = await this.categories.get(input.categoryCode);
    if (!cat || !cat.active) throw new AppError(400, 'unknown_category', { code: input.categoryCode }, 'categoryCode');
    if (!cat.leaf) throw new AppError(400, 'category_not_leaf', { code: input.categoryCode }, 'categoryCode');
    const where = await this.locate(p, input);
    const suggestion = suggestPriority(input.categoryCode, input.description, { category: storedCategory(cat) });
    const priority = input.priority ?? suggestion.priority;
    if (priorityOverrideNeedsReason(suggestion.priority, priority) && !input.priorityReason?.trim()) {
      throw new AppError(400, 'reason_required', { field: 'priorityReason' }, 'priorityReason');
    }
    const family = await this.categories.family(input.categoryCode);
    const now = new Date();
    const transfer = input.transfer ? intakeTransferDraft(input.transfer, input.categoryCode, family, now, input.transfer.dueHours) : undefined;
    const id = randomUUID();
    // The audit entry is written with the incident (same statement); the audit hook then chains it.
    const auditEntry = req ? requestAuditEntry(req, 201, { entityId: id, at: now }) : undefined;
    const draft: IncidentDraft = {
      stationCode: where.stationCode,
      row: {
        id,
        source: input.source,
        categoryCode: input.categoryCode,
        categoryFamily: family,
        priority,
        suggestedPriority: suggestion.priority,
        priorityReason: priority !== suggestion.priority ? (input.priorityReason?.trim() ?? null) : null,
        callerName: input.caller?.name?.trim() || null,
        callerPhone: input.caller?.phone?.replace(/[\s-]/g, '') || null,
        addressText: where.addressText,
        addressCode: where.addressCode,
        lon: where.lon,
        lat: where.lat,
        accuracyM: input.location?.accuracyM ?? null,
        description: input.description.trim(),
        stationId: where.stationId,
        gridId: where.gridId,
        jurisdictionOverridden: where.overridden,
        status: transfer ? 'transferred' : 'new',
        dispositionCode: null,
        dispositionNote: null,
        masterId: null,
        externalRef: input.externalRef ?? null,
        createdBy: p.username,
        callStartedAt: input.callStartedAt ? new Date(input.callStartedAt) : null,
        answeredAt: input.answeredAt ? new Date(input.answeredAt) : null,
        recordedAt: now,
        dispatchedAt: null,
        enRouteAt: null,
        onSceneAt: null,
        clearedAt: null,
        closedAt: null,
        transferredAt: transfer ? now : null,
        cancelledAt: null,
        mergedAt: null,
        reopenedAt: null,
        updatedAt: now,
        version: 1,
      },
      event: { userId: p.kind === 'user' ? p.id : null, username: p.username, detail: { priority, suggested: suggestion.priority, reasons: suggestion.reasons, reasonCodes: suggestion.reasonCodes, source: input.source } },
      // A retry gets the answer rebuilt from this reference (registered in routes.ts).
      idempotency: req?.idempotency ? { ...req.idempotency, response: async () => ({ $replay: 'incident.created', id, duplicateIds: (await duplicatesPromise).map((d) => d.id) }) } : undefined,
      hotlineOrder: input.source === 'hotline12345' && input.externalRef ? { externalRef: input.externalRef, tokenId: p.kind === 'token' ? p.id : null } : undefined,
      audit: auditEntry && req ? { key: String(req.id), record: pendingAuditRecord(auditEntry) } : undefined,
      transfer,
      origin: this.outbox.origin,
    };
    // Duplicates are looked for while the row is written: they are open incidents that existed before
    // this one. The answer offers the five nearest for a merge (the console shows three); the live
    // duplicate panel asks for more.
    const duplicatesPromise: Promise<IncidentRow[]> = !transfer && where.lon !== null && where.lat !== null ? this.duplicateCandidates(p, { family, lon: where.lon, lat: where.lat, at: now, excludeId: id, limit: 5 }) : Promise.resolve([]);
    duplicatesPromise.catch(() => {}); // awaited below; not an unhandled rejection if the write fails first
    let row: IncidentRow;
    let seq: number;
    try {
      ({ row, seq } = await this.writer.create(draft));
    } catch (err) {
      // A concurrent request with the same Idempotency-Key committed first: answer as a retry would.
      if (req?.idempotency && isUniqueViolation(err, 'idempotency_keys_principal_key_pk')) return this.answerOfTwin(p, req);
      throw err;
    }
    const duplicates = await duplicatesPromise;
    if (req?.idempotency) req.idempotency.committed = true;
    if (req) req.auditEntityId = row.id;
    if (req && auditEntry) req.auditPending = { key: String(req.id), entry: auditEntry };
    const created = await this.changeEvent(row, 'created');
    this.outbox.committed([{ seq, bus: { type: created.topic, unitPath: created.unitPath, key: row.id, at: now.toISOString(), data: created.data }, local: row }]);
    return { row, duplicates, answer: this.createdAnswer(row, duplicates, p) };
  }

  /** Incidents of a priority still waiting for a unit (status new) recorded since `since`: dispatch's timers. */
  async waiting(priority: Priority, since: Date) {
    return this.db
      .select({ id: incidents.id, number: incidents.number, priority: incidents.priority, recordedAt: incidents.recordedAt, stationId: incidents.stationId })
      .from(incidents)
      .where(and(eq(incidents.status, 'new'), eq(incidents.priority, priority), gte(incidents.recordedAt, since)));
  }

  /** One incident in `p`'s scope; `db` is the open transaction when inside a write. */
  async get(p: Principal, id: string, db: Db = this.db): Promise<IncidentRow> {
    const [r] = await db.select().from(incidents).where(and(eq(incidents.id, id), incidentScope(p)));
    if (!r) throw notFound('incident');
    return r;
  }

  async detail(p: Principal, id: string) {
    const r = await this.get(p, id);
    const [events, xfers, cb, children, categoryPath] = await Promise.all([
      this.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, id)).orderBy(incidentEvents.at, incidentEvents.id),
      this.db.select().from(transfers).where(eq(transfers.incidentId, id)),
      this.db.select().from(callbacks).where(eq(callbacks.incidentId, id)),
      this.db.select({ id: incidents.id, number: incidents.number }).from(incidents).where(eq(incidents.masterId, id)),
      this.categories.path(r.categoryCode),
    ]);
    const station = await this.jurisdiction.station(r.stationId);
    return {
      ...this.view(r, p),
      categoryPath,
      stationName: station?.name ?? null,
      events: events.length ? events.map((e) => ({ at: e.at.toISOString(), type: e.type, fromStatus: e.fromStatus, toStatus: e.toStatus, username: e.username, detail: e.detail as Record<string, unknown> | null })) : timelineFromTimes(r),
      transfers: xfers.map(transferView),
      callback: cb[0] ? callbackView(cb[0]) : null,
      mergedIncidents: children,
    };
  }

  async list(p: Principal, q: { status?: string[]; from?: string; to?: string; stationId?: string; createdByMe?: boolean; priority?: string; q?: string; limit: number; offset: number }) {
    const conds: (SQL | undefined)[] = [incidentScope(p), q.q ? this.searchCondition(p, q.q) : undefined];
    if (q.status?.length) conds.push(inArray(incidents.status, q.status));
    if (q.from) conds.push(gte(incidents.recordedAt, new Date(q.from)));
    if (q.to) conds.push(lte(incidents.recordedAt, new Date(q.to)));
    if (q.stationId) conds.push(eq(incidents.stationId, q.stationId));
    if (q.priority) conds.push(eq(incidents.priority, q.priority));
    if (q.createdByMe) conds.push(eq(incidents.createdBy, p.username));
    const where = and(...conds);
    // The id breaks ties in time: without it PostgreSQL may order equal times differently page to page.
    const rows = await this.db.select().from(incidents).where(where).orderBy(desc(incidents.recordedAt), desc(incidents.id)).limit(q.limit).offset(q.offset);
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)` }).from(incidents).where(where);
    return { items: rows.map((r) => this.listView(r)), total: Number(n) };
  }

  /**
   * One search box for the list: an incident number (or its start), a caller's phone (only for the roles
   * that see callers: the read is audited by the route), or words of the address. Position tests, not
   * LIKE: the text is the caller's, and `%` or `_` in it are letters.
   */
  private searchCondition(p: Principal, text: string): SQL | undefined {
    const t = text.trim();
    if (!t) return undefined;
    const alternatives: SQL[] = [sql`starts_with(${incidents.number}, ${t.toUpperCase()})`, sql`position(${t} in coalesce(${incidents.addressText}, '')) > 0`];
    const phone = phoneSearched(t);
    if (phone && seesCaller(p)) alternatives.push(eq(incidents.callerPhone, phone));
    return or(...alternatives);
  }

  /** Moves the incident to `input.to`; part of `write` when given (an assignment that moves it). */
  transition(p: Principal, id: string, input: TransitionInput, write?: Write): Promise<IncidentRow> {
    return this.writes.within(write, (w) => this.transitionIn(w, p, id, input));
  }

  private async transitionIn(w: Write, p: Principal, id: string, input: TransitionInput) {
    const r = await this.get(p, id, w.tx);
    if (input.dispositionCode && !isDispositionCode(input.dispositionCode)) {
      throw new AppError(400, 'invalid_value', { field: 'dispositionCode', detail: 'unknown disposition code' }, 'dispositionCode');
    }
    const verdict = canTransition(r.status as IncidentStatus, input.to as IncidentStatus, p.roles, { dispositionCode: input.dispositionCode, reason: input.reason });
    if (!verdict.ok) {
      if (verdict.reason === 'illegal') throw new AppError(409, 'illegal_transition', { from: r.status, to: input.to }, 'to');
      if (verdict.reason === 'forbidden') throw new AppError(403, 'transition_forbidden', { from: r.status, to: input.to });
      if (verdict.reason === 'disposition_required') throw new AppError(400, 'disposition_required', {}, 'dispositionCode');
      throw new AppError(400, 'reason_required', { field: 'reason' }, 'reason');
    }
    const now = new Date();
    const tx = w.tx;
    const updated = await (async () => {
      const set: Record<string, unknown> = { status: input.to, updatedAt: now, version: sql`${incidents.version} + 1` };
      if (verdict.timestampField) set[verdict.timestampField] = now;
      for (const field of verdict.clears) set[field] = null;
      if (input.dispositionCode) set.dispositionCode = input.dispositionCode;
      if (input.dispositionNote) set.dispositionNote = input.dispositionNote;
      // Only from the status we checked: a concurrent change makes this a clean 409, not a lost update.
      const [u] = await tx.update(incidents).set(set).where(and(eq(incidents.id, id), eq(incidents.status, r.status))).returning();
      if (!u) return null;
      await tx.insert(incidentEvents).values({ incidentId: id, at: now, type: 'transition', fromStatus: r.status, toStatus: input.to, userId: p.kind === 'user' ? p.id : null, username: p.username, detail: { dispositionCode: input.dispositionCode, reason: input.reason, ...input.detail } });
      // Callers of valid incidents get a satisfaction callback (not for invalid calls or duplicates).
      if (input.to === 'closed' && u.callerPhone && findDisposition(u.dispositionCode ?? '')?.valid) {
        await tx.insert(callbacks).values({ id: randomUUID(), incidentId: id, stationId: u.stationId, status: 'pending' }).onConflictDoNothing();
      }
      return u;
    })();
    if (!updated) {
      const now2 = await this.get(p, id, tx);
      throw new AppError(409, 'illegal_transition', { from: now2.status, to: input.to }, 'to');
    }
    w.entity(id);
    w.emit(await this.changeEvent(updated, 'transition'), updated);
    if (isTerminalStatus(updated.status)) await this.ended(w, updated);
    return updated;
  }

  /** Open incidents of the same family within 300 m and 30 minutes (by default), nearest first, in the asker's jurisdiction. */
  duplicateCandidates(p: Principal, q: { family: string; lon: number; lat: number; at?: Date; excludeId?: string; radiusM?: number; windowMin?: number; limit?: number }): Promise<IncidentRow[]> {
    return this.duplicates.find({ principal: p, family: q.family, lon: q.lon, lat: q.lat, at: q.at ?? new Date(), excludeId: q.excludeId, radiusM: q.radiusM ?? 300, windowMin: q.windowMin ?? 30, limit: q.limit ?? 50 });
  }

  /** Caller history (same number, 90 days) and place history (within 100 m, 90 days; repeat if ≥3 in 30 days). */
  async history(p: Principal, q: { phone?: string; lon?: number; lat?: number; excludeId?: string }) {
    const since = new Date(Date.now() - 90 * 86_400_000);
    const byCaller = q.phone
      ? await this.db
          .select()
          .from(incidents)
          .where(and(incidentScope(p), eq(incidents.callerPhone, q.phone.replace(/[\s-]/g, '')), gte(incidents.recordedAt, since), q.excludeId ? sql`${incidents.id} <> ${q.excludeId}` : undefined))
          .orderBy(desc(incidents.recordedAt), desc(incidents.id))
          .limit(50)
      : [];
    let byPlace: IncidentRow[] = [];
    if (q.lon !== undefined && q.lat !== undefined) {
      const dLat = 100 / 111_320;
      const dLon = 100 / (111_320 * Math.cos((q.lat * Math.PI) / 180));
      byPlace = (
        await this.db
          .select()
          .from(incidents)
          .where(
            and(
              incidentScope(p),
              gte(incidents.recordedAt, since),
              sql`${incidents.lat} between ${q.lat - dLat} and ${q.lat + dLat}`,
              sql`${incidents.lon} between ${q.lon - dLon} and ${q.lon + dLon}`,
              q.excludeId ? sql`${incidents.id} <> ${q.excludeId}` : undefined,
            ),
          )
          .orderBy(desc(incidents.recordedAt), desc(incidents.id))
          .limit(200)
      ).filter((r) => distanceMeters({ lon: q.lon!, lat: q.lat! }, { lon: r.lon!, lat: r.lat! }) <= 100);
    }
    const last30 = byPlace.filter((r) => r.recordedAt.getTime() >= Date.now() - 30 * 86_400_000).length;
    // The caller's own earlier calls help the call being taken; other people's calls at the place do not.
    return {
      caller: byCaller.map((r) => this.view(r, p)),
      place: byPlace.slice(0, 50).map((r) => this.listView(r)),
      placeCount30d: last30,
      repeatLocation: last30 >= 3,
    };
  }

  /**
   * Counts only, no personal data, whatever the jurisdiction: incidents since `since` within `radiusM` of
   * a point, and those called in from any of `phones` (the dispute register's risk facts). `db` may be
   * the caller's open transaction.
   */
  async recentCounts(
    q: { lon?: number | null; lat?: number | null; phones: readonly string[]; since: Date; radiusM?: number; excludeIds?: readonly string[]; atPlaceOf?: { families?: readonly string[]; codes?: readonly string[] } },
    db: Db = this.db,
  ): Promise<{ atPlace: number; fromPhones: number }> {
    const exclude = q.excludeIds?.length ? sql`${incidents.id} not in (${sql.join(q.excludeIds.map((id) => sql`${id}`), sql`, `)})` : undefined;
    let atPlace = 0;
    if (q.lon != null && q.lat != null) {
      const r = q.radiusM ?? 100;
      const dLat = r / 111_320;
      const dLon = r / (111_320 * Math.cos((q.lat * Math.PI) / 180));
      // Only incidents of these kinds count at the place: in a city centre every point has dozens of others.
      const families = (q.atPlaceOf?.families ?? []).slice(0, 50);
      const codes = (q.atPlaceOf?.codes ?? []).slice(0, 200);
      const ofKind = q.atPlaceOf
        ? or(families.length ? inArray(incidents.categoryFamily, families) : sql`false`, codes.length ? inArray(incidents.categoryCode, codes) : sql`false`)
        : undefined;
      const near = await db
        .select({ lon: incidents.lon, lat: incidents.lat })
        .from(incidents)
        .where(and(sql`${incidents.lat} between ${q.lat - dLat} and ${q.lat + dLat}`, sql`${incidents.lon} between ${q.lon - dLon} and ${q.lon + dLon}`, gte(incidents.recordedAt, q.since), ofKind, exclude))
        .limit(1000);
      atPlace = near.filter((n) => distanceMeters({ lon: q.lon!, lat: q.lat! }, { lon: n.lon!, lat: n.lat! }) <= r).length;
    }
    const phones = [...new Set(q.phones.map((ph) => ph.replace(/[\s-]/g, '')).filter(Boolean))].slice(0, 20);
    const [byPhone] = phones.length
      ? await db.select({ n: sql<number>`count(*)::int` }).from(incidents).where(and(inArray(incidents.callerPhone, phones), gte(incidents.recordedAt, q.since), exclude))
      : [{ n: 0 }];
    return { atPlace, fromPhones: byPhone?.n ?? 0 };
  }

  /** The category codes of these incidents (no scope: codes only). `db` may be an open transaction. */
  async categoriesOf(ids: readonly string[], db: Db = this.db): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await db.select({ code: incidents.categoryCode }).from(incidents).where(inArray(incidents.id, [...ids].slice(0, 500)));
    return [...new Set(rows.map((r) => r.code))];
  }

  merge(p: Principal, id: string, masterId: string, write?: Write): Promise<IncidentRow> {
    return this.writes.within(write, (w) => this.mergeIn(w, p, id, masterId));
  }

  private async mergeIn(w: Write, p: Principal, id: string, masterId: string) {
    if (id === masterId) throw new AppError(400, 'invalid_value', { field: 'masterId', detail: 'an incident cannot be merged into itself' }, 'masterId');
    const master = await this.get(p, masterId, w.tx);
    if (master.status === 'merged') throw new AppError(409, 'conflict', { detail: `the master ${master.number} is itself merged` }, 'masterId');
    const r = await this.get(p, id, w.tx);
    const verdict = canTransition(r.status as IncidentStatus, 'merged', p.roles, {});
    if (!verdict.ok) throw new AppError(verdict.reason === 'forbidden' ? 403 : 409, verdict.reason === 'forbidden' ? 'transition_forbidden' : 'illegal_transition', { from: r.status, to: 'merged' });
    const now = new Date();
    const tx = w.tx;
    const [u] = await (async () => {
      const res = await tx.update(incidents).set({ status: 'merged', masterId, mergedAt: now, updatedAt: now, version: sql`${incidents.version} + 1` }).where(and(eq(incidents.id, id), eq(incidents.status, r.status))).returning();
      if (res.length) {
        await tx.insert(incidentEvents).values({ incidentId: id, at: now, type: 'merged', fromStatus: r.status, toStatus: 'merged', userId: p.kind === 'user' ? p.id : null, username: p.username, detail: { masterId, masterNumber: master.number } });
        await tx.insert(incidentEvents).values({ incidentId: masterId, at: now, type: 'duplicate_linked', userId: p.kind === 'user' ? p.id : null, username: p.username, detail: { duplicateId: id, duplicateNumber: r.number } });
      }
      return res;
    })();
    if (!u) throw new AppError(409, 'illegal_transition', { from: 'changed', to: 'merged' });
    w.entity(id);
    w.emit(await this.changeEvent(u, 'merged'), u);
    await this.ended(w, u);
    return u;
  }

  /**
   * `hook` runs inside the write that ends an incident (closed, transferred, merged, cancelled), in its
   * transaction: what another module keeps about the incident ends with it or not at all (dispatch
   * resolves its P1-unassigned alert).
   */
  onEnded(hook: EndedHook): void {
    this.endedHooks.push(hook);
  }

  private async ended(w: Write, row: IncidentRow) {
    for (const h of this.endedHooks) await h(w, row);
  }

  unmerge(p: Principal, id: string, reason: string, write?: Write): Promise<IncidentRow> {
    return this.writes.within(write, (w) => this.unmergeIn(w, p, id, reason));
  }

  private async unmergeIn(w: Write, p: Principal, id: string, reason: string) {
    const r = await this.get(p, id, w.tx);
    if (r.status !== 'merged') throw new AppError(409, 'illegal_transition', { from: r.status, to: 'new' });
    const verdict = canTransition('merged', 'new', p.roles, { reason });
    if (!verdict.ok) throw new AppError(403, 'transition_forbidden', { from: 'merged', to: 'new' });
    const now = new Date();
    const tx = w.tx;
    const [u] = await (async () => {
      const res = await tx.update(incidents).set({ status: 'new', masterId: null, mergedAt: null, updatedAt: now, version: sql`${incidents.version} + 1` }).where(and(eq(incidents.id, id), eq(incidents.status, 'merged'))).returning();
      await tx.insert(incidentEvents).values({ incidentId: id, at: now, type: 'unmerged', fromStatus: 'merged', toStatus: 'new', userId: p.kind === 'user' ? p.id : null, username: p.username, detail: { formerMasterId: r.masterId, reason } });
      return res;
    })();
    if (!u) throw new AppError(409, 'illegal_transition', { from: 'changed', to: 'new' });
    w.entity(id);
    w.emit(await this.changeEvent(u, 'unmerged'), u);
    return u;
  }
}

export { callbackView, transferView } from './views.js';
