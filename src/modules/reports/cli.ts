/**
 * `shouwang report weekly --week 2026-W48 --out report.docx [--unit ID]` and `shouwang report period
 * --from 2026-11-01 --to 2026-11-30 --out report.docx [--unit ID]`: generate the report of the bureau (or
 * of a unit) as the API does — a new revision only when the figures changed — and write its .docx; each
 * step and the snapshot's hash go to stderr.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { Db } from '../../db/client.js';
import type { KpiEntry } from '../../kernel/kernel.js';
import { localDay } from '../../core/clock.js';
import type { ReportSpan } from './domain/snapshot.js';

type WithDb = <T>(fn: (db: Db) => Promise<T>) => Promise<T>;

/** Composes, stores (unless the hash is unchanged) and writes the .docx of one report. */
async function generate(db: Db, kpis: readonly KpiEntry[], period: ReportSpan, unitId: string | undefined, out: string) {
  // Loaded here: the other commands need neither ECharts nor docx.
  const [store, { reportDocx }, { Writes }, { OutboxRelay }] = await Promise.all([import('./store.js'), import('./docx.js'), import('../../kernel/write.js'), import('../../kernel/outbox.js')]);
  const say = (m: string) => process.stderr.write(`${m}\n`);
  const unit = await store.reportUnit(db, null, unitId);
  say(`${period.kind === 'weekly' ? 'week' : 'period'} ${period.label}: ${period.from} → ${period.to}, ${unit.name}`);
  say('settling the rollups and composing the snapshot …');
  const t0 = Date.now();
  const c = await store.compose(db, kpis, unit, period);
  say(`snapshot composed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const writes = new Writes(db, new OutboxRelay({ db, publish: () => {} }));
  const r = await writes.run((w) => store.storeComposed(w, c, 'cli'));
  say(r.created ? `stored as revision ${r.row.revision}${r.row.revisesId ? ` (revises ${r.row.revisesId})` : ''}` : `unchanged: the same hash as revision ${r.row.revision}, nothing stored`);
  for (const n of r.row.revisionNotes ?? []) say(`  revised: ${n.en}`);
  say('rendering the .docx …');
  const bytes = await reportDocx({ snapshot: r.row.snapshot as never, hash: r.row.snapshotHash, revisionNotes: r.row.revisionNotes ?? [], revision: r.row.revision });
  fs.writeFileSync(out, bytes);
  process.stdout.write(`${out}: ${bytes.length} bytes, snapshot sha256 ${r.row.snapshotHash}\n`);
}

/** A bad week or period: the field and the reason, in both languages. */
function inputError(e: unknown): unknown {
  const f = e as { field?: string; zh?: string; en?: string };
  return f.field && f.zh && f.en ? new Error(`--${f.field.replace('weekStart', 'week')}: ${f.en}（${f.zh}）`) : e;
}

export function registerReportCommands(program: Command, withDb: WithDb, kpis: () => Promise<readonly KpiEntry[]>, fail: (err: unknown) => void) {
  const report = program.command('report').description('Reports (周报, period reports)');
  report
    .command('weekly')
    .description('Generate the weekly report of an ISO week (Monday–Sunday, local time) and write it as .docx')
    .requiredOption('--week <week>', "ISO week, e.g. 2026-W48 (or a Monday, 2026-11-23)")
    .option('--unit <id>', 'the unit whose jurisdiction the report covers (default: the bureau)')
    .option('--out <file>', 'the .docx to write', 'report.docx')
    .action((o: { week: string; unit?: string; out: string }) =>
      withDb(async (db) => {
        const { chooseWeek } = await import('./domain/weeks.js');
        let week;
        try {
          week = chooseWeek(/^\d{4}-\d{2}-\d{2}$/.test(o.week) ? { weekStart: o.week } : { week: o.week }, localDay(new Date()));
        } catch (e) {
          throw inputError(e);
        }
        await generate(db, await kpis(), { kind: 'weekly', ...week }, o.unit, o.out);
      }).catch(fail),
    );
  report
    .command('period')
    .description('Generate the report of a period (whole local days, at most 400, ending today at the latest) and write it as .docx')
    .requiredOption('--from <day>', 'first day, e.g. 2026-11-01')
    .requiredOption('--to <day>', 'last day (included), e.g. 2026-11-30')
    .option('--unit <id>', 'the unit whose jurisdiction the report covers (default: the bureau)')
    .option('--out <file>', 'the .docx to write', 'report.docx')
    .action((o: { from: string; to: string; unit?: string; out: string }) =>
      withDb(async (db) => {
        const { choosePeriod } = await import('./domain/periods.js');
        let period;
        try {
          period = choosePeriod({ from: o.from, to: o.to }, localDay(new Date()));
        } catch (e) {
          throw inputError(e);
        }
        await generate(db, await kpis(), period, o.unit, o.out);
      }).catch(fail),
    );
}
