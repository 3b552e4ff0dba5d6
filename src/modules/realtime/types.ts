/**
 * The real-time contract between modules: events published on the bus and delivered to consoles over
 * the WebSocket stream. An in-process bus by default; NATS JetStream when NATS_URL is set, so several
 * server instances serve one city.
 */
/** `volunteer`: shifts short of people, volunteers' reports and linked-defence alerts, to the station's consoles (modules/volunteers). `cache`: a shared cache changed (key = its name); consoles may refetch, instances reload (kernel/cache-sync.ts). */
export const EVENT_TYPES = ['incident', 'unit_status', 'unit_position', 'assignment', 'alert', 'dispute', 'case_warning', 'cache', 'volunteer'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface BusEvent {
  type: EventType;
  /**
   * Jurisdiction path of the station the event belongs to ("/MO/MO01/MO0101/"), or null for events every
   * signed-in console may see. The stream delivers an event to a user only when this path starts with the
   * user's unit path (see coversUnit in src/core/access.ts).
   */
  unitPath: string | null;
  /** Entity the event is about (incident id, unit id …), used for thinning positions per unit. */
  key: string;
  /** ISO time the event happened. */
  at: string;
  data: unknown;
}

/** An event as delivered: `seq` increases strictly; a resuming client asks for everything after it. */
export interface SequencedEvent extends BusEvent {
  seq: number;
}

export interface EventBus {
  readonly kind: 'memory' | 'nats';
  publish(event: BusEvent): Promise<void>;
  /** Live events (on every instance, with NATS). Returns an unsubscribe function. */
  subscribe(handler: (event: SequencedEvent) => void): () => void;
  /**
   * Events after `seq` still held for resumption, oldest first; `complete` is false when some of them
   * have already been dropped (the client must then resynchronise in full).
   */
  since(seq: number): { events: SequencedEvent[]; complete: boolean };
  /** The highest seq seen so far (0 before the first event). */
  lastSeq(): number;
  close(): Promise<void>;
}
