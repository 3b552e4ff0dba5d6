/** `shouwang analytics rebuild`: every hour of incidents recounted into the rollups, with a progress bar. */
import type { Command } from 'commander';
import type { Db } from '../../db/client.js';
import { progressBar } from '../../cli/progress.js';
import { markAllStale, recountAllSpans, refreshStale } from './rollups.js';

export function registerAnalyticsCommands(program: Command, withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>, fail: (err: unknown) => void) {
  const analytics = program.command('analytics').description('Analytics rollups (数据研判)');
  analytics
    .command('rebuild')
    .description('Recount the rollups of every hour that holds incidents from the raw rows (after a correction of the counting rules, or to check them)')
    .action(() =>
      withDb(async (db) => {
        const started = Date.now();
        const marked = await markAllStale(db);
        const bar = progressBar('rollups'.padEnd(14));
        let total = 0;
        const hours = await refreshStale(db, {
          progress: (done, left) => {
            total = Math.max(total, done + left);
            bar.update(done, total);
          },
        });
        bar.done();
        await recountAllSpans(db);
        process.stdout.write(`rollups rebuilt: ${hours} hours recounted (${marked} marked) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      }).catch(fail),
    );
}
