/** `shouwang simulate`: the city simulator against a running server over HTTP (also the load generator). */
import { Command } from 'commander';
import { CitySimulator } from './engine.js';
import { HttpTarget } from './http.js';

interface SimulateOptions {
  url: string;
  rate: string;
  speed: string;
  avlInterval: string;
  duration?: string;
  username: string;
  password?: string;
  avlToken?: string;
  seed?: string;
  statusEvery: string;
  includeCrewed?: boolean;
  patrol: boolean;
}

function positive(name: string, text: string, allowZero = false): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, not ${text}`);
  return n;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('Run the city simulator against a server over HTTP: calls at the daily rhythm, dispatch on the recommendation, units driving their road routes (also the load generator)')
    .option('--url <url>', 'server URL', 'http://localhost:8080')
    .option('--rate <n>', 'call-rate multiplier (1 ≈ 90 calls a day; 10 = New Year’s Eve)', '1')
    .option('--speed <n>', 'time factor: simulated seconds per real second (delays, driving, on-scene time)', '1')
    .option('--avl-interval <s>', 'seconds between position reports of every unit', '5')
    .option('--duration <s>', 'stop after this many seconds (default: until Ctrl-C)')
    .option('--username <name>', 'account that takes calls, dispatches and acts for the units', 'dispatcher')
    .option('--password <password>', 'its password (or SHOUWANG_PASSWORD; demo: shouwang-demo)')
    .option('--avl-token <token>', 'API token with scope avl:write: positions in one batch request per tick')
    .option('--seed <n>', 'random seed (same seed, same calls)')
    .option('--status-every <s>', 'seconds between status lines', '10')
    .option('--include-crewed', 'also drive units crewed by real accounts (the demo officer’s unit)')
    .option('--no-patrol', 'idle units stay at their station')
    .action(async (o: SimulateOptions) => {
      try {
        const target = new HttpTarget({ url: o.url, username: o.username, password: o.password ?? process.env.SHOUWANG_PASSWORD ?? 'shouwang-demo', avlToken: o.avlToken });
        await target.login();
        const sim = new CitySimulator({
          target,
          rate: positive('rate', o.rate, true),
          speed: positive('speed', o.speed),
          avlInterval: positive('avl-interval', o.avlInterval),
          seed: o.seed !== undefined ? Math.floor(positive('seed', o.seed, true)) : Date.now() & 0x7fffffff,
          includeCrewed: o.includeCrewed,
          patrol: o.patrol,
        });
        await sim.init();
        const started = Date.now();
        const line = () => process.stdout.write(`[${Math.round((Date.now() - started) / 1000)}s] ${sim.statusLine()}  http ${target.requests} (failed ${target.failures})\n`);
        process.stdout.write(`simulating against ${o.url} as ${o.username}: rate ×${sim.rate}, speed ×${sim.speed}, AVL every ${sim.avlInterval} s${o.avlToken ? ' (batched)' : ''}\n`);
        sim.start();
        const status = setInterval(line, positive('status-every', o.statusEvery) * 1000);
        const finish = (code: number) => {
          sim.stop();
          clearInterval(status);
          line();
          process.exit(code);
        };
        if (o.duration !== undefined) setTimeout(() => finish(0), positive('duration', o.duration) * 1000);
        process.once('SIGINT', () => finish(0));
        process.once('SIGTERM', () => finish(0));
      } catch (err) {
        const msg = err instanceof Error ? (err.message === 'fetch failed' ? `cannot reach ${o.url} (${String((err as { cause?: unknown }).cause ?? 'no answer')})` : err.message) : String(err);
        process.stderr.write(`shouwang simulate: ${msg}\n`);
        process.exit(2);
      }
    });
}
