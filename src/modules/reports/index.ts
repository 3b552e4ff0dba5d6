/**
 * Reports (issue 16, 周报): the weekly report of the bureau or of a unit — a frozen snapshot of the
 * week's figures (analytics' judged KPIs, incidents by family against last year, the weekday × hour
 * table, the P1 incidents without personal data) with its SHA-256, revisions that name every changed
 * figure, and a byte-for-byte reproducible .docx. Generated every Monday after 06:00 for last week, and
 * on demand. See docs/analytics.md "周报 / Weekly report".
 */
import { defineModule } from '../../kernel/module.js';
import type { Kernel } from '../../kernel/kernel.js';
import { reports } from './schema.js';
import reportRoutes, { REPORT_MESSAGES } from './routes.js';
import { runMondayJob } from './weekly-job.js';

/** How often each instance checks whether last week's bureau report is due. */
const JOB_CHECK_MS = Number(process.env.SHOUWANG_REPORT_CHECK_MS ?? 10 * 60_000);
const jobs = new WeakMap<Kernel, { timer: NodeJS.Timeout; running: Promise<unknown> | null }>();

export default defineModule({
  name: 'reports',
  needs: ['analytics', 'incidents', 'org'],
  tables: { reports },
  messages: REPORT_MESSAGES,
  permissions: [
    { id: 'reports.read', zh: '查看与下载周报', en: 'Read and download the weekly reports', roles: ['analyst', 'chief', 'supervisor', 'admin'] },
    { id: 'reports.generate', zh: '生成周报', en: 'Generate a weekly report', roles: ['analyst', 'admin'] },
  ],
  web: { namespace: 'reports', menu: [{ path: '/reports', permission: 'reports.read', labelKey: 'nav.reports' }] },
  start: (kernel) => {
    const deps = { db: kernel.ctx.db, writes: kernel.writes, kpis: kernel.kpis };
    const job = { timer: null as unknown as NodeJS.Timeout, running: null as Promise<unknown> | null };
    const tick = () => {
      job.running ??= runMondayJob(deps)
        .catch((err) => kernel.log(err, 'reports: the Monday job failed'))
        .finally(() => (job.running = null));
    };
    job.timer = setInterval(tick, JOB_CHECK_MS);
    job.timer.unref();
    jobs.set(kernel, job);
  },
  stop: async (kernel) => {
    const job = jobs.get(kernel);
    if (job) clearInterval(job.timer);
    await job?.running;
  },
  routes: async (api, kernel) => {
    await api.register(reportRoutes, { deps: { db: kernel.ctx.db, writes: kernel.writes, kpis: kernel.kpis } });
  },
});
