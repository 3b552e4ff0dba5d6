/**
 * Browser test of the dispatcher console's own items of issue 11 (1920×1080, dispatcher):
 *  - #11.16: with nothing selected the right third sums up the open incidents by priority, the units by
 *    status and the open alerts (the same numbers as the API); the queue is reached with Tab, ↑/↓ move
 *    its cursor, Enter selects.
 *  - #11.15: two P1 calls about one fight each raise a P1-unassigned alert; the later is flagged as a
 *    possible duplicate and merged into the earlier from the console (M): one incident, one alert left.
 *    Once a unit is on scene the waiting timer stops and shows the time it took. The incident page lists
 *    the assignments (status, times, who assigned) and its timeline names the unit — in English too.
 *  - axe-core finds no critical or serious violation on these screens.
 *
 * The simulator is off and the P1 alert comes after 2 s, so that the numbers are the test's own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SHOTS, HAVE_CHROMIUM, CI, demoServerAndBrowser, newPage, signIn, mapReady, noToasts, call } from './browser.js';

process.env.SHOUWANG_SIMULATOR = '0';
process.env.SHOUWANG_DISPATCH_P1_UNASSIGNED_S = '2';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const BRAWL = '01010103'; // 多人持械斗殴: P1
// A place per attempt (a retry's calls must not be duplicates of the first attempt's).
const PLACES = [
  { lon: 113.544113, lat: 22.211607 },
  { lon: 113.550308, lat: 22.192693 },
];
let attempt = 0;
const HAN = /[\u3400-\u9fff]/;

interface Unit {
  id: string;
  callSign: string;
  status: string;
  home: [number, number];
}
interface Incident {
  id: string;
  number: string;
  priority: string;
  status: string;
}
interface Alert {
  kind: string;
  incidentId: string;
}

/** axe's critical and serious findings on the page as it is now, one line per rule. */
async function axe(page: Page, screen: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const res = (await page.evaluate(() => (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } }).axe.run(document, { resultTypes: ['violations'] }))) as {
    violations: { id: string; impact: string; nodes: { target: string[]; html: string; failureSummary?: string }[] }[];
  };
  return res.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 120)} ${n.failureSummary ?? ''}`).join(' | ')}`);
}

describe.skipIf(!HAVE_CHROMIUM && !CI)('dispatcher console: summary, keyboard queue, merging duplicates, the on-scene timer (#11.15, #11.16)', { retry: 1 }, () => {
  const env = demoServerAndBrowser('dispatch-console');

  it('sums up while idle, reaches the queue with Tab, merges a duplicate, stops the timer on scene, shows the assignments', async () => {
    const findings: string[] = [];
    const PLACE = PLACES[attempt++ % PLACES.length];
    const { ctx, page: d } = await newPage(env);
    await signIn(d, env.url, 'dispatcher');
    await d.getByTestId('nav-dispatch').click();
    await d.getByTestId('page-dispatch').waitFor();

    // Two P1 calls about one fight, 20 m apart (the second a moment later), and a P3 elsewhere.
    const create = async (body: Record<string, unknown>) => {
      const r = await call<Incident>(d, 'POST', '/api/v1/incidents', { source: 'call110', categoryCode: BRAWL, ...body });
      expect(r.status, JSON.stringify(r.data)).toBe(201);
      return r.data;
    };
    const first = await create({ description: '多人持械斗殴，有人受伤', location: PLACE });
    await d.waitForTimeout(1100);
    const second = await create({ description: '街口有人打架，拿着棍子', location: { lon: PLACE.lon + 0.0002, lat: PLACE.lat } });
    const other = await create({ priority: 'P3', priorityReason: '报警人称已散去', description: '有人吵架', location: { lon: 113.5701, lat: 22.1642 } });
    expect([first.priority, second.priority, other.priority]).toEqual(['P1', 'P1', 'P3']);

    // Each P1 raises its own alert.
    const p1Alerts = async () => (await call<{ items: Alert[] }>(d, 'GET', '/api/v1/alerts')).data.items.filter((a) => a.kind === 'p1_unassigned').map((a) => a.incidentId);
    await expect.poll(async () => (await p1Alerts()).filter((id) => id === first.id || id === second.id).length, { timeout: 30_000 }).toBe(2);

    // ------------------------------------------------------------------ #11.16: the idle right third
    for (const i of [first, second, other]) await d.getByTestId(`dq-row-${i.number}`).waitFor({ timeout: 15_000 });
    await mapReady(d, 'dispatch-map', 600);
    const summary = d.getByTestId('idle-summary');
    await summary.waitFor();
    expect(await d.getByTestId('selected-incident').count()).toBe(0);
    const open = (await call<{ items: Incident[] }>(d, 'GET', '/api/v1/incidents?status=new&status=dispatched&status=en_route&status=on_scene&limit=500')).data.items;
    for (const p of ['P1', 'P2', 'P3', 'P4']) {
      await expect.poll(() => d.getByTestId(`summary-${p}`).innerText(), { timeout: 10_000 }).toBe(`${p} · ${open.filter((i) => i.priority === p).length}`);
    }
    const units = (await call<{ items: Unit[] }>(d, 'GET', '/api/v1/units')).data.items;
    await expect.poll(() => d.getByTestId('summary-units-available').innerText()).toContain(String(units.filter((u) => u.status === 'available').length));
    await expect.poll(() => d.getByTestId('summary-alert-p1_unassigned').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    expect(await summary.innerText()).toContain(first.number);
    const midnight = await d.evaluate(() => new Date(new Date().setHours(0, 0, 0, 0)).toISOString());
    const today = (await call<{ total: number }>(d, 'GET', `/api/v1/incidents?from=${encodeURIComponent(midnight)}&limit=1`)).data.total;
    await expect.poll(() => d.getByTestId('summary-today').innerText(), { timeout: 10_000 }).toMatch(new RegExp(`^${today} 起，已处置 \\d+ 起$`));
    await noToasts(d);
    await d.screenshot({ path: path.join(SHOTS, 'dispatch-idle-summary.png') });
    findings.push(...(await axe(d, 'console, nothing selected')));

    // The units tab: the station under the call sign, whole (a column of its own was cut to one character).
    await d.getByTestId('tab-units').click();
    const station = d.getByTestId('unit-station').first();
    await station.waitFor();
    const fit = await station.evaluate((e) => ({ text: (e as HTMLElement).innerText, client: e.clientWidth, scroll: e.scrollWidth }));
    expect(fit.text.length, fit.text).toBeGreaterThanOrEqual(4);
    expect(fit.scroll, `station ${fit.text} shown whole`).toBeLessThanOrEqual(fit.client + 1);
    await d.screenshot({ path: path.join(SHOTS, 'dispatch-units-tab.png') });
    findings.push(...(await axe(d, 'console, units tab')));
    await d.getByTestId('tab-queue').click();

    // ------------------------------------------------------------------ #11.16: Tab reaches the queue
    await d.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    let tabs = 0;
    while (tabs < 80 && (await d.evaluate(() => document.activeElement?.getAttribute('data-testid'))) !== 'dispatch-queue') {
      await d.keyboard.press('Tab');
      tabs++;
    }
    expect(await d.evaluate(() => document.activeElement?.getAttribute('data-testid')), `the queue is reached with Tab (${tabs} presses)`).toBe('dispatch-queue');
    const rows = d.locator('[data-testid^="dq-row-"]');
    const cursorAt = () => rows.evaluateAll((els) => els.findIndex((e) => e.getAttribute('data-cursor') === 'true'));
    const active = () => d.getByTestId('dispatch-queue').getAttribute('aria-activedescendant');
    expect(await cursorAt()).toBe(0);
    expect(await active()).toBe(await rows.nth(0).getAttribute('id'));
    await d.keyboard.press('ArrowDown');
    await expect.poll(cursorAt).toBe(1);
    expect(await active()).toBe(await rows.nth(1).getAttribute('id'));
    await d.keyboard.press('ArrowDown');
    await d.keyboard.press('ArrowUp');
    await expect.poll(cursorAt).toBe(1);
    const atCursor = ((await rows.nth(1).getAttribute('data-testid')) ?? '').replace('dq-row-', '');
    await d.keyboard.press('Enter');
    await expect.poll(() => d.getByTestId('selected-number').innerText()).toBe(atCursor);
    expect(await summary.count(), 'the summary gives way to the selected incident').toBe(0);
    await d.keyboard.press('Escape');
    await summary.waitFor();

    // ------------------------------------------------------------------ #11.15: merge the duplicate
    await expect.poll(() => d.getByTestId(`dq-dup-${second.number}`).count()).toBe(1);
    expect(await d.getByTestId(`dq-dup-${first.number}`).count(), 'the earlier call is the one kept').toBe(0);
    await d.getByTestId(`dq-row-${second.number}`).click();
    await expect.poll(() => d.getByTestId('selected-number').innerText()).toBe(second.number);
    await d.getByTestId(`duplicate-of-${first.number}`).waitFor();
    findings.push(...(await axe(d, 'console, a possible duplicate selected')));
    await d.locator('.sw-dc-bar h4').click();
    await d.keyboard.press('m');
    await d.getByTestId('merge-explain').waitFor();
    // the dialog's opening animation (zoom) is over
    await expect.poll(() => d.locator('.ant-modal[class*="ant-zoom"]').count(), { timeout: 10_000 }).toBe(0);
    await d.waitForTimeout(200);
    expect(await d.getByTestId('merge-explain').innerText()).toContain(first.number);
    await d.screenshot({ path: path.join(SHOTS, 'dispatch-merge-duplicate.png') });
    await d.getByTestId('merge-ok').click();
    await d.getByTestId('merge-toast').waitFor({ timeout: 10_000 });
    await expect.poll(() => d.getByTestId(`dq-row-${second.number}`).count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => d.getByTestId('selected-number').innerText()).toBe(first.number);
    // One incident, one alert.
    await expect.poll(async () => (await p1Alerts()).filter((id) => id === first.id || id === second.id), { timeout: 10_000 }).toEqual([first.id]);
    const merged = (await call<{ status: string; masterId: string }>(d, 'GET', `/api/v1/incidents/${second.id}`)).data;
    expect(merged).toMatchObject({ status: 'merged', masterId: first.id });

    // ------------------------------------------------------------------ #11.15: on scene, the timer stops
    const unit = units.find((u) => u.status === 'available' && u.id.startsWith('MO01'))!;
    expect(unit, 'an available unit of the district').toBeTruthy();
    const asg = await call(d, 'POST', `/api/v1/incidents/${first.id}/assignments`, { unitIds: [unit.id] });
    expect(asg.status, JSON.stringify(asg.data)).toBe(201);
    const wait = d.getByTestId(`dq-wait-${first.number}`);
    expect(await wait.getAttribute('data-state')).toBe('waiting');
    for (const status of ['en_route', 'on_scene']) {
      const r = await call(d, 'POST', `/api/v1/units/${unit.id}/status`, { status });
      expect(r.status, JSON.stringify(r.data)).toBe(200);
    }
    await expect.poll(() => wait.getAttribute('data-state'), { timeout: 10_000 }).toBe('on-scene');
    expect(await d.getByTestId('selected-wait').getAttribute('data-state')).toBe('on-scene');
    const stopped = await wait.innerText();
    expect(stopped).toMatch(/^到场用时 \d+:\d\d$/);
    await d.waitForTimeout(2100);
    expect(await wait.innerText(), 'the timer does not run on after arrival').toBe(stopped);

    // ------------------------------------------------------------------ #11.15: the incident page
    await d.getByTestId('selected-number').click();
    await d.getByTestId('page-incident').waitFor();
    const card = d.getByTestId(`incident-asg-${unit.callSign}`);
    await card.waitFor({ timeout: 10_000 });
    expect(await card.getAttribute('data-status')).toBe('on_scene');
    expect(await card.innerText()).toContain('派警人: dispatcher');
    for (const field of ['assignedAt', 'ackAt', 'enRouteAt', 'onSceneAt']) expect(await card.getByTestId(`asg-${field}`).innerText(), field).toMatch(/\d\d:\d\d:\d\d/);
    expect(await card.getByTestId('asg-clearedAt').innerText()).toContain('—');
    const timeline = d.getByTestId('incident-timeline');
    expect(await timeline.locator(`[data-testid="event-unit-assigned"][data-unit="${unit.callSign}"]`).innerText()).toContain(`派出 ${unit.callSign}`);
    expect(await timeline.locator(`[data-testid="event-unit-on_scene"][data-unit="${unit.callSign}"]`).count()).toBe(1);
    // The dispatch (new → dispatched) names the unit, and the duplicate is linked.
    const transitions = await timeline.getByTestId('event-transition').allInnerTexts();
    expect(transitions.find((x) => x.includes('已派警'))).toContain(`警力：${unit.callSign}`);
    expect(await timeline.getByTestId('event-duplicate_linked').innerText()).toContain(second.number);
    expect(transitions.find((x) => x.includes('→ 到场')), 'the arrival names the unit').toContain(`警力：${unit.callSign}`);
    await mapReady(d, 'incident-map', 600);
    await noToasts(d);
    await d.screenshot({ path: path.join(SHOTS, 'incident-assignments.png'), fullPage: true });
    findings.push(...(await axe(d, 'incident page with assignments')));

    // English: the card and the timeline say it in English, the recorded event's priority reasons too.
    await d.evaluate(() => window.localStorage.setItem('shouwang.lang', 'en'));
    await d.reload();
    await card.waitFor({ timeout: 15_000 });
    expect(await card.innerText()).toContain('Assigned by: dispatcher');
    const en = await timeline.locator('.ant-timeline-item').evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText));
    expect(en.length).toBeGreaterThan(5);
    // Call signs are names (澳门巡11), the same in both languages.
    expect(en.filter((x) => HAN.test(x.split(unit.callSign).join(''))), 'no Chinese in the English timeline').toEqual([]);
    expect(en.some((x) => x.includes(`${unit.callSign} on scene`))).toBe(true);
    expect(en.some((x) => x.includes(`Units: ${unit.callSign}`))).toBe(true);

    expect(findings).toEqual([]);
    await ctx.close();
  }, 240_000);

  it('raised no script errors in the pages', () => {
    expect(env.pageErrors).toEqual([]);
  });
});
