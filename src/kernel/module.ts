/**
 * The module contract. A capability is one folder `src/modules/<name>/` whose `index.ts` exports one
 * `defineModule({...})`; the kernel (compose.ts) turns the list in `src/modules/index.ts` into the
 * running application. Everything a module adds to the whole — routes, permissions, token scopes, error
 * messages, event types, the events it handles, start and stop, demo seeding, KPIs, its web part — is
 * declared here and nowhere else.
 */
import type { FastifyInstance } from 'fastify';
import type { Role } from '../core/roles.js';
import type { Principal } from '../core/access.js';
import type { Db } from '../db/client.js';
import type { Kernel } from './kernel.js';

/** A named permission and who holds it: roles, and token scopes for machine clients. */
export interface PermissionDef {
  /** `<module>.<verb>`, e.g. `incident.create`, `audit.read`. */
  id: string;
  zh: string;
  en: string;
  /** Roles granted it; 'any' = every signed-in staff user (never a volunteer: core/roles.ts NON_STAFF_ROLES). */
  roles: readonly Role[] | 'any';
  /** Token scopes that also grant it. */
  tokenScopes?: readonly string[];
  /** City-wide data: only a bureau-level user may use it, whatever the role. */
  cityWide?: boolean;
}

export interface TokenScopeDef {
  id: string;
  zh: string;
  en: string;
}

/** Error message templates in both languages; `{name}` is replaced by the error's params. */
export type MessageCatalogue = Record<string, { zh: string; en: string }>;

/** A figure the analytics module can compute for any period and jurisdiction (see PRODUCT.md "Measures"). */
export interface KpiDef {
  id: string;
  zh: string;
  en: string;
  /** How it is counted, in words: numerator, denominator, what is left out. */
  definition: string;
  /** count (of events), rate (numerator ÷ denominator), duration (seconds, medians and percentiles) or value. */
  unit?: 'count' | 'rate' | 'seconds' | 'hours' | 'days' | 'value';
  /** Which way is better: shown green when it moves this way. */
  better?: 'up' | 'down' | 'neither';
  /** For a rate: what is counted above and below the line, and what is left out of both. */
  numerator?: string;
  denominator?: string;
  exclusions?: string;
  /** A changed definition is a new version, never a silent change (1 when not given). */
  version?: number;
  /**
   * The finest org unit its rows are held by (default 'station': most records carry a station, not a grid).
   * Asked for a unit below it (a grid), analytics computes the figure for the enclosing unit at this level
   * and says so in the answer (`scope`), never a station's figure presented as a grid's.
   */
  finestUnit?: 'bureau' | 'branch' | 'station' | 'grid';
  /** Computes the figure over [from, to) inside the principal's jurisdiction (absent: defined, not yet computed). */
  measure?: (db: Db, q: KpiQuery) => Promise<KpiMeasure>;
}

export interface KpiQuery {
  principal: Principal;
  from: Date;
  /** Exclusive. */
  to: Date;
  /**
   * Reads shared by the figures of one request (one GET /kpis/values): a measure may keep a read several
   * KPIs need — the interval rollup's histograms of a span, say — under a key of its own.
   */
  memo?: Map<string, Promise<unknown>>;
}

/** A count (`value`), or a rate with its two numbers (`value` = numerator ÷ denominator, null when nothing to divide). */
export interface KpiMeasure {
  value: number | null;
  numerator?: number;
  denominator?: number;
  /**
   * A duration read from a histogram (`value` its quantile `q`: 0.5 for a median): the counts by bucket
   * index (analytics' domain/histogram.ts buckets), so its change can be judged from the distribution,
   * not from two numbers. Absent: the change is given without a verdict.
   */
  histogram?: { counts: ReadonlyMap<number, number>; q: number };
}

/** Where the module shows itself on the web: menu entries by permission and its i18n namespace. */
export interface WebPart {
  namespace?: string;
  menu?: { path: string; permission: string; labelKey: string }[];
}

export interface ShouwangModule<Api = unknown> {
  /** The folder name. */
  name: string;
  /** Modules whose public API this one uses (their `setup` runs first). */
  needs?: readonly string[];
  /** The tables it owns (Drizzle), for the schema and for the boundary rule: nobody else touches them. */
  tables?: Record<string, unknown>;
  permissions?: readonly PermissionDef[];
  tokenScopes?: readonly TokenScopeDef[];
  messages?: MessageCatalogue;
  /** Real-time event types it publishes on the bus. */
  emits?: readonly string[];
  kpis?: readonly KpiDef[];
  web?: WebPart;
  /** Builds the module's services; what it answers is its public API (`kernel.api('<name>')`). */
  setup?(kernel: Kernel): Api | Promise<Api>;
  /** Its HTTP routes, registered under /api/v1. */
  routes?(api: FastifyInstance, kernel: Kernel): Promise<void>;
  /** After the server listens (timers, subscriptions); stop undoes it. */
  start?(kernel: Kernel): void | Promise<void>;
  stop?(kernel: Kernel): void | Promise<void>;
}

/** Declares a module (identity, for type inference of its API). */
export function defineModule<Api>(m: ShouwangModule<Api>): ShouwangModule<Api> {
  return m;
}
