/**
 * Browser test of the chief's home dashboard and the command wall (issue 16). The chief's home shows
 * today, this week and the year to date with the figures the API gives for those spans, and what needs
 * attention with the counts of the modules' endpoints. The wall (full screen, no shell) fits 1920×1080
 * without scrolling, shows today's count as the API gives it with its verdict against last year's same day
 * up to the same instant, and counts a new incident recorded through the API without a reload (the stream); at 3840×2160 it is the same layout scaled ×2. axe-core finds no
 * critical or serious violation. Screenshots home-chief.png, command-wall.png, command-wall-4k.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAVE_CHROMIUM, CI, SHOTS, demoServerAndBrowser, signIn, call, noToasts, mapReady, type PageHost } from './browser.js';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const BRAWL = '01010103'; // 多人持械斗殴: P1

interface Value {
  id: string;
  current: { value: number | null; numerator: number | null; denominator: number | null };
}

async function axe(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const res = (await page.evaluate(() => (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } }).axe.run(document, { resultTypes: ['violations'] }))) as {
    violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
  };
  return res.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => `${v.id} ${v.help} ${JSON.stringify(v.nodes[0]?.target)}`);
}

const values = async (page: Page, from: string, to: string) =>
  new Map((await call<{ items: Value[] }>(page, 'GET', `/api/v1/kpis/values?ids=incident.count&ids=incident.satisfaction&ids=incident.transfer_on_time&from=${from}&to=${to}`)).data.items.map((v) => [v.id, v]));

/** The page fits its window: nothing to scroll either way. */
const fits = (page: Page) => page.evaluate(() => ({ h: document.documentElement.scrollHeight <= window.innerHeight, w: document.documentElement.scrollWidth <= window.innerWidth }));

/**
 * A page in the city's time zone (the server's, Asia/Macau): the web counts local days in the browser's
 * zone, as a command centre's screens are in the city.
 */
async function newPage(host: PageHost, viewport = { width: 1920, height: 1080 }, lang: 'zh' | 'en' = 'zh') {
  const ctx = await host.browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Macau', deviceScaleFactor: 1 });
  await ctx.addInitScript((l) => window.localStorage.setItem('shouwang.lang', l), lang);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => host.pageErrors.push(`${page.url()}: ${e.message}`));
  return { ctx, page };
}

const todayCount = async (page: Page) => Number((await page.getByTestId('wall-today-count').innerText()).replace(/[^\d]/g, ''));

describe.skipIf(!HAVE_CHROMIUM && !CI)('the chief’s home dashboard and the command wall', { retry: 1 }, () => {
  const env = demoServerAndBrowser('wall');

  it('the chief’s home shows today, this week and the year to date as the API counts them, and what needs attention', async () => {
    const { ctx, page } = await newPage(env);
    await signIn(page, env.url, 'chief');
    await page.getByTestId('home-dashboard').waitFor();
    // Right after start the server still writes the demo history: wait until the year's count holds still, then read the page.
    const ytd = (await page.getByTestId('home-period-ytd').getAttribute('data-from'))!;
    let last = -1;
    for (let i = 0; i < 60; i++) {
      const n = (await values(page, ytd, (await page.getByTestId('home-period-ytd').getAttribute('data-to'))!)).get('incident.count')!.current.value!;
      if (n === last) break;
      last = n;
      await page.waitForTimeout(3_000);
    }
    await page.reload();
    await page.getByTestId('home-dashboard').waitFor();
    for (const k of ['today', 'week', 'ytd']) {
      const card = page.getByTestId(`home-period-${k}`);
      await card.getByTestId('home-count').waitFor({ timeout: 30_000 });
      const from = (await card.getAttribute('data-from'))!;
      const to = (await card.getAttribute('data-to'))!;
      const api = await values(page, from, to);
      expect((await card.getByTestId('home-count').innerText()).replace(/,/g, ''), k).toBe(String(api.get('incident.count')!.current.value));
      const sat = api.get('incident.satisfaction')!.current;
      expect(await card.getByTestId('home-satisfaction').getAttribute('data-denominator'), k).toBe(String(sat.denominator ?? ''));
      expect(await card.getByTestId('home-satisfaction').getAttribute('data-numerator'), k).toBe(String(sat.numerator ?? ''));
      expect(await card.getByTestId('home-count-verdict').innerText()).not.toBe('');
    }
    // Needs attention: the counts of the modules' own endpoints.
    const digest = (await call<{ overdue: number; dueSoon: number }>(page, 'GET', '/api/v1/cases/digest')).data;
    await expect.poll(() => page.getByTestId('att-cases-overdue-n').innerText(), { timeout: 15_000 }).toBe(String(digest.overdue));
    expect(await page.getByTestId('att-cases-due-n').innerText()).toBe(String(digest.dueSoon));
    const high = (await call<{ total: number }>(page, 'GET', '/api/v1/disputes?open=true&riskGrade=red&riskGrade=orange&limit=1')).data;
    await expect.poll(() => page.getByTestId('att-disputes-high-n').innerText()).toBe(String(high.total));
    const sent = (await call<{ items: unknown[] }>(page, 'GET', '/api/v1/transfers?status=sent&limit=500')).data;
    await expect.poll(() => page.getByTestId('att-transfers-sent-n').innerText()).toBe(String(sent.items.length));
    // Each count opens its list.
    expect(await page.getByTestId('att-cases-overdue').locator('a').getAttribute('href')).toBe('/cases');
    await mapReady(page, 'home-map');
    await noToasts(page);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(SHOTS, 'home-chief.png') });
    expect(await axe(page)).toEqual([]);
    await ctx.close();
    expect(env.pageErrors).toEqual([]);
  }, 180_000);

  it('the wall fills 1920×1080 without the shell, counts today as the API does, and counts a new incident without a reload; the same at 3840×2160', async () => {
    const { ctx, page } = await newPage(env);
    await signIn(page, env.url, 'chief');
    await page.goto(`${env.url}/wall`);
    await page.getByTestId('page-wall').waitFor();
    expect(await page.getByTestId('user-display-name').count(), 'no app shell on the wall').toBe(0);
    await mapReady(page, 'wall-map', 800);
    const today = (await page.getByTestId('page-wall').getAttribute('data-today'))!;
    const api = (await values(page, today, today)).get('incident.count')!.current.value!;
    await expect.poll(() => todayCount(page), { timeout: 20_000 }).toBe(api);
    // By priority adds up to the same count.
    // A few calls in the chief's station, so the panels have something to show.
    const units = (await call<{ items: { home: [number, number] }[] }>(page, 'GET', '/api/v1/units')).data.items;
    const create = async (i: number, priority: string) => {
      const home = units[i % units.length]!.home;
      const r = await call<{ number: string }>(page, 'POST', '/api/v1/incidents', { source: 'call110', categoryCode: BRAWL, priority, ...(priority === 'P1' ? {} : { priorityReason: '大屏测试：按现场情况调整' }), location: { lon: home[0] + 0.0004, lat: home[1] + 0.0004 }, address: `大屏测试地址 ${i}`, description: '大屏测试：新警情' });
      expect(r.status, JSON.stringify(r.data)).toBe(201);
      return r.data;
    };
    for (const [i, p] of (['P1', 'P2', 'P3'] as const).entries()) await create(i + 1, p);
    await expect.poll(() => todayCount(page), { timeout: 30_000 }).toBe(api + 3);
    await expect.poll(async () => (await Promise.all(['P1', 'P2', 'P3', 'P4'].map(async (p) => Number(await page.getByTestId(`wall-prio-${p}`).locator('.sw-wall-prio-n').innerText())))).reduce((a, b) => a + b, 0), { timeout: 20_000 }).toBe(api + 3);
    // Today is judged against last year's same day up to the same instant, as the API judges it: a word in large type, not colour alone.
    const dayVerdict = page.getByTestId('wall-today-verdict');
    await dayVerdict.waitFor();
    await expect
      .poll(async () => {
        const v = (await call<{ items: { significant: boolean; direction: string }[] }>(page, 'GET', `/api/v1/kpis/values?ids=incident.count&from=${today}&to=${today}`)).data.items[0]!;
        return (await dayVerdict.getAttribute('data-significant')) === String(v.significant) && (await dayVerdict.getAttribute('data-direction')) === v.direction;
      }, { timeout: 20_000 })
      .toBe(true);
    expect(await dayVerdict.innerText()).toMatch(/显著上升|显著下降|无显著变化/);
    expect(await dayVerdict.locator('.sw-wall-day-word').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(30);
    expect(await page.getByTestId('wall-today-basis').innerText()).toContain('对比去年同日同一时刻');
    expect(await fits(page)).toEqual({ h: true, w: true });
    // Every panel lies inside the window.
    for (const id of ['wall-today', 'wall-priority', 'wall-family', 'wall-p1', 'wall-alerts', 'wall-map', 'wall-strip', 'wall-clock']) {
      const b = (await page.getByTestId(id).boundingBox())!;
      expect(b.x >= 0 && b.y >= 0 && b.x + b.width <= 1920.5 && b.y + b.height <= 1080.5, `${id} ${JSON.stringify(b)}`).toBe(true);
    }
    // Nothing inside a panel is cut off (the panels hide what overflows).
    for (const id of ['wall-family', 'wall-p1', 'wall-alerts']) expect(await page.getByTestId(id).evaluate((el) => el.scrollHeight <= el.clientHeight + 1), id).toBe(true);
    await expect.poll(() => page.getByTestId('page-wall').getAttribute('data-stream'), { timeout: 20_000 }).toBe('live');
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SHOTS, 'command-wall.png') });
    expect(await axe(page)).toEqual([]);

    // A new P1 in the chief's station, recorded through the API: the wall counts it without a reload.
    const openBefore = Number(await page.getByTestId('wall-open-count').innerText());
    const created = await create(0, 'P1');
    await expect.poll(() => todayCount(page), { timeout: 30_000 }).toBe(api + 4);
    await expect.poll(async () => Number(await page.getByTestId('wall-open-count').innerText()), { timeout: 30_000 }).toBe(openBefore + 1);
    await expect.poll(() => page.getByTestId('wall-p1').innerText(), { timeout: 30_000 }).toContain(created.number);
    await ctx.close();

    // 3840×2160: the same stage scaled ×2, still without scrolling.
    const big = await newPage(env, { width: 3840, height: 2160 });
    await signIn(big.page, env.url, 'chief');
    await big.page.goto(`${env.url}/wall`);
    await mapReady(big.page, 'wall-map', 1200);
    expect(await big.page.locator('.sw-wall').getAttribute('data-scale')).toBe('2.000');
    expect(await fits(big.page)).toEqual({ h: true, w: true });
    await expect.poll(() => todayCount(big.page), { timeout: 20_000 }).toBe(api + 4);
    await big.page.screenshot({ path: path.join(SHOTS, 'command-wall-4k.png') });
    await big.ctx.close();

    // In English the longer words still fit: no scrolling, nothing cut off.
    const en = await newPage(env, { width: 1920, height: 1080 }, 'en');
    await signIn(en.page, env.url, 'chief');
    await en.page.goto(`${env.url}/wall`);
    await mapReady(en.page, 'wall-map');
    await expect.poll(() => todayCount(en.page), { timeout: 20_000 }).toBe(api + 4);
    expect(await en.page.getByTestId('wall-today').innerText()).toContain('Incidents today');
    expect(await fits(en.page)).toEqual({ h: true, w: true });
    for (const id of ['wall-today', 'wall-family', 'wall-p1', 'wall-alerts']) expect(await en.page.getByTestId(id).evaluate((el) => el.scrollHeight <= el.clientHeight + 1), id).toBe(true);
    await en.ctx.close();
    expect(env.pageErrors).toEqual([]);
  }, 300_000);
});
