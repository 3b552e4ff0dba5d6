/** `shouwang analytics rebuild`: every rollup recounted from the raw rows, a month at a time, with a progress bar. */
import type { Command } from 'commander';
import type { Db } from '../../db/client.js';
import { progressBar } from '../../cli/progress.js';
import { rebuildRollups } from './rebuild.js';

export function registerAnalyticsCommands(program: Command, withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>, fail: (err: unknown) => void) {
  const analytics = program.command('analytics').description('Analytics rollups (数据研判)');
  analytics
    .command('rebuild')
    .description('Recount every rollup from the raw rows, a month at a time, then the day and month tiers (after a correction of the counting rules, or to check them)')
    .action(() =>
      withDb(async (db) => {
        const started = Date.now();
        const bar = progressBar('rollups'.padEnd(14));
        const r = await rebuildRollups(db, { progress: (done, total) => bar.update(done, total, 'months') });
        bar.done();
        process.stdout.write(`rollups rebuilt: ${r.months} months recounted (${r.marks} stale marks cleared) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      }).catch(fail),
    );
}
