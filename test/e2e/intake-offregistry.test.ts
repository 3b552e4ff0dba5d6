/**
 * Browser tests of issue 11, intake items 4 and 8, keyboard only:
 *  4. A place outside the registry: a landmark (hotel, school, hospital, square, bridge, station) is
 *     found by the address search and picked with Enter; a place that is neither is kept as said and
 *     recorded for the station chosen with F6 (type to filter, Enter), without a point — "location to
 *     be confirmed".
 *  8. "Transfer, not a police matter" straight from intake (F9): recorded with the caller's words and a
 *     reason, already transferred, never in the dispatcher's queue.
 */
import { HAVE_CHROMIUM, CI, demoServerAndBrowser, newPage, signIn, call, SHOTS } from './browser.js';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Page } from 'playwright-core';

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid'));

async function openIntake(page: Page, url: string) {
  await signIn(page, url, 'calltaker');
  await page.goto(`${url}/intake`);
  await page.getByTestId('page-intake').waitFor();
  await expect.poll(() => focusedTestId(page)).toBe('intake-phone');
}

interface Detail {
  id: string;
  number: string;
  status: string;
  stationId: string;
  address: string | null;
  addressCode: string | null;
  description: string;
  location: { lon: number; lat: number } | null;
  caller: { phone: string | null };
  transfers: { target: string; reason: string; status: string }[];
}

/** The incident of a number, as the call-taker's API read shows it. */
async function incidentOf(page: Page, number: string): Promise<Detail> {
  const list = await call<{ items: { id: string; number: string }[] }>(page, 'GET', `/api/v1/incidents?q=${encodeURIComponent(number)}`);
  const hit = list.data.items.find((x) => x.number === number)!;
  return (await call<Detail>(page, 'GET', `/api/v1/incidents/${hit.id}`)).data;
}

describe.skipIf(!HAVE_CHROMIUM && !CI)('intake off the registry: landmarks, locate later, transfer', { retry: 1 }, () => {
  const env = demoServerAndBrowser('intake-offregistry');

  it('#11.8 F9 records a non-police call as transferred to 12345 with a reason, keyboard only; it never waits for dispatch', async () => {
    const { ctx, page } = await newPage(env);
    await openIntake(page, env.url);
    const kb = page.keyboard;
    await kb.type('66123456');
    await kb.press('F2');
    await kb.type('南湾那边整条街');
    await kb.press('Tab');
    await kb.press('F4');
    await kb.type('整条街停电两个小时，电梯也停了');
    await kb.press('F9');
    await page.getByTestId('transfer-form').waitFor();
    // No category on the form yet: the dialog starts in its category, filtered by typing.
    await expect.poll(() => focusedTestId(page)).toBe('transfer-category');
    await kb.type('停电');
    await page.locator('.transfer-category-popup .ant-select-item-option').first().waitFor();
    await kb.press('Enter');
    await expect.poll(() => focusedTestId(page)).toBe('transfer-reason');
    expect(await page.locator('[data-testid="transfer-target"] .ant-radio-button-wrapper-checked').innerText()).toMatch(/12345/);
    await kb.type('供电故障，非警务，转12345');
    // No point on the form: the station is asked in the dialog; Enter without it says so.
    await kb.press('Enter');
    await expect.poll(() => page.getByTestId('transfer-form').innerText()).toMatch(/请选择管辖派出所/);
    await kb.press('Tab');
    await expect.poll(() => focusedTestId(page)).toBe('transfer-station');
    await kb.type('望德');
    await page.locator('.transfer-station-popup .ant-select-item-option').first().waitFor();
    await kb.press('Enter');
    await page.screenshot({ path: path.join(SHOTS, 'intake-transfer.png') });
    await kb.press('Control+Enter');
    await page.getByTestId('intake-transfer-number').waitFor({ timeout: 15_000 });
    const number = (await page.getByTestId('intake-transfer-number').innerText()).trim();
    expect(number).toMatch(/^JMO0203/);
    // The form is clear for the next call, focus on the number.
    await expect.poll(() => page.getByTestId('intake-phone').inputValue()).toBe('');
    await expect.poll(() => focusedTestId(page)).toBe('intake-phone');

    const inc = await incidentOf(page, number);
    expect(inc.status).toBe('transferred');
    expect(inc.description).toBe('整条街停电两个小时，电梯也停了');
    expect(inc.address).toBe('南湾那边整条街');
    expect(inc.location).toBeNull();
    expect(inc.caller.phone).toBe('66123456');
    expect(inc.transfers).toEqual([expect.objectContaining({ target: '12345', reason: '供电故障，非警务，转12345', status: 'sent' })]);
    const waiting = await call<{ items: { number: string }[] }>(page, 'GET', '/api/v1/incidents?status=new&limit=200');
    expect(waiting.data.items.map((i) => i.number)).not.toContain(number);
    // The call-taker's queue lists it as transferred.
    await expect.poll(() => page.getByTestId(`queue-row-${number}`).innerText()).toMatch(/已转办/);

    // Esc in the dialog goes back to the form and keeps the call.
    await kb.type('66000001');
    await kb.press('F4');
    await kb.type('咨询护照办理');
    await kb.press('F9');
    await page.getByTestId('transfer-form').waitFor();
    await kb.press('Escape');
    await expect.poll(() => page.getByTestId('transfer-form').count()).toBe(0);
    await expect.poll(() => focusedTestId(page)).toBe('intake-description');
    expect(await page.getByTestId('intake-phone').inputValue()).toBe('66000001');
    expect(await page.getByTestId('intake-description').inputValue()).toBe('咨询护照办理');
    await ctx.close();
  }, 120_000);

  it('#11.4 a landmark is found by the address search and picked with Enter; the caller’s words beside it stay', async () => {
    const { ctx, page } = await newPage(env);
    await openIntake(page, env.url);
    const kb = page.keyboard;
    await kb.type('66550001');
    await kb.press('F2');
    await kb.type('威尼斯人酒店正门');
    const first = page.locator('.ant-select-dropdown:visible [data-testid="addr-option"]').first();
    await expect.poll(() => first.getAttribute('data-kind'), { timeout: 10_000 }).toBe('landmark');
    expect(await first.innerText()).toMatch(/地标·酒店[\s\S]*澳門威尼斯人/);
    await page.screenshot({ path: path.join(SHOTS, 'intake-landmark.png') });
    await kb.press('Enter');
    await expect.poll(() => page.locator('[data-testid="intake-address"] input').inputValue()).toBe('澳門威尼斯人（威尼斯人酒店正门）');
    // A landmark has a point: no "locate later" row.
    expect(await page.getByTestId('intake-locate-later').count()).toBe(0);
    await kb.press('F3');
    await kb.type('盗窃');
    await page.locator('.sw-cat-popup:visible .ant-cascader-menu-item').first().waitFor({ timeout: 10_000 });
    await kb.press('Enter');
    await kb.press('F4');
    await kb.type('手机在大堂被偷');
    await kb.press('Control+Enter');
    await page.getByTestId('intake-toast-number').last().waitFor({ timeout: 15_000 });
    const inc = await incidentOf(page, (await page.getByTestId('intake-toast-number').last().innerText()).trim());
    expect(inc.status).toBe('new');
    expect(inc.address).toBe('澳門威尼斯人（威尼斯人酒店正门）');
    expect(inc.addressCode).toBeNull();
    expect(inc.location!.lon).toBeCloseTo(113.5603, 3);
    expect(inc.location!.lat).toBeCloseTo(22.1475, 3);
    await ctx.close();
  }, 120_000);

  it('#11.4 locate later: the words as said, the station by F6 and typing, saved without a point; shown as location to be confirmed', async () => {
    const { ctx, page } = await newPage(env);
    await openIntake(page, env.url);
    const kb = page.keyboard;
    await kb.type('66550002');
    await kb.press('F2');
    const words = '新填海那个还没名字的工地后门';
    await kb.type(words);
    await kb.press('F3');
    await kb.type('盗窃');
    await page.locator('.sw-cat-popup:visible .ant-cascader-menu-item').first().waitFor({ timeout: 10_000 });
    await kb.press('Enter');
    await kb.press('F4');
    await kb.type('工地的电缆被人剪走了');
    // Without a point or a station the call is not recorded, and the form says how to go on.
    await kb.press('Control+Enter');
    await expect.poll(() => page.getByTestId('intake-form').innerText()).toMatch(/或按 F6 选择管辖派出所/);
    await page.getByTestId('intake-locate-later').waitFor();
    expect(await page.getByTestId('intake-toast-number').count()).toBe(0);
    await kb.press('F6');
    await expect.poll(() => focusedTestId(page)).toBe('intake-station');
    await kb.type('望德');
    await page.locator('.intake-station-popup .ant-select-item-option').first().waitFor();
    await kb.press('Enter');
    await expect.poll(() => page.getByTestId('intake-locate-later').innerText()).toMatch(/望德聖母灣大馬路派出所/);
    await page.screenshot({ path: path.join(SHOTS, 'intake-locate-later.png') });
    await kb.press('Control+Enter');
    await page.getByTestId('intake-toast-number').last().waitFor({ timeout: 15_000 });
    const number = (await page.getByTestId('intake-toast-number').last().innerText()).trim();
    const inc = await incidentOf(page, number);
    expect(inc).toMatchObject({ status: 'new', stationId: 'MO0203', address: words, addressCode: null, location: null });
    await ctx.close();

    // The dispatcher sees it as waiting, its location to be confirmed.
    const d = await newPage(env);
    await signIn(d.page, env.url, 'dispatcher');
    await d.page.goto(`${env.url}/incidents`);
    await d.page.getByTestId('filter-q').fill(number);
    await d.page.keyboard.press('Enter');
    await expect.poll(() => d.page.locator(`tr:has-text("${number}")`).innerText(), { timeout: 10_000 }).toMatch(/位置待核实/);
    // And in the console's queue.
    await d.page.goto(`${env.url}/dispatch`);
    await d.page.getByTestId(`dq-row-${number}`).getByTestId('location-pending').waitFor({ timeout: 15_000 });
    await d.ctx.close();
  }, 120_000);

  it('raised no script errors in the pages', () => {
    expect(env.pageErrors).toEqual([]);
  });
});
