/**
 * The transactional outbox. A write stores the events it causes in its own transaction (table
 * `outbox`); after the commit the writer hands them to this relay, which delivers them at once — to the
 * bus (in-process, or NATS: every instance's WebSocket stream) and to the in-process handlers modules
 * registered — and then deletes them. A row still there after `orphanAfterMs` (its writer crashed, or
 * the bus refused it) is taken over by whichever instance sweeps first and delivered again: delivery is
 * at least once, in commit order per instance; handlers are idempotent (they apply states, not deltas).
 * A rolled-back write never reaches the relay, and its rows vanish with it.
 */
import { randomUUID } from 'node:crypto';
import { sql as sqlTag } from 'drizzle-orm';
import { rawQuery, type Db } from '../db/client.js';
import type { BusEvent, EventType } from '../modules/realtime/types.js';

/** An event as a write stages it: full `data`, or null when the topic's enricher builds it on delivery. */
export interface OutboxDraft {
  topic: EventType;
  key: string;
  /** What happened (`created`, `transition`, `assigned` …). */
  event: string;
  unitPath: string | null;
  data: unknown;
}

/** An event committed with its write: what the bus gets, and what in-process handlers get beside it. */
export interface Committed {
  seq: number;
  bus: BusEvent;
  /** The write's own object (an incident row …) for handlers on this instance; absent after a crash. */
  local?: unknown;
}

/** Builds the events of thin rows (data null) after a crash: e.g. the incident as it now stands. */
export type Enricher = (rows: readonly StoredEvent[]) => Promise<Committed[]>;
export type EventHandler = (event: BusEvent, local: unknown) => void | Promise<void>;

export interface StoredEvent {
  seq: number;
  topic: EventType;
  key: string;
  event: string;
  unitPath: string | null;
  data: unknown;
  at: Date;
}

export interface OutboxOptions {
  db: Db;
  publish: (e: BusEvent) => void | Promise<void>;
  origin?: string;
  log?: (err: unknown, msg: string) => void;
  /** How often rows left behind are looked for (default 1 s). */
  sweepEveryMs?: number;
  /** A row older than this is someone's leftover (default 5 s). */
  orphanAfterMs?: number;
}

/** Inserts a write's events in its transaction `tx`; answers their sequence numbers, in order. */
export async function stageEvents(tx: Db, origin: string, drafts: readonly OutboxDraft[]): Promise<number[]> {
  if (!drafts.length) return [];
  const rows = drafts.map((d) => ({ topic: d.topic, key: d.key, event: d.event, unit_path: d.unitPath, data: d.data ?? null, origin }));
  const res = (await tx.execute(
    // json_to_recordset keeps it one statement and one parameter however many events the write causes
    sqlTag`insert into outbox (topic, key, event, unit_path, data, origin)
      select topic, key, event, unit_path, data, origin from json_to_recordset(${JSON.stringify(rows)}::json)
        as r (topic text, key text, event text, unit_path text, data jsonb, origin text)
      returning seq`,
  )) as unknown as { rows?: { seq: string | number }[] } | { seq: string | number }[];
  const list = Array.isArray(res) ? res : (res.rows ?? []);
  return list.map((r) => Number(r.seq)).sort((a, b) => a - b);
}


const CLAIM_SQL = `update outbox set origin = $1, created_at = now()
  where seq in (select seq from outbox where created_at < now() - make_interval(secs => $2) order by seq limit 500 for update skip locked)
  returning seq, topic, key, event, unit_path, data, created_at`;
/** Whether the oldest row (by seq: the primary key's first entry) is older than the orphan age. */
const HEAD_SQL = 'select created_at < now() - make_interval(secs => $1) as old from outbox order by seq limit 1';
const DELETE_SQL = 'delete from outbox where seq in (select json_array_elements_text($1::json)::bigint)';

export class OutboxRelay {
  readonly origin: string;
  private readonly enrichers = new Map<string, Enricher>();
  private readonly handlers = new Map<string, EventHandler[]>();
  private readonly done: number[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private sweeping: Promise<number> | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly opts: OutboxOptions) {
    this.origin = opts.origin ?? randomUUID();
  }

  /** The topic's builder of events for rows stored without data (see OutboxDraft). */
  enrich(topic: EventType, fn: Enricher) {
    this.enrichers.set(topic, fn);
  }

  /** An in-process handler of a topic: runs once per delivered event, on the instance that delivers it. */
  on(topic: EventType, handler: EventHandler) {
    this.handlers.set(topic, [...(this.handlers.get(topic) ?? []), handler]);
  }

  /** Looks for leftovers every `sweepEveryMs` (and once now). */
  start() {
    if (this.sweepTimer || this.stopped) return;
    const every = this.opts.sweepEveryMs ?? 1000;
    this.sweepTimer = setInterval(() => void this.sweep().catch((err) => this.log(err, 'outbox: sweep failed')), every);
    this.sweepTimer.unref();
    void this.sweep().catch((err) => this.log(err, 'outbox: sweep failed'));
  }

  /**
   * Delivers events a write has just committed, in order. The bus gets them before this returns (an
   * in-process bus synchronously), so a console hears of a write no later than its author; the rows
   * are deleted once the bus has acknowledged them.
   */
  committed(events: readonly Committed[]): void {
    if (!events.length) return;
    const acks: Promise<unknown>[] = [];
    for (const e of events) acks.push(this.deliverOne(e));
    const all = Promise.all(acks).then(
      () => this.markDone(events.map((e) => e.seq)),
      (err: unknown) => this.log(err, 'outbox: delivery failed; the sweep will retry'),
    );
    this.track(all);
  }

  /** Takes over leftovers (older than orphanAfterMs) and delivers them; answers how many. */
  sweep(): Promise<number> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  /** Waits for deliveries under way and deletes what was delivered; stops sweeping. */
  async stop() {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    await this.sweeping?.catch(() => 0);
    await Promise.allSettled([...this.inFlight]);
    await this.flush();
  }

  /** Deletes delivered rows now (tests, shutdown). */
  async flush() {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const seqs = this.done.splice(0);
    this.flushing = this.flushing.then(async () => {
      if (seqs.length) await rawQuery(this.opts.db, DELETE_SQL, [JSON.stringify(seqs)], 'outbox_delete_v1');
    });
    await this.flushing.catch((err: unknown) => this.log(err, 'outbox: deleting delivered rows failed'));
  }

  private async sweepOnce(): Promise<number> {
    if (this.stopped) return 0;
    // The common case, nothing left behind, costs one index probe: the oldest row is young (or none).
    const [head] = await rawQuery<{ old: boolean }>(this.opts.db, HEAD_SQL, [(this.opts.orphanAfterMs ?? 5000) / 1000], 'outbox_head_v1');
    if (!head?.old) return 0;
    let total = 0;
    for (;;) {
      const raw = await rawQuery<Record<string, unknown>>(this.opts.db, CLAIM_SQL, [this.origin, (this.opts.orphanAfterMs ?? 5000) / 1000], 'outbox_claim_v1');
      if (!raw.length) return total;
      const rows: StoredEvent[] = raw
        .map((r) => ({ seq: Number(r.seq), topic: r.topic as EventType, key: String(r.key), event: String(r.event), unitPath: (r.unit_path as string | null) ?? null, data: r.data ?? null, at: new Date(r.created_at as string) }))
        .sort((a, b) => a.seq - b.seq);
      const events = await this.rebuild(rows);
      await Promise.all(events.map((e) => this.deliverOne(e)));
      this.done.push(...rows.map((r) => r.seq));
      await this.flush();
      total += rows.length;
      if (raw.length < 500) return total;
    }
  }

  /** Events of stored rows: as stored, or built by their topic's enricher (in seq order). */
  private async rebuild(rows: StoredEvent[]): Promise<Committed[]> {
    const out: Committed[] = [];
    const thin = new Map<string, StoredEvent[]>();
    for (const r of rows) {
      if (r.data === null && this.enrichers.has(r.topic)) thin.set(r.topic, [...(thin.get(r.topic) ?? []), r]);
      else out.push({ seq: r.seq, bus: { type: r.topic, unitPath: r.unitPath, key: r.key, at: r.at.toISOString(), data: r.data } });
    }
    for (const [topic, list] of thin) out.push(...(await this.enrichers.get(topic)!(list)));
    return out.sort((a, b) => a.seq - b.seq);
  }

  private deliverOne(e: Committed): Promise<unknown> {
    const steps: Promise<unknown>[] = [];
    try {
      steps.push(Promise.resolve(this.opts.publish(e.bus)));
    } catch (err) {
      steps.push(Promise.reject(err));
    }
    for (const h of this.handlers.get(e.bus.type) ?? []) {
      // A handler's failure is its own (logged); it does not hold the event back from the bus.
      steps.push(Promise.resolve().then(() => h(e.bus, e.local)).catch((err: unknown) => this.log(err, `outbox: handler of ${e.bus.type} failed`)));
    }
    return Promise.all(steps);
  }

  /**
   * Delivered rows are deleted in one statement a second (or per 2,000): a delete per write would add a
   * commit to every write (measured: −15 % intake on PGlite). The sweep only takes rows older than
   * `orphanAfterMs`, so a row waiting here is never delivered twice.
   */
  private markDone(seqs: number[]) {
    this.done.push(...seqs);
    if (this.done.length >= 2000) void this.flush();
    else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.flush(), 1000);
      this.flushTimer.unref();
    }
  }

  private track(p: Promise<unknown>) {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private log(err: unknown, msg: string) {
    this.opts.log?.(err, msg);
  }
}
