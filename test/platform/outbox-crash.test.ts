/**
 * Crash test of the outbox (issue 10): SIGKILL during a burst of incident creates and assignments.
 * After the restart every acknowledged write has its audit row and its event reaches a WebSocket
 * client — on PostgreSQL one connected to ANOTHER instance (shared NATS stream), which also delivers
 * what the killed instance left in the outbox; on PGlite (one process) the restarted instance. No event
 * names a write that is not in the database (rolled back), and retrying every key right after the
 * restart succeeds with no 409 and no duplicate.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { demoOrganisation } from '../../src/demo/city.js';
import { leafCategories } from '../../src/modules/incidents/domain/categories.js';
import { deleteStream, natsReachable, NATS_URL, uniqueStream } from '../realtime/helpers.js';
import { exited, signIn, startServer as startProcess } from '../helpers/server-process.js';

/** The outbox's sweep runs sooner than in production, and no demo history (seconds per start). */
const startServer = (env: Record<string, string>, port: number) => startProcess({ SHOUWANG_DEMO_HISTORY: '0', SHOUWANG_OUTBOX_ORPHAN_MS: '2000', ...env }, port);

const station = demoOrganisation().find((u) => u.kind === 'station')!;
const [lon, lat] = station.center!;
const category = leafCategories().find((c) => c.code.startsWith('02') && !c.capabilities?.length)!.code;

const login = signIn;

const post = (base: string, cookie: string, url: string, key: string, body: unknown) =>
  fetch(`${base}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, origin: base, 'idempotency-key': key }, body: JSON.stringify(body) });

interface Seen {
  type: string;
  key: string;
  data: { event?: string; id?: string; incident?: { id: string; description: string } };
}

/** Collects the stream's events (from `since=0`: what the instance delivered before we connected too). */
function observe(base: string, cookie: string): { seen: Seen[]; close(): void } {
  const seen: Seen[] = [];
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/stream?since=0&layers=incident,assignment`, { headers: { cookie, origin: base } });
  ws.on('message', (m) => {
    const e = JSON.parse(String(m)) as Seen;
    if (e.type === 'incident' || e.type === 'assignment') seen.push(e);
  });
  ws.on('error', () => {});
  return { seen, close: () => ws.close() };
}

async function until(ok: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
}

const pgAdmin = inject('pgAdminUrl');
const natsUp = pgAdmin ? await natsReachable() : false;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-outbox-crash-'));
const targets = [{ name: 'pglite' }, ...(pgAdmin && natsUp ? [{ name: 'postgres' }] : [])];

describe.each(targets)('outbox: SIGKILL during creates and assignments on $name', ({ name }) => {
  const names = uniqueStream();
  const pgDb = `sw_outbox_${process.pid}`;
  afterAll(async () => {
    if (name !== 'postgres') return;
    await deleteStream(names.streamName);
    const c = new pg.Client({ connectionString: pgAdmin! });
    await c.connect();
    await c.query(`drop database if exists ${pgDb} with (force)`);
    await c.end();
  });

  it('every acknowledged write keeps its audit row and its event; no event without a write; retries answer without 409', async () => {
    let env: Record<string, string> = { SHOUWANG_DATA: path.join(dataDir, name) };
    if (name === 'postgres') {
      const c = new pg.Client({ connectionString: pgAdmin! });
      await c.connect();
      await c.query(`drop database if exists ${pgDb} with (force)`);
      await c.query(`create database ${pgDb}`);
      await c.end();
      const u = new URL(pgAdmin!);
      u.pathname = `/${pgDb}`;
      env = { ...env, DATABASE_URL: u.toString(), NATS_URL, NATS_STREAM: names.streamName, NATS_SUBJECT_PREFIX: names.subjectPrefix };
    }
    const portA = 19100 + Math.floor(Math.random() * 400);
    const baseA = `http://127.0.0.1:${portA}`;
    let a = await startServer(env, portA);
    // PostgreSQL: the observer sits on a second instance that outlives A.
    const portB = portA + 500;
    const baseB = `http://127.0.0.1:${portB}`;
    const b = name === 'postgres' ? await startServer(env, portB) : null;
    // PGlite: the observer sits on A, and on the restarted A again (whose outbox sweep delivers the leftovers).
    const observers = [b ? observe(baseB, await login(baseB, 'admin')) : observe(baseA, await login(baseA, 'admin'))];
    try {
      const calltaker = await login(baseA, 'calltaker');
      const dispatcher = await login(baseA, 'dispatcher');
      const units = ((await (await fetch(`${baseA}/api/v1/units?status=available`, { headers: { cookie: dispatcher } })).json()) as { items: { id: string; stationId: string }[] }).items;
      expect(units.length).toBeGreaterThan(5);
      const marker = `outbox-${name}-${Date.now()}`;
      const created = new Map<string, string>(); // key → incident id
      const assigned = new Map<string, string>(); // key → assignment id
      const sentCreates: string[] = [];
      const sentAssigns: { key: string; incidentId: string; unitId: string }[] = [];
      let killed = false;
      let n = 0;
      const creator = async () => {
        while (!killed) {
          const key = `c-${n++}`;
          sentCreates.push(key);
          try {
            const res = await post(baseA, calltaker, '/api/v1/incidents', key, { source: 'call110', categoryCode: category, description: `${marker} ${key}`, location: { lon, lat } });
            if (res.status === 201) created.set(key, ((await res.json()) as { id: string }).id);
          } catch {
            return;
          }
        }
      };
      const assigner = async (first: number) => {
        // Each unit once: a retry after the restart must find it free (or its own assignment committed).
        for (let i = first; i < units.length && !killed; i += 2) {
          while (!killed && created.size <= sentAssigns.length) await new Promise((r) => setTimeout(r, 5));
          const incidentId = [...created.values()][sentAssigns.length];
          if (!incidentId || killed) return;
          const job = { key: `a-${i}`, incidentId, unitId: units[i].id };
          sentAssigns.push(job);
          try {
            const res = await post(baseA, dispatcher, `/api/v1/incidents/${incidentId}/assignments`, job.key, { unitIds: [job.unitId] });
            if (res.status === 201) assigned.set(job.key, ((await res.json()) as { items: { id: string }[] }).items[0].id);
          } catch {
            return;
          }
        }
      };
      const workers = [...Array.from({ length: 4 }, creator), assigner(0), assigner(1)];
      const deadline = Date.now() + 60_000;
      while ((created.size < 40 || assigned.size < 5) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      a.kill('SIGKILL');
      killed = true;
      await Promise.all(workers);
      await exited(a);
      expect(created.size).toBeGreaterThanOrEqual(40);
      expect(assigned.size).toBeGreaterThanOrEqual(5);

      a = await startServer(env, portA);
      if (!b) observers.push(observe(baseA, await login(baseA, 'admin')));
      const seenNow = () => observers.flatMap((o) => o.seen);
      const createdSeen = () => new Set(seenNow().filter((e) => e.type === 'incident' && e.data.event === 'created').map((e) => e.key));
      const assignedSeen = () => new Set(seenNow().filter((e) => e.type === 'assignment' && e.data.event === 'assigned').map((e) => e.data.id));
      // The events of acknowledged writes arrive: delivered before the kill, or swept from the outbox after it.
      await until(() => [...created.values()].every((id) => createdSeen().has(id)) && [...assigned.values()].every((id) => assignedSeen().has(id)), 30_000);
      expect([...created.values()].filter((id) => !createdSeen().has(id))).toEqual([]);
      expect([...assigned.values()].filter((id) => !assignedSeen().has(id))).toEqual([]);

      const admin = await login(baseA, 'admin');
      const get = async (url: string, cookie = admin) => (await fetch(`${baseA}${url}`, { headers: { cookie } })).json() as Promise<Record<string, unknown>>;
      // No event for a write that is not there: every incident and assignment the stream named exists.
      for (const id of createdSeen()) expect(((await get(`/api/v1/incidents/${id}`)) as { id: string }).id).toBe(id);
      const incidentsOfAssignments = new Set(sentAssigns.map((j) => j.incidentId));
      const stored = new Set<string>();
      for (const id of incidentsOfAssignments) for (const x of ((await get(`/api/v1/incidents/${id}/assignments`)) as { items: { id: string }[] }).items) stored.add(x.id);
      const seen = seenNow();
      for (const id of assignedSeen()) if (id && seen.some((e) => e.data.id === id && incidentsOfAssignments.has(e.key))) expect(stored.has(id)).toBe(true);

      // Every acknowledged write has its audit row, and the chain verifies.
      const actions = async (entityId: string) => ((await get(`/api/v1/audit?entity=incident&entityId=${entityId}`)) as { items: { action: string; outcome: string }[] }).items.map((x) => `${x.action}:${x.outcome}`);
      for (const id of created.values()) expect(await actions(id)).toContain('incident.create:success');
      for (const j of sentAssigns.filter((x) => assigned.has(x.key))) expect(await actions(j.incidentId)).toContain('incident.assign:success');
      expect(((await get('/api/v1/audit/verify')) as { ok: boolean }).ok).toBe(true);

      // Retry every key at once, right after the restart: no 409, the answered ones replay their answer.
      const cookie2 = await login(baseA, 'calltaker');
      const dispatcher2 = await login(baseA, 'dispatcher');
      const retries = await Promise.all([
        ...sentCreates.map(async (key) => {
          const res = await post(baseA, cookie2, '/api/v1/incidents', key, { source: 'call110', categoryCode: category, description: `${marker} ${key}`, location: { lon, lat } });
          const body = (await res.json()) as { id: string };
          return { key, status: res.status, same: !created.has(key) || body.id === created.get(key) };
        }),
        ...sentAssigns.map(async (j) => {
          const res = await post(baseA, dispatcher2, `/api/v1/incidents/${j.incidentId}/assignments`, j.key, { unitIds: [j.unitId] });
          const body = (await res.json()) as { items?: { id: string }[] };
          return { key: j.key, status: res.status, same: !assigned.has(j.key) || body.items?.[0]?.id === assigned.get(j.key) };
        }),
      ]);
      expect(retries.filter((r) => r.status !== 200 && r.status !== 201)).toEqual([]);
      expect(retries.filter((r) => !r.same)).toEqual([]);
      // One incident per key, one assignment per assignment key.
      const list = (await get(`/api/v1/incidents?mine=true&limit=500`, cookie2)) as { items: { description: string }[] };
      const ours = list.items.filter((i) => i.description.startsWith(marker)).map((i) => i.description);
      expect(ours.length).toBe(sentCreates.length);
      expect(new Set(ours).size).toBe(sentCreates.length);
      for (const j of sentAssigns) {
        const items = ((await get(`/api/v1/incidents/${j.incidentId}/assignments`)) as { items: { unitId: string }[] }).items;
        expect(items.filter((x) => x.unitId === j.unitId).length).toBe(1);
      }
    } finally {
      for (const o of observers) o.close();
      a.kill('SIGTERM');
      b?.kill('SIGTERM');
      await Promise.all([exited(a), b ? exited(b) : Promise.resolve()]);
    }
  }, 300_000);
});
