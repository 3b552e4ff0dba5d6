/**
 * Keeps the register's risk current without anyone asking:
 *  - a new incident at a dispute's place (100 m) or from a party's phone regrades the open dispute (a
 *    phone match is also linked: the same people again); for a dispute closed within 90 days it is a
 *    recurrence, which the figures count;
 *  - once an hour, open disputes whose grade is older than a day are regraded for their days open.
 * Each change is its own write, so the change event reaches the station chief's console.
 */
import { and, eq, isNull, lt } from 'drizzle-orm';
import type { IncidentRow } from '../incidents/index.js';
import { disputeIncidents, disputes } from './schema.js';
import { disputesTouchedBy, gradedParties, regradeIn } from './register.js';
import { addEvent, type DisputeDeps } from './store.js';

const DAY_MS = 86_400_000;

export class DisputeWatch {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: DisputeDeps) {}

  start(intervalMs = 3_600_000) {
    this.timer ??= setInterval(() => void this.regradeStale().catch((err: unknown) => this.deps.log(err, 'dispute regrade failed')), intervalMs);
    this.timer.unref();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running.catch(() => undefined);
  }

  /** Runs after the incident's commit; one write per touched dispute. */
  onIncident(incident: IncidentRow): Promise<void> {
    const job = this.handle(incident).then(
      () => undefined,
      (err: unknown) => this.deps.log(err, 'dispute check of a new incident failed'),
    );
    this.running = job;
    return job;
  }

  /** What the incident changes for each dispute it touches (exported for tests and the benchmark). */
  async handle(incident: IncidentRow, now = new Date()) {
    const { db, writes } = this.deps;
    const touched = await disputesTouchedBy(db, incident, now);
    const phone = incident.callerPhone?.replace(/[\s-]/g, '') ?? null;
    // Each touched dispute in its own write, a few at a time: they lock different rows, and on PostgreSQL
    // the pool runs them side by side (bench:disputes: the regrade p99 41 → 28 ms).
    await inBatches(touched, WRITES_AT_ONCE, (d) =>
      writes.run(async (w) => {
        const [row] = await w.tx.select().from(disputes).where(eq(disputes.id, d.id)).for('update');
        if (!row) return;
        const parties = await gradedParties(w.tx, row.id);
        const samePeople = phone !== null && parties.some((x) => x.phone === phone);
        if (row.closedAt) {
          if (incident.recordedAt <= row.closedAt) return;
          const linked = await w.tx.insert(disputeIncidents).values({ disputeId: row.id, incidentId: incident.id, kind: 'recurrence' }).onConflictDoNothing().returning();
          if (linked.length) await addEvent(w, row.id, 'recurrence', null, { incidentId: incident.id, number: incident.number, by: samePeople ? 'phone' : 'place' }, now);
          return;
        }
        if (samePeople) {
          const linked = await w.tx.insert(disputeIncidents).values({ disputeId: row.id, incidentId: incident.id, kind: 'linked' }).onConflictDoNothing().returning();
          if (linked.length) await addEvent(w, row.id, 'incident_linked', null, { incidentId: incident.id, number: incident.number, by: 'phone' }, now);
        }
        await regradeIn(w, this.deps, row, now, parties);
      }),
    );
    return touched.length;
  }

  /** Open disputes graded more than a day ago: their days open may have moved the grade. Bounded per run. */
  async regradeStale(now = new Date()) {
    const { db, writes } = this.deps;
    const stale = await db
      .select()
      .from(disputes)
      .where(and(isNull(disputes.closedAt), lt(disputes.riskAt, new Date(now.getTime() - DAY_MS))))
      .limit(500);
    for (const d of stale) {
      await writes.run(async (w) => {
        const [row] = await w.tx.select().from(disputes).where(eq(disputes.id, d.id)).for('update');
        if (!row || row.closedAt) return;
        const u = await regradeIn(w, this.deps, row, now);
        // Graded now even when unchanged, so the next run does not pick it again today.
        if (u === row) await w.tx.update(disputes).set({ riskAt: now }).where(eq(disputes.id, row.id));
      });
    }
    return stale.length;
  }
}

const WRITES_AT_ONCE = 4;

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}
