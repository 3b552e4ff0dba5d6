/**
 * Real-time events: `createEventBus()` picks NATS JetStream when a URL is given (several server
 * instances share events) and the in-process bus otherwise; the event stream (`GET /stream`, a
 * WebSocket) delivers them to consoles by jurisdiction and layer. See docs/realtime.md.
 */
import { defineModule } from '../../kernel/module.js';
import { MemoryBus } from './memory-bus.js';
import { NatsBus } from './nats-bus.js';
import streamRoutes from './routes.js';
import type { EventBus } from './types.js';

export { MemoryBus } from './memory-bus.js';
export { NatsBus } from './nats-bus.js';
export { EVENT_TYPES, type BusEvent, type EventBus, type EventType, type SequencedEvent } from './types.js';
export { CLOSE_CREDENTIALS_ENDED, type StreamRouteOptions } from './routes.js';
export type { ServerMessage } from './stream-client.js';

export default defineModule({
  name: 'realtime',
  needs: ['auth'],
  permissions: [
    { id: 'stream.read', zh: '订阅辖区内的实时事件流', en: 'Subscribe to the live events of one’s jurisdiction', roles: 'any', tokenScopes: ['stream:read'] },
  ],
  tokenScopes: [{ id: 'stream:read', zh: '订阅实时事件流', en: 'Subscribe to the real-time event stream' }],
  // The bus is given by start.ts or created by buildApp (src/server/app.ts) before the routes.
  routes: async (api, kernel) => {
    const bus = kernel.ctx.bus;
    if (!bus) throw new Error('realtime: no event bus in the AppContext');
    await api.register(streamRoutes, { bus });
  },
});

export interface EventBusOptions {
  /** NATS_URL: nats://host:4222 — with it, NATS JetStream; without, the in-process bus. */
  natsUrl?: string;
  /** JetStream stream name (default SHOUWANG_EVENTS). */
  streamName?: string;
  /** Subject prefix (default "shouwang": subjects shouwang.events.<type>). */
  subjectPrefix?: string;
  /** Events kept in memory for reconnecting clients (default 50,000). */
  ringSize?: number;
  log?: (m: string) => void;
}

export async function createEventBus(opts: EventBusOptions = {}): Promise<EventBus> {
  const log = opts.log ?? (() => {});
  if (opts.natsUrl) {
    return NatsBus.connect({ url: opts.natsUrl, streamName: opts.streamName, subjectPrefix: opts.subjectPrefix, ringSize: opts.ringSize, log });
  }
  log('event bus: in-process (set NATS_URL to share events between several server instances)');
  return new MemoryBus({ ringSize: opts.ringSize, log });
}
