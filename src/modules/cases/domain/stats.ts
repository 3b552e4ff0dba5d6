/**
 * The figures of case supervision (issue 14 part 6), pure: from the cases in scope with their computed
 * clocks and the notices, for a period [from, to) seen at `now`:
 *
 * - overdue: cases with a clock overdue now (open cases) or finished after its due time within the
 *   period — the target is zero (执法办案零超期);
 * - yellow: running clocks of open cases due within the lead time (the warnings' colour);
 * - medianLeftAtCompletionHours: the median of (due − done) over clocks finished within the period,
 *   in hours (negative: finished late); null when none finished;
 * - noticesTotal / noticesOnTime: notices issued within the period, and those answered, every answer
 *   by the due date in force; noticesOverdue: notices owing an answer past their due date now;
 * - problemsByType: the problem items of the period's notices, most frequent first.
 *
 * The same figures per station and per officer (the case officer; a notice counts for its case's).
 */
import { PROBLEM_TYPES, isOverdue, type NoticeState, type ProblemType } from './notices.js';

const H = 3_600_000;

export interface StatsClock {
  dueAt: Date | null;
  doneAt: Date | null;
}

export interface StatsCase {
  stationId: string;
  officer: string;
  closedAt: Date | null;
  clocks: readonly StatsClock[];
}

export interface StatsNotice {
  stationId: string;
  officer: string;
  state: NoticeState;
  issuedAt: Date;
  answerDueAt: Date;
  firstAnsweredAt: Date | null;
  /** Any answer given after the due date then in force. */
  late: boolean;
  problems: readonly ProblemType[];
}

export interface Figures {
  cases: number;
  overdue: number;
  yellow: number;
  medianLeftAtCompletionHours: number | null;
  noticesTotal: number;
  noticesOnTime: number;
  noticesOverdue: number;
}

export interface Stats extends Figures {
  problemsByType: { type: ProblemType; count: number }[];
  byStation: (Figures & { stationId: string })[];
  byOfficer: (Figures & { officer: string; stationId: string })[];
}

export interface StatsWindow {
  from: Date;
  to: Date;
  now: Date;
  leadMs: number;
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const within = (d: Date | null, w: StatsWindow) => d !== null && d.getTime() >= w.from.getTime() && d.getTime() < w.to.getTime();

function figures(cs: readonly StatsCase[], ns: readonly StatsNotice[], w: StatsWindow): Figures {
  const now = w.now.getTime();
  let overdue = 0;
  let yellow = 0;
  const left: number[] = [];
  for (const c of cs) {
    let late = false;
    for (const k of c.clocks) {
      const done = k.doneAt !== null && k.doneAt.getTime() <= now;
      if (done) {
        if (within(k.doneAt, w) && k.dueAt) {
          left.push((k.dueAt.getTime() - k.doneAt!.getTime()) / H);
          if (k.doneAt!.getTime() > k.dueAt.getTime()) late = true;
        }
      } else if (c.closedAt === null && k.dueAt) {
        // A clock of an open case still running (a stopped one has no due time and waits).
        if (now > k.dueAt.getTime()) late = true;
        else if (k.dueAt.getTime() - now <= w.leadMs) yellow++;
      }
    }
    if (late) overdue++;
  }
  const issued = ns.filter((n) => within(n.issuedAt, w));
  const m = median(left);
  return {
    cases: cs.length,
    overdue,
    yellow,
    medianLeftAtCompletionHours: m === null ? null : Math.round(m * 10) / 10,
    noticesTotal: issued.length,
    noticesOnTime: issued.filter((n) => n.firstAnsweredAt !== null && !n.late).length,
    noticesOverdue: ns.filter((n) => isOverdue(n, w.now)).length,
  };
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) (m.get(key(x)) ?? m.set(key(x), []).get(key(x))!).push(x);
  return m;
}

/** Every figure for the whole scope, by station (by code, sorted) and by officer (most overdue first). */
export function computeStats(cases: readonly StatsCase[], notices: readonly StatsNotice[], w: StatsWindow): Stats {
  const counts = new Map<ProblemType, number>();
  for (const n of notices) if (within(n.issuedAt, w)) for (const p of n.problems) counts.set(p, (counts.get(p) ?? 0) + 1);
  const problemsByType = [...counts].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || PROBLEM_TYPES.indexOf(a.type) - PROBLEM_TYPES.indexOf(b.type));

  const casesBy = groupBy(cases, (c) => c.stationId);
  const noticesBy = groupBy(notices, (n) => n.stationId);
  const stations = [...new Set([...casesBy.keys(), ...noticesBy.keys()])].sort();
  const byStation = stations.map((stationId) => ({ stationId, ...figures(casesBy.get(stationId) ?? [], noticesBy.get(stationId) ?? [], w) }));

  const who = (x: { stationId: string; officer: string }) => `${x.stationId}\u0000${x.officer}`;
  const casesOf = groupBy(cases, who);
  const noticesOf = groupBy(notices, who);
  const officers = [...new Set([...casesOf.keys(), ...noticesOf.keys()])];
  const byOfficer = officers
    .map((k) => {
      const [stationId, officer] = k.split('\u0000') as [string, string];
      return { officer, stationId, ...figures(casesOf.get(k) ?? [], noticesOf.get(k) ?? [], w) };
    })
    .sort((a, b) => b.overdue - a.overdue || b.yellow - a.yellow || a.stationId.localeCompare(b.stationId) || a.officer.localeCompare(b.officer));

  return { ...figures(cases, notices, w), problemsByType, byStation, byOfficer };
}
