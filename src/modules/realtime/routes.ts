/**
 * The event stream (registered under /api/v1): `GET /stream` upgraded to a WebSocket.
 *
 * Server → client: `{"seq", "type", "key"?, "data", "at"}` — first `hello` (seq = the latest event),
 * then incident / unit_status / unit_position / assignment / alert events the user may see, `resync` when
 * a resume cannot be served, `layers` acknowledging a layer change, `error` for a bad message.
 * Client → server: `{"since": n}` (resume after seq n) or `{"layers": [...]}`. Protocol: docs/realtime.md.
 */
import type { FastifyInstance } from 'fastify';
import type {} from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { Type, type Static } from '@sinclair/typebox';
import { AppError } from '../../core/errors.js';
import { Strict } from '../../core/typebox.js';
import { EVENT_TYPES, type EventBus } from './types.js';
import { parseLayers, StreamClient, type StreamClientOptions } from './stream-client.js';

const LAYER = `(?:${EVENT_TYPES.join('|')})`;
const StreamQuery = Strict({
  since: Type.Optional(Type.Integer({ minimum: 0, description: 'Resume after this seq (the last one the client received)' })),
  layers: Type.Optional(Type.String({ pattern: `^${LAYER}(?:,${LAYER})*$`, maxLength: 200, description: `Comma-separated layers (default all): ${EVENT_TYPES.join(', ')}` })),
});

export interface StreamRouteOptions extends StreamClientOptions {
  bus: EventBus;
  /** WebSocket ping interval; a client that has not answered the previous ping is dropped (default 20 s). */
  heartbeatMs?: number;
}

/** Close codes: 1008 policy (no principal), 1011 server error, 1013 try again later (slow consumer). */
export default async function streamRoutes(app: FastifyInstance, opts: StreamRouteOptions) {
  const { bus } = opts;
  const heartbeatMs = opts.heartbeatMs ?? 20_000;
  const clients = new Set<StreamClient>();

  app.route<{ Querystring: Static<typeof StreamQuery> }>({
    method: 'GET',
    url: '/stream',
    config: { policy: { roles: 'any', tokenScopes: ['stream:read'] } },
    schema: {
      tags: ['realtime'],
      summary: 'Live events over a WebSocket (incident, unit_status, unit_position, assignment, alert), filtered by jurisdiction and layers',
      description:
        'Upgrade to a WebSocket. The server sends `{"seq","type","key","data","at"}`; first `hello`. Send `{"since": n}` to resume after seq n ' +
        '(or give `?since=n`): missed events are replayed, or `resync` is sent when they are no longer held. Send `{"layers": [...]}` to change layers. ' +
        'Positions are thinned to one per second per unit.',
      querystring: StreamQuery,
    },
    // A plain HTTP GET (no upgrade) is a client error.
    handler: async () => {
      throw new AppError(400, 'invalid_value', { field: 'Upgrade', detail: 'this endpoint needs a WebSocket upgrade (Upgrade: websocket)' }, 'Upgrade');
    },
    wsHandler: (socket: WebSocket, req) => {
      const principal = req.principal;
      if (!principal) {
        socket.close(1008, 'unauthenticated');
        return;
      }
      const layers = req.query.layers ? parseLayers(req.query.layers.split(','))! : undefined;
      const client = new StreamClient(
        bus,
        principal,
        {
          get bufferedAmount() {
            return socket.bufferedAmount;
          },
          send: (text) => socket.send(text),
          drop: (reason) => {
            req.log.info({ reason }, 'stream client dropped');
            socket.terminate();
          },
        },
        layers,
        opts,
      );
      clients.add(client);
      let alive = true;
      const heartbeat = setInterval(() => {
        if (!alive) {
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
      }, heartbeatMs);
      heartbeat.unref?.();
      const done = () => {
        clearInterval(heartbeat);
        client.close();
        clients.delete(client);
      };
      socket.on('pong', () => {
        alive = true;
      });
      socket.on('close', done);
      socket.on('error', done);
      socket.on('message', (data, isBinary) => {
        alive = true;
        if (isBinary) return;
        client.onMessage(data.toString()).catch((err) => req.log.error({ err }, 'stream message failed'));
      });
      client.start(req.query.since).catch((err) => {
        req.log.error({ err }, 'stream start failed');
        socket.close(1011, 'internal error');
      });
    },
  });

  // An upgrade refused before it happened (401/403/400) must not leave its socket open: @fastify/websocket
  // closes it only when its own onRequest hook ran before the one that refused.
  app.addHook('onResponse', async (req) => {
    if (String(req.headers.upgrade ?? '').toLowerCase() === 'websocket') req.raw.socket?.destroy();
  });

  app.addHook('onClose', async () => {
    for (const c of clients) c.close();
  });
}
