/**
 * The supervision figures as KPIs (issue 14 part 6): each computes itself over [from, to) in the asker's
 * jurisdiction from the same GET /cases/stats computation (stats.ts), read once per asker and period even
 * when several KPIs are asked together.
 */
import type { Db } from '../../db/client.js';
import type { KpiDef, KpiQuery } from '../../kernel/module.js';
import { defaultCalendar } from '../../core/working-days.js';
import { DEFAULT_RULES, type CaseDeps } from './store.js';
import { caseStats } from './stats.js';

type StatsAnswer = Awaited<ReturnType<typeof caseStats>>;
const recent = new Map<string, Promise<StatsAnswer>>();

/** The figures of one asker and period; a second KPI of the same question within seconds reads the first's answer. */
function statsFor(db: Db, q: KpiQuery): Promise<StatsAnswer> {
  const key = `${q.principal.unitPath}|${q.from.toISOString()}|${q.to.toISOString()}`;
  let p = recent.get(key);
  if (!p) {
    // Same rules and calendar as the module's own (setup): the KPI asks with the database only.
    const deps = { db, rules: DEFAULT_RULES, calendar: defaultCalendar() } as unknown as CaseDeps;
    p = caseStats(deps, q.principal, { from: q.from.toISOString(), to: q.to.toISOString() }, q.to < new Date() ? q.to : new Date());
    recent.set(key, p);
    setTimeout(() => recent.delete(key), 5_000).unref();
    p.catch(() => recent.delete(key));
  }
  return p;
}

export const SUPERVISION_KPIS: readonly KpiDef[] = [
  { id: 'case.overdue_cases', zh: '超期案件数', en: 'Cases past a statutory clock', unit: 'count', better: 'down', definition: 'cases in scope with a clock overdue now or finished after its due time in the period (GET /cases/stats overdue); the goal is zero (执法办案零超期)', measure: async (db, q) => ({ value: (await statsFor(db, q)).overdue }) },
  { id: 'case.yellow_clocks', zh: '临期（黄色）法定期限数', en: 'Statutory clocks in yellow', unit: 'count', better: 'down', definition: 'running clocks of open cases due within 24 h at the time asked (GET /cases/stats yellow)', measure: async (db, q) => ({ value: (await statsFor(db, q)).yellow }) },
  {
    id: 'case.notices_on_time',
    zh: '执法监督通知书按期回复率',
    en: 'Supervision notices answered on time',
    unit: 'rate',
    better: 'up',
    definition: 'notices issued in the period whose every answer came by the due date then in force ÷ notices issued in the period',
    numerator: 'notices of the period answered, every answer by its due date',
    denominator: 'notices issued in the period',
    measure: async (db, q) => {
      const s = await statsFor(db, q);
      return { value: s.noticesTotal ? s.noticesOnTime / s.noticesTotal : null, numerator: s.noticesOnTime, denominator: s.noticesTotal };
    },
  },
  { id: 'case.median_left_at_completion', zh: '期限完成时剩余时间中位数', en: 'Median time left when a clock is completed', unit: 'hours', better: 'up', definition: 'median over clocks finished in the period of (due time − time done), in hours; negative when finished late (domain/stats.ts)', measure: async (db, q) => ({ value: (await statsFor(db, q)).medianLeftAtCompletionHours }) },
];
