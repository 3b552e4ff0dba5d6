/**
 * The volunteers' timers: every few minutes,
 *  - a shift that starts within 24 h with fewer confirmed volunteers than its minimum alerts the station
 *    chief (permission `volunteer.alert`, a notification on any page, like the disputes' risk alert):
 *    an outbox event `volunteer`/`shift_short` to the station. Once per shift and once across instances:
 *    the alert row's primary key (volunteer_shift_alerts.shift_id) is claimed in the same write as the
 *    event, so a second instance (or a second run) finds it taken and sends nothing;
 *  - volunteers still checked in when their shift ended are checked out at its end (hours capped).
 */
import { and, eq, gt, isNull, lte, sql } from 'drizzle-orm';
import { volunteerShiftAlerts, volunteerShifts, volunteerTeams } from './schema.js';
import { shortageDue } from './domain/shifts.js';
import type { VolunteerService } from './service.js';

const H = 3_600_000;

export class VolunteerWatch {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly service: VolunteerService) {}

  start(intervalMs = 5 * 60_000) {
    const tick = () => {
      this.running = this.tick().catch((err: unknown) => this.service.deps.log(err, 'volunteer watch failed'));
    };
    this.timer ??= setInterval(tick, intervalMs);
    this.timer.unref();
    setTimeout(tick, 1000).unref();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running.catch(() => undefined);
  }

  async tick(now = this.service.deps.now?.() ?? new Date()) {
    const alerted = await this.alertShort(now);
    const closed = await this.service.closeEnded();
    return { alerted, closed };
  }

  /** Alerts the chief of each short shift starting within `aheadHours`; answers how many alerts this run sent. */
  async alertShort(now = new Date(), aheadHours = 24): Promise<number> {
    const { db, writes, jurisdiction } = this.service.deps;
    const due = await db
      .select({ s: volunteerShifts, teamName: volunteerTeams.name })
      .from(volunteerShifts)
      .innerJoin(volunteerTeams, eq(volunteerTeams.id, volunteerShifts.teamId))
      .leftJoin(volunteerShiftAlerts, eq(volunteerShiftAlerts.shiftId, volunteerShifts.id))
      .where(and(isNull(volunteerShiftAlerts.shiftId), isNull(volunteerShifts.cancelledAt), gt(volunteerShifts.startsAt, now), lte(volunteerShifts.startsAt, new Date(now.getTime() + aheadHours * H)), sql`${volunteerShifts.confirmed} < ${volunteerShifts.minPeople}`))
      .limit(500);
    let sent = 0;
    for (const { s, teamName } of due) {
      if (!shortageDue({ startsAt: s.startsAt, minPeople: s.minPeople, taken: s.confirmed, cancelled: Boolean(s.cancelledAt) }, now, aheadHours)) continue;
      const station = await jurisdiction.station(s.stationId);
      const claimed = await writes.run(async (w) => {
        const [row] = await w.tx.insert(volunteerShiftAlerts).values({ shiftId: s.id, alertedAt: now, taken: s.confirmed, minPeople: s.minPeople }).onConflictDoNothing().returning();
        if (!row) return false;
        w.emit({
          topic: 'volunteer',
          key: s.id,
          event: 'shift_short',
          unitPath: station?.path ?? null,
          data: { event: 'shift_short', shift: { id: s.id, title: s.title, teamName, startsAt: s.startsAt.toISOString(), confirmed: s.confirmed, minPeople: s.minPeople } },
        });
        return true;
      });
      if (claimed) sent++;
    }
    return sent;
  }
}
