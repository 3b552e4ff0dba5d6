/** What every route can reach: configuration, the database and the loaded services. */
import type { Config } from '../config.js';
import type { Database, Db } from '../db/client.js';
import type { Principal, RoutePolicy } from '../core/access.js';
import type { Lang } from '../core/errors.js';
import type { RoadService } from '../modules/roads/service.js';
import type { JurisdictionIndex } from '../modules/org/jurisdiction.js';
import type { AddressService } from '../modules/addresses/service.js';
import type { DispatchConfig, DispatchService } from '../modules/dispatch/service.js';
import type { BusEvent, EventBus } from '../modules/realtime/types.js';

export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  roads?: RoadService;
  /** Station/grid lookup from polygons; created by buildApp when not given. */
  jurisdiction?: JurisdictionIndex;
  /** Standard address registry (search index in memory). */
  addresses?: AddressService;
  /** Units, positions, recommendation and assignment (needs roads). Created by buildApp when absent. */
  dispatch?: DispatchService;
  /** Overrides of the dispatch timers and limits (tests). */
  dispatchConfig?: Partial<DispatchConfig>;
  /** Publishes to the real-time bus (in-process or NATS). */
  publish?: (e: BusEvent) => void;
  bus?: EventBus;
}

export interface AuditConfig {
  /** Entity named in audit rows (e.g. "user", "org_unit"). */
  entity: string;
  /** Action name; default "<method> <route>". */
  action?: string;
  /** Audit GET requests too: set on every route that returns personal data. */
  reads?: boolean;
  /**
   * 'after-answer': a write whose entry its own transaction stored (audit_pending, committed with the
   * write) is answered without waiting for that entry to be chained into audit_log; the chaining follows
   * at once (and after a crash, recoverPendingAudit does it). For hot writes (check-ins): one commit on
   * the answer's path instead of two. Otherwise the chained row is written before the answer.
   */
  chain?: 'after-answer';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
    /** A named permission of a module manifest (kernel/module.ts); the kernel turns it into `policy`. */
    permission?: string;
    /**
     * 'in-write': the handler's write stores the Idempotency-Key answer in its own transaction with a
     * plain insert, instead of the hook claiming the key first (no claim survives an uncommitted write).
     */
    idempotency?: 'in-write';
    audit?: AuditConfig;
  }
  interface FastifyRequest {
    principal: Principal | null;
    lang: Lang;
    /** Set when a cookie was presented but its session had ended (idle or signed out). */
    sessionEnded: boolean;
    /** Entity id and extra detail for this request's audit row, set by handlers. */
    auditEntityId?: string;
    auditDetail?: Record<string, unknown>;
    /** A read on a route without `audit.reads` that showed personal data this time (a search by phone): audit it. */
    auditRead?: boolean;
    /**
     * The audit entry a write stored in its own transaction (audit_pending, keyed by `key`): the audit
     * hook chains this entry instead of building one.
     */
    auditPending?: { key: string; entry: import('../modules/audit/store.js').AuditEntry };
    /** Set by the login route, which writes its own audit rows. */
    auditDone?: boolean;
    /** The claimed Idempotency-Key; `committed` once the answer was stored in the write's own transaction. */
    idempotency?: { principal: string; key: string; method: string; path: string; requestHash: string; committed?: boolean; replayed?: boolean };
  }
  interface FastifyInstance {
    ctx: AppContext;
    /** The composed modules: their APIs and catalogues (src/kernel). */
    kernel: import('../kernel/kernel.js').Kernel;
    routeTable: import('./app.js').RouteEntry[];
    /** Resolves when no request is being answered (or after `timeoutMs`). */
    drained(timeoutMs: number): Promise<void>;
  }
}
