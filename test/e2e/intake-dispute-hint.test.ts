/**
 * Browser test of issue 12's hints outside the register:
 *  - the intake console says when the caller's number or the chosen place has an open dispute (card
 *    "在办纠纷": risk grade, number, days open, what matched; reachable with Tab);
 *  - the incident page of a 家庭纠纷 incident offers "登记为矛盾纠纷" and, once registered, lists the
 *    linked dispute;
 *  - the dispatcher's map draws red and orange dispute places as warning triangles, a click tells
 *    number, grade, type and days.
 * Disputes are seeded through the API as the demo community officer. Screenshots for the docs.
 */
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAVE_CHROMIUM, CI, SHOTS, demoServerAndBrowser, newPage, signIn, call, mapReady } from './browser.js';
import { demoOrganisation } from '../../src/demo/city.js';

interface Dispute {
  id: string;
  number: string;
  riskGrade: string;
  type: string;
  daysOpen: number;
  location: { lon: number; lat: number } | null;
}
interface Hint {
  id: string;
  number: string;
  riskGrade: string;
  daysOpen: number;
  matchedBy: string;
}
interface AddressHit {
  code: string;
  text: string;
  lon: number;
  lat: number;
}
interface CatNode {
  code: string;
  name: string;
  leaf: boolean;
  children: CatNode[];
}

const station = demoOrganisation().find((u) => u.kind === 'station')!;
const [cLon, cLat] = station.center!;
// The community officer's grid (the first of the first station): the incidents they may open.
const grid = demoOrganisation().find((u) => u.kind === 'grid' && u.parentKey === station.key)!;
const [gLon, gLat] = grid.center!;
const PHONE = '13912345678';
const GRADE_ZH: Record<string, string> = { red: '红色', orange: '橙色', yellow: '黄色', blue: '蓝色' };
const daysText = (n: number) => `在办 ${n} 天`;

const card = (page: Page) => page.getByTestId('intake-disputes');
const line = (page: Page, number: string) => page.getByTestId(`dispute-hint-${number}`);
const hintAnswer = (page: Page) => page.waitForResponse((r) => r.url().includes('/api/v1/disputes/hints') && r.status() === 200, { timeout: 15_000 });

describe.skipIf(!HAVE_CHROMIUM && !CI)('open disputes outside the register: intake hint, incident page, dispatch map', { retry: 1 }, () => {
  const env = demoServerAndBrowser('dispute-hint');
  let address: AddressHit;
  let family: Dispute;
  let property: Dispute;
  /** Registered from the 家庭纠纷 incident of the second test (at the community officer's grid). */
  let fromIncident: { dispute: Dispute; incidentNumber: string } | undefined;

  /** Two disputes at the first station (the community officer's): a family one with a party's phone at a standard address, a property one 30 m away by point only. */
  async function seed() {
    const { ctx, page } = await newPage(env);
    await signIn(page, env.url, 'community');
    const near = await call<AddressHit[]>(page, 'GET', `/api/v1/addresses/reverse?lon=${cLon}&lat=${cLat}&radius=400&limit=1`);
    expect(near.status).toBe(200);
    address = near.data[0];
    expect(address, 'a standard address near the station centre').toBeTruthy();
    const a = await call<Dispute>(page, 'POST', '/api/v1/disputes', {
      source: 'visit',
      type: 'family',
      parties: [
        { name: '陈美玲', phone: PHONE, role: 'applicant' },
        { name: '黄志伟', role: 'respondent', relation: '丈夫' },
      ],
      summary: '夫妻长期争吵，丈夫扬言要同归于尽',
      addressCode: address.code,
    });
    expect(a.status, JSON.stringify(a.data)).toBe(201);
    family = a.data;
    const b = await call<Dispute>(page, 'POST', '/api/v1/disputes', {
      source: 'walk_in',
      type: 'property',
      parties: [{ name: '林先生', role: 'applicant' }],
      summary: '物业维修漏水多次协商不成，业主扬言报复',
      location: { lon: address.lon, lat: address.lat + 0.0003 },
    });
    expect(b.status, JSON.stringify(b.data)).toBe(201);
    property = b.data;
    // The grades this test draws: family with a threat is red; property with a threat orange (whatever the calls at the place add).
    expect(family.riskGrade).toBe('red');
    expect(property.riskGrade).toBe('orange');
    await ctx.close();
  }

  it('the call-taker sees the open dispute at the caller’s number and at the place: grade, number, days open', async () => {
    await seed();
    const { ctx, page } = await newPage(env);
    await signIn(page, env.url, 'calltaker');
    await page.goto(`${env.url}/intake`);
    await page.getByTestId('page-intake').waitFor();
    const kb = page.keyboard;
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid'))).toBe('intake-phone');

    // A number with no dispute: the hint is asked and nothing shows.
    let answered = hintAnswer(page);
    await kb.type('13700000000');
    expect(((await (await answered).json()) as { items: Hint[] }).items).toEqual([]);
    await page.waitForTimeout(200);
    expect(await card(page).count()).toBe(0);

    // The party's number: the family dispute, matched by the number.
    answered = hintAnswer(page);
    await page.getByTestId('intake-phone').fill('');
    await kb.type(PHONE);
    await answered;
    await line(page, family.number).waitFor({ timeout: 10_000 });
    const hints = (await call<{ items: Hint[] }>(page, 'GET', `/api/v1/disputes/hints?phone=${PHONE}`)).data.items;
    const byPhone = hints.find((h) => h.id === family.id)!;
    expect(byPhone).toMatchObject({ number: family.number, riskGrade: 'red', matchedBy: 'phone' });
    const text = await line(page, family.number).innerText();
    expect(text).toContain(family.number);
    expect(text).toContain(GRADE_ZH.red);
    expect(text).toContain(daysText(byPhone.daysOpen));
    expect(text).toContain('号码相符');
    expect(await line(page, family.number).getAttribute('data-grade')).toBe('red');
    expect(await card(page).innerText()).not.toContain('陈美玲');
    expect(await card(page).innerText()).not.toContain(property.number);

    // Keyboard: Tab from the phone field reaches the hint, which reads out grade, number and days.
    await page.getByTestId('intake-phone').focus();
    let reached = false;
    for (let i = 0; i < 30 && !reached; i++) {
      await kb.press('Tab');
      reached = await page.evaluate(() => !!document.activeElement?.closest('[data-testid="intake-disputes"]'));
    }
    expect(reached, 'the hint is a tab stop').toBe(true);
    const said = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    expect(said).toContain(family.number);
    expect(said).toContain(GRADE_ZH.red);

    // A fresh call from another number at the dispute's address: the family dispute by the address,
    // the property one 30 m away by the place.
    await page.getByTestId('intake-clear').click();
    await page.getByTestId('intake-clear-ok').click();
    await expect.poll(() => page.getByTestId('intake-phone').inputValue()).toBe('');
    await expect.poll(() => card(page).count()).toBe(0);
    await kb.type('13600000000');
    await kb.press('F2');
    await kb.type(address.text);
    const option = page.locator('.ant-select-dropdown:visible [data-testid="addr-option"]').filter({ hasText: address.text }).first();
    await option.waitFor({ timeout: 10_000 });
    await option.click();
    await line(page, family.number).waitFor({ timeout: 10_000 });
    await line(page, property.number).waitFor({ timeout: 10_000 });
    expect(await line(page, family.number).getAttribute('data-matched')).toBe('address');
    expect(await line(page, property.number).getAttribute('data-matched')).toBe('place');
    expect(await line(page, property.number).innerText()).toContain(GRADE_ZH.orange);
    // Highest risk first.
    expect(await card(page).locator('.sw-dispute-hint').first().getAttribute('data-testid')).toBe(`dispute-hint-${family.number}`);

    // The screenshot: the party calls again about the same address.
    await page.getByTestId('intake-phone').fill(PHONE);
    await expect.poll(() => line(page, family.number).getAttribute('data-matched'), { timeout: 10_000 }).toBe('phone');
    await page.getByTestId('history-place').waitFor({ timeout: 10_000 }).catch(() => {});
    await page.getByTestId('intake-name').fill('陈女士');
    await kb.press('F3');
    await kb.type('家庭纠纷');
    await page.locator('.sw-cat-popup:visible .ant-cascader-menu-item').first().waitFor({ timeout: 10_000 });
    await kb.press('Enter');
    await expect.poll(() => page.getByTestId('intake-category').innerText()).toContain('家庭纠纷');
    await page.getByTestId('intake-description').fill('报警人称丈夫又在家中吵闹，扬言要同归于尽');
    await mapReady(page, 'intake-map', 500);
    await page.screenshot({ path: path.join(SHOTS, 'intake-dispute-hint.png') });
    expect(await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight)).toBeLessThanOrEqual(0);
    await ctx.close();
    expect(env.pageErrors).toEqual([]);
  }, 150_000);

  it('the incident page of a 家庭纠纷 incident offers the registration and then lists the linked dispute', async () => {
    const { ctx, page } = await newPage(env);
    await signIn(page, env.url, 'calltaker');
    const cats = (await call<{ items: CatNode[] }>(page, 'GET', '/api/v1/categories')).data.items;
    const find = (nodes: CatNode[]): CatNode | undefined => {
      for (const n of nodes) {
        if (n.leaf && n.name === '家庭纠纷') return n;
        const hit = find(n.children ?? []);
        if (hit) return hit;
      }
      return undefined;
    };
    const cat = find(cats)!;
    expect(cat.code.startsWith('05')).toBe(true);
    const inc = await call<{ id: string; number: string }>(page, 'POST', '/api/v1/incidents', {
      source: 'call110',
      categoryCode: cat.code,
      caller: { name: '何女士', phone: '13822223333' },
      location: { lon: gLon, lat: gLat },
      description: '夫妻吵架，丈夫拿刀威胁',
    });
    expect(inc.status, JSON.stringify(inc.data)).toBe(201);
    // The call-taker registers no disputes: no button.
    await page.goto(`${env.url}/incidents/${inc.data.id}`);
    await page.getByTestId('incident-number').waitFor();
    expect(await page.getByTestId('register-dispute').count()).toBe(0);
    expect(await page.getByTestId('incident-disputes').count()).toBe(0);
    await ctx.close();

    const c = await newPage(env);
    await signIn(c.page, env.url, 'community');
    await c.page.goto(`${env.url}/incidents/${inc.data.id}`);
    await c.page.getByTestId('register-dispute').waitFor({ timeout: 15_000 });
    expect(await c.page.getByTestId('register-dispute').getAttribute('href')).toBe(`/disputes/new?incidentId=${inc.data.id}`);
    expect(await c.page.getByTestId('register-dispute').innerText()).toContain('登记为矛盾纠纷');
    await expect.poll(() => c.page.getByTestId('incident-disputes').innerText()).toContain('尚未登记');

    const reg = await call<Dispute>(c.page, 'POST', '/api/v1/disputes', { source: 'incident', incidentId: inc.data.id });
    expect(reg.status, JSON.stringify(reg.data)).toBe(201);
    fromIncident = { dispute: reg.data, incidentNumber: inc.data.number };
    await c.page.reload();
    await c.page.getByTestId(`linked-dispute-${reg.data.number}`).waitFor({ timeout: 15_000 });
    const linked = await c.page.getByTestId(`linked-dispute-${reg.data.number}`).innerText();
    expect(linked).toContain(GRADE_ZH[reg.data.riskGrade]);
    expect(linked).toContain('已登记');
    expect(await c.page.getByTestId(`linked-dispute-${reg.data.number}`).locator('a').getAttribute('href')).toBe(`/disputes/${reg.data.id}`);
    // Registered once: the button gives way to the linked dispute.
    expect(await c.page.getByTestId('register-dispute').count()).toBe(0);
    await c.page.screenshot({ path: path.join(os.tmpdir(), 'sw-incident-linked-dispute.png') }); // for a look by eye
    await c.ctx.close();
    expect(env.pageErrors).toEqual([]);
  }, 120_000);

  it('the dispatcher’s map draws red and orange dispute places as warning triangles; a click tells number, grade, type and days', async () => {
    const { ctx, page } = await newPage(env);
    await signIn(page, env.url, 'dispatcher');
    const places = (await call<{ items: { id: string; riskGrade: string }[] }>(page, 'GET', '/api/v1/disputes/risk-places')).data.items;
    expect(places.map((p) => p.id)).toEqual(expect.arrayContaining([family.id, property.id]));
    await page.goto(`${env.url}/dispatch`);
    await page.getByTestId('page-dispatch').waitFor();
    await mapReady(page, 'dispatch-map', 600);
    await expect.poll(() => page.getByTestId('dispute-count').innerText(), { timeout: 15_000 }).toBe(String(places.length));

    const jump = async (lon: number, lat: number, zoom: number) => {
      await page.evaluate(
        ([x, y, z]) => (document.querySelector('[data-testid="dispatch-map"] .sw-map-canvas') as unknown as { swMap: import('maplibre-gl').Map }).swMap.jumpTo({ center: [x, y], zoom: z }),
        [lon, lat, zoom] as const,
      );
      await mapReady(page, 'dispatch-map', 800);
    };
    const drawn = () =>
      page.evaluate(() => {
        const m = (document.querySelector('[data-testid="dispatch-map"] .sw-map-canvas') as unknown as { swMap: import('maplibre-gl').Map }).swMap;
        return m.queryRenderedFeatures({ layers: ['d-disputes'] }).map((f) => ({ id: String(f.properties?.id), grade: String(f.properties?.grade) }));
      });
    const box = (await page.getByTestId('dispatch-map').boundingBox())!;
    /** Clicks the triangle of a place (pinned by its lower left corner beside the address) and returns the popup's text. */
    const clickPlace = async (lon: number, lat: number) => {
      const at = await page.evaluate(([x, y]) => (document.querySelector('[data-testid="dispatch-map"] .sw-map-canvas') as unknown as { swMap: import('maplibre-gl').Map }).swMap.project([x, y]), [lon, lat] as const);
      await page.mouse.click(box.x + at.x + 14, box.y + at.y - 13); // the triangle's middle (disputePlaces.ts TRI)
      const popup = page.getByTestId('dispute-popup');
      await popup.waitFor({ timeout: 10_000 });
      return popup.innerText();
    };

    await jump(address.lon, address.lat + 0.00015, 16.5);
    await expect.poll(drawn, { timeout: 15_000 }).toEqual(expect.arrayContaining([{ id: family.id, grade: 'red' }, { id: property.id, grade: 'orange' }]));
    // Not an incident: a symbol (triangle) layer of its own under the incidents' circles.
    expect(
      await page.evaluate(() => {
        const m = (document.querySelector('[data-testid="dispatch-map"] .sw-map-canvas') as unknown as { swMap: import('maplibre-gl').Map }).swMap;
        const ids = m.getStyle().layers.map((l) => l.id);
        return { type: m.getLayer('d-disputes')?.type, below: ids.indexOf('d-disputes') < ids.indexOf('d-incidents') };
      }),
    ).toEqual({ type: 'symbol', below: true });

    const said = await clickPlace(address.lon, address.lat);
    expect(said).toContain(family.number);
    expect(said).toContain(GRADE_ZH.red);
    expect(said).toContain('婚恋/家庭');
    expect(said).toContain(daysText(family.daysOpen));
    expect(await page.getByTestId('dispute-legend').innerText()).toContain('纠纷风险');

    // The screenshot: the 家庭纠纷 call still waiting for a unit and the dispute registered from it, side by side.
    if (fromIncident && ['red', 'orange'].includes(fromIncident.dispute.riskGrade)) {
      const { lon, lat } = fromIncident.dispute.location!;
      await page.keyboard.press('Escape');
      await jump(lon + 0.0006, lat + 0.0009, 16.3);
      const text = await clickPlace(lon, lat);
      expect(text).toContain(fromIncident.dispute.number);
      expect(text).toContain(GRADE_ZH[fromIncident.dispute.riskGrade]);
    }
    await page.mouse.move(box.x + 20, box.y + box.height - 40);
    await page.screenshot({ path: path.join(SHOTS, 'dispatch-dispute-layer.png') });

    // The toggle (key D) hides the layer and its legend entry.
    await page.getByTestId('dispute-toggle').click();
    await expect.poll(async () => (await drawn()).length).toBe(0);
    expect(await page.getByTestId('dispute-legend').count()).toBe(0);
    await page.keyboard.press('d');
    await expect.poll(async () => (await drawn()).length, { timeout: 10_000 }).toBeGreaterThan(0);
    await ctx.close();
    expect(env.pageErrors).toEqual([]);
  }, 120_000);
});
