/**
 * One console connected to the event stream: jurisdiction and layer filters, position thinning,
 * resumption and backpressure. Transport-agnostic apart from the small `Sink` it writes to, so the
 * rules are testable on their own; routes.ts binds it to a WebSocket.
 */
import { assignedOnly, coversUnit, type Principal } from '../../core/access.js';
import { isStaffRole } from '../../core/roles.js';
import { replaySince } from './replay.js';
import { EVENT_TYPES, type EventBus, type EventType, type SequencedEvent } from './types.js';

export interface Sink {
  /** Bytes queued but not yet written to the network. */
  readonly bufferedAmount: number;
  send(text: string): void;
  /** Drop the connection (the client reconnects and resumes). */
  drop(reason: string): void;
}

export interface StreamClientOptions {
  /** Minimum interval between two positions of one unit to one client (default 1000 ms). */
  positionIntervalMs?: number;
  /** Drop a client whose unsent data exceeds this (default 4 MiB). */
  maxBufferedBytes?: number;
  /** Events held while a resume is being computed, before the client is dropped (default 100,000). */
  maxQueued?: number;
  /** How far back (in events) a resume looks for the last position of each unit (default 5,000). */
  positionLookback?: number;
}

export interface ServerMessage {
  seq: number;
  type: EventType | 'hello' | 'resync' | 'layers' | 'error';
  key?: string;
  data: unknown;
  at: string;
}

/** Each event is serialised once, however many consoles receive it. */
const frames = new WeakMap<SequencedEvent, string>();
function frameOf(e: SequencedEvent): string {
  let f = frames.get(e);
  if (f === undefined) {
    const msg: ServerMessage = { seq: e.seq, type: e.type, key: e.key, data: e.data, at: e.at };
    f = JSON.stringify(msg);
    frames.set(e, f);
  }
  return f;
}

export function parseLayers(list: readonly string[]): Set<EventType> | null {
  const out = new Set<EventType>();
  for (const l of list) {
    if (!(EVENT_TYPES as readonly string[]).includes(l)) return null;
    out.add(l as EventType);
  }
  return out;
}

export class StreamClient {
  layers: Set<EventType>;
  /** Highest bus seq this client has been brought up to (sent, filtered out or thinned). */
  private cursor = 0;
  /** Every event in (processedFrom, cursor] has been through this connection. */
  private processedFrom = 0;
  private replaying = false;
  private queue: SequencedEvent[] = [];
  private readonly lastPositionAt = new Map<string, number>();
  private readonly heldPositions = new Map<string, SequencedEvent>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private closed = false;
  private readonly interval: number;
  private readonly maxBuffered: number;
  private readonly maxQueued: number;
  private readonly lookback: number;
  private readonly onlyPublic: boolean;
  /** Messages sent (for tests and stats). */
  sent = 0;

  constructor(
    private readonly bus: EventBus,
    private readonly principal: Principal,
    private readonly sink: Sink,
    layers: Set<EventType> = new Set(EVENT_TYPES),
    opts: StreamClientOptions = {},
  ) {
    this.layers = layers;
    this.interval = opts.positionIntervalMs ?? 1000;
    this.maxBuffered = opts.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.maxQueued = opts.maxQueued ?? 100_000;
    this.lookback = opts.positionLookback ?? 5000;
    // Mediators without a police role see only their assigned disputes: no unit-scoped events. Volunteers
    // (not staff: the stream's permission does not reach them) would get none either, should one get here.
    this.onlyPublic = assignedOnly(principal) || !principal.roles.some(isStaffRole);
  }

  /** Subscribes and greets; with `since`, first replays what the client missed. */
  async start(since?: number): Promise<void> {
    this.unsubscribe = this.bus.subscribe((e) => this.onLive(e));
    if (since === undefined) {
      this.cursor = this.processedFrom = this.bus.lastSeq();
      this.sendControl('hello', this.cursor, { resumed: false, layers: [...this.layers] });
      return;
    }
    await this.resume(since, true);
  }

  /** Client message: {"since": n} or {"layers": [...]}. */
  async onMessage(text: string): Promise<void> {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return this.sendError('invalid_json', 'message is not valid JSON');
    }
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return this.sendError('bad_message', 'expected {"since": n} or {"layers": [...]}');
    const m = msg as Record<string, unknown>;
    const keys = Object.keys(m);
    if (keys.length === 1 && keys[0] === 'since') {
      if (!Number.isSafeInteger(m.since) || (m.since as number) < 0) return this.sendError('bad_message', 'since must be an integer ≥ 0');
      return this.resume(m.since as number, false);
    }
    if (keys.length === 1 && keys[0] === 'layers') {
      const layers = Array.isArray(m.layers) && m.layers.every((l) => typeof l === 'string') ? parseLayers(m.layers as string[]) : null;
      if (!layers) return this.sendError('bad_message', `layers must be a list of ${EVENT_TYPES.join(', ')}`);
      this.setLayers(layers);
      return;
    }
    return this.sendError('bad_message', 'expected {"since": n} or {"layers": [...]}');
  }

  setLayers(layers: Set<EventType>) {
    this.layers = layers;
    if (!layers.has('unit_position')) this.heldPositions.clear();
    this.sendControl('layers', this.cursor, { layers: [...layers] });
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.heldPositions.clear();
    this.queue = [];
  }

  private async resume(since: number, greeting: boolean): Promise<void> {
    this.replaying = true;
    this.queue = [];
    if (greeting) this.cursor = this.processedFrom = since;
    // Events in (processedFrom, cursor] already went through this connection: never twice.
    const doneFrom = this.processedFrom;
    const doneTo = this.cursor;
    let replay: { events: SequencedEvent[]; complete: boolean };
    try {
      replay = await replaySince(this.bus, since);
    } catch {
      replay = { events: [], complete: false };
    }
    if (this.closed) return;
    if (greeting) this.sendControl('hello', this.bus.lastSeq(), { resumed: replay.complete, layers: [...this.layers] });
    if (!replay.complete) {
      // Too far behind: the client reloads its state over REST and continues live from here.
      const last = replay.events.length ? replay.events[replay.events.length - 1].seq : 0;
      this.cursor = this.processedFrom = Math.max(this.bus.lastSeq(), last, this.cursor);
      this.heldPositions.clear();
      this.sendControl('resync', this.cursor, { since });
    } else {
      this.resendLastPositions(since, replay.events);
      for (const e of replay.events) if (e.seq <= doneFrom || e.seq > doneTo) this.process(e);
      this.processedFrom = Math.min(doneFrom, since);
    }
    for (const e of this.queue) if (e.seq > this.cursor) this.process(e);
    this.queue = [];
    this.replaying = false;
  }

  /**
   * A position held back by thinning when the old connection died has a seq at or below the client's
   * cursor: it would never be replayed. Send the last position of each unit from just before the cursor
   * again (positions are state: receiving one twice is harmless).
   */
  private resendLastPositions(since: number, replayed: SequencedEvent[]) {
    if (!this.layers.has('unit_position') || since === 0) return;
    const later = new Set<string>();
    for (const e of replayed) if (e.type === 'unit_position') later.add(e.key);
    const latest = new Map<string, SequencedEvent>();
    for (const e of this.bus.since(Math.max(0, since - this.lookback)).events) {
      if (e.seq > since) break;
      if (e.type === 'unit_position' && !later.has(e.key)) latest.set(e.key, e);
    }
    for (const e of latest.values()) if (this.visible(e)) this.sendEvent(e);
  }

  private onLive(e: SequencedEvent) {
    if (this.closed) return;
    if (this.replaying) {
      this.queue.push(e);
      if (this.queue.length > this.maxQueued) this.sink.drop('resume queue overflow');
      return;
    }
    if (e.seq > this.cursor) this.process(e);
  }

  private visible(e: SequencedEvent): boolean {
    if (!this.layers.has(e.type)) return false;
    if (e.unitPath === null) return true;
    return !this.onlyPublic && coversUnit(this.principal, e.unitPath);
  }

  private process(e: SequencedEvent) {
    if (e.seq > this.cursor) this.cursor = e.seq;
    if (!this.visible(e)) return;
    if (e.type !== 'unit_position') return this.sendEvent(e);
    const now = Date.now();
    const last = this.lastPositionAt.get(e.key);
    if (last === undefined || now - last >= this.interval) {
      this.heldPositions.delete(e.key);
      this.lastPositionAt.set(e.key, now);
      this.sendEvent(e);
      return;
    }
    // Too soon after the last one: keep only the newest and send it when the interval is over.
    this.heldPositions.set(e.key, e);
    this.sweepTimer ??= setInterval(() => this.sweep(), Math.max(10, Math.min(100, this.interval / 4)));
  }

  private sweep() {
    const now = Date.now();
    for (const [key, e] of this.heldPositions) {
      const last = this.lastPositionAt.get(key) ?? 0;
      if (now - last < this.interval) continue;
      this.heldPositions.delete(key);
      this.lastPositionAt.set(key, now);
      if (this.visible(e)) this.sendEvent(e);
    }
    if (!this.heldPositions.size && this.sweepTimer) {
      clearInterval(this.sweepTimer);
      this.sweepTimer = null;
    }
  }

  private sendEvent(e: SequencedEvent) {
    this.write(frameOf(e));
  }

  private sendControl(type: ServerMessage['type'], seq: number, data: unknown) {
    const msg: ServerMessage = { seq, type, data, at: new Date().toISOString() };
    this.write(JSON.stringify(msg));
  }

  private sendError(code: string, message: string) {
    this.sendControl('error', this.cursor, { code, message });
  }

  private write(text: string) {
    if (this.closed) return;
    if (this.sink.bufferedAmount > this.maxBuffered) {
      this.sink.drop('backpressure');
      this.close();
      return;
    }
    this.sink.send(text);
    this.sent++;
  }
}
