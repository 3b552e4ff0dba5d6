/**
 * Browser test of the call-taker console (110 intake part 8): a scripted call recorded with the
 * keyboard only, the queue, the incident detail page with its timeline, a second call at the same
 * place flagged as a duplicate and merged, the incidents list, the English switch, and the
 * screenshots for the docs (1920×1080).
 *
 * Needs Chromium at /usr/bin/chromium (or CHROMIUM_PATH). Without it the test is skipped locally
 * and fails on CI.
 */
import path from 'node:path';
import { SHOTS, HAVE_CHROMIUM, CI, demoServerAndBrowser, newPage, signIn, mapReady, noToasts } from './browser.js';
import { describe, expect, it } from 'vitest';
import { type Page } from 'playwright-core';

const NUMBER_RE = /^J[A-Z0-9]+\d{12}$/;

describe.skipIf(!HAVE_CHROMIUM && !CI)('call-taker console in the browser', { retry: 1 }, () => {
  const env = demoServerAndBrowser('intake');

  const focusedTestId = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement;
      return el?.closest('[data-testid]')?.getAttribute('data-testid') ?? el?.getAttribute('data-testid') ?? el?.tagName ?? null;
    });


  const noPageScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);

  /** One call, keyboard only. Returns the incident number from the toast and the milliseconds taken. */
  async function recordCall(page: Page, opts: { phone: string; name: string; description: string; beforeSubmit?: () => Promise<void> }) {
    const kb = page.keyboard;
    // Focus starts in the phone field.
    await expect.poll(() => focusedTestId(page)).toBe('intake-phone');
    const t0 = Date.now();
    await kb.type(opts.phone);
    await kb.press('Tab');
    expect(await focusedTestId(page)).toBe('intake-name');
    await kb.type(opts.name);
    await kb.press('Tab');
    await kb.type('大学马路12');
    // The live suggestions: Enter takes the highlighted (first) one.
    const firstOption = page.locator('.ant-select-dropdown:visible [data-testid="addr-option"]').first();
    await firstOption.waitFor({ timeout: 10_000 });
    await expect.poll(() => firstOption.innerText()).toMatch(/大[學学]大?[馬马]路\s*12[號号]/);
    await kb.press('Enter');
    await expect.poll(() => page.locator('[data-testid="intake-address"] input').inputValue()).toMatch(/大[學学]大[馬马]路12[號号]/);
    // Category: F3, type to search, Enter on the first match.
    await kb.press('F3');
    // 打架 offers the common 殴打他人 first (issue 11 #6); this call is a group fight.
    await kb.type('聚众斗殴');
    await page.locator('.sw-cat-popup:visible .ant-cascader-menu-item').first().waitFor({ timeout: 10_000 });
    await kb.press('Enter');
    await expect.poll(() => page.getByTestId('intake-category').innerText()).toContain('斗殴');
    // Tab → priority → Tab → description.
    await kb.press('Tab');
    await kb.press('Tab');
    expect(await focusedTestId(page)).toBe('intake-description');
    await kb.type(opts.description);
    await expect.poll(() => page.getByTestId('intake-suggested').innerText()).toContain('P1');
    await expect.poll(() => page.locator('[data-testid="intake-priority"] .ant-radio-button-wrapper-checked').innerText()).toBe('P1');
    await page.getByTestId('intake-reasons').locator('.ant-tag').first().waitFor();
    if (opts.beforeSubmit) await opts.beforeSubmit();
    // The previous call's toast may still be up: this call's number is the one that was not there before.
    const shown = new Set((await page.getByTestId('intake-toast-number').allInnerTexts()).map((x) => x.trim()));
    const beforeSubmit = Date.now();
    await kb.press('Control+Enter');
    let number = '';
    await expect
      .poll(async () => (number = (await page.getByTestId('intake-toast-number').allInnerTexts()).map((x) => x.trim()).find((x) => !shown.has(x)) ?? ''), { timeout: 15_000 })
      .not.toBe('');
    const ms = Date.now() - t0;
    expect(number).toMatch(NUMBER_RE);
    return { number, ms, submitMs: Date.now() - beforeSubmit };
  }

  it('records a scripted call with the keyboard only, lists it and shows its timeline', async () => {
    const { ctx, page } = await newPage(env);
    await signIn(page, env.url, 'calltaker');
    await page.getByTestId('nav-intake').click();
    await page.getByTestId('page-intake').waitFor();
    await page.getByTestId('intake-keys').waitFor();
    expect(await page.getByTestId('intake-keys').innerText()).toMatch(/F2[\s\S]*F3[\s\S]*F4[\s\S]*Ctrl\+Enter/);

    // First call: screenshot of the filled form just before submitting (excluded from the timing).
    let shotMs = 0;
    const first = await recordCall(page, {
      phone: '13800138000',
      name: '张先生',
      description: '两伙人在路边打架，其中一人持刀，有人受伤',
      beforeSubmit: async () => {
        const s = Date.now();
        await page.getByTestId('history-place').waitFor({ timeout: 10_000 });
        await mapReady(page, 'intake-map');
        expect(await noPageScroll(page), 'the console fits 1920×1080 without a page scroll').toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(SHOTS, 'intake-console.png') });
        shotMs = Date.now() - s;
      },
    });
    const callMs = first.ms - shotMs;
    console.log(`[e2e] scripted call: ${(callMs / 1000).toFixed(1)} s from first keystroke to the toast (${first.number}; submit → toast ${first.submitMs} ms)`);
    expect(callMs).toBeLessThan(60_000);

    // After submit: the form is reset, focus is back in the phone field, the queue has it on top.
    await expect.poll(() => focusedTestId(page)).toBe('intake-phone');
    expect(await page.getByTestId('intake-phone').inputValue()).toBe('');
    expect(await page.getByTestId('intake-description').inputValue()).toBe('');
    const firstRow = page.locator('[data-testid="queue-table"] tbody tr.ant-table-row').first();
    await expect.poll(() => firstRow.innerText()).toContain(first.number);
    expect(await firstRow.innerText()).toContain('P1');

    // Second call at the same place and category: the duplicate panel lists the first while typing.
    const second = await recordCall(page, {
      phone: '13900139000',
      name: '李女士',
      description: '路口有人打架，有人拿着刀',
      beforeSubmit: async () => {
        await expect.poll(() => page.getByTestId('intake-duplicates').innerText(), { timeout: 10_000 }).toContain(first.number);
        await page.getByTestId('intake-history').locator('[data-testid="history-place"]').waitFor();
        await mapReady(page, 'intake-map');
        await page.screenshot({ path: path.join(SHOTS, 'intake-duplicate.png') });
      },
    });
    expect(second.number).not.toBe(first.number);
    // After submit: the server's duplicate candidates, with "merge into this".
    await page.getByTestId('intake-after-dups').waitFor();
    await page.getByTestId(`merge-into-${first.number}`).click();
    await page.getByTestId('merge-toast').waitFor();
    const secondRow = page.locator('[data-testid="queue-table"] tbody tr.ant-table-row', { hasText: second.number });
    await expect.poll(() => secondRow.innerText()).toMatch(/已合并/);

    // The detail page of the first call: the timeline with the created event and the linked duplicate.
    await page.locator('[data-testid="queue-table"] tbody tr.ant-table-row', { hasText: first.number }).click();
    await page.getByTestId('page-incident').waitFor();
    await expect.poll(() => page.getByTestId('incident-number').innerText()).toBe(first.number);
    await page.getByTestId('incident-timeline').locator('[data-testid="event-created"]').waitFor();
    await expect.poll(() => page.getByTestId('incident-timeline').innerText()).toContain('接警登记');
    await expect.poll(() => page.getByTestId('incident-timeline').innerText()).toContain(second.number);
    await expect.poll(() => page.getByTestId('incident-merged').innerText()).toContain(second.number);
    expect(await page.getByTestId('incident-category').innerText()).toContain('聚众斗殴');
    expect(await page.getByTestId('incident-description').innerText()).toContain('持刀');
    // Intake time is measured (answered → recorded).
    expect(await page.getByTestId('incident-intervals').innerText()).toMatch(/接警时长[\s\S]*\d+秒/);
    await mapReady(page, 'incident-map');
    await noToasts(page);
    await page.screenshot({ path: path.join(SHOTS, 'incident-detail.png') });

    // A call-taker may not dispatch (no button); cancelling needs a reason and lands in the timeline.
    expect(await page.getByTestId('action-dispatch').count()).toBe(0);
    await page.getByTestId('action-cancel').click();
    await page.locator('.ant-modal:visible .ant-btn-primary').click();
    await page.locator('.ant-modal:visible .ant-form-item-explain-error').waitFor();
    await page.getByTestId('action-reason').fill('报警人来电称双方已离开，无需出警');
    await page.locator('.ant-modal:visible .ant-btn-primary').click();
    await expect.poll(() => page.getByTestId('incident-status').innerText()).toBe('已撤警');
    await expect.poll(() => page.getByTestId('incident-timeline').innerText()).toContain('无需出警');
    await ctx.close();
  }, 180_000);

  it('clears the form with Esc (confirming when filled) and lists incidents with filters', async () => {
    const { ctx, page } = await newPage(env);
    await signIn(page, env.url, 'dispatcher');
    await page.getByTestId('nav-intake').click();
    await expect.poll(() => focusedTestId(page)).toBe('intake-phone');
    await page.keyboard.type('66661234');
    await page.keyboard.press('F4');
    expect(await focusedTestId(page)).toBe('intake-description');
    await page.keyboard.press('F2');
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('[data-testid="intake-address"]'))).toBe(true);
    await page.keyboard.press('Escape');
    // Esc asked for confirmation; confirming with Enter depends on when the dialog's opening animation
    // hands focus to its button, which varies from machine to machine, so the test confirms by clicking.
    await page.getByTestId('intake-clear-ok').click();
    await expect.poll(() => page.getByTestId('intake-phone').inputValue()).toBe('');
    await expect.poll(() => focusedTestId(page)).toBe('intake-phone');

    // The incidents list (the demo city's history) and the detail of a closed incident.
    await page.getByTestId('nav-incidents').click();
    await page.getByTestId('page-incidents').waitFor();
    const rows = page.locator('[data-testid="incidents-table"] tbody tr.ant-table-row');
    await rows.first().waitFor({ timeout: 20_000 });
    expect(await rows.count()).toBeGreaterThan(5);
    await page.getByTestId('filter-priority').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    await page.getByTestId('filter-search').click();
    await expect.poll(async () => (await rows.allInnerTexts()).every((t) => t.includes('P1'))).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'incidents-list.png') });
    await rows.first().click();
    await page.getByTestId('page-incident').waitFor();
    await page.getByTestId('incident-timeline').locator('.ant-timeline-item').first().waitFor();
    await ctx.close();
  }, 120_000);

  it('shows the console in English', async () => {
    const { ctx, page } = await newPage(env);
    await signIn(page, env.url, 'calltaker');
    await page.getByTestId('nav-intake').click();
    await page.getByTestId('page-intake').waitFor();
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('nav-intake').innerText()).toBe('Intake console');
    await expect.poll(() => page.getByTestId('intake-keys').innerText()).toContain('submit');
    const text = await page.getByTestId('page-intake').innerText();
    expect(text).toContain('Caller number');
    expect(text).toContain('My calls today');
    expect(text).toContain('Possible duplicates');
    expect(text, 'no Chinese UI text left in the English console (data aside)').not.toMatch(/接警|报警|类别|警情|重复|今日/);
    await mapReady(page, 'intake-map');
    await page.screenshot({ path: path.join(SHOTS, 'intake-console-en.png') });
    await ctx.close();
  }, 60_000);

  it('raised no script errors in the pages', () => {
    expect(env.pageErrors).toEqual([]);
  });
});
