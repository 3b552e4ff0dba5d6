/**
 * What the kernel hands to every module: configuration, the database, the bus, the other modules'
 * public APIs, and the catalogues composed from all manifests.
 */
import type { AppContext } from '../server/context.js';
import type { CacheSync } from './cache-sync.js';
import type { OutboxRelay } from './outbox.js';
import type { Writes } from './write.js';
import type { KpiDef, MessageCatalogue, PermissionDef, ShouwangModule, TokenScopeDef } from './module.js';

/** A KPI as the catalogue holds it: with the module that declares it and its version. */
export type KpiEntry = KpiDef & { module: string; version: number };

/** The catalogues composed from every manifest; usable without a server (the CLI lists token scopes). */
export class Catalogues {
  readonly permissions = new Map<string, PermissionDef>();
  readonly tokenScopes: TokenScopeDef[] = [];
  readonly messages: MessageCatalogue = {};
  readonly eventTypes = new Set<string>();
  /** Every module's KPI definitions, in module order (analytics reads them; a module adds its figures by its manifest alone). */
  readonly kpis: KpiEntry[] = [];

  constructor(readonly modules: readonly ShouwangModule[]) {
    for (const m of modules) {
      for (const p of m.permissions ?? []) {
        if (this.permissions.has(p.id)) throw new Error(`permission ${p.id} declared twice (module ${m.name})`);
        this.permissions.set(p.id, p);
      }
      for (const s of m.tokenScopes ?? []) {
        if (this.tokenScopes.some((x) => x.id === s.id)) throw new Error(`token scope ${s.id} declared twice (module ${m.name})`);
        this.tokenScopes.push(s);
      }
      for (const [code, text] of Object.entries(m.messages ?? {})) {
        if (code in this.messages) throw new Error(`message ${code} declared twice (module ${m.name})`);
        this.messages[code] = text;
      }
      for (const e of m.emits ?? []) this.eventTypes.add(e);
      for (const k of m.kpis ?? []) {
        if (this.kpis.some((x) => x.id === k.id)) throw new Error(`KPI ${k.id} declared twice (module ${m.name})`);
        this.kpis.push({ ...k, module: m.name, version: k.version ?? 1 });
      }
    }
  }
}

export class Kernel extends Catalogues {
  private readonly apis = new Map<string, unknown>();

  constructor(
    readonly ctx: AppContext,
    modules: readonly ShouwangModule[],
    /** Caches that agree across instances: `caches.onChange(name, reload)`, `caches.changed(name, key)`. */
    readonly caches: CacheSync,
    /** Delivers the events writes commit (enrichers and in-process handlers register here). */
    readonly outbox: OutboxRelay,
    /** One transaction per write: data, events, audit entry and Idempotency-Key answer together. */
    readonly writes: Writes,
    /** Where modules report failures of background work. */
    readonly log: (err: unknown, msg: string) => void = () => {},
  ) {
    super(modules);
  }

  /** The public API of a module that set up before this one (declare it in `needs`). */
  api<T>(name: string): T {
    if (!this.apis.has(name)) throw new Error(`module ${name} is not set up (missing from \`needs\`, or not in src/modules/index.ts)`);
    return this.apis.get(name) as T;
  }

  /** The public API of a module, or undefined when it is not part of this server (optional features). */
  optionalApi<T>(name: string): T | undefined {
    return this.apis.get(name) as T | undefined;
  }

  /** Records a module's API (compose.ts). */
  provide(name: string, api: unknown) {
    this.apis.set(name, api);
  }
}

/** Modules in an order where every module comes after those it needs; a cycle or unknown name throws. */
export function setupOrder(modules: readonly ShouwangModule[]): ShouwangModule[] {
  const byName = new Map(modules.map((m) => [m.name, m]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: ShouwangModule[] = [];
  const visit = (m: ShouwangModule, chain: string[]) => {
    if (done.has(m.name)) return;
    if (visiting.has(m.name)) throw new Error(`module dependency cycle: ${[...chain, m.name].join(' → ')}`);
    visiting.add(m.name);
    for (const n of m.needs ?? []) {
      const dep = byName.get(n);
      if (!dep) throw new Error(`module ${m.name} needs ${n}, which is not in src/modules/index.ts`);
      visit(dep, [...chain, m.name]);
    }
    visiting.delete(m.name);
    done.add(m.name);
    out.push(m);
  };
  for (const m of modules) visit(m, []);
  return out;
}
