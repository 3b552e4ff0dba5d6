/**
 * Browser test of issue #11 item 22 in English: the system's own words carry no Chinese. The intake
 * console gives the priority suggestion's reasons in English, the dispatch console's alerts (raised
 * and escalated) say what happened in English, and the incident header's category path is the tree's
 * English names with the Chinese on hover. What callers said and where (descriptions, addresses,
 * names) stays as recorded.
 *
 * The simulator is off; a P1 alert comes after 2 s and escalates 4 s later, so the alert is the test's own.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAVE_CHROMIUM, CI, demoServerAndBrowser, newPage, signIn, call } from './browser.js';

process.env.SHOUWANG_SIMULATOR = '0';
process.env.SHOUWANG_DISPATCH_P1_UNASSIGNED_S = '2';
process.env.SHOUWANG_DISPATCH_ESCALATE_AFTER_S = '4';

const HAN = /[\u3400-\u9fff]/;
const BRAWL = '01010103'; // 持械斗殴: P1
// A place per attempt (a retry's call must not be a duplicate of the first attempt's).
const PLACES = [
  { lon: 113.5435, lat: 22.1987 },
  { lon: 113.5512, lat: 22.1935 },
];
let attempt = 0;

const texts = (page: Page, testId: string) => page.getByTestId(testId).allInnerTexts();

describe.skipIf(!HAVE_CHROMIUM && !CI)('English mode speaks English (#11.22)', { retry: 1 }, () => {
  const env = demoServerAndBrowser('english');

  it('the intake console gives the priority reasons in English', async () => {
    const { ctx, page } = await newPage(env, { lang: 'en' });
    await signIn(page, env.url, 'calltaker');
    await page.getByTestId('nav-intake').click();
    await page.getByTestId('intake-description').waitFor();
    // A family dispute (default P3) where the caller says a knife is held: the words raise it to P1.
    await page.keyboard.press('F3');
    await page.keyboard.type('家庭纠纷');
    await page.locator('.sw-cat-popup:visible .ant-cascader-menu-item').first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('intake-category').innerText()).toMatch(/family/i);
    await page.getByTestId('intake-description').click();
    await page.keyboard.type('丈夫持刀威胁妻子');
    await expect.poll(() => texts(page, 'intake-reason'), { timeout: 10_000 }).toHaveLength(2);
    const reasons = await texts(page, 'intake-reason');
    expect(reasons).toEqual(['Category “Family dispute” defaults to P3', 'Description mentions someone holding a knife → P1']);
    for (const r of reasons) expect(HAN.test(r), r).toBe(false);
    // The same suggestion in Chinese, from the API the console asks.
    const zh = await call<{ reasons: string[] }>(page, 'GET', `/api/v1/incidents/priority-suggestion?categoryCode=05010101&description=${encodeURIComponent('丈夫持刀威胁妻子')}`);
    expect(zh.data.reasons).toEqual(['类别“家庭纠纷”默认P3', '描述含“持刀”→P1']);
    await ctx.close();
  }, 90_000);

  it('the dispatch console says an alert in English, raised and escalated; the incident header names the category in English', async () => {
    const { ctx, page } = await newPage(env, { lang: 'en' });
    await signIn(page, env.url, 'dispatcher');
    const created = await call<{ id: string; number: string; priority: string }>(page, 'POST', '/api/v1/incidents', {
      source: 'call110',
      categoryCode: BRAWL,
      description: '多人持械斗殴，有人受伤',
      location: PLACES[attempt++ % PLACES.length],
    });
    expect(created.status, JSON.stringify(created.data)).toBe(201);
    const inc = created.data;
    expect(inc.priority).toBe('P1');
    await page.getByTestId('nav-dispatch').click();
    await page.getByTestId('page-dispatch').waitFor();

    // Raised: the idle summary and the alerts drawer.
    const summary = page.getByTestId('summary-alert-text').filter({ hasText: inc.number });
    await summary.first().waitFor({ timeout: 20_000 });
    const raised = await summary.first().innerText();
    expect(raised).toMatch(new RegExp(`^P1 incident ${inc.number} has had no unit for over 2 s`));
    expect(HAN.test(raised), raised).toBe(false);

    // Escalated to the commander after 4 s more.
    await expect.poll(async () => (await page.getByTestId('summary-alert-text').filter({ hasText: inc.number }).allInnerTexts()).join('|'), { timeout: 20_000 }).toContain('escalated to the commander');
    await page.getByTestId('alerts-button').click();
    const drawer = page.getByTestId('alert-text').filter({ hasText: inc.number });
    await drawer.first().waitFor();
    const text = await drawer.first().innerText();
    expect(text).toBe(`P1 incident ${inc.number} has had no unit for over 2 s; escalated to the commander`);
    const all = await texts(page, 'alert-text');
    for (const a of all) expect(HAN.test(a), a).toBe(false);
    // The stored message stays Chinese (audit, older clients).
    const api = await call<{ items: { incidentId: string; message: string }[] }>(page, 'GET', '/api/v1/alerts');
    expect(api.data.items.find((a) => a.incidentId === inc.id)?.message).toBe(`P1警情 ${inc.number} 超过2秒未派警，已上报指挥长`);
    await page.keyboard.press('Escape');

    // The incident page's header: the category path in English, the Chinese on hover.
    await page.goto(`${env.url}/incidents/${inc.id}`);
    const cat = page.getByTestId('incident-category').getByTestId('category-path');
    await cat.waitFor();
    await expect.poll(() => cat.innerText()).toBe('Criminal / Offences against the person / Homicide and wounding / Armed affray');
    expect(await cat.getAttribute('data-zh')).toMatch(HAN);
    await cat.hover();
    await expect.poll(() => page.locator('.ant-tooltip:visible').innerText()).toBe(await cat.getAttribute('data-zh'));
    await ctx.close();
  }, 120_000);

  it('raised no script errors in the pages', () => {
    expect(env.pageErrors).toEqual([]);
  });
});
