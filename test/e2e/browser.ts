/** Shared set-up of the browser tests: Debian's Chromium, its flags, the built web app, screenshots. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SHOTS = path.join(ROOT, 'docs', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
export const CI = !!process.env.CI;

if (!HAVE_CHROMIUM && !CI) {
  console.warn(`[e2e] skipped: Chromium not found at ${CHROMIUM} (install it with "apt-get install chromium" or set CHROMIUM_PATH).`);
}

/** Headless, no network chatter; SwiftShader so MapLibre can draw without a GPU. */
export const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
];

/** Builds dist/web when missing or older than web/ (the same check `npm start` makes). */
export function ensureWebBuild() {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-web-if-stale.mjs')], { cwd: ROOT, stdio: 'inherit', timeout: 170_000 });
  fs.mkdirSync(SHOTS, { recursive: true });
}

export function launchBrowser(): Promise<Browser> {
  if (!HAVE_CHROMIUM) throw new Error(`Chromium not found at ${CHROMIUM}; CI must provide it (apt-get install chromium).`);
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
}

/**
 * The unit list is a virtual table (only the rows in view exist): scrolls it until the row of `callSign`
 * is rendered, and returns its text ('' when the unit is not in the list).
 */
export async function unitRowText(page: Page, callSign: string): Promise<string> {
  return page.evaluate(async (cs) => {
    const sel = `[data-testid="unit-row-${cs}"]`;
    const holder = document.querySelector('[data-testid="units-table"] .ant-table-tbody-virtual-holder');
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    if (holder && !document.querySelector(sel)) {
      for (let top = 0; ; top += Math.max(100, holder.clientHeight - 40)) {
        holder.scrollTop = top;
        await frame();
        await frame();
        if (document.querySelector(sel) || top >= holder.scrollHeight) break;
      }
    }
    return (document.querySelector(sel) as HTMLElement | null)?.innerText ?? '';
  }, callSign);
}

/** Where a suite's pages run: the browser, and the script errors its pages raised (checked at the end). */
export interface PageHost {
  readonly browser: Browser;
  readonly pageErrors: string[];
}

export interface BrowserSuite extends PageHost {
  /** The demo server's base URL. */
  readonly url: string;
}

/**
 * Fills `dataDir` with a demo city of `historyDays` days of history, built once per run and copied (see
 * template-setup.ts); the server then starts on it in a few seconds and writes nothing in the background.
 * Without the run's template folder (the file run some other way) the server builds its own city as before.
 */
async function copyDemoCity(historyDays: number, dataDir: string) {
  let root: string | undefined;
  try {
    root = inject('e2eTemplateRoot');
  } catch {
    root = undefined;
  }
  if (!root || !fs.existsSync(root)) return;
  const template = path.join(root, `history-${historyDays}`);
  if (!fs.existsSync(path.join(template, '.ready'))) {
    // Suites run one at a time (fileParallelism: false), so no other suite builds it meanwhile.
    fs.rmSync(template, { recursive: true, force: true });
    const { startServer } = await import('../../src/server/start.js');
    const builder = await startServer({ port: 0, dataDir: template, demo: true, demoHistoryDays: historyDays, logLevel: 'silent' });
    await builder.demoHistory;
    await builder.close();
    fs.writeFileSync(path.join(template, '.ready'), new Date().toISOString());
  }
  fs.cpSync(template, dataDir, { recursive: true, filter: (src) => path.basename(src) !== '.ready' });
}

/**
 * One demo server (PGlite in a temporary folder, demo city) and Chromium for a suite: started in its
 * beforeAll, stopped in its afterAll. Call it inside `describe`.
 *
 * The server writes `historyDays` of demo history (default 45, not the year `npm start` writes): a year is
 * 33,000 incidents written while the suite's pages load, on a machine of two cores, in every suite.
 */
export function demoServerAndBrowser(name: string, opts: { historyDays?: number } = {}): BrowserSuite {
  let server: { url: string; close(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  let dataDir = '';
  const pageErrors: string[] = [];
  beforeAll(async () => {
    ensureWebBuild();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `shouwang-e2e-${name}-`));
    const { startServer } = await import('../../src/server/start.js');
    const historyDays = opts.historyDays ?? 45;
    await copyDemoCity(historyDays, dataDir);
    server = await startServer({ port: 0, dataDir, demo: true, demoHistoryDays: historyDays, logLevel: 'silent' });
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);
  return {
    get url() {
      return server!.url;
    },
    get browser() {
      return browser!;
    },
    pageErrors,
  };
}

/** A new context and page (zh-CN unless told; a language chosen in the page survives reloads). */
export async function newPage(host: PageHost, opts: { viewport?: { width: number; height: number }; lang?: 'zh' | 'en' } = {}): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await host.browser.newContext({ viewport: opts.viewport ?? { width: 1920, height: 1080 }, locale: 'zh-CN', deviceScaleFactor: 1 });
  await ctx.addInitScript((l) => {
    if (!window.localStorage.getItem('shouwang.lang')) window.localStorage.setItem('shouwang.lang', l);
  }, opts.lang ?? 'zh');
  const page = await ctx.newPage();
  page.on('pageerror', (e) => host.pageErrors.push(`${page.url()}: ${e.message}`));
  return { ctx, page };
}

/** Signs in through the sign-in page with a demo account. */
export async function signIn(page: Page, baseUrl: string, username: string) {
  // Right after start the server writes the demo history (PGlite runs on its thread): the first page may
  // take a while. A 30 s timeout here failed whole tests only to pass them on their retry.
  await page.goto(`${baseUrl}/login`, { timeout: 120_000 });
  await page.getByTestId(`demo-${username}`).click({ timeout: 60_000 });
  await expect.poll(() => page.getByTestId('login-username').inputValue()).toBe(username);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-display-name').waitFor({ timeout: 60_000 });
}

/** Waits for a map to report `ready` (WebGL drew it), then lets it settle. */
export async function mapReady(page: Page, testId: string, settleMs = 300) {
  await page.locator(`[data-testid="${testId}"][data-state="ready"], [data-testid="${testId}"][data-state="failed"]`).waitFor({ timeout: 45_000 });
  expect(await page.getByTestId(testId).getAttribute('data-state'), 'the map should render (WebGL)').toBe('ready');
  await page.waitForTimeout(settleMs);
}

/** Toasts cover the page header in screenshots: wait until they are gone. */
export const noToasts = (page: Page) => expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 12_000 }).toBe(0);

/** Many JSON requests from inside the page (same origin, the session cookie), `parallel` at a time; statuses and bodies in order. */
export function callMany<T>(page: Page, reqs: { method: string; url: string; body?: unknown }[], parallel = 16): Promise<{ status: number; data: T }[]> {
  return page.evaluate(
    async ({ reqs, parallel }) => {
      const out: { status: number; data: unknown }[] = new Array(reqs.length);
      let next = 0;
      const worker = async () => {
        while (next < reqs.length) {
          const i = next++;
          const { method, url, body } = reqs[i];
          const r = await fetch(url, { method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
          const text = await r.text();
          out[i] = { status: r.status, data: text ? JSON.parse(text) : null };
        }
      };
      await Promise.all(Array.from({ length: parallel }, worker));
      return out;
    },
    { reqs, parallel },
  ) as Promise<{ status: number; data: T }[]>;
}

/** One JSON request from inside the page (same origin, the session cookie). */
export async function call<T>(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; data: T }> {
  return (await callMany<T>(page, [{ method, url, body }], 1))[0];
}
