/**
 * `shouwang report weekly --week 2026-W48 --out report.docx [--unit ID]`: generates the week's report of
 * the bureau (or of a unit) as the API does — a new revision only when the figures changed — and writes
 * its .docx; prints each step and the snapshot's hash.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { Db } from '../../db/client.js';
import type { KpiEntry } from '../../kernel/kernel.js';
import { localDay } from '../../core/clock.js';

export function registerReportCommands(program: Command, withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>, kpis: () => Promise<readonly KpiEntry[]>, fail: (err: unknown) => void) {
  const report = program.command('report').description('Reports (周报)');
  report
    .command('weekly')
    .description('Generate the weekly report of an ISO week (Monday–Sunday, local time) and write it as .docx')
    .requiredOption('--week <week>', "ISO week, e.g. 2026-W48 (or a Monday, 2026-11-23)")
    .option('--unit <id>', 'the unit whose jurisdiction the report covers (default: the bureau)')
    .option('--out <file>', 'the .docx to write', 'report.docx')
    .action((o: { week: string; unit?: string; out: string }) =>
      withDb(async (db) => {
        // Loaded here: the other commands need neither ECharts nor docx.
        const [{ chooseWeek }, store, { weeklyDocx }, { Writes }, { OutboxRelay }] = await Promise.all([import('./domain/weeks.js'), import('./store.js'), import('./docx.js'), import('../../kernel/write.js'), import('../../kernel/outbox.js')]);
        const week = chooseWeek(/^\d{4}-\d{2}-\d{2}$/.test(o.week) ? { weekStart: o.week } : { week: o.week }, localDay(new Date()));
        const say = (m: string) => process.stderr.write(`${m}\n`);
        const unit = await store.reportUnit(db, null, o.unit);
        say(`week ${week.label}: ${week.from} → ${week.to}, ${unit.name}`);
        say('settling the rollups and composing the snapshot …');
        const t0 = Date.now();
        const c = await store.compose(db, await kpis(), unit, week);
        say(`snapshot composed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        const writes = new Writes(db, new OutboxRelay({ db, publish: () => {} }));
        const r = await writes.run((w) => store.storeComposed(w, c, 'cli'));
        say(r.created ? `stored as revision ${r.row.revision}${r.row.revisesId ? ` (revises ${r.row.revisesId})` : ''}` : `unchanged: the same hash as revision ${r.row.revision}, nothing stored`);
        for (const n of r.row.revisionNotes ?? []) say(`  revised: ${n.en}`);
        say('rendering the .docx …');
        const bytes = await weeklyDocx({ snapshot: r.row.snapshot as never, hash: r.row.snapshotHash, revisionNotes: r.row.revisionNotes ?? [], revision: r.row.revision });
        fs.writeFileSync(o.out, bytes);
        process.stdout.write(`${o.out}: ${bytes.length} bytes, snapshot sha256 ${r.row.snapshotHash}\n`);
      }).catch(fail),
    );
}
