/**
 * Linked-defence groups (联店联防 / 联楼联防 / 联户联防): a named group of shops, buildings or households
 * of a station, each member with its address and the contact channel the group alerts it on. A member's
 * alert (from the phone page) at once
 *  - records an incident at the member's address (the incidents module's public API: its own write,
 *    numbered, deduplicated and dispatched like any other);
 *  - notifies the station (an outbox event `volunteer`/`defence_alert` to the station's consoles) and
 *    the group (one queued notice per other member's contact channel, and the members with an account see
 *    it on their phone page) — in one write with the alert.
 * Members' contacts are shown only to the station and to the members of the same group.
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { maskPhone, unitScope, type Principal } from '../../core/access.js';
import { notFound } from '../../core/errors.js';
import type { Write } from '../../kernel/write.js';
import { firstOutsider } from '../users/index.js';
import { defenceAlerts, defenceGroups, defenceMembers, defenceNotices } from './schema.js';
import { invalidField, refuse } from './errors.js';
import { isVolunteerOnly, type VolunteerDeps } from './service.js';
import type { ALERT_KINDS, DEFENCE_KINDS } from './contract.js';

type AlertKind = (typeof ALERT_KINDS)[number];
type DefenceKind = (typeof DEFENCE_KINDS)[number];

/** The incident category an alert is recorded under (leaf codes of the category tree). */
export const ALERT_CATEGORY: Record<AlertKind, string> = {
  robbery: '01020101',
  theft: '01020206',
  suspicious: '02020204',
  fight: '02010101',
  other: '02020204',
};
const KIND_ZH: Record<DefenceKind, string> = { shops: '联店联防', buildings: '联楼联防', households: '联户联防' };
const ALERT_ZH: Record<AlertKind, string> = { robbery: '抢劫', theft: '盗窃', suspicious: '可疑人员', fight: '打架斗殴', other: '求助' };

type GroupRow = typeof defenceGroups.$inferSelect;
type MemberRow = typeof defenceMembers.$inferSelect;

/** Groups `p` sees: a volunteer those they are a member of; staff those of their jurisdiction. */
function groupScope(p: Principal): SQL | undefined {
  if (isVolunteerOnly(p)) return sql`${defenceGroups.id} in (select group_id from defence_members where user_id = ${p.id})`;
  return unitScope(p, defenceGroups.stationId);
}

export class DefenceService {
  constructor(private readonly deps: VolunteerDeps) {}

  private memberView(m: MemberRow, p: Principal) {
    // A member sees the others' contact (that is the group's point); the station too. Masked for phones of others to a volunteer.
    const contact = isVolunteerOnly(p) && m.userId !== p.id && (m.contactChannel === 'phone' || m.contactChannel === 'sms') ? (maskPhone(m.contact) ?? '') : m.contact;
    return { id: m.id, name: m.name, addressText: m.addressText, lon: m.lon, lat: m.lat, contactChannel: m.contactChannel, contact, hasAccount: Boolean(m.userId) };
  }

  private async views(p: Principal, groups: GroupRow[]) {
    if (!groups.length) return [];
    const members = await this.deps.db.select().from(defenceMembers).where(inArray(defenceMembers.groupId, groups.map((g) => g.id)));
    return groups.map((g) => {
      const of = members.filter((m) => m.groupId === g.id);
      return { id: g.id, stationId: g.stationId, kind: g.kind as DefenceKind, name: g.name, members: of.map((m) => this.memberView(m, p)), myMemberId: of.find((m) => m.userId === p.id)?.id ?? null };
    });
  }

  async list(p: Principal) {
    const rows = await this.deps.db.select().from(defenceGroups).where(groupScope(p)).orderBy(defenceGroups.name).limit(500);
    return { items: await this.views(p, rows) };
  }

  async group(p: Principal, id: string, db = this.deps.db) {
    const [g] = await db.select().from(defenceGroups).where(and(eq(defenceGroups.id, id), groupScope(p)));
    if (!g) throw notFound('defence_group');
    return g;
  }

  async detail(p: Principal, id: string) {
    const [v] = await this.views(p, [await this.group(p, id)]);
    return v!;
  }

  async create(w: Write, p: Principal, body: { stationId?: string; kind: DefenceKind; name: string }) {
    const s = await this.deps.jurisdiction.station(body.stationId ?? p.unitId);
    if (!s || !s.path.startsWith(p.unitPath)) throw invalidField('stationId', '不是您辖区内的派出所', 'not a station of your jurisdiction');
    const id = randomUUID();
    const [g] = await w.tx.insert(defenceGroups).values({ id, stationId: s.id, kind: body.kind, name: body.name.trim(), createdBy: p.username }).onConflictDoNothing().returning();
    if (!g) throw invalidField('name', '本所已有同名联防组', 'the station already has a group of this name', 409);
    w.entity(id);
    return { id, stationId: s.id, kind: body.kind, name: g.name, members: [], myMemberId: null };
  }

  async addMember(w: Write, p: Principal, groupId: string, body: { name: string; addressText: string; addressCode?: string; lon: number; lat: number; contactChannel: string; contact: string; userId?: string }) {
    const g = await this.group(p, groupId, w.tx);
    if (body.userId) {
      const s = await this.deps.jurisdiction.station(g.stationId);
      if (!s || (await firstOutsider(w.tx, s.path, [body.userId]))) throw invalidField('userId', '账户须属于本组所在派出所', 'the account must belong to the group’s station');
    }
    const [m] = await w.tx
      .insert(defenceMembers)
      .values({ id: randomUUID(), groupId, name: body.name.trim(), addressText: body.addressText.trim(), addressCode: body.addressCode ?? null, lon: body.lon, lat: body.lat, contactChannel: body.contactChannel, contact: body.contact.trim(), userId: body.userId ?? null })
      .returning();
    w.entity(groupId);
    return this.memberView(m!, p);
  }

  /**
   * A member's alert. A volunteer raises it as their own member record; station staff may raise it for a
   * member (`memberId`). The incident is recorded first (its own write); then the alert, the group's
   * notices and the station's event commit together.
   */
  async raise(p: Principal, groupId: string, body: { kind: AlertKind; note?: string; memberId?: string }) {
    const { db, incidents, writes, jurisdiction } = this.deps;
    const g = await this.group(p, groupId);
    const members = await db.select().from(defenceMembers).where(eq(defenceMembers.groupId, groupId));
    const member = isVolunteerOnly(p) ? members.find((m) => m.userId === p.id) : members.find((m) => m.id === body.memberId);
    if (!member) {
      if (isVolunteerOnly(p)) throw refuse('您不是本联防组成员', 'you are not a member of this group', 403);
      throw invalidField('memberId', '请选择本组的成员', 'choose a member of this group');
    }
    const description = `【${KIND_ZH[g.kind as DefenceKind] ?? '联防'}·${g.name}】${member.name}报警：${ALERT_ZH[body.kind]}${body.note ? `。${body.note.trim()}` : ''}`;
    const caller = member.contactChannel === 'phone' || member.contactChannel === 'sms' ? { name: member.name, phone: member.contact } : { name: member.name };
    const { row: incident } = await incidents.create(p, {
      source: 'citizen_portal',
      categoryCode: ALERT_CATEGORY[body.kind],
      description,
      address: member.addressText,
      ...(member.addressCode ? { addressCode: member.addressCode } : {}),
      location: { lon: member.lon, lat: member.lat },
      stationId: g.stationId,
      caller,
    });
    const station = await jurisdiction.station(g.stationId);
    const now = new Date();
    const others = members.filter((m) => m.id !== member.id);
    const view = await writes.run(async (w) => {
      const id = randomUUID();
      await w.tx.insert(defenceAlerts).values({ id, groupId, memberId: member.id, stationId: g.stationId, kind: body.kind, note: body.note?.trim() || null, incidentId: incident.id, incidentNumber: incident.number, raisedAt: now, raisedBy: p.username });
      if (others.length) await w.tx.insert(defenceNotices).values(others.map((m) => ({ id: randomUUID(), alertId: id, memberId: m.id, channel: m.contactChannel, status: 'queued', createdAt: now })));
      const v = { id, groupId, groupName: g.name, memberName: member.name, addressText: member.addressText, kind: body.kind, note: body.note?.trim() || null, incidentId: incident.id, incidentNumber: incident.number, raisedAt: now.toISOString(), notified: others.length };
      w.emit({ topic: 'volunteer', key: id, event: 'defence_alert', unitPath: station?.path ?? null, data: { event: 'defence_alert', alert: v } });
      return v;
    });
    return view;
  }

  /** Recent alerts: of the groups a volunteer belongs to, or of the jurisdiction's groups for staff. */
  async alerts(p: Principal, limit = 50) {
    const rows = await this.deps.db
      .select({ a: defenceAlerts, groupName: defenceGroups.name, memberName: defenceMembers.name, addressText: defenceMembers.addressText, notified: sql<number>`(select count(*) from defence_notices n where n.alert_id = ${defenceAlerts.id})` })
      .from(defenceAlerts)
      .innerJoin(defenceGroups, eq(defenceGroups.id, defenceAlerts.groupId))
      .innerJoin(defenceMembers, eq(defenceMembers.id, defenceAlerts.memberId))
      .where(groupScope(p))
      .orderBy(desc(defenceAlerts.raisedAt))
      .limit(limit);
    const staff = !isVolunteerOnly(p);
    return {
      items: rows.map((r) => ({
        id: r.a.id,
        groupId: r.a.groupId,
        groupName: r.groupName,
        memberName: r.memberName,
        addressText: r.addressText,
        kind: r.a.kind as AlertKind,
        note: r.a.note,
        // The incident is the station's: a volunteer is told that it was recorded, not given its id.
        incidentId: staff ? r.a.incidentId : null,
        incidentNumber: r.a.incidentNumber,
        raisedAt: r.a.raisedAt.toISOString(),
        notified: Number(r.notified),
      })),
    };
  }
}
