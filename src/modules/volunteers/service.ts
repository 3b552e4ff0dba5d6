/**
 * Volunteer teams, shifts, sign-ups, check-in/out, the hours ledger and volunteers' reports: the I/O
 * around the pure rules of domain/. Who sees what:
 *  - a volunteer (not staff) sees only the teams they belong to and those teams' shifts; never another
 *    volunteer's contact, never an incident;
 *  - staff see the teams of the stations in their jurisdiction (`unitScope` on the team's station).
 * Every write is one kernel write (data, event, audit entry, Idempotency-Key answer together).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, sql, type Column, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { coversUnit, unitScope, type Principal } from '../../core/access.js';
import { isStaffRole } from '../../core/roles.js';
import { notFound } from '../../core/errors.js';
import type { Write, Writes } from '../../kernel/write.js';
import type { JurisdictionIndex } from '../org/index.js';
import { accountsByIds, firstOutsider } from '../users/index.js';
import { validatePolygon } from '../org/index.js';
import type { IncidentService } from '../incidents/index.js';
import { volunteerLedger, volunteerMembers, volunteerReports, volunteerShifts, volunteerSignups, volunteerTeams } from './schema.js';
import { prepareFence, type GeoPolygon } from './domain/geofence.js';
import { assertCheckin } from './checkin-rules.js';
import { CheckinWriter } from './checkins.js';
import { DEFAULT_SIGNUP_OPENS_HOURS, hoursServed, pointsFor, shiftProblems, signupOpensAt, signupWindow } from './domain/shifts.js';
import { invalidField, refuse } from './errors.js';
import type { SignupStatus } from './contract.js';

export interface VolunteerDeps {
  db: Db;
  writes: Writes;
  jurisdiction: JurisdictionIndex;
  incidents: IncidentService;
  /** Minutes before a shift's start from which check-in is accepted (SHOUWANG_VOLUNTEER_GRACE_MINUTES, default 15). */
  graceMinutes: number;
  log: (err: unknown, msg: string) => void;
  now?: () => Date;
}

export type TeamRow = typeof volunteerTeams.$inferSelect;
export type ShiftRow = typeof volunteerShifts.$inferSelect;
export type SignupRow = typeof volunteerSignups.$inferSelect;

/** A principal without any staff role: a volunteer. */
export const isVolunteerOnly = (p: Principal) => !p.roles.some(isStaffRole);

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const strings = (x: unknown) => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);

/** Teams `p` may see: their own (a volunteer), or those of stations in their jurisdiction (staff). */
export function teamScope(p: Principal, teamIdColumn: SQL | Column = volunteerTeams.id, stationColumn: SQL | Column = volunteerTeams.stationId): SQL | undefined {
  if (isVolunteerOnly(p)) return sql`${teamIdColumn} in (select team_id from volunteer_members where user_id = ${p.id})`;
  return unitScope(p, stationColumn);
}

export class VolunteerService {
  /** The batched check-in of the plain case (checkins.ts); checkIn below answers every other. */
  readonly checkins: CheckinWriter;

  constructor(readonly deps: VolunteerDeps) {
    this.checkins = new CheckinWriter(deps.db, { graceMinutes: deps.graceMinutes, now: () => this.now() });
  }

  private now() {
    return this.deps.now?.() ?? new Date();
  }

  // ---- teams and members ----

  async listTeams(p: Principal) {
    const { db } = this.deps;
    const rows = await db.select().from(volunteerTeams).where(teamScope(p)).orderBy(asc(volunteerTeams.stationId), asc(volunteerTeams.name)).limit(1000);
    return { items: await this.teamViews(db, p, rows) };
  }

  private async teamViews(db: Db, p: Principal, rows: TeamRow[]) {
    if (!rows.length) return [];
    const members = await db.select().from(volunteerMembers).where(inArray(volunteerMembers.teamId, rows.map((r) => r.id)));
    const names = new Map((await accountsByIds(db, [...new Set(members.filter((m) => m.leader).map((m) => m.userId))])).map((a) => [a.id, a.displayName]));
    return rows.map((t) => {
      const of = members.filter((m) => m.teamId === t.id);
      return { id: t.id, stationId: t.stationId, name: t.name, note: t.note, members: of.length, leaders: of.filter((m) => m.leader).map((m) => names.get(m.userId) ?? '—'), mine: of.some((m) => m.userId === p.id) };
    });
  }

  async team(p: Principal, id: string, db: Db = this.deps.db): Promise<TeamRow> {
    const [t] = await db.select().from(volunteerTeams).where(and(eq(volunteerTeams.id, id), teamScope(p)));
    if (!t) throw notFound('volunteer_team');
    return t;
  }

  async teamDetail(p: Principal, id: string) {
    const { db } = this.deps;
    const t = await this.team(p, id);
    const [view] = await this.teamViews(db, p, [t]);
    const members = await db.select().from(volunteerMembers).where(eq(volunteerMembers.teamId, id)).orderBy(desc(volunteerMembers.leader), asc(volunteerMembers.joinedAt));
    const names = new Map((await accountsByIds(db, members.map((m) => m.userId))).map((a) => [a.id, a.displayName]));
    return { ...view!, memberList: members.map((m) => ({ userId: m.userId, displayName: names.get(m.userId) ?? '—', leader: m.leader, skills: strings(m.skills), qualifications: strings(m.qualifications), joinedAt: m.joinedAt.toISOString() })) };
  }

  /** The station a staff user creates something at: the one given (in scope), or their own. */
  private async stationFor(p: Principal, stationId: string | undefined) {
    const id = stationId ?? p.unitId;
    const s = await this.deps.jurisdiction.station(id);
    if (!s || !coversUnit(p, s.path)) throw invalidField('stationId', '不是您辖区内的派出所', 'not a station of your jurisdiction');
    return s;
  }

  async createTeam(w: Write, p: Principal, body: { stationId?: string; name: string; note?: string }) {
    const s = await this.stationFor(p, body.stationId);
    const id = randomUUID();
    const [row] = await w.tx.insert(volunteerTeams).values({ id, stationId: s.id, name: body.name.trim(), note: body.note?.trim() || null, createdBy: p.username }).onConflictDoNothing().returning();
    if (!row) throw invalidField('name', '本所已有同名义警队', 'the station already has a team of this name', 409);
    w.entity(id);
    return { id: row.id, stationId: row.stationId, name: row.name, note: row.note, members: 0, leaders: [], mine: false };
  }

  async addMember(w: Write, p: Principal, teamId: string, body: { userId: string; leader?: boolean; skills?: string[]; qualifications?: string[] }) {
    const t = await this.team(p, teamId, w.tx);
    const [account] = await accountsByIds(w.tx, [body.userId]);
    if (!account || account.disabled || !account.roles.includes('volunteer')) throw invalidField('userId', '不是可用的义警账户', 'not an active volunteer account');
    const station = await this.deps.jurisdiction.station(t.stationId);
    if (!station || (await firstOutsider(w.tx, station.path, [body.userId]))) throw invalidField('userId', '义警账户须属于本队所在派出所', 'the volunteer’s account must belong to the team’s station');
    const values = { teamId, userId: body.userId, leader: body.leader ?? false, skills: body.skills ?? [], qualifications: body.qualifications ?? [] };
    const [row] = await w.tx
      .insert(volunteerMembers)
      .values(values)
      .onConflictDoUpdate({ target: [volunteerMembers.teamId, volunteerMembers.userId], set: { leader: values.leader, skills: values.skills, qualifications: values.qualifications } })
      .returning();
    w.entity(teamId);
    return { userId: row!.userId, displayName: account.displayName, leader: row!.leader, skills: strings(row!.skills), qualifications: strings(row!.qualifications), joinedAt: row!.joinedAt.toISOString() };
  }

  async patchMember(w: Write, p: Principal, teamId: string, userId: string, body: { leader?: boolean; skills?: string[]; qualifications?: string[] }) {
    await this.team(p, teamId, w.tx);
    const [row] = await w.tx
      .update(volunteerMembers)
      .set({ ...(body.leader !== undefined ? { leader: body.leader } : {}), ...(body.skills ? { skills: body.skills } : {}), ...(body.qualifications ? { qualifications: body.qualifications } : {}) })
      .where(and(eq(volunteerMembers.teamId, teamId), eq(volunteerMembers.userId, userId)))
      .returning();
    if (!row) throw notFound('volunteer_member');
    const [account] = await accountsByIds(w.tx, [userId]);
    w.entity(teamId);
    return { userId, displayName: account?.displayName ?? '—', leader: row.leader, skills: strings(row.skills), qualifications: strings(row.qualifications), joinedAt: row.joinedAt.toISOString() };
  }

  private async isLeader(db: Db, p: Principal, teamId: string) {
    const [m] = await db.select().from(volunteerMembers).where(and(eq(volunteerMembers.teamId, teamId), eq(volunteerMembers.userId, p.id), eq(volunteerMembers.leader, true)));
    return Boolean(m);
  }

  // ---- shifts ----

  async createShift(w: Write, p: Principal, body: { teamId: string; title?: string; startsAt: string; endsAt: string; area: GeoPolygon; minPeople?: number; maxPeople?: number; needsApproval?: boolean; signupOpensHours?: number }) {
    const t = await this.team(p, body.teamId, w.tx);
    validatePolygon(body.area, 'area');
    const startsAt = new Date(body.startsAt);
    const endsAt = new Date(body.endsAt);
    const minPeople = body.minPeople ?? 1;
    const maxPeople = body.maxPeople ?? Math.max(minPeople, 10);
    const signupOpensHours = body.signupOpensHours ?? DEFAULT_SIGNUP_OPENS_HOURS;
    const problem = shiftProblems({ startsAt, endsAt, minPeople, maxPeople, signupOpensHours });
    if (problem) throw invalidField(problem.field, problem.zh, problem.en);
    if (endsAt <= this.now()) throw invalidField('endsAt', '班次已结束', 'the shift would already be over');
    const id = randomUUID();
    const [row] = await w.tx
      .insert(volunteerShifts)
      .values({ id, teamId: t.id, stationId: t.stationId, title: body.title?.trim() || `${t.name}巡逻`, startsAt, endsAt, area: body.area, minPeople, maxPeople, needsApproval: body.needsApproval ?? false, signupOpensHours, createdBy: p.username })
      .returning();
    w.entity(id);
    return this.shiftView(row!, t.name, null);
  }

  shiftView(s: ShiftRow, teamName: string, mine: SignupRow | null) {
    const now = this.now();
    return {
      id: s.id,
      teamId: s.teamId,
      teamName,
      stationId: s.stationId,
      title: s.title,
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      area: s.area as GeoPolygon,
      minPeople: s.minPeople,
      maxPeople: s.maxPeople,
      needsApproval: s.needsApproval,
      signupOpensAt: signupOpensAt(s).toISOString(),
      signupOpen: !s.cancelledAt && signupWindow(s, now).ok && s.taken < s.maxPeople,
      taken: s.taken,
      confirmed: s.confirmed,
      short: s.confirmed < s.minPeople,
      cancelled: Boolean(s.cancelledAt),
      mySignup: mine ? { id: mine.id, status: mine.status as SignupStatus, checkedInAt: iso(mine.checkedInAt), checkedOutAt: iso(mine.checkedOutAt) } : null,
    };
  }

  async listShifts(p: Principal, q: { teamId?: string; from?: string; to?: string; open?: boolean }) {
    const { db } = this.deps;
    const now = this.now();
    const from = q.from ? new Date(q.from) : new Date(now.getTime() - 86_400_000);
    const to = q.to ? new Date(q.to) : new Date(now.getTime() + 14 * 86_400_000);
    const conds: (SQL | undefined)[] = [teamScope(p, volunteerShifts.teamId, volunteerShifts.stationId), gte(volunteerShifts.endsAt, from), lte(volunteerShifts.startsAt, to)];
    if (q.teamId) conds.push(eq(volunteerShifts.teamId, q.teamId));
    if (q.open) conds.push(isNull(volunteerShifts.cancelledAt), sql`${volunteerShifts.startsAt} > ${now}`, sql`${volunteerShifts.startsAt} - make_interval(hours => ${volunteerShifts.signupOpensHours}) <= ${now}`);
    const rows = await db
      .select({ s: volunteerShifts, teamName: volunteerTeams.name, mine: volunteerSignups })
      .from(volunteerShifts)
      .innerJoin(volunteerTeams, eq(volunteerTeams.id, volunteerShifts.teamId))
      .leftJoin(volunteerSignups, and(eq(volunteerSignups.shiftId, volunteerShifts.id), eq(volunteerSignups.userId, p.id)))
      .where(and(...conds))
      .orderBy(asc(volunteerShifts.startsAt))
      .limit(500);
    return { items: rows.map((r) => this.shiftView(r.s, r.teamName, r.mine)) };
  }

  async shift(p: Principal, id: string, db: Db = this.deps.db, lock = false) {
    const q = db
      .select({ s: volunteerShifts, teamName: volunteerTeams.name })
      .from(volunteerShifts)
      .innerJoin(volunteerTeams, eq(volunteerTeams.id, volunteerShifts.teamId))
      .where(and(eq(volunteerShifts.id, id), teamScope(p, volunteerShifts.teamId, volunteerShifts.stationId)));
    const [r] = lock ? await q.for('update', { of: volunteerShifts }) : await q;
    if (!r) throw notFound('shift');
    return r;
  }

  async shiftDetail(p: Principal, id: string) {
    const r = await this.shift(p, id);
    const [mine] = await this.deps.db.select().from(volunteerSignups).where(and(eq(volunteerSignups.shiftId, id), eq(volunteerSignups.userId, p.id)));
    return this.shiftView(r.s, r.teamName, mine ?? null);
  }

  async cancelShift(w: Write, p: Principal, id: string) {
    const r = await this.shift(p, id, w.tx, true);
    if (r.s.cancelledAt) return this.shiftView(r.s, r.teamName, null);
    if (r.s.startsAt <= this.now()) throw refuse('班次已开始，不能取消', 'the shift has started and cannot be cancelled');
    const [u] = await w.tx.update(volunteerShifts).set({ cancelledAt: this.now() }).where(eq(volunteerShifts.id, id)).returning();
    this.checkins.forget(id);
    await w.tx.update(volunteerSignups).set({ status: 'cancelled' }).where(and(eq(volunteerSignups.shiftId, id), inArray(volunteerSignups.status, ['pending', 'confirmed'])));
    w.entity(id);
    return this.shiftView(u!, r.teamName, null);
  }

  // ---- sign-ups ----

  /**
   * Signs the volunteer up. The place is taken by one conditional UPDATE (`taken < max_people`): on
   * PostgreSQL a concurrent sign-up waits for the row and re-checks the condition, so the last place
   * goes to one of them only; the CHECK constraint refuses anything beyond.
   */
  async signUp(w: Write, p: Principal, shiftId: string) {
    if (!isVolunteerOnly(p) && !p.roles.includes('volunteer')) throw refuse('只有义警可以报名', 'only volunteers sign up for shifts', 403);
    const r = await this.shift(p, shiftId, w.tx);
    const now = this.now();
    if (r.s.cancelledAt) throw refuse('班次已取消', 'the shift is cancelled');
    const win = signupWindow(r.s, now);
    if (!win.ok) {
      if (win.reason === 'not_open_yet') throw refuse(`报名尚未开放，将于 ${win.opensAt!.toISOString()} 开放`, `sign-up opens at ${win.opensAt!.toISOString()}`);
      throw refuse('班次已开始，报名已截止', 'the shift has started; sign-up is closed');
    }
    const [existing] = await w.tx.select().from(volunteerSignups).where(and(eq(volunteerSignups.shiftId, shiftId), eq(volunteerSignups.userId, p.id))).for('update');
    if (existing && (existing.status === 'pending' || existing.status === 'confirmed')) throw refuse('您已报名此班次', 'you are already signed up for this shift');
    if (existing?.status === 'rejected') throw refuse('您的报名已被拒绝', 'your sign-up for this shift was rejected');
    const status: SignupStatus = r.s.needsApproval ? 'pending' : 'confirmed';
    const [took] = await w.tx
      .update(volunteerShifts)
      .set({ taken: sql`${volunteerShifts.taken} + 1`, confirmed: status === 'confirmed' ? sql`${volunteerShifts.confirmed} + 1` : volunteerShifts.confirmed })
      .where(and(eq(volunteerShifts.id, shiftId), sql`${volunteerShifts.taken} < ${volunteerShifts.maxPeople}`, isNull(volunteerShifts.cancelledAt)))
      .returning({ id: volunteerShifts.id });
    if (!took) throw refuse('班次已满员', 'the shift is full');
    let row: SignupRow | undefined;
    if (existing) {
      [row] = await w.tx.update(volunteerSignups).set({ status, createdAt: now, decidedAt: null, decidedBy: null }).where(eq(volunteerSignups.id, existing.id)).returning();
    } else {
      // A twin request of the same person that committed first holds the unique key: this one is refused (and its place given back by the rollback).
      [row] = await w.tx.insert(volunteerSignups).values({ id: randomUUID(), shiftId, userId: p.id, status, createdAt: now }).onConflictDoNothing().returning();
      if (!row) throw refuse('您已报名此班次', 'you are already signed up for this shift');
    }
    w.entity(row!.id);
    return this.signupView(row!, p.displayName);
  }

  signupView(s: SignupRow, displayName: string) {
    return { id: s.id, shiftId: s.shiftId, userId: s.userId, displayName, status: s.status as SignupStatus, createdAt: s.createdAt.toISOString(), checkedInAt: iso(s.checkedInAt), checkedOutAt: iso(s.checkedOutAt) };
  }

  /** A shift's sign-ups: for staff, and for the team's leaders. */
  async signups(p: Principal, shiftId: string) {
    const { db } = this.deps;
    const r = await this.shift(p, shiftId);
    if (isVolunteerOnly(p) && !(await this.isLeader(db, p, r.s.teamId))) throw refuse('只有队长可以查看报名名单', 'only the team’s leaders see the sign-up list', 403);
    const rows = await db.select().from(volunteerSignups).where(eq(volunteerSignups.shiftId, shiftId)).orderBy(asc(volunteerSignups.createdAt));
    const names = new Map((await accountsByIds(db, rows.map((x) => x.userId))).map((a) => [a.id, a.displayName]));
    return { items: rows.map((x) => this.signupView(x, names.get(x.userId) ?? '—')) };
  }

  /** Approve or reject a pending sign-up: the station (staff in scope) or a leader of the shift's team. */
  async decide(w: Write, p: Principal, shiftId: string, signupId: string, approve: boolean) {
    const r = await this.shift(p, shiftId, w.tx);
    if (isVolunteerOnly(p) && !(await this.isLeader(w.tx, p, r.s.teamId))) throw refuse('只有队长或派出所可以审批报名', 'only the team’s leaders or the station approve sign-ups', 403);
    const [s] = await w.tx.select().from(volunteerSignups).where(and(eq(volunteerSignups.id, signupId), eq(volunteerSignups.shiftId, shiftId))).for('update');
    if (!s) throw notFound('signup');
    if (s.status !== 'pending') throw refuse(`报名状态为“${s.status}”，不能审批`, `the sign-up is ${s.status}, not pending`);
    const now = this.now();
    const [u] = await w.tx.update(volunteerSignups).set({ status: approve ? 'confirmed' : 'rejected', decidedAt: now, decidedBy: p.username }).where(eq(volunteerSignups.id, signupId)).returning();
    await w.tx
      .update(volunteerShifts)
      .set(approve ? { confirmed: sql`${volunteerShifts.confirmed} + 1` } : { taken: sql`${volunteerShifts.taken} - 1` })
      .where(eq(volunteerShifts.id, shiftId));
    w.entity(signupId);
    const [account] = await accountsByIds(w.tx, [u!.userId]);
    return this.signupView(u!, account?.displayName ?? '—');
  }

  /** Cancel a sign-up before the shift starts: the volunteer their own; staff any of their scope. */
  async cancelSignup(w: Write, p: Principal, shiftId: string, signupId: string) {
    const r = await this.shift(p, shiftId, w.tx);
    const [s] = await w.tx.select().from(volunteerSignups).where(and(eq(volunteerSignups.id, signupId), eq(volunteerSignups.shiftId, shiftId))).for('update');
    if (!s || (isVolunteerOnly(p) && s.userId !== p.id)) throw notFound('signup');
    if (s.status !== 'pending' && s.status !== 'confirmed') throw refuse('报名已取消或被拒绝', 'the sign-up is no longer active');
    if (s.checkedInAt || r.s.startsAt <= this.now()) throw refuse('班次已开始，不能取消报名', 'the shift has started; the sign-up cannot be cancelled');
    const [u] = await w.tx.update(volunteerSignups).set({ status: 'cancelled', decidedAt: this.now(), decidedBy: p.username }).where(eq(volunteerSignups.id, signupId)).returning();
    await w.tx
      .update(volunteerShifts)
      .set({ taken: sql`${volunteerShifts.taken} - 1`, confirmed: s.status === 'confirmed' ? sql`${volunteerShifts.confirmed} - 1` : volunteerShifts.confirmed })
      .where(eq(volunteerShifts.id, shiftId));
    w.entity(signupId);
    const [account] = await accountsByIds(w.tx, [u!.userId]);
    return this.signupView(u!, account?.displayName ?? '—');
  }

  // ---- check-in and out ----

  private async ownSignup(w: Write, p: Principal, shiftId: string) {
    const [r] = await w.tx
      .select({ s: volunteerShifts, signup: volunteerSignups })
      .from(volunteerSignups)
      .innerJoin(volunteerShifts, eq(volunteerShifts.id, volunteerSignups.shiftId))
      .where(and(eq(volunteerSignups.shiftId, shiftId), eq(volunteerSignups.userId, p.id), teamScope(p, volunteerShifts.teamId, volunteerShifts.stationId)))
      .for('update', { of: volunteerSignups });
    if (!r) {
      await this.shift(p, shiftId, w.tx); // 404 when the shift is not theirs to see
      throw refuse('您没有报名此班次', 'you are not signed up for this shift');
    }
    if (r.signup.status === 'pending') throw refuse('报名尚待审批，不能签到', 'your sign-up awaits approval; you cannot check in yet');
    if (r.signup.status !== 'confirmed') throw refuse('您没有报名此班次', 'you are not signed up for this shift');
    return r;
  }

  /**
   * Check-in: inside the shift's area (boundary included) and window (from the grace before the start to
   * the end). Where the volunteer stood is checked, not kept. A second check-in answers the first.
   */
  async checkIn(w: Write, p: Principal, shiftId: string, at: { lon: number; lat: number }) {
    const { s, signup } = await this.ownSignup(w, p, shiftId);
    w.entity(signup.id);
    if (signup.checkedInAt) return this.signupView(signup, p.displayName);
    const now = this.now();
    assertCheckin(s, at, now, this.deps.graceMinutes, prepareFence(s.area as GeoPolygon));
    const [u] = await w.tx.update(volunteerSignups).set({ checkedInAt: now }).where(eq(volunteerSignups.id, signup.id)).returning();
    return this.signupView(u!, p.displayName);
  }

  /** Check-out: the hours (check-in → now, capped at the shift's end) and points go to the ledger. */
  async checkOut(w: Write, p: Principal, shiftId: string) {
    const { s, signup } = await this.ownSignup(w, p, shiftId);
    w.entity(signup.id);
    if (!signup.checkedInAt) throw refuse('尚未签到，不能签退', 'you have not checked in');
    if (signup.checkedOutAt) {
      const [l] = await w.tx.select().from(volunteerLedger).where(and(eq(volunteerLedger.shiftId, shiftId), eq(volunteerLedger.userId, p.id)));
      return { signup: this.signupView(signup, p.displayName), hours: l?.hours ?? 0, points: l?.points ?? 0 };
    }
    const now = this.now();
    const out = now < s.endsAt ? now : s.endsAt;
    const { hours, points } = await this.closeSignup(w, s, signup, out);
    const [u] = await w.tx.select().from(volunteerSignups).where(eq(volunteerSignups.id, signup.id));
    return { signup: this.signupView(u!, p.displayName), hours, points };
  }

  /** Writes the check-out and the ledger row (once per shift and person). */
  async closeSignup(w: Write, s: ShiftRow, signup: SignupRow, out: Date) {
    const hours = hoursServed(s, signup.checkedInAt!, out);
    const points = pointsFor(s, hours);
    await w.tx.update(volunteerSignups).set({ checkedOutAt: out }).where(eq(volunteerSignups.id, signup.id));
    await w.tx.insert(volunteerLedger).values({ id: randomUUID(), userId: signup.userId, teamId: s.teamId, stationId: s.stationId, shiftId: s.id, hours, points, at: out }).onConflictDoNothing();
    return { hours, points };
  }

  /** Check-outs nobody made: volunteers still checked in when their shift ended are checked out at its end. */
  async closeEnded(limit = 500) {
    const { db, writes } = this.deps;
    const now = this.now();
    const open = await db
      .select({ id: volunteerSignups.id })
      .from(volunteerSignups)
      .innerJoin(volunteerShifts, eq(volunteerShifts.id, volunteerSignups.shiftId))
      .where(and(isNotNull(volunteerSignups.checkedInAt), isNull(volunteerSignups.checkedOutAt), lt(volunteerShifts.endsAt, now)))
      .limit(limit);
    for (const { id } of open) {
      await writes.run(async (w) => {
        const [r] = await w.tx.select({ s: volunteerShifts, signup: volunteerSignups }).from(volunteerSignups).innerJoin(volunteerShifts, eq(volunteerShifts.id, volunteerSignups.shiftId)).where(eq(volunteerSignups.id, id)).for('update', { of: volunteerSignups });
        if (r && !r.signup.checkedOutAt) await this.closeSignup(w, r.s, r.signup, r.s.endsAt);
      });
    }
    return open.length;
  }

  async myHours(p: Principal) {
    const { db } = this.deps;
    const monthStart = new Date(this.now());
    monthStart.setUTCDate(1);
    monthStart.setUTCHours(0, 0, 0, 0);
    const [total] = await db.select({ hours: sql<number>`coalesce(sum(${volunteerLedger.hours}), 0)`, points: sql<number>`coalesce(sum(${volunteerLedger.points}), 0)`, shifts: sql<number>`count(*)`, month: sql<number>`coalesce(sum(${volunteerLedger.hours}) filter (where ${volunteerLedger.at} >= ${monthStart}), 0)` }).from(volunteerLedger).where(eq(volunteerLedger.userId, p.id));
    const recent = await db
      .select({ shiftId: volunteerLedger.shiftId, title: volunteerShifts.title, startsAt: volunteerShifts.startsAt, hours: volunteerLedger.hours, points: volunteerLedger.points })
      .from(volunteerLedger)
      .innerJoin(volunteerShifts, eq(volunteerShifts.id, volunteerLedger.shiftId))
      .where(eq(volunteerLedger.userId, p.id))
      .orderBy(desc(volunteerLedger.at))
      .limit(20);
    return {
      hours: Math.round(Number(total!.hours) * 100) / 100,
      points: Number(total!.points),
      shifts: Number(total!.shifts),
      thisMonthHours: Math.round(Number(total!.month) * 100) / 100,
      recent: recent.map((r) => ({ ...r, startsAt: r.startsAt.toISOString() })),
    };
  }

  /** Volunteers checked in now on shifts of the jurisdiction (names only: no position is kept). */
  async onDuty(p: Principal) {
    const { db } = this.deps;
    const rows = await db
      .select({ shiftId: volunteerShifts.id, title: volunteerShifts.title, teamName: volunteerTeams.name, userId: volunteerSignups.userId, checkedInAt: volunteerSignups.checkedInAt, endsAt: volunteerShifts.endsAt })
      .from(volunteerSignups)
      .innerJoin(volunteerShifts, eq(volunteerShifts.id, volunteerSignups.shiftId))
      .innerJoin(volunteerTeams, eq(volunteerTeams.id, volunteerShifts.teamId))
      .where(and(isNotNull(volunteerSignups.checkedInAt), isNull(volunteerSignups.checkedOutAt), sql`${volunteerShifts.endsAt} > ${this.now()}`, teamScope(p, volunteerShifts.teamId, volunteerShifts.stationId)))
      .orderBy(asc(volunteerShifts.endsAt))
      .limit(500);
    const names = new Map((await accountsByIds(db, [...new Set(rows.map((r) => r.userId))])).map((a) => [a.id, a.displayName]));
    return {
      items: rows.map((r) => ({ shiftId: r.shiftId, title: r.title, teamName: r.teamName, displayName: names.get(r.userId) ?? '—', checkedInAt: r.checkedInAt!.toISOString(), endsAt: r.endsAt.toISOString() })),
      shifts: new Set(rows.map((r) => r.shiftId)).size,
      people: rows.length,
    };
  }

  // ---- reports ----

  async report(w: Write, p: Principal, body: { text: string; place?: string; lon?: number; lat?: number; category?: string; teamId?: string }) {
    if ((body.lon === undefined) !== (body.lat === undefined)) throw invalidField(body.lon === undefined ? 'lon' : 'lat', '经度与纬度需同时提供', 'lon and lat go together');
    const [m] = await w.tx
      .select({ teamId: volunteerTeams.id, teamName: volunteerTeams.name, stationId: volunteerTeams.stationId })
      .from(volunteerMembers)
      .innerJoin(volunteerTeams, eq(volunteerTeams.id, volunteerMembers.teamId))
      .where(and(eq(volunteerMembers.userId, p.id), body.teamId ? eq(volunteerMembers.teamId, body.teamId) : undefined))
      .orderBy(asc(volunteerMembers.joinedAt))
      .limit(1);
    if (!m) throw invalidField('teamId', '您不属于任何义警队', 'you belong to no volunteer team');
    const id = randomUUID();
    const [row] = await w.tx
      .insert(volunteerReports)
      .values({ id, stationId: m.stationId, teamId: m.teamId, userId: p.id, text: body.text.trim(), place: body.place?.trim() || null, lon: body.lon ?? null, lat: body.lat ?? null, category: body.category ?? null, status: 'new', createdAt: this.now() })
      .returning();
    w.entity(id);
    const view = this.reportView(row!, m.teamName, p.displayName);
    const station = await this.deps.jurisdiction.station(m.stationId);
    w.emit({ topic: 'volunteer', key: id, event: 'report', unitPath: station?.path ?? null, data: { event: 'report', report: { id, teamName: m.teamName, category: view.category, createdAt: view.createdAt } } });
    return view;
  }

  reportView(r: typeof volunteerReports.$inferSelect, teamName: string, reporter: string) {
    return { id: r.id, stationId: r.stationId, teamId: r.teamId, teamName, reporter, text: r.text, place: r.place, lon: r.lon, lat: r.lat, category: r.category, status: r.status as 'new', createdAt: r.createdAt.toISOString() };
  }

  /** Staff: the reports of their jurisdiction, newest first; a volunteer: their own. */
  async reports(p: Principal) {
    const { db } = this.deps;
    const where = isVolunteerOnly(p) ? eq(volunteerReports.userId, p.id) : unitScope(p, volunteerReports.stationId);
    const rows = await db.select({ r: volunteerReports, teamName: volunteerTeams.name }).from(volunteerReports).innerJoin(volunteerTeams, eq(volunteerTeams.id, volunteerReports.teamId)).where(where).orderBy(desc(volunteerReports.createdAt)).limit(200);
    const names = new Map((await accountsByIds(db, [...new Set(rows.map((x) => x.r.userId))])).map((a) => [a.id, a.displayName]));
    return { items: rows.map((x) => this.reportView(x.r, x.teamName, names.get(x.r.userId) ?? '—')) };
  }

  async setReportStatus(w: Write, p: Principal, id: string, status: string) {
    const [row] = await w.tx
      .update(volunteerReports)
      .set({ status, handledAt: this.now(), handledBy: p.username })
      .where(and(eq(volunteerReports.id, id), unitScope(p, volunteerReports.stationId)))
      .returning();
    if (!row) throw notFound('volunteer_report');
    w.entity(id);
    const [t] = await w.tx.select({ name: volunteerTeams.name }).from(volunteerTeams).where(eq(volunteerTeams.id, row.teamId));
    const [account] = await accountsByIds(w.tx, [row.userId]);
    return this.reportView(row, t?.name ?? '—', account?.displayName ?? '—');
  }
}
