/**
 * Issue 13 in the browser: a volunteer on a 375 px phone signs up for a shift, is refused at check-in
 * outside the shift's area (the browser's position is set in the context) and checks in inside it; the
 * chief sees them on duty. Screenshots docs/screenshots/volunteers-*.png.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SHOTS, HAVE_CHROMIUM, CI, demoServerAndBrowser, newPage, signIn, call } from './browser.js';

/** Toasts gone (a busy two-core machine: longer than the shared helper waits). */
const noToasts = (page: Page) => expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 20_000 }).toBe(0);

interface Shift {
  id: string;
  title: string;
  area: { coordinates: number[][][] };
}

describe.skipIf(!HAVE_CHROMIUM && !CI)('the volunteer’s phone in the browser', { retry: 1 }, () => {
  const env = demoServerAndBrowser('volunteers');

  it('signs up, is refused outside the area, checks in inside it; the chief sees them on duty', async () => {
    const { ctx: cctx, page: c } = await newPage(env);
    await signIn(c, env.url, 'chief');
    const teams = (await call<{ items: { id: string; name: string }[] }>(c, 'GET', '/api/v1/volunteer-teams')).data.items;
    const team = teams.find((x) => x.id.endsWith('-1'))!;
    const demo = (await call<{ items: Shift[] }>(c, 'GET', '/api/v1/shifts')).data.items[0]!;
    const ring = demo.area.coordinates[0]!;
    const [lon, lat] = [(ring[0]![0]! + ring[2]![0]!) / 2, (ring[0]![1]! + ring[2]![1]!) / 2];
    const d = 0.0015;
    const area = { type: 'Polygon', coordinates: [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]] };
    const created = await call<Shift>(c, 'POST', '/api/v1/shifts', { teamId: team.id, title: '浏览器测试巡逻', startsAt: new Date(Date.now() + 5 * 60_000).toISOString(), endsAt: new Date(Date.now() + 3 * 3_600_000).toISOString(), area, minPeople: 1, maxPeople: 4 });
    expect(created.status, JSON.stringify(created.data)).toBe(201);
    const shiftId = created.data.id;

    // The volunteer's phone: position outside the area first.
    const { ctx, page } = await newPage(env, { viewport: { width: 375, height: 812 } });
    await ctx.grantPermissions(['geolocation'], { origin: env.url });
    await ctx.setGeolocation({ longitude: lon + 0.01, latitude: lat, accuracy: 10 });
    await signIn(page, env.url, 'volunteer');
    await page.getByTestId('page-volunteer').waitFor();
    expect(new URL(page.url()).pathname).toBe('/volunteer');
    const open = page.locator(`[data-testid="open-shift"][data-shift="${shiftId}"]`);
    await open.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(SHOTS, 'volunteers-phone.png'), fullPage: true });
    await open.getByTestId('signup').click();
    const mine = page.locator(`[data-testid="my-shift"][data-shift="${shiftId}"]`);
    await mine.waitFor({ timeout: 15_000 });
    await expect.poll(() => mine.getByTestId('signup-status').innerText()).toBe('已确认');

    // Outside the area: refused with the reason.
    await mine.getByTestId('checkin').click();
    await expect.poll(() => page.locator('.ant-message-notice').allInnerTexts().then((x) => x.join(' ')), { timeout: 15_000 }).toContain('不在班次巡逻区域内');
    await page.waitForTimeout(500); // the toast's entry animation
    await page.screenshot({ path: path.join(SHOTS, 'volunteers-refused.png') });
    expect(await mine.getByTestId('checked-in').count()).toBe(0);

    // Inside: checked in.
    await ctx.setGeolocation({ longitude: lon + 0.0005, latitude: lat - 0.0005, accuracy: 10 });
    await mine.getByTestId('checkin').click();
    await mine.getByTestId('checked-in').waitFor({ timeout: 15_000 });
    // Toasts cover the header in the screenshot; on a busy machine they may outlive the wait (not a failure).
    await noToasts(page).catch(() => undefined);
    await page.screenshot({ path: path.join(SHOTS, 'volunteers-checkin.png'), fullPage: true });

    // The volunteer sees no incident: the staff pages are not theirs.
    expect((await call(page, 'GET', '/api/v1/incidents')).status).toBe(403);

    // The chief: the volunteers page with the volunteer on duty.
    await c.goto(`${env.url}/volunteers`);
    await c.getByTestId('page-volunteers').waitFor();
    await expect.poll(() => c.getByTestId('on-duty-item').allInnerTexts().then((x) => x.join(' ')), { timeout: 30_000 }).toContain('孙丽');
    await c.screenshot({ path: path.join(SHOTS, 'volunteers-chief.png') });
    // The chief's home dashboard has the on-duty card.
    await c.goto(`${env.url}/`);
    await expect.poll(() => c.getByTestId('volunteers-on-duty').innerText(), { timeout: 30_000 }).toContain('孙丽');
    await ctx.close();
    await cctx.close();
    expect(env.pageErrors).toEqual([]);
  });
});
