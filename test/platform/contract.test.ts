/**
 * One contract for server and web (#10 step 7):
 *  (a) every API route declares the schema of its success answer (Fastify serialises with it, OpenAPI
 *      at /docs/json describes it, and the web's types are generated from that);
 *  (b) the committed web/src/contract/api.d.ts is what `npm run contract` produces now, so it cannot
 *      go stale.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { CONTRACT_FILE, contractSource, openApiDocument } from '../../scripts/contract.js';

/**
 * Routes allowed to answer without a declared success schema, each with its reason. Keep it short:
 * an entry here is an answer the web's contract does not describe.
 */
const EXCEPTIONS: readonly string[] = [
  // The WebSocket stream: its success is the 101 upgrade, and the messages are described by the
  // realtime module's event types, not by an HTTP answer.
  'GET /api/v1/stream',
];

const SUCCESS = /^(2\d\d|2xx)$/;

describe('API contract', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { seed: false, addresses: true });
  });
  afterAll(() => t?.close());

  const apiRoutes = () => t.app.routeTable.filter((r) => r.url.startsWith('/api/v1/'));

  it('every API route declares a response schema for its success status', () => {
    const missing = apiRoutes()
      .filter((r) => {
        const response = (r.schema as { response?: Record<string, unknown> } | undefined)?.response ?? {};
        return !Object.keys(response).some((status) => SUCCESS.test(status));
      })
      .map((r) => `${r.method} ${r.url}`)
      .filter((route) => !EXCEPTIONS.includes(route));
    expect(missing).toEqual([]);
    // The dispatch and address routes are there (a test app without them would pass trivially).
    expect(apiRoutes().map((r) => r.url)).toEqual(expect.arrayContaining(['/api/v1/units', '/api/v1/addresses/search', '/api/v1/incidents']));
  });

  it('every exception is still a route without a success schema (the list only shrinks)', () => {
    const routes = new Map(apiRoutes().map((r) => [`${r.method} ${r.url}`, r]));
    for (const route of EXCEPTIONS) {
      expect(routes.has(route), `${route} is no route`).toBe(true);
      const response = (routes.get(route)!.schema as { response?: Record<string, unknown> } | undefined)?.response ?? {};
      expect(Object.keys(response).some((status) => SUCCESS.test(status)), `${route} has its schema now: remove it from EXCEPTIONS`).toBe(false);
    }
  });

  it('OpenAPI describes the success answer of every API operation', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    const doc = res.json() as { paths: Record<string, Record<string, { responses?: Record<string, { content?: unknown }> }>> };
    const undescribed: string[] = [];
    for (const [url, ops] of Object.entries(doc.paths)) {
      if (!url.startsWith('/api/v1/')) continue;
      for (const [method, op] of Object.entries(ops)) {
        const route = `${method.toUpperCase()} ${url.replace(/\{(\w+)\}/g, ':$1')}`;
        if (EXCEPTIONS.includes(route)) continue;
        const answers = Object.entries(op.responses ?? {}).filter(([status]) => /^2/.test(status));
        // A 204 has no content; any other success must say what it carries.
        if (!answers.length || answers.some(([status, r]) => status !== '204' && !r.content)) undescribed.push(route);
      }
    }
    expect(undescribed).toEqual([]);
  });
});

describe('the web contract', () => {
  it('web/src/contract/api.d.ts is what npm run contract generates now', async () => {
    const generated = await contractSource(await openApiDocument());
    const committed = fs.existsSync(CONTRACT_FILE) ? fs.readFileSync(CONTRACT_FILE, 'utf8') : '';
    // On failure: run `npm run contract` and commit web/src/contract/api.d.ts.
    expect(committed === generated, 'web/src/contract/api.d.ts is stale: run npm run contract').toBe(true);
  });
});
