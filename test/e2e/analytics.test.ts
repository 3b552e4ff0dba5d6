/**
 * Browser test of analytics (issue 16): the analyst opens 数据研判; every computed figure is a card with
 * its value as the API gives it and last year's fair span beside it; hovering a figure's name shows what
 * it counts; another span reloads the figures; the weekday × hour heat table is drawn. axe-core finds no
 * critical or serious violation. Screenshot docs/screenshots/analytics.png. The report archive: the
 * analyst generates a period report, sees it listed with its hash, downloads its .docx. Screenshot
 * docs/screenshots/reports-archive.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAVE_CHROMIUM, CI, SHOTS, demoServerAndBrowser, newPage, signIn, call, noToasts } from './browser.js';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Values {
  items: { id: string; current: { value: number | null; from: string; to: string }; previous: { from: string; to: string } | null; significant: boolean }[];
}

async function axe(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const res = (await page.evaluate(() => (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } }).axe.run(document, { resultTypes: ['violations'] }))) as {
    violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
  };
  return res.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => `${v.id} ${v.help} ${JSON.stringify(v.nodes[0]?.target)}`);
}

describe.skipIf(!HAVE_CHROMIUM && !CI)('analytics in the browser', { retry: 1 }, () => {
  const env = demoServerAndBrowser('analytics');

  it('the analyst reads the figures of a span against last year, each explained on hover, and the heat table', async () => {
    const { ctx, page } = await newPage(env);
    await signIn(page, env.url, 'analyst');
    await page.getByTestId('nav-analytics').click();
    await page.getByTestId('page-analytics').waitFor();
    await page.getByTestId('kpi-cards').waitFor({ timeout: 20_000 });
    const days = (await page.getByTestId('analytics-span-days').innerText()).split('—').map((s) => s.trim());
    const api = (await call<Values>(page, 'GET', `/api/v1/kpis/values?from=${days[0]}&to=${days[1]}`)).data;
    expect(api.items.map((i) => i.id)).toContain('incident.count');
    expect(await page.locator('[data-testid^="kpi-"][data-significant]').count()).toBe(api.items.length);
    const count = api.items.find((i) => i.id === 'incident.count')!;
    const card = page.getByTestId('kpi-incident.count');
    expect((await card.getByTestId('kpi-value').innerText()).replace(/,/g, '')).toBe(String(count.current.value));
    expect(await card.getByTestId('kpi-previous').innerText()).toContain(count.previous!.from);
    // A rate shows its two numbers.
    expect(await page.getByTestId('kpi-incident.satisfaction').getByTestId('kpi-rate-of').innerText()).toMatch(/^\d+ \/ \d+$/);
    // Hovering a figure's name tells what it counts.
    await card.getByTestId('kpi-name').hover();
    await expect.poll(() => page.locator('.ant-tooltip:visible').innerText(), { timeout: 5_000 }).toContain('incident.count');
    expect(await page.locator('.ant-tooltip:visible').innerText()).toContain('口径');
    await page.mouse.move(0, 0);
    // The heat table is drawn.
    await page.getByTestId('heat-chart').locator('canvas').first().waitFor();
    await noToasts(page);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'analytics.png') });
    expect(await axe(page)).toEqual([]);

    // Another span: the figures follow the API for it.
    await page.getByTestId('analytics-span').getByText('近30天').click();
    await expect.poll(() => page.getByTestId('analytics-span-days').innerText()).not.toBe(`${days[0]} — ${days[1]}`);
    const d30 = (await page.getByTestId('analytics-span-days').innerText()).split('—').map((s) => s.trim());
    const api30 = (await call<Values>(page, 'GET', `/api/v1/kpis/values?from=${d30[0]}&to=${d30[1]}&ids=incident.count`)).data.items[0]!;
    await expect.poll(async () => (await card.getByTestId('kpi-value').innerText()).replace(/,/g, ''), { timeout: 10_000 }).toBe(String(api30.current.value));
    await ctx.close();
    expect(env.pageErrors).toEqual([]);
  }, 180_000);

  it('the analyst generates a period report in the archive, sees it with its hash and downloads its .docx', async () => {
    const { ctx, page } = await newPage(env);
    await signIn(page, env.url, 'analyst');
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('page-reports').waitFor();
    // Yesterday and the 29 days before (the machine's days: the server's today is never earlier).
    const day = (n: number) => {
      const d = new Date(Date.now() - n * 86_400_000);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    };
    const [from, to] = [day(30), day(1)];
    await page.getByTestId('report-kind').getByText('时段报告').click();
    // The picker puts its data-* attributes on its two inputs.
    const inputs = page.locator('input[data-testid="report-period-picker"], [data-testid="report-period-picker"] input');
    await inputs.nth(0).click();
    await inputs.nth(0).fill(from);
    await inputs.nth(0).press('Enter');
    await inputs.nth(1).fill(to);
    await inputs.nth(1).press('Enter');
    await expect.poll(() => page.getByTestId('report-generate').isEnabled()).toBe(true);
    await page.getByTestId('report-generate').click();
    const row = page.locator('tr', { has: page.locator(`[data-testid="report-week"][data-kind="period"]:has-text("${from} ~ ${to}")`) }).first();
    await row.waitFor({ timeout: 60_000 });
    const listed = (await call<{ items: { id: string; kind: string; label: string; snapshotHash: string }[] }>(page, 'GET', '/api/v1/reports?kind=period')).data.items;
    const report = listed.find((r) => r.label === `${from}~${to}`)!;
    expect(report).toBeDefined();
    expect(await row.getByTestId('report-hash').innerText()).toContain(report.snapshotHash.slice(0, 12));
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('report-download').click()]);
    expect(download.suggestedFilename()).toBe(`shouwang-period-${from}_${to}-r1.docx`);
    const bytes = fs.readFileSync((await download.path())!);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(bytes.length).toBeGreaterThan(10_000);
    console.log(`[e2e] period report .docx: ${bytes.length} bytes`);
    await noToasts(page);
    await page.mouse.move(0, 0);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'reports-archive.png') });
    await ctx.close();
    expect(env.pageErrors).toEqual([]);
  }, 180_000);
});
