/**
 * Open311 GeoReport v2 under /open311/v2/ (registered by the server outside /api: the spec's own paths,
 * errors and formats). GET services, services/{code}, requests (filters service_request_id,
 * service_code, start_date, end_date, status), requests/{id}, tokens/{id} and discovery need no key;
 * POST requests (form-encoded) needs an `api_key` made by an administrator. A request made here is the
 * same report as one made in the portal (channel `open311`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { and, asc, desc, eq, gte, inArray, lt, ne, sql } from 'drizzle-orm';
import { appendAudit, pendingAuditRecord, type AuditEntry } from '../audit/index.js';
import { AppError } from '../../core/errors.js';
import type { CitizenDeps } from './deps.js';
import { citizenReports } from './schema.js';
import { VIOLATION_SERVICE } from './domain/violation.js';

/** 随手拍 violation reports are seen by their reporter and staff only: never by an Open311 client. */
const notPrivate = ne(citizenReports.serviceCode, VIOLATION_SERVICE);
import { errorDocument, idText, listArg, render, reportId, splitFormat, w3, type Format, type O311Value } from './domain/open311.js';
import { open311Request, open311Service, type ServiceNames } from './views.js';
import { open311KeyId } from './keys.js';
import type { ReportRow } from './reports.js';

export const OPEN311_PREFIX = '/open311/v2';
const SPEC = 'http://wiki.open311.org/GeoReport_v2';
const MAX_RANGE_DAYS = 90;
const MAX_LIST = 1000;

/** An error of the spec's shape. */
class O311Error extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
  }
}

function formatOf(req: FastifyRequest): Format {
  return /\.xml(\?|$)/i.test(req.url) ? 'xml' : 'json';
}

function send(reply: FastifyReply, format: Format, root: string, value: O311Value, status = 200) {
  const out = render(format, root, value);
  return reply.status(status).type(out.type).header('cache-control', 'no-store').send(out.body);
}

function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

function dateArg(v: unknown, name: string): Date | undefined {
  const s = first(v);
  if (s === undefined || s === null || s === '') return undefined;
  const d = new Date(String(s));
  if (typeof s !== 'string' || s.length > 40 || Number.isNaN(d.getTime()) || !/^\d{4}-\d\d-\d\d/.test(s)) throw new O311Error(400, `${name} must be a w3 date-time, e.g. 2010-01-01T00:00:00Z`);
  return d;
}

export default async function open311Routes(app: FastifyInstance, opts: { deps: CitizenDeps }) {
  const { deps } = opts;
  const { reports } = deps;
  const names = (): Promise<ServiceNames> => reports.servicesByCode();
  const requestDoc = async (rows: ReportRow[]) => {
    const services = await names();
    return Promise.all(rows.map(async (r) => open311Request(r, services, (await deps.jurisdiction.unit(r.unitId))?.name ?? deps.agency, null)));
  };

  // The spec's POST is form-encoded (attribute[CODE]=… keys kept as they are).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    const out: Record<string, string> = {};
    let n = 0;
    for (const [k, v] of new URLSearchParams(body as string)) {
      if (++n > 100) break;
      if (!(k in out)) out[k] = v;
    }
    done(null, out);
  });

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    const format = formatOf(req);
    if (err instanceof O311Error) return send(reply, format, 'errors', [{ code: err.status, description: err.description }], err.status);
    if (err instanceof AppError) {
      const detail = (err.params as Record<string, unknown>)?.en ?? err.code;
      const field = err.field ? `${err.field}: ` : '';
      return send(reply, format, 'errors', [{ code: err.status, description: `${field}${String(detail)}` }], err.status >= 500 ? 500 : err.status === 409 ? 400 : err.status);
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'open311 failed');
    const out = errorDocument(format, status, status === 500 ? 'General service error' : err.message.slice(0, 200));
    return reply.status(status).type(out.type).send(out.body);
  });

  const discovery = (req: FastifyRequest) => {
    const base = `${req.protocol}://${req.headers.host ?? 'localhost'}${OPEN311_PREFIX}`;
    return {
      changeset: '2026-12-02 00:00',
      contact: '守望 Shouwang: the city police bureau’s citizen service desk (see the portal at /portal/)',
      key_service: 'API keys are created by an administrator of the bureau (shouwang open311 key create --name <client>)',
      endpoints: [{ specification: SPEC, url: base, changeset: '2026-12-02 00:00', type: 'production', formats: ['text/xml', 'application/json'] }],
    };
  };
  for (const format of ['json', 'xml'] as const) {
    app.get(`/discovery.${format}`, async (req, reply) => send(reply, format, 'discovery', discovery(req)));
    app.get(`/services.${format}`, async (_req, reply) => send(reply, format, 'services', (await reports.services()).map(open311Service)));
    app.get(`/requests.${format}`, async (req, reply) => send(reply, format, 'service_requests', await requestDoc(await listRequests(req.query as Record<string, unknown>))));
    app.post(`/requests.${format}`, async (req, reply) => send(reply, format, 'service_requests', await createRequest(req), 201));
  }

  app.get('/services/:file', async (req, reply) => {
    const f = splitFormat((req.params as { file: string }).file);
    if (!f) throw new O311Error(404, 'Use services/{service_code}.json or .xml');
    const service = await reports.service(f.name);
    if (!service || !service.active) throw new O311Error(404, `service_code ${f.name} not found`);
    // No extra attributes: every service is described by the core fields.
    return send(reply, f.format, 'service_definition', { service_code: service.code, attributes: [] });
  });

  app.get('/requests/:file', async (req, reply) => {
    const f = splitFormat((req.params as { file: string }).file);
    if (!f) throw new O311Error(404, 'Use requests/{service_request_id}.json or .xml');
    const id = reportId(f.name);
    const [row] = id ? await deps.db.select().from(citizenReports).where(and(eq(citizenReports.id, id), notPrivate)) : [];
    if (!row) throw new O311Error(404, `service_request_id ${f.name} not found`);
    return send(reply, f.format, 'service_requests', await requestDoc([row]));
  });

  app.get('/tokens/:file', async (req, reply) => {
    const f = splitFormat((req.params as { file: string }).file);
    if (!f) throw new O311Error(404, 'Use tokens/{token}.json or .xml');
    const token = idText(f.name);
    const [row] = token ? await deps.db.select({ id: citizenReports.id, token: citizenReports.token }).from(citizenReports).where(eq(citizenReports.token, token)) : [];
    if (!row) throw new O311Error(404, `token ${f.name} not found`);
    return send(reply, f.format, 'service_requests', [{ service_request_id: String(row.id), token: row.token }]);
  });

  // Anything else under the prefix: the spec's 404 (a route of its own, so the web app's static files never answer here).
  const nothing = (req: FastifyRequest, reply: FastifyReply) => send(reply, formatOf(req), 'errors', [{ code: 404, description: 'No such Open311 resource' }], 404);
  app.get('/*', nothing);
  app.setNotFoundHandler(nothing);

  async function listRequests(q: Record<string, unknown>): Promise<ReportRow[]> {
    const ids = listArg(q.service_request_id);
    if (ids.length) {
      // "This overrides all other arguments."
      const nums = ids.map((s) => reportId(s));
      if (nums.some((n) => n === null)) throw new O311Error(400, 'service_request_id must be numbers, comma delimited');
      return deps.db.select().from(citizenReports).where(and(inArray(citizenReports.id, nums as number[]), notPrivate)).orderBy(asc(citizenReports.id));
    }
    const codes = listArg(q.service_code);
    const statuses = listArg(q.status);
    for (const s of statuses) if (s !== 'open' && s !== 'closed') throw new O311Error(400, `status must be open or closed, not ${s.slice(0, 20)}`);
    let end = dateArg(q.end_date, 'end_date');
    let start = dateArg(q.start_date, 'start_date');
    const day = 86_400_000;
    if (!start && !end) {
      end = new Date(Date.now() + 60_000);
      start = new Date(end.getTime() - MAX_RANGE_DAYS * day);
    }
    else if (!start) start = new Date(end!.getTime() - MAX_RANGE_DAYS * day);
    else if (!end) end = new Date(Math.min(start.getTime() + MAX_RANGE_DAYS * day, Date.now() + 60_000));
    if (end! <= start!) throw new O311Error(400, 'end_date must be after start_date');
    if (end!.getTime() - start!.getTime() > MAX_RANGE_DAYS * day + 1000) throw new O311Error(400, 'start_date and end_date may not span more than 90 days');
    const open = sql`${citizenReports.status} in ('received','accepted','in_progress')`;
    const statusCond = statuses.length === 1 ? (statuses[0] === 'open' ? open : sql`not (${open})`) : undefined;
    return deps.db
      .select()
      .from(citizenReports)
      .where(and(gte(citizenReports.createdAt, start!), lt(citizenReports.createdAt, end!), codes.length ? inArray(citizenReports.serviceCode, codes) : undefined, statusCond, notPrivate))
      .orderBy(desc(citizenReports.createdAt))
      .limit(MAX_LIST);
  }

  async function createRequest(req: FastifyRequest) {
    const b = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const keyId = await open311KeyId(deps.db, typeof b.api_key === 'string' ? b.api_key : undefined);
    if (!keyId) throw new O311Error(403, "Invalid api_key received -- can't proceed with create_request.");
    const code = idText(b.service_code);
    if (!code) throw new O311Error(400, 'service_code was not provided');
    const service = (await reports.servicesByCode()).get(code);
    if (!service || !service.active) throw new O311Error(404, `service_code ${code} not found`);
    const lat = b.lat === undefined || b.lat === '' ? undefined : Number(b.lat);
    const lon = b.long === undefined || b.long === '' ? undefined : Number(b.long);
    const addressId = idText(b.address_id) ?? undefined;
    if ((lat === undefined) !== (lon === undefined) || (lat !== undefined && (!Number.isFinite(lat) || !Number.isFinite(lon!) || Math.abs(lat) > 90 || Math.abs(lon!) > 180))) {
      throw new O311Error(400, 'lat and long must be given together as WGS84 numbers');
    }
    if (lat === undefined && !addressId) throw new O311Error(400, 'A location is required: lat and long, or address_id (a standard address code)');
    const description = typeof b.description === 'string' ? b.description.trim().slice(0, 4000) : '';
    if (!description) throw new O311Error(400, 'description was not provided');
    const now = new Date();
    const d = await reports.draft(service, { serviceCode: service.code, description, location: lat !== undefined ? { lon: lon!, lat } : undefined, addressCode: lat === undefined ? addressId : undefined }, { channel: 'open311', citizenId: null, apiKeyId: keyId }, now);
    // The report, its first event and the audit entry are written in one statement with the concurrent requests' (open311-intake.ts).
    const entry: AuditEntry = { at: now, userId: null, username: `open311:${keyId}`, roles: [], unitId: null, action: 'open311.request', entity: 'citizen_report', entityId: null, outcome: 'success', requestId: String(req.id), clientIp: req.ip, detail: { serviceCode: service.code } };
    const row = await deps.open311.create({ values: d.values, note: d.note, by: d.by, audit: { key: String(req.id), record: pendingAuditRecord(entry) } });
    await appendAudit(deps.db, { ...entry, entityId: String(row.id), pendingKey: String(req.id) });
    return [{ service_request_id: String(row.id), token: row.token, service_notice: `${service.nameZh}：已收到，将由 ${(await deps.jurisdiction.unit(row.unitId))?.name ?? deps.agency} 处理`, account_id: null }];
  }
  void w3;
}
