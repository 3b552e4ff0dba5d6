/** The `shouwang` command. Every subcommand reads the same SHOUWANG_DATA / DATABASE_URL as the server. */
import { Command, Option } from 'commander';
import readline from 'node:readline/promises';
import { loadConfig } from '../config.js';
import { openDatabase, type Database } from '../db/client.js';
import { AppError, MESSAGES, renderMessage } from '../core/errors.js';
import { ROLES } from '../core/roles.js';
import { progressBar } from './progress.js';
import { claimDataDir, runningServerPid } from './db-lock.js';
import { registerRoadsCommands } from '../modules/roads/cli.js';
import { registerSimulateCommand } from '../demo/simulator/index.js';
import { registerClocksCommand } from '../modules/cases/cli.js';
import { registerAnalyticsCommands } from '../modules/analytics/cli.js';
import { registerReportCommands } from '../modules/reports/cli.js';

const program = new Command();
program.name('shouwang').description('守望 Shouwang — public-safety command platform').version('0.1.0').showHelpAfterError();

/** Opens the configured database for a one-off command (refusing a PGlite folder a server holds). */
async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  if (!config.databaseUrl) {
    const pid = runningServerPid(config.dataDir);
    if (pid) throw new Error(`the server (pid ${pid}) holds the embedded database in ${config.dataDir}; stop it first (PGlite serves one process), or use PostgreSQL via DATABASE_URL`);
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function fail(err: unknown): Promise<never> {
  // A module's error codes (weak_password …) are in its manifest: merged here as the server does at start.
  if (err instanceof AppError && !(err.code in MESSAGES)) Object.assign(MESSAGES, (await catalogues().catch(() => null))?.messages);
  const msg = err instanceof AppError ? renderMessage(err.code, err.params, 'en') : err instanceof Error ? err.message : String(err);
  process.stderr.write(`shouwang: ${msg}\n`);
  process.exit(2);
}

/** The catalogues of every module (token scopes, messages), without a server. */
async function catalogues() {
  const [{ Catalogues }, { MODULES }] = await Promise.all([import('../kernel/kernel.js'), import('../modules/index.js')]);
  return new Catalogues(MODULES);
}

program
  .command('start')
  .description('Start the server (PORT, SHOUWANG_DATA, DATABASE_URL, SHOUWANG_DEMO=0, NATS_URL)')
  .action(async () => {
    const { startServer } = await import('../server/start.js');
    const config = loadConfig();
    if (!config.databaseUrl) claimDataDir(config.dataDir);
    // performance.now() counts from process start: each line says how long start-up has taken so far.
    const log = (m: string) => process.stderr.write(`[shouwang +${(performance.now() / 1000).toFixed(1)}s] ${m}\n`);
    const server = await startServer({}, log);
    log(`Shouwang is running at ${server.url}  (API docs: ${server.url}/docs)`);
    if (!config.demo && !(await import('../modules/users/index.js').then((m) => m.hasAdministrator(server.database.db)))) {
      await promptFirstAdmin(server.database).catch((e) => log(String(e instanceof Error ? e.message : e)));
    }
    const stop = async (sig: string) => {
      log(`${sig}: shutting down`);
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });

/** SHOUWANG_DEMO=0 on an empty database: ask for the first administrator on the terminal. */
async function promptFirstAdmin(database: Database) {
  if (!process.stdin.isTTY) return;
  const { createUserFromCli } = await import('../modules/users/index.js');
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  process.stderr.write('\nCreate the first administrator now.\n');
  const username = (await rl.question('  username: ')).trim();
  const displayName = (await rl.question('  display name: ')).trim() || username;
  const password = await rl.question('  password (at least 8 characters): ');
  rl.close();
  await createUserFromCli(database.db, { username, displayName, password, roles: ['admin'] });
  process.stderr.write(`Administrator ${username} created; sign in on the web page.\n`);
}

program
  .command('migrate')
  .description('Apply the database migrations and exit')
  .action(() =>
    withDatabase(async (d) => {
      process.stdout.write(`migrations applied (${d.driver}: ${d.location})\n`);
    }).catch(fail),
  );

const demo = program.command('demo').description('Demo city data');
demo
  .command('seed')
  .description('Create the demo organisation (Macau) and one account per role, if not present')
  .action(() =>
    withDatabase(async (d) => {
      const { seedDemo } = await import('../demo/index.js');
      const bars = new Map<string, ReturnType<typeof progressBar>>();
      const r = await seedDemo(d.db, (step, done, total) => {
        if (!bars.has(step)) bars.set(step, progressBar(step.padEnd(14)));
        bars.get(step)!.update(done, total);
        if (done === total) bars.get(step)!.done();
      });
      process.stdout.write(r.units ? `demo city created: ${r.units} units, ${r.users} accounts (password shouwang-demo)\n` : 'demo organisation already present\n');
      const { createDemoAddressService } = await import('../demo/addresses.js');
      const addresses = await createDemoAddressService(d.db);
      process.stdout.write(`standard addresses: ${addresses.size}\n`);
      const { seedDemoHistory } = await import('../demo/index.js');
      const bar = progressBar('history'.padEnd(14));
      const n = await seedDemoHistory(d.db, { progress: (_s, done, total) => bar.update(done, total) });
      bar.done();
      process.stdout.write(n ? `demo history: ${n} past incidents over 365 days\n` : 'demo history already present\n');
    }).catch(fail),
  );

const user = program.command('user').description('User accounts');
user
  .command('create')
  .description('Create a user (the first administrator, for instance)')
  .requiredOption('--username <name>', 'sign-in name')
  .option('--display-name <name>', 'name shown in the app')
  .addOption(new Option('--roles <roles>', `comma-separated roles: ${ROLES.join(', ')}`).default('admin'))
  .option('--unit <code>', 'unit code (default: the bureau)')
  .option('--password <password>', 'password (or SHOUWANG_PASSWORD; prompted when omitted)')
  .action((opts: { username: string; displayName?: string; roles: string; unit?: string; password?: string }) =>
    withDatabase(async (d) => {
      const { createUserFromCli } = await import('../modules/users/index.js');
      let password = opts.password ?? process.env.SHOUWANG_PASSWORD;
      if (!password) {
        if (!process.stdin.isTTY) throw new Error('give --password or SHOUWANG_PASSWORD (no terminal to ask on)');
        const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
        password = await rl.question('password: ');
        rl.close();
      }
      const roles = opts.roles.split(',').map((r) => r.trim()).filter(Boolean);
      const r = await createUserFromCli(d.db, { username: opts.username, displayName: opts.displayName ?? opts.username, password, roles, unitCode: opts.unit });
      process.stdout.write(`user ${opts.username} created in ${r.unit.name} with roles ${roles.join(', ')}\n`);
    }).catch(fail),
  );

const token = program.command('token').description('API tokens for machine clients');
token
  .command('create')
  .description('Create an API token; the secret is printed once')
  .requiredOption('--name <name>', 'what the client is (e.g. "12345 gateway")')
  .requiredOption('--scopes <scopes>', 'comma-separated scopes')
  .option('--unit <code>', 'unit whose jurisdiction the token acts in (default: the bureau)')
  .action((opts: { name: string; scopes: string; unit?: string }) =>
    withDatabase(async (d) => {
      const { createApiToken } = await import('../modules/auth/index.js');
      const { ensureRootUnit } = await import('../modules/users/index.js');
      const { tokenScopes } = await catalogues();
      const { orgUnits } = await import('../db/schema.js');
      const { eq } = await import('drizzle-orm');
      const scopes = opts.scopes.split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = scopes.find((s) => !tokenScopes.some((t) => t.id === s));
      if (unknown || !scopes.length) throw new Error(`unknown scope ${unknown ?? '(none)'}; choose from ${tokenScopes.map((t) => t.id).join(', ')}`);
      const unit = opts.unit ? (await d.db.select().from(orgUnits).where(eq(orgUnits.code, opts.unit)))[0] : await ensureRootUnit(d.db);
      if (!unit) throw new Error(`no unit with code ${opts.unit}`);
      const { appendAudit } = await import('../modules/audit/index.js');
      const t = await createApiToken(d.db, { name: opts.name, scopes, unitId: unit.id, createdBy: 'cli' });
      await appendAudit(d.db, { userId: null, username: 'cli', roles: [], unitId: null, action: 'token.create', entity: 'api_token', entityId: t.id, outcome: 'success', requestId: null, clientIp: null, detail: { scopes, unitId: unit.id, via: 'cli' } });
      process.stderr.write('Keep this token now; it cannot be shown again:\n');
      process.stdout.write(t.token + '\n');
    }).catch(fail),
  );

const open311 = program.command('open311').description('Open311 GeoReport v2 (/open311/v2/): client API keys');
open311
  .command('key')
  .description('Open311 client keys')
  .command('create')
  .description('Create an Open311 client API key; the key is printed once, on the last line')
  .requiredOption('--name <client>', 'the client application (e.g. "city app")')
  .action((opts: { name: string }) =>
    withDatabase(async (d) => {
      const { createOpen311Key } = await import('../modules/citizen/index.js');
      const { appendAudit } = await import('../modules/audit/index.js');
      const k = await createOpen311Key(d.db, opts.name, 'cli');
      await appendAudit(d.db, { userId: null, username: 'cli', roles: [], unitId: null, action: 'open311.key.create', entity: 'open311_key', entityId: k.id, outcome: 'success', requestId: null, clientIp: null, detail: { name: k.name, via: 'cli' } });
      process.stderr.write('Keep this key now; only its SHA-256 is stored:\n');
      process.stdout.write(k.key + '\n');
    }).catch(fail),
  );

const audit = program.command('audit').description('The tamper-evident audit log');
audit
  .command('verify')
  .description('Check the hash chain; exit 0 with the row count when intact, non-zero naming the first bad row')
  .action(() =>
    withDatabase(async (d) => {
      const { verifyAudit } = await import('../modules/audit/store.js');
      let seen = 0;
      const r = await verifyAudit(d.db, (n) => {
        seen += n;
        if (process.stderr.isTTY) process.stderr.write(`\rchecked ${seen} rows`);
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      if (r.ok) {
        process.stdout.write(`audit chain intact: ${r.rows} rows\n`);
        return;
      }
      process.stdout.write(`audit chain BROKEN at row ${r.firstBadSeq}: ${r.reason} (${r.rows} rows verified before it)\n`);
      process.exitCode = 1;
    }).catch(fail),
  );

registerRoadsCommands(program);
registerSimulateCommand(program);
registerClocksCommand(program, (fn) => withDatabase((d) => fn(d.db)), undefined, (e) => void fail(e));
registerAnalyticsCommands(program, (fn) => withDatabase((d) => fn(d.db)), (e) => void fail(e));
registerReportCommands(program, (fn) => withDatabase((d) => fn(d.db)), async () => (await catalogues()).kpis, (e) => void fail(e));

await program.parseAsync(process.argv);
