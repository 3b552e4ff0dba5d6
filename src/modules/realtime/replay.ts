/** Resumption helpers shared by the buses and the stream route. */
import type { EventBus, SequencedEvent } from './types.js';

export interface Replay {
  events: SequencedEvent[];
  complete: boolean;
}

/** A bus that can also fetch history it no longer holds in memory (NATS JetStream). */
export interface ReplayableBus {
  replay(seq: number): Promise<Replay>;
}

/** Everything after `seq` the bus can still give, from memory or (NATS) from the stream. */
export async function replaySince(bus: EventBus, seq: number): Promise<Replay> {
  const r = bus as EventBus & Partial<ReplayableBus>;
  if (typeof r.replay === 'function') return r.replay(seq);
  return bus.since(seq);
}
