/**
 * The in-process event bus (one server instance, no NATS_URL): a sequence counter, live delivery to
 * subscribers, and a ring buffer of the last events for clients that reconnect.
 */
import { EventRing } from './ring.js';
import type { BusEvent, EventBus, SequencedEvent } from './types.js';

export const DEFAULT_RING_SIZE = 50_000;

export interface MemoryBusOptions {
  /** Events kept for resumption (default 50,000). */
  ringSize?: number;
  log?: (msg: string) => void;
}

export class MemoryBus implements EventBus {
  readonly kind = 'memory' as const;
  private seq = 0;
  private readonly ring: EventRing;
  private readonly handlers = new Set<(e: SequencedEvent) => void>();
  private readonly log: (msg: string) => void;
  private closed = false;

  constructor(opts: MemoryBusOptions = {}) {
    this.ring = new EventRing(opts.ringSize ?? DEFAULT_RING_SIZE);
    this.log = opts.log ?? (() => {});
  }

  async publish(event: BusEvent): Promise<void> {
    if (this.closed) throw new Error('event bus is closed');
    const e: SequencedEvent = { type: event.type, unitPath: event.unitPath, key: event.key, at: event.at, data: event.data, seq: ++this.seq };
    this.ring.push(e);
    deliver(this.handlers, e, this.log);
  }

  subscribe(handler: (event: SequencedEvent) => void): () => void {
    this.handlers.add(handler);
    return () => {
      this.handlers.delete(handler);
    };
  }

  since(seq: number): { events: SequencedEvent[]; complete: boolean } {
    // A client holding a seq beyond ours saw a previous life of this process: it must resynchronise.
    if (seq > this.seq) return { events: [], complete: false };
    return this.ring.since(seq);
  }

  lastSeq(): number {
    return this.seq;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
  }
}

/** Calls every handler; one failing handler does not keep the event from the others. */
export function deliver(handlers: Iterable<(e: SequencedEvent) => void>, e: SequencedEvent, log: (msg: string) => void) {
  for (const h of handlers) {
    try {
      h(e);
    } catch (err) {
      log(`event handler failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
