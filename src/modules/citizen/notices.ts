/**
 * Safety notices (issue 15): chiefs and administrators publish short notices (title, body, valid from/to,
 * the whole city or one station); the portal shows the current ones of the citizen's area, and anyone
 * may read them (a public endpoint: notices are public information). A chief publishes for the stations
 * of their jurisdiction; only a city-wide account publishes for the whole city.
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import { coversUnit, seesEverything, type Principal } from '../../core/access.js';
import { notFound } from '../../core/errors.js';
import type { Db } from '../../db/client.js';
import type { Write } from '../../kernel/write.js';
import type { JurisdictionIndex } from '../org/index.js';
import { citizenNotices } from './schema-more.js';
import { invalidField } from './errors.js';

export type NoticeRow = typeof citizenNotices.$inferSelect;

export interface NoticeInput {
  title: string;
  body: string;
  stationId: string | null;
  validFrom: string;
  validTo: string;
}

export class CitizenNotices {
  constructor(
    private readonly db: Db,
    private readonly jurisdiction: JurisdictionIndex,
  ) {}

  async publish(w: Write, p: Principal, input: NoticeInput, now = new Date()): Promise<NoticeRow> {
    const from = new Date(input.validFrom);
    const to = new Date(input.validTo);
    if (Number.isNaN(from.getTime())) throw invalidField('validFrom', '请填写生效时间', 'Give the start');
    if (Number.isNaN(to.getTime()) || to <= from) throw invalidField('validTo', '结束时间须晚于生效时间', 'The end must be after the start');
    if (to <= now) throw invalidField('validTo', '结束时间已过', 'The end is already past');
    if (input.stationId === null) {
      if (!seesEverything(p)) throw invalidField('stationId', '只有市局账号可以发布全市通告，请选择派出所', 'Only a city-wide account may publish for the whole city: choose a station');
    } else {
      const s = await this.jurisdiction.station(input.stationId);
      if (!s) throw invalidField('stationId', '没有这个派出所', 'No such station');
      if (!coversUnit(p, s.path)) throw invalidField('stationId', '该派出所不在您的辖区', 'That station is outside your jurisdiction');
    }
    const [row] = await w.tx
      .insert(citizenNotices)
      .values({ id: randomUUID(), title: input.title.trim(), body: input.body.trim(), stationId: input.stationId, validFrom: from, validTo: to, createdBy: p.username, createdAt: now })
      .returning();
    if (!row.title) throw invalidField('title', '请填写标题', 'Give a title');
    w.entity(row.id);
    return row;
  }

  async withdraw(w: Write, p: Principal, id: string, now = new Date()): Promise<NoticeRow> {
    const [row] = await w.tx.select().from(citizenNotices).where(eq(citizenNotices.id, id)).for('update');
    if (!row || !(await this.mayEdit(p, row))) throw notFound('notice');
    const [u] = await w.tx.update(citizenNotices).set({ withdrawnAt: row.withdrawnAt ?? now }).where(eq(citizenNotices.id, id)).returning();
    w.entity(id);
    return u;
  }

  private async mayEdit(p: Principal, row: NoticeRow): Promise<boolean> {
    if (seesEverything(p)) return true;
    if (!row.stationId) return false;
    const s = await this.jurisdiction.station(row.stationId);
    return !!s && coversUnit(p, s.path);
  }

  /** Staff: the notices of my jurisdiction (and the city's), newest first. */
  async list(p: Principal): Promise<NoticeRow[]> {
    const rows = await this.db.select().from(citizenNotices).orderBy(desc(citizenNotices.createdAt)).limit(200);
    const out: NoticeRow[] = [];
    for (const r of rows) if (!r.stationId || (await this.mayEdit(p, r))) out.push(r);
    return out;
  }

  /** The notices in force now for a station's area (the whole city's too). */
  async current(stationId: string | null, now = new Date()): Promise<NoticeRow[]> {
    return this.db
      .select()
      .from(citizenNotices)
      .where(and(isNull(citizenNotices.withdrawnAt), lte(citizenNotices.validFrom, now), gt(citizenNotices.validTo, now), stationId ? or(isNull(citizenNotices.stationId), eq(citizenNotices.stationId, stationId)) : isNull(citizenNotices.stationId)))
      .orderBy(sql`${citizenNotices.stationId} is null`, desc(citizenNotices.validFrom))
      .limit(20);
  }
}

export function noticeView(n: NoticeRow, stationName: string | null) {
  return { id: n.id, title: n.title, body: n.body, stationId: n.stationId, stationName, validFrom: n.validFrom.toISOString(), validTo: n.validTo.toISOString(), withdrawn: n.withdrawnAt !== null };
}
