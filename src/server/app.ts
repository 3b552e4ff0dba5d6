/** Builds the Fastify application: conventions, security hooks, OpenAPI and every module's routes. */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { pageFor, registerStatic, sendIndex } from './static.js';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError, errorBody, pickLang } from '../core/errors.js';
import { ErrorResponse } from '../core/typebox.js';
import type { RoutePolicy } from '../core/access.js';
import type { AppContext } from './context.js';
import { installErrorHandling, installInputCheck } from './errors.js';
import { installRequestHooks } from './hooks.js';
import { installMetrics } from './metrics.js';
import { recoverPendingAudit } from '../modules/audit/index.js';
import { MODULES } from '../modules/index.js';
import { permissionPolicy, registerModuleRoutes, setUpModules, stopModules } from '../kernel/compose.js';
import { systemRoutes } from '../modules/system/index.js';
import { registerOpen311 } from '../modules/citizen/index.js';
import websocket from '@fastify/websocket';
import { createEventBus } from '../modules/realtime/index.js';
import type { EventBus } from '../modules/realtime/types.js';

export const WEB_DIST = fileURLToPath(new URL('../../dist/web', import.meta.url));
export const API_PREFIX = '/api/v1';
const BODY_LIMIT = 1024 * 1024;
/** The paths of the web app's own pages: plain characters only. */
const CLIENT_ROUTE = /^\/[A-Za-z0-9/_~-]*$/;

export interface RouteEntry {
  method: string;
  url: string;
  policy: RoutePolicy | undefined;
  hasBody: boolean;
  schema: unknown;
}

export interface BuildOptions {
  logger?: boolean | object;
}

export async function buildApp(ctx: AppContext, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? { level: ctx.config.logLevel },
    bodyLimit: BODY_LIMIT,
    // Our own id for every request: a client's X-Request-ID is recorded beside it (audit detail), never
    // trusted as the id of the audit row.
    genReqId: () => randomUUID(),
    // Connections that stay silent, or never finish sending a request, are closed (slowloris). A
    // WebSocket is exempt once upgraded (its own heartbeat watches it).
    requestTimeout: ctx.config.requestTimeoutMs,
    connectionTimeout: ctx.config.requestTimeoutMs,
    // A path the router cannot decode (`%ED%A0%80`) gets the one error shape, not Fastify's own.
    frameworkErrors: (err, req, reply) => {
      const appErr = new AppError(400, 'invalid_value', { field: 'path', detail: err.message.slice(0, 80) }, 'path');
      void (reply as FastifyReply).status(400).send(errorBody(appErr, pickLang(req.headers['accept-language'])));
    },
    trustProxy: process.env.SHOUWANG_TRUST_PROXY === '1',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // The real-time bus: given by start.ts (in-process or NATS), or an in-process one of our own.
  let ownBus: EventBus | null = null;
  if (!ctx.bus) ctx.bus = ownBus = await createEventBus({});
  // The modules of src/modules/index.ts: their catalogues, services and (below) routes.
  const kernel = await setUpModules(ctx, MODULES, (err, msg) => app.log.error({ err }, msg));
  app.decorate('kernel', kernel);
  app.addHook('onClose', () => stopModules(kernel));
  // Audit entries of writes that committed just before a crash are chained before anything else.
  const recovered = await recoverPendingAudit(ctx.db);
  if (recovered) app.log.warn({ recovered }, 'audit: chained entries left pending by an earlier stop');
  const auditSweep = setInterval(() => {
    recoverPendingAudit(ctx.db, 60_000).catch((err: unknown) => app.log.warn({ err }, 'audit: chaining pending entries failed'));
  }, 60_000);
  auditSweep.unref();
  app.addHook('onClose', async () => clearInterval(auditSweep));
  app.decorate('ctx', ctx);
  if (ownBus) {
    const own = ownBus;
    app.addHook('onClose', () => own.close());
  }
  // The route table with each route's policy: the authorisation-matrix test is generated from it.
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  // Requests still being answered: shutdown waits for them before it closes the database.
  let inFlight = 0;
  const idle: (() => void)[] = [];
  app.addHook('onRequest', async (req, reply) => {
    if (req.headers.upgrade) return; // a WebSocket lives on; realtime closes its own sockets
    inFlight++;
    // 'close' comes once the answer is out, or when the client went away before it.
    reply.raw.once('close', () => {
      if (--inFlight === 0) for (const f of idle.splice(0)) f();
    });
  });
  app.decorate('drained', (timeoutMs: number) =>
    inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => {
      idle.push(resolve);
      setTimeout(resolve, timeoutMs).unref();
    }),
  );
  app.addHook('onRoute', (r) => {
    // A route that asks for a named permission gets the policy the catalogue grants it (fails at start if unknown).
    if (r.config?.permission && !r.config.policy) r.config = { ...r.config, policy: permissionPolicy(kernel, r.config.permission) };
    for (const method of [r.method].flat()) {
      if (method === 'HEAD' && r.url.startsWith(API_PREFIX)) continue;
      routeTable.push({ method, url: r.url, policy: r.config?.policy, hasBody: Boolean(r.schema?.body), schema: r.schema });
    }
  });
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-request-id', req.id);
    setSecurityHeaders(req.routeOptions.url, reply);
    return payload;
  });

  await app.register(cookie);
  // Before the request hooks: a refused upgrade (401/403) must close its socket properly.
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  installErrorHandling(app);
  installInputCheck(app);
  installRequestHooks(app);
  installMetrics(app);

  app.addSchema(ErrorResponse);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Shouwang 守望 API', version: '0.1.0', description: 'Public-safety command platform. All errors: `{"error": {"code", "message", "field"?}}`.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'sw_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(systemRoutes);
  await app.register(
    async (api) => {
      await registerModuleRoutes(api, kernel);
    },
    { prefix: API_PREFIX },
  );
  // Open311 GeoReport v2 keeps the spec's own paths, formats and error shape (src/modules/citizen).
  await registerOpen311(app, kernel);

  await serveWebApp(app);
  return app;
}

/**
 * Headers every answer carries: no sniffing, no framing by other sites, a content policy for our own
 * pages, and API answers (personal data) never stored by a browser or proxy cache.
 */
function setSecurityHeaders(route: string | undefined, reply: FastifyReply) {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'same-origin');
  if (route?.startsWith('/docs')) return; // Swagger UI sets up its own inline scripts and styles
  reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  if (route?.startsWith('/api/')) reply.header('cache-control', 'no-store');
}

/** Our pages load only our own scripts, styles, tiles, glyphs and sockets; inline styles are Ant Design's. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  // Videos play from our own API; blob: lets the portal read a chosen video's length before sending it.
  "media-src 'self' blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/** The built React app (dist/web) with a fallback to index.html for client-side routes. */
async function serveWebApp(app: FastifyInstance) {
  // Precompressed files, hashed assets cached for a year, index.html revalidated (src/server/static.ts).
  const haveWeb = await registerStatic(app, WEB_DIST);
  app.setNotFoundHandler((req, reply) => {
    const pathOnly = req.url.split('?')[0];
    // Client-side routes get the app; a missing file (anything with an extension) is a real 404, and so
    // is anything that could be an alias of an API path (escapes, `//api`, `/API`).
    const isPage = req.method === 'GET' && CLIENT_ROUTE.test(pathOnly) && !/^\/+(api|docs)(\/|$)/i.test(pathOnly) && !/\.[a-z0-9]+$/i.test(pathOnly);
    if (isPage && haveWeb) return sendIndex(reply, pageFor(pathOnly));
    const err = new AppError(404, 'route_not_found', { method: req.method, url: req.url.split('?')[0].slice(0, 200) });
    return reply.status(404).send(errorBody(err, req.lang));
  });
}
