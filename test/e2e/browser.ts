/** Shared set-up of the browser tests: Debian's Chromium, its flags, the built web app, screenshots. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

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
