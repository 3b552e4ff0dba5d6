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
import { ErrorAnswers, Strict } from '../../core/typebox.js';
import { EVENT_TYPES, type EventBus } from './types.js';
import { parseLayers, StreamClient, type StreamClientOptions } from './stream-client.js';
import type { Principal } from '../../core/access.js';
import { endedPrincipals, isEndedPrincipal, onCredentialsEnded } from '../auth/index.js';
import { foreignOrigin } from '../../core/origin.js';

const LAYER = `(?:${EVENT_TYPES.join('|')})`;
const StreamQuery = Strict({
  since: Type.Optional(Type.Integer({ minimum: 0, description: 'Resume after this seq (the last one the client received)' })),
  layers: Type.Optional(Type.String({ pattern: `^${LAYER}(?:,${LAYER})*$`, maxLength: 200, description: `Comma-separated layers (default all): ${EVENT_TYPES.join(', ')}` })),
});

export interface StreamRouteOptions extends StreamClientOptions {
  bus: EventBus;
  /**
   * WebSocket ping interval; a client that has not answered the previous ping is dropped. The principals
   * of the open connections are re-checked at the same pace (default: the app's config.streamHeartbeatMs,
   * otherwise 20 s).
   */
  heartbeatMs?: number;
  /**
   * Which of these principals may no longer act, and why (close reason). Default: in the application, the
   * sessions and tokens are re-read from the database (`endedPrincipals`); elsewhere nothing is checked.
   */
  revalidate?: (principals: readonly Principal[]) => Promise<Map<Principal, string>>;
}

/**
 * Close codes: 1008 policy (no principal), 1011 server error, 1013 try again later (slow consumer),
 * 4401 the session ended (sign-out, idle, password or role change, user disabled) or the token was
 * revoked — reconnecting with the same credentials is refused; sign in again.
 */
export const CLOSE_CREDENTIALS_ENDED = 4401;

interface Connection {
  socket: WebSocket;
  client: StreamClient;
  principal: Principal;
  alive: boolean;
}

export default async function streamRoutes(app: FastifyInstance, opts: StreamRouteOptions) {
  const { bus } = opts;
  const ctx = app.hasDecorator('ctx') ? app.ctx : undefined;
  const heartbeatMs = opts.heartbeatMs ?? ctx?.config.streamHeartbeatMs ?? 20_000;
  const revalidate = opts.revalidate ?? (ctx ? (ps: readonly Principal[]) => endedPrincipals(ctx.db, ps, ctx.config.sessionIdleMinutes) : undefined);
  const connections = new Set<Connection>();
  const trustedOrigins = ctx?.config.trustedOrigins ?? [];

  const endConnection = (c: Connection, reason: string) => {
    if (!connections.delete(c)) return;
    c.client.close();
    c.socket.close(CLOSE_CREDENTIALS_ENDED, reason);
  };

  // One timer for every connection: ping (drop who did not answer the last one), then re-check the principals.
  let checking = false;
  const heartbeat = setInterval(() => {
    for (const c of connections) {
      if (!c.alive) {
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      c.socket.ping();
    }
    if (!revalidate || checking || !connections.size) return;
    checking = true;
    const open = [...connections];
    revalidate(open.map((c) => c.principal))
      .then((ended) => {
        for (const c of open) {
          const reason = ended.get(c.principal);
          if (reason) endConnection(c, reason);
        }
      })
      .catch((err: unknown) => app.log.warn({ err }, 'stream: re-checking the principals failed'))
      .finally(() => {
        checking = false;
      });
  }, heartbeatMs);
  heartbeat.unref?.();

  // Sign-out, password change or revocation on this instance: close at once.
  const unlisten = onCredentialsEnded((e) => {
    for (const c of connections) if (isEndedPrincipal(c.principal, e)) endConnection(c, 'tokenId' in e ? 'token_revoked' : 'session_ended');
  });

  app.route<{ Querystring: Static<typeof StreamQuery> }>({
    method: 'GET',
    url: '/stream',
    config: { permission: 'stream.read' },
    schema: {
      tags: ['realtime'],
      summary: 'Live events over a WebSocket (incident, unit_status, unit_position, assignment, alert), filtered by jurisdiction and layers',
      description:
        'Upgrade to a WebSocket. The server sends `{"seq","type","key","data","at"}`; first `hello`. Send `{"since": n}` to resume after seq n ' +
        '(or give `?since=n`): missed events are replayed, or `resync` is sent when they are no longer held. Send `{"layers": [...]}` to change layers. ' +
        'Positions are thinned to one per second per unit. The socket is closed with code 4401 when the session ends or the token is revoked.',
      querystring: StreamQuery,
      // No 2xx: a plain GET is refused (400); the success is the upgrade (test/platform/contract.test.ts lists it).
      response: { 101: Type.Null({ description: 'Switching Protocols: the WebSocket, sending {seq, type, key, data, at}' }), ...ErrorAnswers },
    },
    // Browsers send Origin on every WebSocket upgrade and the cookie rides along whatever page opens it:
    // only our own pages (or trusted ones) may open the stream. No Origin: not a browser (API clients).
    onRequest: async (req) => {
      const foreign = foreignOrigin(req, trustedOrigins, { referer: false });
      if (foreign !== undefined) throw new AppError(403, 'csrf_origin', { origin: foreign });
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
      const conn: Connection = { socket, client, principal, alive: true };
      connections.add(conn);
      const done = () => {
        connections.delete(conn);
        client.close();
      };
      socket.on('pong', () => {
        conn.alive = true;
      });
      socket.on('close', done);
      socket.on('error', done);
      socket.on('message', (data, isBinary) => {
        conn.alive = true;
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
    clearInterval(heartbeat);
    unlisten();
    for (const c of connections) c.client.close();
    connections.clear();
  });
}
