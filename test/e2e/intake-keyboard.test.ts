/**
 * Browser tests of issue 11, intake items 1, 2, 3 and 7: what the call-taker's keys do to the record.
 *  1. Esc clears the form (after confirming) also after an address was picked, by Enter or by mouse,
 *     and for every later call on the same page.
 *  2. Enter picks only a suggestion of the text now in the box: while the search for it is running,
 *     Enter waits for its results instead of taking the previous query's first line.
 *  3. Tab leaves the caller's words as typed: no registry address replaces them, no point is set.
 *  7. Answer time: call start comes from telephony (the screen-pop URL) or is unknown, never 0 s;
 *     F8 "call answered" marks the moment the call-taker answered.
 */
import { HAVE_CHROMIUM, CI, demoServerAndBrowser, newPage, signIn, call } from './browser.js';
import { describe, expect, it } from 'vitest';
import { type Page } from 'playwright-core';

const addrInput = (page: Page) => page.locator('[data-testid="intake-address"] input');
const options = (page: Page) => page.locator('.ant-select-dropdown:visible [data-testid="addr-option"]');

/** Holds back the answers of address searches whose query matches `slow` by `ms`. */
async function slowSearches(page: Page, slow: (q: string) => boolean, ms: number) {
  await page.route('**/api/v1/addresses/search?**', async (route) => {
    const q = new URL(route.request().url()).searchParams.get('q') ?? '';
    if (slow(q)) await new Promise((r) => setTimeout(r, ms));
    await route.continue().catch(() => {});
  });
}

async function openIntake(page: Page, url: string, path = '/intake') {
  await signIn(page, url, 'calltaker');
  await page.goto(`${url}${path}`);
  await page.getByTestId('page-intake').waitFor();
  await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid'))).toBe('intake-phone');
}

describe.skipIf(!HAVE_CHROMIUM && !CI)('intake keyboard: the record says what the caller said', { retry: 1 }, () => {
  const env = demoServerAndBrowser('intake-keys');

  it('#11.1 Esc clears the form after an address was picked by Enter or by mouse, call after call', async () => {
    const { ctx, page } = await newPage(env);
    await openIntake(page, env.url);
    const kb = page.keyboard;
    for (const how of ['enter', 'mouse', 'enter'] as const) {
      await kb.type('64818608');
      await kb.press('F2');
      await kb.type('大学马路12');
      await options(page).first().waitFor({ timeout: 10_000 });
      await expect.poll(() => options(page).first().innerText()).toMatch(/12[號号]/);
      if (how === 'enter') await kb.press('Enter');
      else await options(page).first().click();
      await expect.poll(() => addrInput(page).inputValue()).toMatch(/大[學学]大[馬马]路12[號号]/);
      await page.waitForTimeout(300);
      await kb.press('Escape');
      // The first Esc may only close a list still open; a second one must then ask to clear.
      const asked = () => page.getByTestId('intake-clear-ok').waitFor({ timeout: 2_000 }).then(() => true, () => false);
      if (!(await asked())) await kb.press('Escape');
      await page.getByTestId('intake-clear-ok').waitFor({ timeout: 5_000 });
      await page.getByTestId('intake-clear-ok').click();
      await expect.poll(() => page.getByTestId('intake-phone').inputValue()).toBe('');
      expect(await addrInput(page).inputValue()).toBe('');
      await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid'))).toBe('intake-phone');
      await expect.poll(() => page.locator('.ant-modal-wrap:visible').count()).toBe(0);
    }
    await ctx.close();
  }, 120_000);

  it('#11.2 Enter waits for the results of the text in the box instead of taking the previous query’s', async () => {
    const { ctx, page } = await newPage(env);
    await openIntake(page, env.url);
    const kb = page.keyboard;
    await slowSearches(page, (q) => /12$|18$/.test(q), 2_000);
    await kb.press('F2');
    await kb.type('大');
    await expect.poll(() => options(page).first().innerText(), { timeout: 10_000 }).toMatch(/大/);
    await kb.type('学马路12');
    await page.waitForTimeout(600);
    await kb.press('Enter');
    await expect.poll(() => addrInput(page).inputValue(), { timeout: 8_000 }).toMatch(/大[學学]大[馬马]路12[號号]/);

    // Second case: the list of 殷皇子大马路1 is showing, 8 is typed, Enter at once.
    await page.getByTestId('intake-clear').click();
    await page.getByTestId('intake-clear-ok').click();
    await expect.poll(() => addrInput(page).inputValue()).toBe('');
    // The closing dialog hands the focus back to the phone field: only then to the address.
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid'))).toBe('intake-phone');
    await kb.press('F2');
    await kb.type('殷皇子大马路1');
    await expect.poll(() => options(page).first().innerText(), { timeout: 10_000 }).toMatch(/殷皇子大[馬马]路1[號号]/);
    await kb.type('8');
    await page.waitForTimeout(300);
    await kb.press('Enter');
    await expect.poll(() => addrInput(page).inputValue(), { timeout: 8_000 }).toMatch(/殷皇子大[馬马]路18[號号]/);
    await ctx.close();
  }, 120_000);

  it('#11.3 Tab keeps an unmatched address as typed and sets no point', async () => {
    const { ctx, page } = await newPage(env);
    await openIntake(page, env.url);
    const kb = page.keyboard;
    await kb.press('F2');
    await kb.type('威尼斯人酒店正门');
    // Whatever the registry suggests (or not) by now, Tab moves on and the words stay.
    await page.waitForTimeout(1_000);
    await kb.press('Tab');
    await page.waitForTimeout(500);
    expect(await addrInput(page).inputValue()).toBe('威尼斯人酒店正门');
    expect(await page.getByTestId('intake-repeat').count()).toBe(0);
    expect(await page.getByTestId('history-place').count()).toBe(0);
    expect(await page.getByTestId('intake-map').innerText()).not.toMatch(/酒店斜路/);
    // Tab from a matching text does not pick either: accepting a suggestion takes Enter or a click.
    await kb.press('F2');
    await page.keyboard.press('Control+A');
    await kb.type('大学马路12');
    await options(page).first().waitFor({ timeout: 10_000 });
    await kb.press('Tab');
    await page.waitForTimeout(500);
    expect(await addrInput(page).inputValue()).toBe('大学马路12');
    expect(await page.getByTestId('history-place').count()).toBe(0);
    await ctx.close();
  }, 90_000);

  it('#11.7 answer time is unknown without telephony, and measured from the screen-pop call start with F8', async () => {
    const { ctx, page } = await newPage(env);
    await openIntake(page, env.url);
    const kb = page.keyboard;

    async function record(phone: string) {
      await kb.press('F2');
      await kb.type('大学马路12');
      await expect.poll(() => options(page).first().innerText(), { timeout: 10_000 }).toMatch(/12[號号]/);
      await kb.press('Enter');
      await kb.press('F3');
      await kb.type('盗窃');
      await page.locator('.sw-cat-popup:visible .ant-cascader-menu-item').first().waitFor({ timeout: 10_000 });
      await kb.press('Enter');
      await kb.press('F4');
      await kb.type('电动车被偷');
      await kb.press('Control+Enter');
      await page.getByTestId('intake-toast-number').last().waitFor({ timeout: 15_000 });
      const number = (await page.getByTestId('intake-toast-number').last().innerText()).trim();
      const list = await call<{ items: { id: string; number: string; caller: { phone: string | null } }[] }>(page, 'GET', '/api/v1/incidents?mine=true&limit=5');
      const hit = list.data.items.find((x) => x.number === number)!;
      const one = await call<{ times: { callStartedAt: string | null; answeredAt: string | null; recordedAt: string }; caller: { phone: string | null } }>(page, 'GET', `/api/v1/incidents/${hit.id}`);
      void phone;
      return { id: hit.id, number, times: one.data.times, phone: one.data.caller.phone };
    }

    // No telephony, no F8: the call start is not invented from the first keystroke.
    await kb.type('66001122');
    const plain = await record('66001122');
    expect(plain.times.callStartedAt, 'no telephony: call start unknown').toBeNull();
    await page.goto(`${env.url}/incidents/${plain.id}`);
    await page.getByTestId('incident-intervals').waitFor();
    const rows = await page.getByTestId('incident-intervals').innerText();
    expect(rows).toMatch(/应答时长[^\n]*\n?[^\n]*未知/);
    expect(rows).not.toMatch(/应答时长[\s\S]{0,40}?\b0秒/);

    // Screen pop from telephony: the ring started 7 s ago; F8 marks the answer, a little later.
    const rang = new Date(Date.now() - 7_000).toISOString();
    await page.goto(`${env.url}/intake?phone=66002233&callStartedAt=${encodeURIComponent(rang)}`);
    await page.getByTestId('page-intake').waitFor();
    await expect.poll(() => page.getByTestId('intake-phone').inputValue()).toBe('66002233');
    await page.waitForTimeout(500);
    await kb.press('F8');
    await expect.poll(() => page.getByTestId('intake-answered').innerText()).toMatch(/\d/);
    const answeredAtClick = Date.now();
    await page.waitForTimeout(1_500);
    const popped = await record('66002233');
    expect(popped.times.callStartedAt).toBe(rang);
    expect(popped.times.answeredAt).not.toBeNull();
    const answerS = (Date.parse(popped.times.answeredAt!) - Date.parse(rang)) / 1000;
    expect(answerS).toBeGreaterThanOrEqual(7);
    // F8 time, not the first keystroke or the submit.
    expect(Date.parse(popped.times.answeredAt!)).toBeLessThanOrEqual(answeredAtClick + 200);
    expect(popped.phone).toBe('66002233');
    await page.goto(`${env.url}/incidents/${popped.id}`);
    await page.getByTestId('incident-intervals').waitFor();
    expect(await page.getByTestId('incident-intervals').innerText()).toMatch(/应答时长[\s\S]*?[789]秒/);
    await ctx.close();
  }, 120_000);

  it('raised no script errors in the pages', () => {
    expect(env.pageErrors).toEqual([]);
  });
});
