/**
 * Browser test of community policing on a 375 px phone (issue 13): the QR door plate's link
 * `/report?address=<code>` opens the visit form for a signed-in community officer, who records a visit
 * and turns the dispute found into a dispute of the register; a citizen scanning the same plate sees
 * only the public page (the address and the way to the citizen portal). "My grid" shows the week's plan
 * and keeps a visit made without signal until the phone is back online; the chief's grid overview draws
 * coverage on the map (1920 × 1080); the officer logs a police-room visitor in two taps. Screenshots:
 * docs/screenshots/community-*.png.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHOTS, HAVE_CHROMIUM, CI, demoServerAndBrowser, newPage, signIn, mapReady, noToasts, call } from './browser.js';

const PHONE = { width: 375, height: 812 };

interface Plan { grids: { gridId: string; items: { addressCode: string; address: string }[] }[] }

describe.skipIf(!HAVE_CHROMIUM && !CI)('community policing in the browser', { retry: 1 }, () => {
  const env = demoServerAndBrowser('community');
  let door: { addressCode: string; address: string };

  it('the QR door plate opens the visit form for the community officer, who records a visit and registers the dispute found', async () => {
    const { ctx, page } = await newPage(env, { viewport: PHONE });
    try {
      await signIn(page, env.url, 'community');
      // The demo's grid owners and visits are written after the demo history: wait for the plan.
      await expect.poll(async () => (await call<Plan>(page, 'GET', '/api/v1/me/visit-plan')).data?.grids?.[0]?.items?.length ?? 0, { timeout: 120_000, interval: 1000 }).toBeGreaterThan(0);
      door = (await call<Plan>(page, 'GET', '/api/v1/me/visit-plan')).data.grids[0]!.items[0]!;

      await page.goto(`${env.url}/my-grid`);
      await page.getByTestId('visit-plan').waitFor();
      await expect.poll(() => page.getByTestId(`visit-${door.addressCode}`).count()).toBe(1);
      await noToasts(page);
      await page.screenshot({ path: path.join(SHOTS, 'community-my-grid.png'), fullPage: true });

      await page.goto(`${env.url}/report?address=${encodeURIComponent(door.addressCode)}`);
      await page.getByTestId('page-report-staff').waitFor();
      await expect(page.getByTestId('visit-address').innerText()).resolves.toBe(door.address);
      await page.getByTestId('service-anti_fraud_advice').click();
      await page.getByTestId('service-security_check').click();
      await page.getByTestId('add-finding').click();
      await page.getByTestId('finding-note-0').fill('楼上漏水，邻里争吵');
      await page.screenshot({ path: path.join(SHOTS, 'community-visit-form.png'), fullPage: true });
      await page.getByTestId('visit-save').click();
      await page.getByTestId('visit-saved').waitFor();
      await page.getByTestId('to-dispute-0').click();
      await page.getByTestId('party-name-0').fill('王五');
      await page.locator('#dispute-ok').click();
      await expect.poll(() => page.getByTestId('visit-saved').innerText()).toMatch(/JF/);
      await noToasts(page);
      await page.screenshot({ path: path.join(SHOTS, 'community-visit-saved.png'), fullPage: true });

      const visits = await call<{ items: { addressCode: string; findings: { followUp: { kind: string } | null }[] }[] }>(page, 'GET', `/api/v1/visits?addressCode=${encodeURIComponent(door.addressCode)}`);
      expect(visits.data.items).toHaveLength(1);
      expect(visits.data.items[0]!.findings[0]!.followUp?.kind).toBe('dispute');
      // Fits the phone: nothing wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    } finally {
      await ctx.close();
    }
  }, 240_000);

  it('a visit made without signal is kept on the phone and sent once when the signal is back', async () => {
    const { ctx, page } = await newPage(env, { viewport: PHONE });
    try {
      await signIn(page, env.url, 'community');
      await page.goto(`${env.url}/my-grid`);
      await page.getByTestId('visit-plan').waitFor();
      const code = (await call<Plan>(page, 'GET', '/api/v1/me/visit-plan')).data.grids[0]!.items[0]!.addressCode;
      await page.getByTestId(`visit-${code}`).click();
      await page.getByTestId('service-safety_notice').click();
      await ctx.setOffline(true);
      await page.getByTestId('visit-save').click();
      await page.getByTestId('visit-saved').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('visit-queue').waitFor();
      await ctx.setOffline(false);
      // Back online: the page sends what waits (on the online event, every 15 s, or when asked).
      await expect
        .poll(
          async () => {
            if (await page.getByTestId('visit-queue').count()) await page.getByTestId('visit-queue').getByRole('button').click().catch(() => {});
            return page.getByTestId('visit-queue').count();
          },
          { timeout: 60_000, interval: 2000 },
        )
        .toBe(0);
      const visits = await call<{ items: unknown[] }>(page, 'GET', `/api/v1/visits?addressCode=${encodeURIComponent(code)}`);
      expect(visits.data.items).toHaveLength(1);
    } finally {
      await ctx.close();
    }
  }, 240_000);

  it('the community officer logs a visitor of the police room in two taps (purpose, count)', async () => {
    const { ctx, page } = await newPage(env, { viewport: PHONE });
    try {
      await signIn(page, env.url, 'community');
      type Rooms = { items: { id: string; visitors: number; visitorsByPurpose: Record<string, number> }[] };
      const mine = async () => (await call<Rooms>(page, 'GET', '/api/v1/police-rooms?mine=true')).data.items ?? [];
      await expect.poll(async () => (await mine()).length, { timeout: 120_000, interval: 1000 }).toBe(1);
      const before = (await mine())[0]!;
      await page.goto(`${env.url}/my-grid`);
      await page.getByTestId('my-police-room').waitFor();
      await page.getByTestId('room-purpose-paperwork').click();
      await page.getByTestId('room-count-2').click();
      await expect.poll(async () => (await mine())[0]!.visitorsByPurpose.paperwork).toBe(before.visitorsByPurpose.paperwork! + 2);
      await expect.poll(() => page.getByTestId('my-police-room').innerText()).toContain(String(before.visitors + 2));
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await noToasts(page);
      await page.getByTestId('my-police-room').screenshot({ path: path.join(SHOTS, 'community-police-room.png') });
    } finally {
      await ctx.close();
    }
  }, 180_000);

  it('a citizen scanning the plate sees only the public page', async () => {
    const { ctx, page } = await newPage(env, { viewport: PHONE });
    try {
      await page.goto(`${env.url}/report?address=${encodeURIComponent(door.addressCode)}`, { timeout: 120_000 });
      await page.getByTestId('page-report-public').waitFor();
      await expect(page.getByTestId('plate-address').innerText()).resolves.toBe(door.address);
      expect(await page.getByTestId('plate-portal').getAttribute('href')).toBe(`/portal/report?address=${encodeURIComponent(door.addressCode)}`);
      expect(await page.getByTestId('visit-form').count()).toBe(0);
      expect(await page.getByTestId('nav-menu').count()).toBe(0);
      // Nothing else of the API answers without a session.
      expect((await call(page, 'GET', `/api/v1/visits?addressCode=${encodeURIComponent(door.addressCode)}`)).status).toBe(401);
      await page.screenshot({ path: path.join(SHOTS, 'community-qr-public.png'), fullPage: true });
    } finally {
      await ctx.close();
    }
  }, 120_000);

  it('the chief sees grids with owners, coverage on the map and visits per officer against the target', async () => {
    const { ctx, page } = await newPage(env);
    try {
      await signIn(page, env.url, 'chief');
      await page.goto(`${env.url}/grids`);
      await page.getByTestId('grids-table').waitFor();
      await mapReady(page, 'grids-map', 800);
      await expect.poll(() => page.getByTestId('officer-figures').locator('tbody tr').count()).toBeGreaterThanOrEqual(4);
      const layer = await page.evaluate(() => {
        const canvas = document.querySelector('[data-testid="grids-map"] .sw-map-canvas') as (HTMLElement & { swMap?: { getLayer(id: string): unknown } }) | null;
        return !!canvas?.swMap?.getLayer('coverage-fill');
      });
      expect(layer).toBe(true);
      await noToasts(page);
      await page.screenshot({ path: path.join(SHOTS, 'community-grids.png') });
    } finally {
      await ctx.close();
    }
  }, 240_000);
});
