/**
 * What every dispute write shares: the dependencies, the scoped and locked read of one dispute, the
 * timeline row and the change event that travel with the write (outbox), and the status recomputed
 * from the disputeReferrals (domain/referral-machine.ts `disputeStatusFrom`).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { notFound } from '../../core/errors.js';
import type { Principal } from '../../core/access.js';
import type { Write, Writes } from '../../kernel/write.js';
import type { JurisdictionIndex } from '../org/index.js';
import type { IncidentService } from '../incidents/index.js';
import type { WorkingDayCalendar } from '../../core/working-days.js';
import { disputeScope } from './access.js';
import { disputeAgreements, disputeEvents, disputes, disputeReferrals } from './schema.js';
import { disputeListView, type DisputeRow } from './views.js';
import { disputeStatusFrom, type ReferralState } from './domain/referral-machine.js';

export interface AddressPoints {
  point(code: string): Promise<{ code: string; text: string; lon: number; lat: number } | undefined>;
}

export interface DisputeDeps {
  db: Db;
  writes: Writes;
  jurisdiction: JurisdictionIndex;
  incidents: IncidentService;
  addresses?: AddressPoints;
  calendar: WorkingDayCalendar;
  log: (err: unknown, msg: string) => void;
}

/** One dispute as `p` may see it, or 404 (also for a dispute outside their scope: its existence is not told). */
export async function scopedDispute(db: Db, p: Principal, id: string): Promise<DisputeRow> {
  const [row] = await db.select().from(disputes).where(and(eq(disputes.id, id), disputeScope(p)));
  if (!row) throw notFound('dispute');
  return row;
}

/** The dispute, scoped and locked for the rest of the write: concurrent writes to one dispute queue here. */
export async function lockedDispute(w: Write, p: Principal, id: string): Promise<DisputeRow> {
  const [row] = await w.tx.select().from(disputes).where(and(eq(disputes.id, id), disputeScope(p))).for('update');
  if (!row) throw notFound('dispute');
  w.entity(row.id);
  return row;
}

export async function addEvent(w: Write, disputeId: string, type: string, username: string | null, detail: Record<string, unknown> = {}, at = new Date()) {
  await w.tx.insert(disputeEvents).values({ disputeId, type, username, detail, at });
}

/**
 * The change event of a dispute to the consoles of its station (never to mediators). It reaches every
 * console there, also those without the register: so it says only that this dispute changed and where
 * it stands (no summary, no place, no party); a console that shows disputes reads them again.
 */
export async function emitChange(w: Write, deps: DisputeDeps, row: DisputeRow, event: string) {
  const station = await deps.jurisdiction.station(row.stationId);
  const { id, number, type, status, riskGrade, stationId, version } = disputeListView(row);
  w.emit({ topic: 'dispute', key: row.id, event, unitPath: station?.path ?? null, data: { event, dispute: { id, number, type, status, riskGrade, stationId, version } } }, row);
}

/** Recomputes the dispute's status from its disputeReferrals and agreement, bumps its version, emits the change. */
export async function touchDispute(w: Write, deps: DisputeDeps, row: DisputeRow, event: string, set: Partial<typeof disputes.$inferInsert> = {}): Promise<DisputeRow> {
  const states = (await w.tx.select({ status: disputeReferrals.status }).from(disputeReferrals).where(eq(disputeReferrals.disputeId, row.id))).map((r) => r.status as ReferralState);
  const [agreement] = await w.tx.select({ id: disputeAgreements.disputeId }).from(disputeAgreements).where(eq(disputeAgreements.disputeId, row.id));
  const closed = set.closedAt !== undefined ? set.closedAt !== null : row.closedAt !== null;
  const status = disputeStatusFrom(states, closed, !!agreement);
  const [u] = await w.tx
    .update(disputes)
    .set({ ...set, status, version: sql`${disputes.version} + 1` })
    .where(eq(disputes.id, row.id))
    .returning();
  await emitChange(w, deps, u!, event);
  return u!;
}
