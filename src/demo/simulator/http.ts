/**
 * A SimTarget over the REST API of a running server (`shouwang simulate`, benchmarks): signs in with a
 * password (session cookie; writes carry an Origin header equal to the server URL, as the CSRF check
 * wants) as a user who may take calls, dispatch and act for the units — the demo `dispatcher`. Positions
 * go one request per unit, or in one batch per tick with an API token that has the `avl:write` scope.
 */
import type { DispositionCode } from '../../modules/incidents/index.js';
import { roadPointsFromGeoJSON, type RoadLines } from './calls.js';
import type { SimIncident, SimPosition, SimRecommendation, SimRoute, SimTarget, SimUnitView } from './engine.js';

export interface HttpTargetOptions {
  /** Server URL, e.g. http://localhost:8080 */
  url: string;
  username?: string;
  password?: string;
  /** API token with scope avl:write: positions in one batch request (POST /units/positions). */
  avlToken?: string;
  /** Parallel single-position requests when there is no AVL token (default 8). */
  concurrency?: number;
  fetch?: typeof fetch;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface IncidentView {
  id: string;
  status: string;
  priority: string;
  location: { lon: number; lat: number } | null;
  createdBy?: string | null;
  times?: { recordedAt: string };
}

const toIncident = (v: IncidentView): SimIncident => ({ id: v.id, status: v.status, priority: v.priority, location: v.location ? { lon: v.location.lon, lat: v.location.lat } : null, createdBy: v.createdBy ?? null, recordedAt: v.times?.recordedAt });

export class HttpTarget implements SimTarget {
  readonly username: string;
  private readonly base: string;
  private readonly origin: string;
  private readonly doFetch: typeof fetch;
  private cookie: string | null = null;
  /** Requests made and failed (for the status line of load runs). */
  requests = 0;
  failures = 0;

  constructor(private readonly opts: HttpTargetOptions) {
    const u = new URL(opts.url);
    this.origin = u.origin;
    this.base = `${u.origin}/api/v1`;
    this.username = opts.username ?? 'dispatcher';
    this.doFetch = opts.fetch ?? fetch;
  }

  async login(): Promise<void> {
    const res = await this.doFetch(`${this.base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: this.origin },
      body: JSON.stringify({ username: this.username, password: this.opts.password ?? 'shouwang-demo' }),
    });
    if (res.status !== 200) throw new HttpError(res.status, 'login', `sign-in as ${this.username} failed: ${res.status} ${await res.text()}`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sw_session='));
    if (!cookie) throw new HttpError(500, 'login', 'sign-in gave no session cookie');
    this.cookie = cookie.split(';')[0];
  }

  private async request<T>(method: string, path: string, body?: unknown, auth: 'session' | 'avl' = 'session', retry = true): Promise<T> {
    if (auth === 'session' && !this.cookie) await this.login();
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth === 'avl') headers.authorization = `Bearer ${this.opts.avlToken}`;
    else {
      headers.cookie = this.cookie!;
      headers.origin = this.origin;
    }
    this.requests++;
    const res = await this.doFetch(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status === 401 && auth === 'session' && retry) {
      this.cookie = null;
      return this.request<T>(method, path, body, auth, false);
    }
    const text = await res.text();
    if (res.status >= 400) {
      this.failures++;
      let code = 'error';
      try {
        code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? code;
      } catch {}
      throw new HttpError(res.status, code, `${method} ${path}: ${res.status} ${code}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async createIncident(input: Parameters<SimTarget['createIncident']>[0]): Promise<SimIncident> {
    return toIncident(await this.request<IncidentView>('POST', '/incidents', input));
  }

  async closeIncident(id: string, dispositionCode: DispositionCode, note: string): Promise<void> {
    await this.request('POST', `/incidents/${encodeURIComponent(id)}/transitions`, { to: 'closed', dispositionCode, dispositionNote: note });
  }

  async recommendations(id: string): Promise<SimRecommendation[]> {
    return this.request<SimRecommendation[]>('GET', `/incidents/${encodeURIComponent(id)}/recommendations?limit=10`);
  }

  async assign(id: string, unitIds: string[]): Promise<{ id: string; unitId: string }[]> {
    return (await this.request<{ items: { id: string; unitId: string }[] }>('POST', `/incidents/${encodeURIComponent(id)}/assignments`, { unitIds })).items;
  }

  async ack(id: string): Promise<void> {
    await this.request('POST', `/assignments/${encodeURIComponent(id)}/ack`);
  }

  async setUnitStatus(unitId: string, status: string, extra: { dispositionCode?: string; note?: string } = {}): Promise<void> {
    await this.request('POST', `/units/${encodeURIComponent(unitId)}/status`, { status, ...extra });
  }

  async reportPositions(batch: SimPosition[]): Promise<{ accepted: number; rejected: number }> {
    if (this.opts.avlToken) {
      let accepted = 0;
      for (let i = 0; i < batch.length; i += 5000) {
        const r = await this.request<{ accepted: number }>('POST', '/units/positions', batch.slice(i, i + 5000), 'avl');
        accepted += r.accepted;
      }
      return { accepted, rejected: batch.length - accepted };
    }
    let accepted = 0;
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const { unitId, ...p } = batch[next++];
        try {
          await this.request('POST', `/units/${encodeURIComponent(unitId)}/position`, p);
          accepted++;
        } catch {}
      }
    };
    await Promise.all(Array.from({ length: Math.min(batch.length, this.opts.concurrency ?? 8) }, worker));
    return { accepted, rejected: batch.length - accepted };
  }

  async listUnits(): Promise<SimUnitView[]> {
    return (await this.request<{ items: SimUnitView[] }>('GET', '/units')).items;
  }

  async openIncidents(): Promise<SimIncident[]> {
    const q = ['new', 'dispatched', 'en_route', 'on_scene'].map((s) => `status=${s}`).join('&');
    return (await this.request<{ items: IncidentView[] }>('GET', `/incidents?${q}&mine=true&limit=200`)).items.map(toIncident);
  }

  async incident(id: string): Promise<SimIncident | null> {
    try {
      return toIncident(await this.request<IncidentView>('GET', `/incidents/${encodeURIComponent(id)}`));
    } catch (err) {
      if (err instanceof HttpError && err.status === 404) return null;
      throw err;
    }
  }

  async routeGeometry(from: { lon: number; lat: number }, to: { lon: number; lat: number }): Promise<SimRoute | null> {
    try {
      const r = await this.request<{ route: { seconds: number; meters: number; geometry: { coordinates: [number, number][] } } | null }>('GET', `/roads/eta?to=${to.lon.toFixed(7)},${to.lat.toFixed(7)}&from=${from.lon.toFixed(7)},${from.lat.toFixed(7)}&route=0`);
      return r.route ? { seconds: r.route.seconds, meters: r.route.meters, coordinates: r.route.geometry.coordinates } : null;
    } catch (err) {
      if (err instanceof HttpError && err.status === 400) return null; // off the road network
      throw err;
    }
  }

  async roadPoints() {
    return roadPointsFromGeoJSON(await this.request<RoadLines>('GET', '/roads'));
  }
}
