/**
 * Browser test of supervision notices (issue 14 part 5): the legal supervisor issues a notice on a case of
 * the chief's station through the form (a problem of type 未全程录音录像, the default due date), the chief
 * answers it on the case page, the supervisor accepts the answer; the notice list shows it accepted and
 * the figures card counts it; the closed case is reviewed (一案一评) through the checklist. Screenshots
 * docs/screenshots/case-notice.png (the answer to verify), case-notices.png (the notice list),
 * case-review.png and case-stats.png.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAVE_CHROMIUM, CI, SHOTS, demoServerAndBrowser, newPage, signIn, call, noToasts } from './browser.js';

const H = 3_600_000;

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, name) });
}

describe.skipIf(!HAVE_CHROMIUM && !CI)('supervision notices in the browser', { retry: 1 }, () => {
  const env = demoServerAndBrowser('case-notices');

  it('the supervisor issues a notice, the chief answers it, the supervisor accepts the answer', async () => {
    const { ctx: cctx, page: chief } = await newPage(env);
    // The demo server writes its year of history in the background after start: the first load may wait on it.
    chief.setDefaultNavigationTimeout(120_000);
    chief.setDefaultTimeout(60_000);
    await signIn(chief, env.url, 'chief');
    const opened = await call<{ id: string; number: string }>(chief, 'POST', '/api/v1/cases', { kind: 'administrative', title: '殴打他人案（督察演示）', acceptedAt: new Date(Date.now() - 30 * H).toISOString() });
    expect(opened.status).toBe(201);
    const { id, number } = opened.data;

    // The supervisor issues the notice through the form, keyboard first: type the problem type and Enter.
    const { ctx: sctx, page: sup } = await newPage(env);
    await signIn(sup, env.url, 'supervisor');
    await sup.goto(`${env.url}/cases/${id}`);
    await sup.getByTestId('case-notices').waitFor();
    await sup.getByTestId('notice-issue').click();
    await sup.getByTestId('notice-issue-form').waitFor();
    await sup.getByTestId('notice-item-type-0').click();
    await sup.keyboard.type('录音录像');
    await sup.keyboard.press('Enter');
    await sup.getByTestId('notice-item-text-0').fill('传唤询问未全程录音录像');
    await sup.getByTestId('notice-issue-submit').click();
    const notice = sup.getByTestId(`notice-${number}-01`);
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.getAttribute('data-state')).toBe('issued');
    expect(await notice.innerText()).toMatch(/未全程录音录像[\s\S]*传唤询问未全程录音录像/);
    // The supervisor verifies, never answers: no form before the answer.
    expect(await sup.getByTestId('notice-answer-text').count()).toBe(0);

    // The chief answers on the case page.
    await chief.goto(`${env.url}/cases/${id}`);
    const cnotice = chief.getByTestId(`notice-${number}-01`);
    await cnotice.waitFor({ timeout: 15_000 });
    await cnotice.getByTestId('notice-answer-text').fill('已调取执法记录仪补充录像，并对承办民警进行教育');
    await cnotice.getByTestId('notice-answer-submit').click();
    await expect.poll(() => cnotice.getAttribute('data-state'), { timeout: 15_000 }).toBe('answered');
    // The case is closed meanwhile (for the review below).
    expect((await call(chief, 'POST', `/api/v1/cases/${id}/events`, { type: 'closed', at: new Date().toISOString() })).status).toBe(201);
    await cctx.close();

    // The supervisor sees the answer and the verify form; accepts it.
    await sup.reload();
    await notice.waitFor({ timeout: 15_000 });
    await expect.poll(() => notice.getAttribute('data-state'), { timeout: 15_000 }).toBe('answered');
    expect(await notice.innerText()).toContain('已调取执法记录仪补充录像');
    await notice.getByTestId('notice-verify-comment').fill('整改到位');
    await noToasts(sup);
    await shot(sup, 'case-notice.png');
    await notice.getByTestId('notice-accept').click();
    await expect.poll(() => notice.getAttribute('data-state'), { timeout: 15_000 }).toBe('accepted');
    const api = (await call<{ items: { state: string; steps: { action: string }[] }[] }>(sup, 'GET', `/api/v1/notices?caseId=${id}`)).data.items;
    expect(api.map((n) => [n.state, n.steps.map((s) => s.action)])).toEqual([['accepted', ['answer', 'accept']]]);

    // 一案一评 of the closed case: recording partly met (with its note), property not applicable.
    const review = sup.getByTestId('case-review-form');
    await review.waitFor({ timeout: 15_000 });
    await sup.getByTestId('review-recording').getByText('部分符合').click();
    await sup.getByTestId('review-property').getByText('不适用').click();
    await sup.getByTestId('review-note-recording').fill('询问过程录像不完整');
    await expect.poll(() => sup.getByTestId('review-preview').innerText()).toContain('94.4');
    await sup.getByTestId('review-submit').click();
    await expect.poll(() => sup.getByTestId('case-review-score').count(), { timeout: 15_000 }).toBe(1);
    expect(await sup.getByTestId('case-review-score').innerText()).toBe('94.4');
    await noToasts(sup);
    await sup.getByTestId('case-review').screenshot({ path: path.join(SHOTS, 'case-review.png') });

    // The list of notices has it; the figures card counts the period's notices as the API does.
    await sup.goto(`${env.url}/cases/notices`);
    await sup.getByTestId(`notices-row-${number}-01`).waitFor({ timeout: 15_000 });
    expect(await sup.getByTestId(`notices-row-${number}-01`).innerText()).toContain('整改合格');
    await noToasts(sup);
    await shot(sup, 'case-notices.png');
    await sup.getByTestId('nav-cases').click();
    await sup.getByTestId('case-stats').waitFor();
    const stats = (await call<{ noticesTotal: number; noticesOnTime: number }>(sup, 'GET', '/api/v1/cases/stats')).data;
    expect(stats.noticesOnTime).toBeGreaterThanOrEqual(1);
    await expect.poll(() => sup.getByTestId('stat-onTime').innerText(), { timeout: 15_000 }).toContain(`${stats.noticesOnTime}/${stats.noticesTotal}`);
    await sup.getByTestId('case-stats').screenshot({ path: path.join(SHOTS, 'case-stats.png') });
    await sctx.close();
    expect(env.pageErrors).toEqual([]);
  }, 180_000);
});
