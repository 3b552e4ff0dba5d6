/**
 * An open-loop HTTP load generator for the benches: request i is due at t0 + i / rate whatever the
 * server does, and its latency runs from that due time (not from when it was actually sent), so a
 * server — or a client — that falls behind shows in the figures instead of slowing the arrivals down
 * (no coordinated omission). Keep-alive connections (node:http Agent); `connections` caps how many.
 */
import http from 'node:http';

export interface OpenLoopRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface OpenLoopResult {
  /** Per request, ms from its due time to the end of its answer. */
  latencies: number[];
  statuses: Map<number, number>;
  /** From the first due time to the last answer, seconds. */
  elapsedS: number;
  /** Requests sent more than 5 ms after they were due (the generator itself fell behind). */
  lateSends: number;
}

export function keepAliveAgent(connections: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections, scheduling: 'fifo' });
}

/** One request; answers the status (0: no answer) once the whole body has arrived. */
export function send(agent: http.Agent, base: URL, r: OpenLoopRequest): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request({ agent, host: base.hostname, port: base.port, method: r.method, path: r.path, headers: r.body === undefined ? r.headers : { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    req.end(r.body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function openLoop(opts: { base: string; rate: number; count: number; agent: http.Agent; request: (i: number) => OpenLoopRequest; onAnswer?: (i: number, status: number) => void }): Promise<OpenLoopResult> {
  const base = new URL(opts.base);
  const interval = 1000 / opts.rate;
  const latencies: number[] = new Array(opts.count);
  const statuses = new Map<number, number>();
  const inflight: Promise<void>[] = [];
  let lateSends = 0;
  const t0 = performance.now() + 10;
  let i = 0;
  while (i < opts.count) {
    const now = performance.now();
    for (; i < opts.count && t0 + i * interval <= now; i++) {
      const k = i;
      const due = t0 + k * interval;
      if (now - due > 5) lateSends++;
      inflight.push(
        send(opts.agent, base, opts.request(k)).then((status) => {
          latencies[k] = performance.now() - due;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          opts.onAnswer?.(k, status);
        }),
      );
    }
    if (i < opts.count) await sleep(Math.max(0, Math.min(2, t0 + i * interval - performance.now() - 0.5)));
  }
  await Promise.all(inflight);
  return { latencies, statuses, elapsedS: (performance.now() - t0) / 1000, lateSends };
}
