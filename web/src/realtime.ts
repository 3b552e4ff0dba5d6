/**
 * The live event stream (GET /api/v1/stream, a WebSocket): one reconnecting client per page.
 *
 * Server → client `{"seq","type","data","at"}` with type incident | unit_status | unit_position |
 * assignment | alert | dispute | case_warning; first `{"type":"hello","seq":n}`; `{"type":"resync"}` when missed events are
 * no longer held (reload everything through REST). Client → server `{"since": seq}` to resume after
 * the last event received, `{"layers": [...]}` to choose what to receive.
 *
 * Reconnects with exponential backoff (1 s → 30 s, with jitter) and resumes with the last seq. The
 * screens never depend on it: their queries poll (see `usePollInterval`) and poll slower while the
 * stream is live.
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import { reportUnauthorized } from './api';

export const STREAM_TYPES = ['incident', 'unit_status', 'unit_position', 'assignment', 'alert', 'dispute', 'case_warning', 'volunteer'] as const;
export type StreamType = (typeof STREAM_TYPES)[number];

export interface StreamEvent<T = unknown> {
  seq: number;
  type: StreamType;
  key?: string;
  data: T;
  at: string;
}

export type StreamState = 'connecting' | 'live' | 'offline';
type Listener = (e: StreamEvent) => void;

/** Which queries each event type makes stale (a resync makes all of them stale). */
const INVALIDATES: Record<StreamType, readonly (readonly string[])[]> = {
  incident: [['dispatch', 'incidents'], ['incidents'], ['me', 'assignment']],
  unit_status: [['dispatch', 'units'], ['me', 'assignment']],
  unit_position: [],
  assignment: [['dispatch', 'assignments'], ['dispatch', 'incidents'], ['me', 'assignment'], ['me', 'assignments'], ['dispatch', 'recommendations']],
  alert: [['dispatch', 'alerts']],
  // The register, the call-taker's hints, the map's risk places and an incident's linked disputes.
  dispute: [['disputes']],
  // A clock's warning raised or resolved, or a station's daily digest: the tray and the case pages.
  case_warning: [['cases']],
  // A shift short of people, a volunteer's report, a linked-defence alert: the volunteers page and card.
  volunteer: [['volunteers']],
};

export interface RealtimeOptions {
  url?: string;
  layers?: readonly StreamType[];
  /** For tests: the WebSocket constructor. */
  WebSocketImpl?: typeof WebSocket;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Called when the server closes the stream because the session is over (close code 4401). */
  onSessionEnded?: (reason: string) => void;
}

export class RealtimeClient {
  private ws: WebSocket | null = null;
  private lastSeq: number | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private state: StreamState = 'offline';
  private readonly listeners = new Map<StreamType | '*', Set<Listener>>();
  private readonly stateListeners = new Set<() => void>();
  private readonly resyncListeners = new Set<() => void>();
  private readonly opts: Required<Omit<RealtimeOptions, 'WebSocketImpl' | 'layers'>> & Pick<RealtimeOptions, 'WebSocketImpl' | 'layers'>;

  constructor(opts: RealtimeOptions = {}) {
    this.opts = { url: opts.url ?? '/api/v1/stream', minDelayMs: opts.minDelayMs ?? 1000, maxDelayMs: opts.maxDelayMs ?? 30_000, layers: opts.layers, WebSocketImpl: opts.WebSocketImpl, onSessionEnded: opts.onSessionEnded ?? (() => {}) };
  }

  get status(): StreamState {
    return this.state;
  }

  get seq(): number | null {
    return this.lastSeq;
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onclose = ws.onerror = ws.onmessage = null;
      try {
        ws.close(1000, 'bye');
      } catch {
        /* already closed */
      }
    }
    this.setState('offline');
  }

  /** Listen to one event type (or '*'); returns the unsubscribe function. */
  on(type: StreamType | '*', f: Listener): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(f);
    return () => set.delete(f);
  }

  onResync(f: () => void): () => void {
    this.resyncListeners.add(f);
    return () => this.resyncListeners.delete(f);
  }

  subscribeState = (f: () => void): (() => void) => {
    this.stateListeners.add(f);
    return () => this.stateListeners.delete(f);
  };

  private setState(s: StreamState) {
    if (s === this.state) return;
    this.state = s;
    for (const f of this.stateListeners) f();
  }

  private wsUrl(): string {
    const u = new URL(this.opts.url, window.location.href);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.opts.layers?.length) u.searchParams.set('layers', this.opts.layers.join(','));
    return u.toString();
  }

  private connect() {
    if (this.stopped) return;
    const Impl = this.opts.WebSocketImpl ?? (typeof WebSocket !== 'undefined' ? WebSocket : undefined);
    if (!Impl) {
      this.setState('offline');
      return;
    }
    if (this.attempt < 2) this.setState('connecting');
    let ws: WebSocket;
    try {
      ws = new Impl(this.wsUrl());
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onmessage = (m) => {
      if (typeof m.data !== 'string') return;
      let msg: { type?: string; seq?: number; data?: unknown; at?: string; key?: string };
      try {
        msg = JSON.parse(m.data) as typeof msg;
      } catch {
        return;
      }
      this.handle(ws, msg);
    };
    ws.onerror = () => {
      /* onclose follows */
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      // 4401: the server ended the stream because the session ended or the token was revoked.
      // Reconnecting would only be refused: stop, and let the app go to the sign-in page.
      if (ev.code === 4401) {
        this.stopped = true;
        this.setState('offline');
        this.opts.onSessionEnded(ev.reason || 'session_ended');
        return;
      }
      this.scheduleReconnect();
    };
  }

  private handle(ws: WebSocket, msg: { type?: string; seq?: number; data?: unknown; at?: string; key?: string }) {
    if (msg.type === 'hello') {
      this.attempt = 0;
      const resuming = this.lastSeq !== null;
      // Ask for what we missed since the last event we received.
      if (resuming) ws.send(JSON.stringify({ since: this.lastSeq }));
      else if (typeof msg.seq === 'number') this.lastSeq = msg.seq;
      if (this.opts.layers?.length) ws.send(JSON.stringify({ layers: this.opts.layers }));
      this.setState('live');
      return;
    }
    if (msg.type === 'resync') {
      if (typeof msg.seq === 'number') this.lastSeq = msg.seq;
      for (const f of this.resyncListeners) f();
      return;
    }
    if (!msg.type || !(STREAM_TYPES as readonly string[]).includes(msg.type)) return;
    if (typeof msg.seq === 'number') {
      if (this.lastSeq !== null && msg.seq <= this.lastSeq) return; // replayed twice
      this.lastSeq = msg.seq;
    }
    const e = msg as StreamEvent;
    for (const f of this.listeners.get(e.type) ?? []) f(e);
    for (const f of this.listeners.get('*') ?? []) f(e);
  }

  private scheduleReconnect() {
    if (this.stopped) {
      this.setState('offline');
      return;
    }
    const base = Math.min(this.opts.maxDelayMs, this.opts.minDelayMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 10);
    const delay = base / 2 + Math.random() * (base / 2);
    if (this.attempt >= 2) this.setState('offline');
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }
}

let shared: RealtimeClient | null = null;
let users = 0;

/** The page's client, started while at least one component uses it. */
export function getRealtime(): RealtimeClient {
  shared ??= new RealtimeClient({ onSessionEnded: (reason) => reportUnauthorized(reason, reason) });
  return shared;
}

/**
 * Keeps the stream open while mounted and wires it to TanStack Query: events make the matching queries
 * stale, a resync makes all of them stale. Returns the connection state.
 */
export function useRealtime(qc: QueryClient): StreamState {
  const client = getRealtime();
  useEffect(() => {
    users++;
    client.start();
    let pending = new Set<string>();
    let flush: ReturnType<typeof setTimeout> | null = null;
    // Invalidate at most every 300 ms (a burst of events costs one refetch).
    const offAll = client.on('*', (e) => {
      for (const k of INVALIDATES[e.type]) pending.add(JSON.stringify(k));
      if (!flush && pending.size)
        flush = setTimeout(() => {
          const keys = pending;
          pending = new Set();
          flush = null;
          for (const k of keys) void qc.invalidateQueries({ queryKey: JSON.parse(k) as string[] });
        }, 300);
    });
    const offResync = client.onResync(() => void qc.invalidateQueries());
    return () => {
      offAll();
      offResync();
      if (flush) clearTimeout(flush);
      users--;
      if (users === 0) client.stop();
    };
  }, [client, qc]);
  return useSyncExternalStore(client.subscribeState, () => client.status);
}

/** Listen to one event type while mounted (the handler may change between renders). */
export function useStreamEvent<T>(type: StreamType, handler: (e: StreamEvent<T>) => void) {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => getRealtime().on(type, (e) => ref.current(e as StreamEvent<T>)), [type]);
}

/** How often to poll: every 3 s without the stream, every 15 s as a safety net while it is live. */
export function pollInterval(state: StreamState): number {
  return state === 'live' ? 15_000 : 3_000;
}
