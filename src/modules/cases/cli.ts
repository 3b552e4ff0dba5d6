/**
 * `shouwang clocks explain --case <number>`: every clock of a case with its arithmetic (start, counted
 * days, extensions, stops excluded, days off skipped, due), so a supervisor can check a deadline by hand.
 * Reads the configured database (PGlite under SHOUWANG_DATA, or DATABASE_URL) like the server.
 */
import type { Command } from 'commander';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { defaultCalendar } from '../../core/working-days.js';
import { cases } from './schema.js';
import { asCaseEvent, eventsOf } from './store.js';
import { CLOCK_RULES, type CaseKind } from './domain/rules.js';
import { computeClocks, stateAt, type ClockState } from './domain/calculator.js';
import { explainClocks, formatLocal } from './domain/explain.js';

type Lang = 'zh' | 'en';

const STATES: Record<ClockState, Record<Lang, string>> = {
  running: { zh: '进行中', en: 'running' },
  stopped: { zh: '停止计算', en: 'stopped' },
  done: { zh: '已完成', en: 'done' },
  overdue: { zh: '已超期', en: 'overdue' },
};

/** The text the command prints for one case, or null when no case has this number. */
export async function explainCase(db: Db, number: string, lang: Lang = 'zh', now = new Date()): Promise<string | null> {
  const [row] = await db.select().from(cases).where(eq(cases.number, number.trim()));
  if (!row) return null;
  const events = (await eventsOf(db, row.id)).map(asCaseEvent);
  const clocks = computeClocks(events, CLOCK_RULES, defaultCalendar(), { caseKind: row.kind as CaseKind, lang, explain: true });
  const t = (zh: string, en: string) => (lang === 'zh' ? zh : en);
  const kind = row.kind === 'criminal' ? t('刑事', 'criminal') : t('行政', 'administrative');
  const head = [
    `${row.number}  ${row.title}`,
    t(`类别：${kind}  派出所：${row.stationId}  承办民警：${row.officer}  状态：${row.closedAt ? '已结案' : '在办'}`, `Kind: ${kind}  Station: ${row.stationId}  Officer: ${row.officer}  Status: ${row.closedAt ? 'closed' : 'open'}`),
    t(`计算时间：${formatLocal(now)}（北京时间）；${events.length} 个程序步骤`, `As of ${formatLocal(now)} (Beijing time); ${events.length} procedural steps`),
    '',
  ];
  if (clocks.length === 0) return [...head, t('尚无法定期限。', 'No statutory clock yet.'), ''].join('\n');
  const body = explainClocks(clocks, lang)
    .split('\n\n')
    .map((block, i) => `${block.replace(/\n$/, '')}\n  ${t('当前', 'Now')}: ${STATES[stateAt(clocks[i]!, now)][lang]}`)
    .join('\n\n');
  return head.join('\n') + body + '\n';
}

/** Registers `clocks explain`; `withDb` opens the configured database for the command's duration. */
export function registerClocksCommand(program: Command, withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>, out: (text: string) => void = (s) => void process.stdout.write(s), fail: (err: unknown) => void = (e) => {
  throw e;
}) {
  const clocks = program.command('clocks').description('Statutory clocks of cases (案件法定期限)');
  clocks
    .command('explain')
    .description('Print every clock of a case with its arithmetic: start, counted days, stops, holidays skipped, due')
    .requiredOption('--case <number>', 'the case number (e.g. AJMO0101202603100001)')
    .option('--lang <lang>', 'zh (default) or en', 'zh')
    .action((opts: { case: string; lang: string }) =>
      withDb(async (db) => {
        if (opts.lang !== 'zh' && opts.lang !== 'en') throw new Error(`--lang must be zh or en, not ${opts.lang}`);
        const text = await explainCase(db, opts.case, opts.lang);
        if (text === null) throw new Error(opts.lang === 'zh' ? `没有编号为 ${opts.case} 的案件` : `no case numbered ${opts.case}`);
        out(text);
      }).catch(fail),
    );
}
