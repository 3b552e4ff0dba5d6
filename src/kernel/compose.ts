/**
 * Composes the module manifests into the running application: catalogues first (messages, permissions,
 * token scopes), then each module's setup in dependency order, its routes under /api/v1, and its start
 * and stop with the server.
 */
import type { FastifyInstance } from 'fastify';
import { policyAllows, type Principal, type RoutePolicy } from '../core/access.js';
import { MESSAGES } from '../core/errors.js';
import type { AppContext } from '../server/context.js';
import { Kernel, setupOrder, type Catalogues } from './kernel.js';
import { CacheSync } from './cache-sync.js';
import { OutboxRelay } from './outbox.js';
import { Writes } from './write.js';
import type { PermissionDef, ShouwangModule } from './module.js';

export async function setUpModules(ctx: AppContext, modules: readonly ShouwangModule[], log: (err: unknown, msg: string) => void = () => {}): Promise<Kernel> {
  if (!ctx.bus) throw new Error('the event bus must exist before the modules are set up');
  const bus = ctx.bus;
  // Tests hand in their own publish (to see every event); otherwise the bus (NATS acknowledges).
  const relay = new OutboxRelay({ db: ctx.db, publish: ctx.publish ?? ((e) => bus.publish(e)), log, orphanAfterMs: ctx.config.outboxOrphanMs });
  const kernel = new Kernel(ctx, modules, new CacheSync(ctx.bus, log), relay, new Writes(ctx.db, relay), log);
  for (const [code, text] of Object.entries(kernel.messages)) {
    if (code in MESSAGES && MESSAGES[code] !== text) throw new Error(`message ${code} declared by a module and by core`);
    MESSAGES[code] = text;
  }
  for (const m of setupOrder(modules)) kernel.provide(m.name, m.setup ? await m.setup(kernel) : undefined);
  // Every enricher and handler is registered now: deliver what an earlier run left behind, then keep sweeping.
  relay.start();
  return kernel;
}

export async function registerModuleRoutes(api: FastifyInstance, kernel: Kernel) {
  for (const m of setupOrder(kernel.modules)) if (m.routes) await m.routes(api, kernel);
}

export async function startModules(kernel: Kernel) {
  for (const m of setupOrder(kernel.modules)) await m.start?.(kernel);
}

/** In reverse order: a module stops before those it needs. */
export async function stopModules(kernel: Kernel) {
  for (const m of setupOrder(kernel.modules).reverse()) await m.stop?.(kernel);
  await kernel.outbox.stop();
  kernel.caches.close();
}

/** The permissions `p` holds (the web shows its menu from them; the server still checks every route). */
export function permissionsOf(catalogue: Catalogues, p: Principal): string[] {
  return [...catalogue.permissions.keys()].filter((id) => policyAllows(permissionPolicy(catalogue, id), p) === 'ok').sort();
}

/** The route policy a permission stands for; an unknown permission is a programming error found at start. */
export function permissionPolicy(catalogue: Catalogues, permission: string): RoutePolicy {
  const p: PermissionDef | undefined = catalogue.permissions.get(permission);
  if (!p) throw new Error(`route asks for permission ${permission}, which no module declares`);
  return { roles: p.roles === 'any' ? 'any' : [...p.roles], tokenScopes: p.tokenScopes ? [...p.tokenScopes] : undefined, cityWide: p.cityWide };
}
