/**
 * The event bus shared by several server instances through NATS JetStream (NATS_URL set).
 *
 * Every event is published to the stream (`<prefix>.events.<type>`, publish waits for the ack) and every
 * instance reads the stream back with an ordered consumer starting at the stream's end when it started.
 * The JetStream stream sequence is the event's `seq`: it is the same on every instance, so a console can
 * resume on another instance than the one it lost. Each instance keeps the events it has received in a
 * ring buffer; older events still in the stream (kept one hour) are fetched back from JetStream by
 * `replay()` when a client resumes from further back.
 */
import {
  connect,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  nanos,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
} from 'nats';
import { EventRing } from './ring.js';
import { deliver, DEFAULT_RING_SIZE } from './memory-bus.js';
import { EVENT_TYPES, type BusEvent, type EventBus, type EventType, type SequencedEvent } from './types.js';
import type { ReplayableBus, Replay } from './replay.js';

export const DEFAULT_STREAM = 'SHOUWANG_EVENTS';
export const DEFAULT_PREFIX = 'shouwang';
/** A resume asking for more history than this from JetStream gets a full resync instead. */
const MAX_HISTORY_FETCH = 100_000;

export interface NatsBusOptions {
  /** nats://host:port (several servers: comma-separated). */
  url: string;
  /** JetStream stream name (default SHOUWANG_EVENTS). Tests use their own. */
  streamName?: string;
  /** Subject prefix: events go to `<prefix>.events.<type>` (default "shouwang"). */
  subjectPrefix?: string;
  /** Events kept in memory for resumption (default 50,000). */
  ringSize?: number;
  /** Stream limits (defaults: one hour, one million events). */
  maxAgeMs?: number;
  maxMsgs?: number;
  /** Connection name shown by the NATS server (monitoring). */
  connectionName?: string;
  log?: (msg: string) => void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const TYPES = new Set<string>(EVENT_TYPES);

export class NatsBus implements EventBus, ReplayableBus {
  readonly kind = 'nats' as const;
  readonly stream: string;
  readonly prefix: string;
  private readonly handlers = new Set<(e: SequencedEvent) => void>();
  private readonly log: (msg: string) => void;
  private ring!: EventRing;
  private messages: ConsumerMessages | null = null;
  private closing = false;
  private restartTimer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly opts: NatsBusOptions,
  ) {
    this.stream = opts.streamName ?? DEFAULT_STREAM;
    this.prefix = opts.subjectPrefix ?? DEFAULT_PREFIX;
    this.log = opts.log ?? (() => {});
  }

  /** Connects, makes sure the stream exists and starts reading it from its current end. */
  static async connect(opts: NatsBusOptions): Promise<NatsBus> {
    checkNames(opts.streamName ?? DEFAULT_STREAM, opts.subjectPrefix ?? DEFAULT_PREFIX);
    const nc = await connect({
      servers: opts.url.split(',').map((s) => s.trim()).filter(Boolean),
      name: opts.connectionName ?? 'shouwang',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      waitOnFirstConnect: false,
    });
    try {
      const jsm = await nc.jetstreamManager();
      const bus = new NatsBus(nc, nc.jetstream(), jsm, opts);
      const last = await bus.ensureStream();
      bus.ring = new EventRing(opts.ringSize ?? DEFAULT_RING_SIZE, last);
      await bus.startConsumer(last + 1);
      bus.watchStatus();
      bus.log(`event bus: NATS JetStream ${nc.getServer()} stream ${bus.stream} (from seq ${last + 1})`);
      return bus;
    } catch (err) {
      await nc.close().catch(() => {});
      throw err;
    }
  }

  /** Creates the stream if missing; returns its last sequence number. */
  private async ensureStream(): Promise<number> {
    const subjects = [`${this.prefix}.events.>`];
    try {
      const info = await this.jsm.streams.info(this.stream);
      if (!info.config.subjects?.includes(subjects[0])) {
        throw new Error(`NATS stream ${this.stream} exists but does not carry ${subjects[0]} (subjects: ${info.config.subjects?.join(', ')}): check NATS_STREAM and NATS_SUBJECT_PREFIX`);
      }
      return info.state.last_seq;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    try {
      const info = await this.jsm.streams.add({
        name: this.stream,
        subjects,
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        discard: DiscardPolicy.Old,
        max_age: nanos(this.opts.maxAgeMs ?? 3_600_000),
        max_msgs: this.opts.maxMsgs ?? 1_000_000,
        num_replicas: 1,
      });
      this.log(`event bus: created NATS stream ${this.stream} (${subjects[0]})`);
      return info.state.last_seq;
    } catch (err) {
      // Another instance created it at the same moment.
      const info = await this.jsm.streams.info(this.stream).catch(() => null);
      if (info) return info.state.last_seq;
      // Another deployment's stream already carries these subjects (same prefix, another stream name).
      if (/overlap/i.test(err instanceof Error ? err.message : '')) {
        throw new Error(`NATS subjects ${subjects[0]} already belong to another stream: give each deployment sharing this NATS its own NATS_STREAM and NATS_SUBJECT_PREFIX`);
      }
      throw err;
    }
  }

  private async startConsumer(fromSeq: number): Promise<void> {
    const consumer = await this.js.consumers.get(this.stream, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: fromSeq,
      filterSubjects: `${this.prefix}.events.>`,
    });
    const messages = await consumer.consume({ max_messages: 1000, expires: 10_000, callback: (m) => this.onMessage(m) });
    this.messages = messages;
    // The ordered consumer recreates itself after a reconnect; should it stop for good, start a new one
    // right after the last event received.
    void messages.closed().then((err) => {
      if (this.closing || this.messages !== messages) return;
      this.log(`event bus: NATS consumer stopped (${err instanceof Error ? err.message : 'closed'}); restarting`);
      this.scheduleRestart();
    });
  }

  private restartConsumer() {
    const old = this.messages;
    this.messages = null;
    try {
      old?.stop();
    } catch {}
    this.scheduleRestart(0);
  }

  private scheduleRestart(delayMs = 1000) {
    if (this.closing || this.restartTimer) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.startConsumer(this.ring.last + 1).catch((err) => {
        this.log(`event bus: NATS consumer restart failed: ${err instanceof Error ? err.message : String(err)}`);
        this.scheduleRestart();
      });
    }, delayMs);
    this.restartTimer.unref?.();
  }

  private watchStatus() {
    void (async () => {
      for await (const s of this.nc.status()) {
        if (s.type === 'disconnect' || s.type === 'reconnect' || s.type === 'error') this.log(`event bus: NATS ${s.type} ${String(s.data ?? '')}`);
        // The server may have lost our (in-memory, ephemeral) consumer: rather than wait for missed
        // heartbeats, start a fresh one right after the last event received.
        if (s.type === 'reconnect') this.restartConsumer();
      }
    })().catch(() => {});
  }

  private onMessage(m: JsMsg) {
    const e = decodeEvent(m.seq, m.data);
    if (!e) {
      this.log(`event bus: ignored a malformed message at seq ${m.seq} (${m.subject})`);
      return;
    }
    const last = this.ring.last;
    if (e.seq <= last) return; // already seen (consumer restarted)
    // Events that left the stream before we read them (we were away longer than the stream keeps them):
    // a client resuming from before the gap must resynchronise.
    if (e.seq > last + 1) this.ring.raiseFloor(e.seq - 1);
    this.ring.push(e);
    deliver(this.handlers, e, this.log);
  }

  async publish(event: BusEvent): Promise<void> {
    if (this.closing) throw new Error('event bus is closed');
    if (!TYPES.has(event.type)) throw new Error(`unknown event type ${event.type}`);
    const body: BusEvent = { type: event.type, unitPath: event.unitPath, key: event.key, at: event.at, data: event.data };
    await this.js.publish(`${this.prefix}.events.${event.type}`, encoder.encode(JSON.stringify(body)), { expect: { streamName: this.stream } });
  }

  subscribe(handler: (event: SequencedEvent) => void): () => void {
    this.handlers.add(handler);
    return () => {
      this.handlers.delete(handler);
    };
  }

  since(seq: number): { events: SequencedEvent[]; complete: boolean } {
    return this.ring.since(seq);
  }

  /**
   * Like since(), but fetches from JetStream what this instance never held or no longer holds, and
   * checks a seq from the future against the stream (a recreated stream means resync).
   */
  async replay(seq: number): Promise<Replay> {
    const local = this.ring.since(seq);
    if (seq > this.ring.last) {
      const info = await this.jsm.streams.info(this.stream);
      return { events: [], complete: info.state.last_seq >= seq };
    }
    if (local.complete) return local;
    const upTo = this.ring.floor;
    if (upTo - seq > MAX_HISTORY_FETCH) return local;
    const info = await this.jsm.streams.info(this.stream);
    if (info.state.first_seq > seq + 1) return local;
    const history = await this.fetchRange(seq + 1, upTo);
    if (!history.length || history[history.length - 1].seq < upTo) return local;
    return { events: [...history, ...local.events], complete: true };
  }

  /** Events with from <= seq <= to, read straight from the stream. */
  private async fetchRange(from: number, to: number): Promise<SequencedEvent[]> {
    const consumer = await this.js.consumers.get(this.stream, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: from,
      filterSubjects: `${this.prefix}.events.>`,
    });
    const out: SequencedEvent[] = [];
    let next = from;
    try {
      while (next <= to) {
        const batch = await consumer.fetch({ max_messages: Math.min(1000, to - next + 1), expires: 2000 });
        let got = 0;
        for await (const m of batch) {
          got++;
          next = m.seq + 1;
          if (m.seq > to) continue;
          const e = decodeEvent(m.seq, m.data);
          if (e) out.push(e);
        }
        if (!got) break;
      }
    } finally {
      await consumer.delete().catch(() => {});
    }
    return out;
  }

  lastSeq(): number {
    return this.ring.last;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.handlers.clear();
    try {
      this.messages?.stop();
    } catch {}
    await this.nc.drain().catch(() => this.nc.close());
  }
}

/**
 * Stream names may not contain whitespace, `.`, `*`, `>`, `/` or `\`; the prefix is one or more
 * subject tokens separated by dots, without wildcards.
 */
export function checkNames(stream: string, prefix: string) {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(stream)) throw new Error(`invalid NATS stream name "${stream}" (NATS_STREAM): letters, digits, "_" and "-" only`);
  if (!/^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/.test(prefix) || prefix.length > 200) {
    throw new Error(`invalid NATS subject prefix "${prefix}" (NATS_SUBJECT_PREFIX): tokens of letters, digits, "_" and "-" separated by dots`);
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { code?: string | number; api_error?: { err_code?: number }; message?: string };
  return e?.api_error?.err_code === 10059 || String(e?.code) === '404' || /not found/i.test(e?.message ?? '');
}

function decodeEvent(seq: number, data: Uint8Array): SequencedEvent | null {
  try {
    const v = JSON.parse(decoder.decode(data)) as Partial<BusEvent>;
    if (!v || typeof v.type !== 'string' || !TYPES.has(v.type) || typeof v.key !== 'string' || typeof v.at !== 'string') return null;
    const unitPath = typeof v.unitPath === 'string' ? v.unitPath : null;
    return { seq, type: v.type as EventType, unitPath, key: v.key, at: v.at, data: v.data ?? null };
  } catch {
    return null;
  }
}
