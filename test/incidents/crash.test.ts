/**
 * Crash test: while creates are running, the server process is killed with SIGKILL and restarted on the
 * same data. Every create that was answered 201 must be there exactly once, and retrying every key
 * (answered or not) must leave exactly one incident per key.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { demoOrganisation } from '../../src/demo/city.js';
import { leafCategories } from '../../src/modules/incidents/domain/categories.js';
import { exited, signIn, startServer } from '../helpers/server-process.js';

const [lon, lat] = demoOrganisation().find((u) => u.kind === 'station')!.center!;
const category = leafCategories().find((c) => c.code.startsWith('02'))!.code;

const login = (base: string) => signIn(base, 'calltaker');

function createWithKey(base: string, cookie: string, key: string, marker: string) {
  return fetch(`${base}/api/v1/incidents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: base, 'idempotency-key': key },
    body: JSON.stringify({ source: 'call110', categoryCode: category, description: `${marker} ${key}`, location: { lon, lat } }),
  });
}

const targets: { name: string; env: () => Promise<Record<string, string>>; cleanup?: () => Promise<void> }[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-crash-'));
// No demo history: the test is about creates surviving a kill, not about writing history (and
// recounting its rollups) on PGlite's one thread while the creates wait (the outbox crash test does the same).
const HISTORY = { SHOUWANG_DEMO_HISTORY: '0' };
targets.push({ name: 'pglite', env: async () => ({ SHOUWANG_DATA: path.join(dataDir, 'pglite'), ...HISTORY }) });
let pgDb: string | null = null;
targets.push({
  name: 'postgres',
  env: async () => {
    const admin = inject('pgAdminUrl')!;
    pgDb = `sw_crash_${process.pid}`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`drop database if exists ${pgDb} with (force)`);
    await c.query(`create database ${pgDb}`);
    await c.end();
    const u = new URL(admin);
    u.pathname = `/${pgDb}`;
    return { DATABASE_URL: u.toString(), SHOUWANG_DATA: path.join(dataDir, 'pg'), ...HISTORY };
  },
  cleanup: async () => {
    if (!pgDb) return;
    const c = new pg.Client({ connectionString: inject('pgAdminUrl')! });
    await c.connect();
    await c.query(`drop database if exists ${pgDb} with (force)`);
    await c.end();
  },
});

describe.each(targets.filter((t) => t.name === 'pglite' || inject('pgAdminUrl')))('crash during creates on $name', (target) => {
  afterAll(async () => {
    await target.cleanup?.();
  });

  it('every answered create survives SIGKILL exactly once; retries create nothing new', async () => {
    const env = await target.env();
    const port = 19000 + Math.floor(Math.random() * 900);
    const base = `http://127.0.0.1:${port}`;
    let server = await startServer(env, port);
    const cookie = await login(base);
    const marker = `crash-${target.name}-${Date.now()}`;
    const answered = new Map<string, string>(); // key → incident id
    const sent: string[] = [];
    let n = 0;
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const key = `k-${n++}`;
        sent.push(key);
        try {
          const res = await createWithKey(base, cookie, key, marker);
          if (res.status === 201) answered.set(key, ((await res.json()) as { id: string }).id);
        } catch {
          return; // connection refused or reset: the server is gone
        }
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    // Kill once a good number of creates has been answered.
    const deadline = Date.now() + 60_000;
    while (answered.size < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    server.kill('SIGKILL');
    killed = true;
    await Promise.all(workers);
    await exited(server);
    expect(answered.size).toBeGreaterThanOrEqual(40);

    server = await startServer(env, port);
    try {
      const cookie2 = await login(base);
      // Every answered create is there.
      for (const [, id] of answered) {
        const res = await fetch(`${base}/api/v1/incidents/${id}`, { headers: { cookie: cookie2 } });
        expect(res.status).toBe(200);
      }
      // Every answered create has its audit row (stored with the incident, chained at restart if the
      // process died first), and the chain verifies (issue 9 H5).
      const adminRes = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ username: 'admin', password: 'shouwang-demo' }) });
      const admin = adminRes.headers.get('set-cookie')!.split(';')[0];
      for (const [, id] of answered) {
        const audit = (await (await fetch(`${base}/api/v1/audit?entity=incident&entityId=${id}`, { headers: { cookie: admin } })).json()) as { items: { action: string; outcome: string }[] };
        expect(audit.items.map((a) => `${a.action}:${a.outcome}`)).toContain('incident.create:success');
      }
      expect(((await (await fetch(`${base}/api/v1/audit/verify`, { headers: { cookie: admin } })).json()) as { ok: boolean }).ok).toBe(true);
      // Retry every key that was sent: answered ones replay their first answer, the others are created once.
      // No waiting: a key is stored by its write's own transaction, so a killed request left no claim
      // that could answer 409 (issue 10).
      for (const key of sent) {
        const res = await createWithKey(base, cookie2, key, marker);
        expect([200, 201]).toContain(res.status);
        const body = (await res.json()) as { id: string };
        if (answered.has(key)) expect(body.id).toBe(answered.get(key));
      }
      const list = (await (await fetch(`${base}/api/v1/incidents?mine=true&limit=500`, { headers: { cookie: cookie2 } })).json()) as { items: { description: string }[] };
      const ours = list.items.filter((i) => i.description.startsWith(marker));
      expect(ours.length).toBe(sent.length);
      expect(new Set(ours.map((i) => i.description)).size).toBe(sent.length);
    } finally {
      server.kill('SIGTERM');
      await exited(server);
    }
  }, 240_000);
});
