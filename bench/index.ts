/** `npm run bench`: every benchmark in turn; each prints its figures and one RESULT line. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const benches = ['routing', 'addresses', 'intake', 'dispatch', 'disputes', 'cases', 'analytics'].filter((b) => fs.existsSync(new URL(`./${b}.ts`, import.meta.url)));
const results: string[] = [];
for (const b of benches) {
  process.stderr.write(`\n=== bench: ${b} ===\n`);
  const r = spawnSync(process.execPath, ['bin/run-ts.mjs', `bench/${b}.ts`], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  process.stdout.write(r.stdout);
  results.push(...r.stdout.split('\n').filter((l) => l.startsWith('RESULT ')));
  if (r.status !== 0) results.push(`FAILED ${b} (exit ${r.status})`);
}
process.stdout.write(`\n${results.join('\n')}\n`);
