/**
 * 随手拍 traffic-violation reports (issue 15): a citizen reports a plate, a violation type, the time and
 * the place with at least two photos or a video of at least 10 s (videos.ts); the report is a citizen_reports row of service 'TV' (routed like
 * the traffic categories, in the same review queue and status history) plus a citizen_violations row.
 * An officer judges it valid or not valid (with a reason the citizen reads). One reward per violation:
 * under an advisory lock on plate + type, the first report judged valid is rewarded and a later valid
 * report of the same plate and type within 30 min and 200 m becomes a duplicate of it — concurrent
 * verdicts are serialised by the lock, so two rewards for one violation cannot happen.
 * A citizen only ever sees their own reports: violation reports are never offered as duplicates, never
 * joined by voices, never listed by Open311 or the public map.
 */
import { randomBytes } from 'node:crypto';
import { and, desc, eq, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access.js';
import { notFound } from '../../core/errors.js';
import type { Write } from '../../kernel/write.js';
import { citizenNotifications, citizenPhotos, citizenReportEvents, citizenReports, citizenServices } from './schema.js';
import { citizenVideos, citizenViolations } from './schema-more.js';
import { videoView, type VideoRow } from './videos.js';
import { checkTransition, type ReportStatus } from './domain/status.js';
import { routeReport, type RouteKind } from './domain/routing.js';
import { checkViolationReport, normalisePlate, rewardVerdict, VIOLATION_LABELS, VIOLATION_RULES, VIOLATION_SERVICE, type ViolationType } from './domain/violation.js';
import { invalidField, refuse } from './errors.js';
import { resolvePlace, type CitizenReports, type Place, type ReportRow } from './reports.js';

export type ViolationRow = typeof citizenViolations.$inferSelect;

export interface ViolationInput extends Place {
  plate: string;
  violationType: ViolationType;
  observedAt: string;
  description?: string;
  photoIds: string[];
  /** A video instead of the photos (it may also be named among the mediaIds). */
  videoId?: string;
}

export class CitizenViolations {
  constructor(private readonly reports: CitizenReports) {}

  /** The 'TV' category: in the routing table (route and names) but inactive, so no other form or Open311 client offers it. */
  async seedService(): Promise<void> {
    await this.reports.deps.db
      .insert(citizenServices)
      .values({ code: VIOLATION_SERVICE, nameZh: '交通违法随手拍', nameEn: 'Traffic violation (photo report)', group: 'traffic', route: 'unit', unitId: null, incidentCategory: null, radiusM: VIOLATION_RULES.windowMetres, keywords: '随手拍,违法,plate', active: false, sort: 900 })
      .onConflictDoNothing();
  }

  async create(w: Write, citizenId: string, input: ViolationInput, now = new Date()): Promise<ReportRow> {
    const plate = normalisePlate(input.plate);
    if (!plate) throw invalidField('plate', '请输入正确的车牌号（如 粤A12345 或 MA1234）', 'Enter a valid plate (e.g. 粤A12345 or MA1234)');
    const given = [...new Set(input.photoIds)];
    // mediaIds may name the citizen's video as well as photos: it counts as the video.
    const videoIds = new Set(input.videoId ? [input.videoId] : []);
    if (given.length) for (const v of await w.tx.select({ id: citizenVideos.id }).from(citizenVideos).where(and(inArray(citizenVideos.id, given), eq(citizenVideos.citizenId, citizenId)))) videoIds.add(v.id);
    const ids = given.filter((id) => !videoIds.has(id));
    const observedAt = new Date(input.observedAt);
    const bad = checkViolationReport({ photos: ids.length, videos: videoIds.size, observedAt }, now);
    if (bad) throw invalidField(bad.field, bad.zh, bad.en);
    const place = await resolvePlace(this.reports.deps, input);
    const { jurisdiction } = this.reports.deps;
    const located = await jurisdiction.locate(place.lon, place.lat);
    const service = await this.reports.service(VIOLATION_SERVICE, w.tx);
    const units = new Set((await jurisdiction.units()).map((u) => u.id));
    const routed = routeReport({ code: VIOLATION_SERVICE, route: (service?.route ?? 'unit') as RouteKind, unitId: service?.unitId ?? null }, located?.stationId ?? null, (id) => units.has(id));
    if (!routed || !located) throw invalidField(input.addressCode ? 'addressCode' : 'location', '该位置不在本市辖区内', 'The place is outside the city');
    const label = VIOLATION_LABELS[input.violationType];
    const description = (input.description?.trim() || `${label.zh} / ${label.en}`).slice(0, 2000);
    const [row] = await w.tx
      .insert(citizenReports)
      .values({ citizenId, channel: 'portal', serviceCode: VIOLATION_SERVICE, description, lon: place.lon, lat: place.lat, addressCode: place.addressCode, addressText: place.addressText, stationId: located.stationId, unitId: routed.unitId, route: routed.applied, status: 'received', token: randomBytes(12).toString('base64url'), createdAt: now, updatedAt: now })
      .returning();
    await w.tx.insert(citizenReportEvents).values({ reportId: row.id, status: 'received', note: null, by: 'citizen', at: now });
    const taken = await w.tx
      .update(citizenPhotos)
      .set({ reportId: row.id })
      .where(and(inArray(citizenPhotos.id, ids), eq(citizenPhotos.citizenId, citizenId), isNull(citizenPhotos.reportId)))
      .returning({ id: citizenPhotos.id });
    if (taken.length !== ids.length) throw invalidField('mediaIds', '照片不存在或已用于其他报事', 'A photo does not exist or belongs to another report');
    if (videoIds.size) {
      const took = await w.tx
        .update(citizenVideos)
        .set({ reportId: row.id })
        .where(and(inArray(citizenVideos.id, [...videoIds]), eq(citizenVideos.citizenId, citizenId), isNull(citizenVideos.reportId), gte(citizenVideos.durationMs, VIOLATION_RULES.minVideoSeconds * 1000)))
        .returning({ id: citizenVideos.id });
      if (took.length !== videoIds.size) throw invalidField(input.videoId ? 'videoId' : 'mediaIds', '视频不存在或已用于其他举报', 'The video does not exist or belongs to another report');
    }
    await w.tx.insert(citizenViolations).values({ reportId: row.id, citizenId, plate, violationType: input.violationType, observedAt, lon: place.lon, lat: place.lat, createdAt: now });
    w.entity(String(row.id));
    return row;
  }

  async of(reportIds: number[]): Promise<Map<number, ViolationRow>> {
    if (!reportIds.length) return new Map();
    const rows = await this.reports.deps.db.select().from(citizenViolations).where(inArray(citizenViolations.reportId, reportIds));
    return new Map(rows.map((r) => [r.reportId, r]));
  }

  /** The videos of these reports, by report. */
  async videosOf(reportIds: number[]): Promise<Map<number, VideoRow[]>> {
    const out = new Map<number, VideoRow[]>();
    if (!reportIds.length) return out;
    const rows = await this.reports.deps.db.select().from(citizenVideos).where(inArray(citizenVideos.reportId, reportIds)).orderBy(citizenVideos.createdAt);
    for (const r of rows) out.set(r.reportId!, [...(out.get(r.reportId!) ?? []), r]);
    return out;
  }

  async mine(citizenId: string, limit = 50): Promise<ViolationRow[]> {
    return this.reports.deps.db.select().from(citizenViolations).where(eq(citizenViolations.citizenId, citizenId)).orderBy(desc(citizenViolations.createdAt)).limit(limit);
  }

  /**
   * The officer's verdict. Not valid closes the report as rejected with the reason; valid takes the
   * plate + type lock, then rewards the report or makes it a duplicate of the rewarded one (closed
   * as duplicate: the citizen reads that someone reported it first, never whose report it was).
   */
  async review(w: Write, p: Principal, id: number, input: { verdict: 'valid' | 'not_valid'; reason?: string }, now = new Date()): Promise<{ report: ReportRow; violation: ViolationRow }> {
    const report = await this.reports.forStaff(p, id, w.tx);
    const [pre] = await w.tx.select().from(citizenViolations).where(eq(citizenViolations.reportId, id));
    if (!pre) throw notFound('report');
    if (input.verdict === 'not_valid' && !input.reason?.trim()) throw invalidField('reason', '不予采纳须填写原因（举报人可见）', 'A reason is needed (the reporter reads it)');
    // Every verdict of this plate and type waits here for the one before it to commit.
    if (input.verdict === 'valid') await w.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`citizen-violation:${pre.plate}:${pre.violationType}`}))`);
    const [v] = await w.tx.select().from(citizenViolations).where(eq(citizenViolations.reportId, id)).for('update');
    if (v.verdict !== 'pending') throw refuse('该举报已审核', 'This report has already been judged');
    let set: Partial<ViolationRow>;
    let close: { status: ReportStatus; note: string; duplicateOf?: number };
    if (input.verdict === 'not_valid') {
      const reason = input.reason!.trim();
      set = { verdict: 'not_valid', verdictReason: reason };
      close = { status: 'rejected', note: `举报无效：${reason}` };
    } else {
      const windowMs = VIOLATION_RULES.windowMinutes * 60_000;
      const rewarded = await w.tx
        .select()
        .from(citizenViolations)
        .where(and(eq(citizenViolations.plate, v.plate), eq(citizenViolations.violationType, v.violationType), eq(citizenViolations.rewarded, true), gte(citizenViolations.observedAt, new Date(v.observedAt.getTime() - windowMs)), lte(citizenViolations.observedAt, new Date(v.observedAt.getTime() + windowMs))));
      const out = rewardVerdict(v, rewarded);
      const reason = input.reason?.trim() || null;
      if (out.verdict === 'valid') {
        set = { verdict: 'valid', rewarded: true, verdictReason: reason };
        close = { status: 'resolved', note: `举报有效，已计奖励 / valid: rewarded${reason ? `（${reason}）` : ''}` };
      } else {
        set = { verdict: 'duplicate', rewardOf: out.rewardOf, verdictReason: reason };
        close = { status: 'duplicate', note: '举报属实，但同一违法行为已有他人先行举报，奖励只给第一位举报人 / valid, but someone reported this violation first: one reward per violation' };
      }
    }
    const [violation] = await w.tx.update(citizenViolations).set({ ...set, reviewedAt: now, reviewedBy: p.username }).where(eq(citizenViolations.reportId, id)).returning();
    const updated = await this.close(w, report, close, p.username, now);
    w.entity(String(id));
    return { report: updated, violation };
  }

  /** Closes the report with the verdict: status, history, the reporter's notification (violation reports have no voices). */
  private async close(w: Write, row: ReportRow, c: { status: ReportStatus; note: string }, by: string, now: Date): Promise<ReportRow> {
    const [locked] = await w.tx.select().from(citizenReports).where(eq(citizenReports.id, row.id)).for('update');
    const ok = checkTransition(locked.status as ReportStatus, { to: c.status, reason: c.note });
    if (!ok.ok) throw refuse(`报事当前状态为 ${locked.status}，不能再审核`, `The report is ${locked.status}: it cannot be judged now`);
    const [updated] = await w.tx
      .update(citizenReports)
      .set({ status: c.status, statusNote: c.note, acceptedAt: locked.acceptedAt ?? now, closedAt: now, updatedAt: now })
      .where(eq(citizenReports.id, row.id))
      .returning();
    await w.tx.insert(citizenReportEvents).values({ reportId: row.id, status: c.status, note: c.note, by, at: now });
    if (locked.citizenId) await w.tx.insert(citizenNotifications).values({ citizenId: locked.citizenId, reportId: row.id, status: c.status, note: c.note, at: now });
    return updated;
  }
}

/** What the reporter sees of their violation report. */
export function violationView(v: ViolationRow, videos: readonly VideoRow[] = []) {
  const type = v.violationType as ViolationType;
  return {
    reportId: String(v.reportId),
    plate: v.plate,
    violationType: type,
    violationName: VIOLATION_LABELS[type] ?? { zh: v.violationType, en: v.violationType },
    observedAt: v.observedAt.toISOString(),
    verdict: v.verdict as 'pending' | 'valid' | 'not_valid' | 'duplicate',
    verdictReason: v.verdictReason,
    rewarded: v.rewarded,
    reviewedAt: v.reviewedAt?.toISOString() ?? null,
    videos: videos.map(videoView),
  };
}

/** Staff also see who judged it and, for a duplicate, the rewarded report. */
export function staffViolationView(v: ViolationRow, videos: readonly VideoRow[] = []) {
  return { ...violationView(v, videos), rewardOf: v.rewardOf === null ? null : String(v.rewardOf), reviewedBy: v.reviewedBy };
}
