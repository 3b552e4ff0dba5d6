/**
 * Browser test of dispatch on two server instances: one PostgreSQL database, one NATS JetStream stream.
 * A dispatcher and an officer can work an incident from call to clearance in two browsers (the
 * dispatcher console 1920×1080 on server A, the officer's phone view 375×812 on server B), the two
 * servers sharing NATS. Then the console's smoothness with 500 units moving at 1 Hz (server A): frame
 * intervals measured in the page with requestAnimationFrame are printed, never asserted.
 *
 * Both servers are started in-process with `startServer` and `NATS_URL` set, on the default stream
 * `SHOUWANG_EVENTS` (`NATS_STREAM` / `NATS_SUBJECT_PREFIX` would separate them): another server or test
 * run on the same NATS shares it. The test only looks at its own incident and units, in its own database.
 *
 * Needs PostgreSQL (SHOUWANG_TEST_PG_URL), NATS (NATS_URL, default nats://127.0.0.1:4222) and Chromium at
 * /usr/bin/chromium (or CHROMIUM_PATH). Without any of them the test is skipped locally and fails on CI.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SHOTS, CHROMIUM, HAVE_CHROMIUM, CI, ensureWebBuild, launchBrowser, unitRowText, newPage, signIn, mapReady, noToasts, call, callMany, type PageHost } from './browser.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Browser } from 'playwright-core';
import { freshDatabase, type TestDatabase } from '../helpers/db.js';
import { natsReachable } from '../realtime/helpers.js';

const NATS = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const OFFICER_UNIT = 'MO0101-1';
const MOVING = 500;

const HAVE_PG = Boolean(inject('pgAdminUrl'));
const HAVE_NATS = await natsReachable(); // throws on CI when NATS is not reachable
const missing = [!HAVE_PG && 'PostgreSQL (SHOUWANG_TEST_PG_URL)', !HAVE_NATS && `NATS (${NATS})`, !HAVE_CHROMIUM && `Chromium (${CHROMIUM})`].filter(Boolean) as string[];
const SKIP = missing.length > 0 && !CI;
if (SKIP) console.warn(`[e2e] dispatch on two servers skipped: ${missing.join(', ')} not available.`);

interface UnitRow {
  id: string;
  callSign: string;
  status: string;
  stationId: string;
  active?: boolean;
  home: [number, number];
}
interface CatNode {
  code: string;
  name: string;
  leaf: boolean;
  children: CatNode[];
}
type Running = { url: string; close(): Promise<void> };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Median, 95th percentile, long frames and worst of frame intervals (ms). */
function frameStats(deltas: number[]) {
  const s = [...deltas].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))] : NaN);
  return { frames: s.length, medianMs: +q(0.5).toFixed(1), p95Ms: +q(0.95).toFixed(1), maxMs: +(s.at(-1) ?? NaN).toFixed(1), longFrames: s.filter((d) => d > 50).length };
}

/**
 * CPU time (ms) so far of the Chromium processes this test process started, by kind: renderers (with
 * their worker threads) and the GPU process. Linux /proc only; null elsewhere.
 */
function chromiumCpu(): { renderer: number; gpu: number } | null {
  try {
    const tick = 1000 / 100; // USER_HZ
    const procs = fs
      .readdirSync('/proc')
      .filter((x) => /^\d+$/.test(x))
      .map((pid) => {
        try {
          const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
          const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          return { pid: Number(pid), ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) * tick, cmd: fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') };
        } catch {
          return null;
        }
      })
      .filter((x) => x !== null);
    const mine = new Set([process.pid]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of procs) if (!mine.has(p.pid) && mine.has(p.ppid)) grew = mine.add(p.pid).size > 0;
    }
    const out = { renderer: 0, gpu: 0 };
    for (const p of procs) {
      if (!mine.has(p.pid)) continue;
      if (p.cmd.includes('--type=renderer')) out.renderer += p.cpu;
      else if (p.cmd.includes('--type=gpu-process')) out.gpu += p.cpu;
    }
    return out;
  } catch {
    return null;
  }
}


// Browser steps wait on rendering and animations: one retry absorbs a slow frame on a loaded CI machine.
describe.skipIf(SKIP)('dispatch in two browsers on two servers sharing NATS', { retry: 1 }, () => {
  let database: TestDatabase | undefined;
  let serverA: Running | undefined;
  let serverB: Running | undefined;
  let browser: Browser | undefined;
  const dataDirs: string[] = [];
  const pageErrors: string[] = [];
  const host: PageHost = {
    get browser() {
      return browser!;
    },
    pageErrors,
  };
  const savedEnv = { NATS_URL: process.env.NATS_URL, SHOUWANG_DEMO_HISTORY: process.env.SHOUWANG_DEMO_HISTORY };

  beforeAll(async () => {
    if (missing.length) throw new Error(`CI must provide ${missing.join(', ')} for the two-server dispatch test.`);
    ensureWebBuild();
    database = await freshDatabase('postgres');
    process.env.NATS_URL = NATS;
    // A year of demo history is not needed here (it would be written once, by whichever instance claims it).
    process.env.SHOUWANG_DEMO_HISTORY = '0';
    const { startServer } = await import('../../src/server/start.js');
    const start = async (name: string) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `shouwang-e2e-multi-${name}-`));
      dataDirs.push(dataDir);
      return startServer({ port: 0, databaseUrl: database!.url, dataDir, demo: true, logLevel: 'silent' } as Parameters<typeof startServer>[0]);
    };
    serverA = await start('a'); // migrates and seeds the demo city
    serverB = await start('b'); // finds it there
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await serverB?.close();
    await serverA?.close();
    await database?.close();
    for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }, 60_000);

  const t0 = Date.now();
  const mark = (what: string) => console.info(`[e2e] ${((Date.now() - t0) / 1000).toFixed(1)} s ${what}`);

  it('a dispatcher on A and an officer on B work an incident from call to clearance', async () => {
    // ---------------------------------------------------------------- the dispatcher, on server A
    const { ctx: dctx, page: d } = await newPage(host);
    await signIn(d, serverA!.url, 'dispatcher');
    await d.getByTestId('nav-dispatch').click();
    await d.getByTestId('page-dispatch').waitFor();

    mark('console open on A');
    const units = (await call<{ items: UnitRow[] }>(d, 'GET', '/api/v1/units')).data.items;
    const mine = units.find((u) => u.id === OFFICER_UNIT);
    expect(mine, 'the demo officer crews MO0101-1').toBeTruthy();
    await expect.poll(async () => (await call<UnitRow>(d, 'GET', `/api/v1/units/${OFFICER_UNIT}`)).data.status, { timeout: 30_000, message: 'the roster puts the unit on duty' }).toBe('available');
    // Positions for the units on duty (the officer's unit ~400 m north of its home, the others near theirs).
    const placed = await callMany(
      d,
      units
        .filter((x) => x.status !== 'off_duty')
        .slice(0, 80)
        .map((u, k) => ({
          method: 'POST',
          url: `/api/v1/units/${u.id}/position`,
          body: { lon: u.home[0] + (u.id === OFFICER_UNIT ? 0 : (((k * 37) % 11) - 5) * 0.0003), lat: u.home[1] + (u.id === OFFICER_UNIT ? 0.0006 : (((k * 53) % 13) - 6) * 0.0003) },
        })),
      8,
    );
    for (const r of placed) expect(r.status, JSON.stringify(r.data)).toBe(202);
    mark('positions posted');
    const cats = (await call<{ items: CatNode[] }>(d, 'GET', '/api/v1/categories')).data.items;
    const find = (nodes: CatNode[]): CatNode | undefined => {
      for (const n of nodes) {
        if (n.leaf && n.name === '盗窃商铺财物') return n;
        const hit = find(n.children ?? []);
        if (hit) return hit;
      }
      return undefined;
    };
    const cat = find(cats);
    expect(cat).toBeTruthy();
    const created = await call<{ id: string; number: string }>(d, 'POST', '/api/v1/incidents', {
      source: 'call110',
      categoryCode: cat!.code,
      priority: 'P2',
      caller: { name: '陈女士', phone: '13712345678' },
      address: '测试地址（两台服务器）',
      location: { lon: mine!.home[0], lat: mine!.home[1] },
      description: '商铺店员称有人偷拿货品后往街口方向离开，身穿黑色外套',
    });
    expect(created.status, JSON.stringify(created.data)).toBe(201);
    const { number } = created.data;

    // Select it with the keyboard, see the officer's unit recommended, assign it with its digit and A.
    const row = d.getByTestId(`dq-row-${number}`);
    await row.waitFor({ timeout: 15_000 });
    await mapReady(d, 'dispatch-map', 600);
    await d.locator('.sw-dc-bar h4').click();
    for (let n = 0; n < 40 && (await row.getAttribute('data-cursor')) !== 'true'; n++) {
      const rows = await d.locator('[data-testid^="dq-row-"]').evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-testid'), cursor: e.getAttribute('data-cursor') === 'true' })));
      const target = rows.findIndex((r) => r.id === `dq-row-${number}`);
      const at = rows.findIndex((r) => r.cursor);
      await d.keyboard.press(at < 0 || target > at ? 'ArrowDown' : 'ArrowUp');
      await d.waitForTimeout(50);
    }
    expect(await row.getAttribute('data-cursor')).toBe('true');
    await d.keyboard.press('Enter');
    await expect.poll(() => d.getByTestId('selected-number').innerText()).toBe(number);

    const recs = d.getByTestId('rec-list');
    await recs.waitFor({ timeout: 15_000 });
    await d.getByTestId(`rec-${OFFICER_UNIT}`).waitFor({ timeout: 15_000 });
    const recIds = await recs.locator('[data-testid^="rec-"][data-testid*="-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')).filter((x) => x && /^rec-MO/.test(x)));
    const idx = recIds.indexOf(`rec-${OFFICER_UNIT}`);
    expect(idx, `recommendations: ${recIds.join(', ')}`).toBeGreaterThanOrEqual(0);
    expect(idx).toBeLessThan(5);
    await d.keyboard.press(String(idx + 1));
    await expect.poll(() => d.getByTestId(`rec-${OFFICER_UNIT}`).getAttribute('data-active')).toBe('true');
    await d.keyboard.press('a');
    await d.getByTestId('assign-toast').waitFor({ timeout: 10_000 });
    const asgRow = d.getByTestId(`assignment-${mine!.callSign}`);
    await expect.poll(() => asgRow.getAttribute('data-status'), { timeout: 10_000 }).toBe('assigned');

    mark('assigned on A');
    // ---------------------------------------------------------------- the officer, on server B
    const { ctx: octx, page: o } = await newPage(host, { viewport: { width: 375, height: 812 } });
    await signIn(o, serverB!.url, 'officer');
    await o.getByTestId('page-officer').waitFor({ timeout: 15_000 });
    await expect.poll(() => o.getByTestId('officer-incident-number').innerText(), { timeout: 20_000, message: 'B shows the assignment made on A' }).toBe(number);
    expect(await o.getByTestId('officer-description').innerText()).toContain('商铺');
    await mapReady(o, 'officer-map', 600);

    // Each step on B shows on A's console (through NATS; A's console is connected to A only).
    mark('officer on B sees it');
    await o.getByTestId('officer-ack').click();
    await expect.poll(() => o.getByTestId('officer-assignment').getAttribute('data-status'), { timeout: 10_000 }).toBe('acknowledged');
    await expect.poll(() => asgRow.getAttribute('data-status'), { timeout: 15_000, message: 'A sees the acknowledgement made on B' }).toBe('acknowledged');

    await o.getByTestId('officer-en_route').click();
    await expect.poll(() => o.getByTestId('officer-unit-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('en_route');
    await expect.poll(() => asgRow.getAttribute('data-status'), { timeout: 15_000 }).toBe('en_route');
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toContain('在途');

    await o.getByTestId('officer-on_scene').click();
    await expect.poll(() => o.getByTestId('officer-unit-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('on_scene');
    await expect.poll(() => asgRow.getAttribute('data-status'), { timeout: 15_000 }).toBe('on_scene');

    await o.getByTestId('officer-clear').click();
    await o.getByTestId('officer-clear-form').waitFor();
    await o.getByTestId('officer-disposition').click();
    await o.locator('.sw-disp-popup .ant-select-item-option', { hasText: 'D03' }).click();
    // A click during the dropdown's opening animation can miss: the form must hold the choice before OK.
    await expect.poll(() => o.getByTestId('officer-clear-form').innerText(), { timeout: 10_000 }).toContain('D03');
    await o.getByTestId('officer-note').fill('已找回货品，双方和解');
    await o.getByTestId('officer-clear-ok').click();
    await o.getByTestId('officer-idle').waitFor({ timeout: 10_000 });
    await expect.poll(() => o.getByTestId('officer-unit-status').getAttribute('data-status')).toBe('available');

    mark('cleared on B');
    // A: the incident is cleared with the crew's report (the station reviews and closes, #11.17) and leaves the open queue; the unit is free again.
    await expect.poll(() => row.count(), { timeout: 15_000, message: 'the incident leaves A’s queue' }).toBe(0);
    const inc = await call<{ status: string; dispositionCode: string; dispositionNote: string }>(d, 'GET', `/api/v1/incidents/${created.data.id}`);
    expect(inc.data).toMatchObject({ status: 'cleared', dispositionCode: 'D03', dispositionNote: '已找回货品，双方和解' });
    await expect.poll(async () => (await call<UnitRow>(d, 'GET', `/api/v1/units/${OFFICER_UNIT}`)).data.status, { timeout: 15_000 }).toBe('available');
    await d.getByTestId('tab-units').click();
    await expect.poll(() => unitRowText(d, mine!.callSign), { timeout: 15_000 }).toContain('空闲');
    await d.getByTestId('tab-queue').click();
    await mapReady(d, 'dispatch-map', 600);
    await noToasts(d);
    await d.screenshot({ path: path.join(SHOTS, 'dispatch-two-servers.png') });
    mark('A reflects the clearance');

    await octx.close();
    await dctx.close();
  }, 180_000);

  // A measurement harness more than a check (tests never assert timings): 500 units report once a second
  // through the gateway API of server A (one batch a second), A's console receives them over its WebSocket
  // (counted in the page), and the harness prints, for the console idle, on the queue tab and on the units
  // tab: frame intervals, long tasks, main-thread time (CDP), Chromium's CPU time, map frames, the unit
  // layer's step interval and the load average. Heavy (450 extra units, ~25 s of rendering), so on demand:
  // SHOUWANG_E2E_SMOOTHNESS=1 npx vitest run test/e2e/dispatch-multi.test.ts -t "moving once a second"
  it.skipIf(process.env.SHOUWANG_E2E_SMOOTHNESS !== '1')(`the console follows ${MOVING} units moving once a second (frame timing printed)`, async () => {
    // ---------------------------------------------------------------- units and a gateway token (admin on A)
    const { ctx: actx, page: adm } = await newPage(host);
    await signIn(adm, serverA!.url, 'admin');
    const me = await call<{ unit: { id: string } }>(adm, 'GET', '/api/v1/me');
    expect(me.status).toBe(200);
    const tok = await call<{ token: string }>(adm, 'POST', '/api/v1/tokens', { name: 'e2e AVL gateway', scopes: ['avl:write'], unitId: me.data.unit.id });
    expect(tok.status, JSON.stringify(tok.data)).toBe(201);
    const token = tok.data.token;

    let all = (await call<{ items: UnitRow[] }>(adm, 'GET', '/api/v1/units')).data.items;
    const onDuty = () => all.filter((u) => u.status !== 'off_duty' && u.active !== false);
    const need = MOVING - onDuty().length;
    if (need > 0) {
      const seeds = all;
      const made = await callMany<UnitRow>(
        adm,
        Array.from({ length: need }, (_, i) => {
          const s = seeds[i % seeds.length];
          return { method: 'POST', url: '/api/v1/units', body: { callSign: `测试${String(i + 1).padStart(3, '0')}`, kind: 'patrol_car', stationId: s.stationId, home: [s.home[0] + ((i % 7) - 3) * 0.0004, s.home[1] + ((i % 5) - 2) * 0.0004] } };
        }),
      );
      for (const r of made) expect(r.status, JSON.stringify(r.data)).toBe(201);
      // A 12-hour shift from an hour ago (local day and HH:MM in UTC+8) puts each new unit on duty.
      const from = new Date(Date.now() + 8 * 3_600_000 - 3_600_000);
      const to = new Date(from.getTime() + 12 * 3_600_000);
      const hhmm = (t: Date) => t.toISOString().slice(11, 16);
      const shifts = await callMany(
        adm,
        made.map((r) => ({ method: 'POST', url: `/api/v1/units/${r.data.id}/shifts`, body: { day: from.toISOString().slice(0, 10), start: hhmm(from), end: hhmm(to) } })),
      );
      for (const r of shifts) expect(r.status, JSON.stringify(r.data)).toBe(201);
      all = (await call<{ items: UnitRow[] }>(adm, 'GET', '/api/v1/units')).data.items;
    }
    const moving = onDuty().slice(0, MOVING);
    expect(moving.length).toBe(MOVING);
    await actx.close();

    // ---------------------------------------------------------------- the console (dispatcher on A)
    const { ctx: dctx, page: d } = await newPage(host);
    // Counters in the page: frames (requestAnimationFrame), long tasks, and the unit_position frames the
    // console's WebSocket receives (proof that the 500 units arrive through the real stream).
    await dctx.addInitScript(() => {
      const w = window as unknown as { __swPos: number; __swLong: number[]; __swFrames: number[]; __swLoop: number };
      w.__swPos = 0;
      w.__swLong = [];
      w.__swFrames = [];
      w.__swLoop = 0;
      const Orig = window.WebSocket;
      window.WebSocket = class extends Orig {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          this.addEventListener('message', (m: MessageEvent) => {
            if (typeof m.data === 'string' && m.data.includes('"type":"unit_position"')) w.__swPos++;
          });
        }
      };
      try {
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) w.__swLong.push(e.duration);
        }).observe({ type: 'longtask' });
      } catch {
        /* no long task timing */
      }
    });
    await signIn(d, serverA!.url, 'dispatcher');
    await d.getByTestId('nav-dispatch').click();
    await d.getByTestId('page-dispatch').waitFor();
    await mapReady(d, 'dispatch-map', 600);
    await expect.poll(() => d.getByTestId('stream-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('live');
    // The page's MapLibre map (found through React's fibers: MapView keeps it in a ref) and a count of its frames.
    const found = await d.evaluate(() => {
      type M = { getSource(id: string): unknown; on(type: string, f: () => void): void };
      const w = window as unknown as { __swMap?: M; __swRenders: number };
      const el = document.querySelector('[data-testid="dispatch-map"]') as unknown as Record<string, unknown>;
      const key = Object.keys(el).find((k) => k.startsWith('__reactFiber$'));
      type Fiber = { memoizedState: unknown; return: Fiber | null };
      let f = key ? (el[key] as Fiber) : null;
      let map: M | null = null;
      for (; f && !map; f = f.return) {
        for (let h = f.memoizedState as { memoizedState: unknown; next: unknown } | null; h && typeof h === 'object' && 'next' in h; h = h.next as typeof h) {
          const v = h.memoizedState as { current?: { getSource?: unknown } } | null;
          if (v && typeof v === 'object' && v.current && typeof v.current.getSource === 'function') {
            map = v.current as unknown as M;
            break;
          }
        }
      }
      if (!map) return false;
      w.__swMap = map;
      w.__swRenders = 0;
      map.on('render', () => w.__swRenders++);
      return true;
    });
    expect(found, 'the MapLibre map is found in the page').toBe(true);
    const cdp = await dctx.newCDPSession(d);
    await cdp.send('Performance.enable');
    const metrics = async () => Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map((m) => [m.name, m.value]));

    const pos = new Map(moving.map((u) => [u.id, [...u.home] as [number, number]]));
    const tick = async () => {
      const at = new Date().toISOString();
      const body = moving.map((u) => {
        const p = pos.get(u.id)!;
        p[0] += (Math.random() - 0.5) * 0.0006; // ≈ ±30 m a second
        p[1] += (Math.random() - 0.5) * 0.0006;
        return { unitId: u.id, lon: +p[0].toFixed(6), lat: +p[1].toFixed(6), at };
      });
      const r = await fetch(`${serverA!.url}/api/v1/units/positions`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const out = (await r.json()) as { accepted: number; rejected: unknown[] };
      expect(r.status, JSON.stringify(out).slice(0, 300)).toBe(202);
      expect(out.accepted, JSON.stringify(out.rejected).slice(0, 300)).toBe(MOVING);
    };
    /**
     * `seconds` of the console (moving the units once a second when `move`), measured: frame intervals,
     * long tasks, the renderer's main-thread time from CDP (script, layout, style, all tasks; ms per
     * second, less sensitive to the machine's load than frame rate), the CPU time of Chromium's renderer
     * and GPU processes (the renderer includes MapLibre's workers; the GPU process is SwiftShader drawing),
     * positions received per second, and the load average.
     */
    const measure = async (label: string, seconds: number, move: boolean) => {
      await d.evaluate(() => {
        const w = window as unknown as { __swPos: number; __swLong: number[]; __swFrames: number[]; __swLoop: number; __swRenders: number };
        w.__swFrames = [];
        w.__swLong = [];
        w.__swPos = 0;
        w.__swRenders = 0;
        // One loop at a time: a loop ends at its next frame once the generation has moved on.
        const gen = ++w.__swLoop;
        const loop = (t: number) => {
          if (w.__swLoop !== gen) return;
          w.__swFrames.push(t);
          requestAnimationFrame(loop);
        };
        requestAnimationFrame(loop);
      });
      const m0 = await metrics();
      const cpu0 = chromiumCpu();
      const load0 = os.loadavg()[0];
      const t0 = Date.now();
      for (let i = 0; i < seconds; i++) {
        if (move) await tick();
        await sleep(Math.max(0, t0 + (i + 1) * 1000 - Date.now()));
      }
      const wall = (Date.now() - t0) / 1000;
      const m1 = await metrics();
      const cpu1 = chromiumCpu();
      const page = await d.evaluate(() => {
        const w = window as unknown as { __swPos: number; __swLong: number[]; __swFrames: number[]; __swLoop: number; __swRenders: number };
        w.__swLoop++;
        return { frames: w.__swFrames, long: w.__swLong, pos: w.__swPos, renders: w.__swRenders, stepMs: document.querySelector('[data-unit-step-ms]')?.getAttribute('data-unit-step-ms') ?? null };
      });
      const perS = (k: string) => +(((m1[k] ?? 0) - (m0[k] ?? 0)) * 1000 / wall).toFixed(0);
      const f = frameStats(page.frames.slice(1).map((t, i) => t - page.frames[i]));
      const out = {
        fps: +(1000 / f.medianMs).toFixed(1),
        ...f,
        longTasks: page.long.length,
        longTaskMsPerS: +(page.long.reduce((s, x) => s + x, 0) / wall).toFixed(0),
        scriptMsPerS: perS('ScriptDuration'),
        taskMsPerS: perS('TaskDuration'),
        layoutMsPerS: perS('LayoutDuration'),
        styleMsPerS: perS('RecalcStyleDuration'),
        rendererCpuMsPerS: cpu0 && cpu1 ? +((cpu1.renderer - cpu0.renderer) / wall).toFixed(0) : null,
        gpuCpuMsPerS: cpu0 && cpu1 ? +((cpu1.gpu - cpu0.gpu) / wall).toFixed(0) : null,
        positionsPerS: +(page.pos / wall).toFixed(0),
        mapFramesPerS: +(page.renders / wall).toFixed(1),
        unitStepMs: page.stepMs === null ? null : Number(page.stepMs),
        load: `${load0.toFixed(2)}→${os.loadavg()[0].toFixed(2)}`,
      };
      console.info(`[e2e] console, ${label}, ${seconds} s: ${JSON.stringify(out)}`);
      return out;
    };

    await tick(); // every unit has a fresh position before measuring
    await sleep(1500);
    await measure(`${MOVING} units on the map, nothing moving`, 4, false);
    await measure(`${MOVING} units at 1 Hz, queue tab`, 10, true);

    // The map's unit source holds every moving unit (read from the page's MapLibre map).
    const ids = await d.evaluate(async () => {
      type Src = { getData(): Promise<{ features: { properties: { id: string } }[] }> };
      const map = (window as unknown as { __swMap?: { getSource(id: string): Src | undefined } }).__swMap;
      const data = await map?.getSource('d-units')?.getData();
      return data ? data.features.map((x) => x.properties.id) : null;
    });
    expect(ids, 'the MapLibre map and its d-units source are found in the page').not.toBeNull();
    const onMap = new Set(ids);
    expect(moving.filter((u) => !onMap.has(u.id)).map((u) => u.callSign)).toEqual([]);

    // The console lists them (units tab; the count in the tab, the rows in view), and stays smooth with the list open.
    await d.getByTestId('tab-units').click();
    await measure(`${MOVING} units at 1 Hz, units tab`, 10, true);
    await expect.poll(async () => Number((await d.getByTestId('units-count').innerText()).trim()), { timeout: 30_000 }).toBeGreaterThanOrEqual(MOVING);
    expect(await d.locator('[data-testid^="unit-row-"]').count()).toBeGreaterThan(10);
    await d.screenshot({ path: path.join(os.tmpdir(), 'shouwang-dispatch-500.png') });
    await cdp.detach();
    await dctx.close();
  }, 180_000);

  it('raised no script errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
