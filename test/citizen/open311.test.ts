/**
 * Open311 GeoReport v2 round trip on both databases: discovery, services, a service definition, POST
 * requests with an administrator's key (codes as numbers or strings), GET requests with the spec's
 * filters, requests/{id}, tokens/{id}; JSON validated against the GeoReport v2 schemas (assets/), XML
 * well-formed with the spec's element names; errors in the spec's shape and status codes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { validate as validateXml, parse as parseXml } from 'fast-xml-parser';
import { createTestApp, ORIGIN, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { and, eq, inArray } from 'drizzle-orm';
import { auditLog, auditPending } from '../../src/db/schema.js';
import { citizenReportEvents } from '../../src/modules/citizen/schema.js';

const SCHEMAS = path.join(import.meta.dirname, '../../assets/standards/open311/schemas');
const schema = (name: string) => JSON.parse(fs.readFileSync(path.join(SCHEMAS, name), 'utf8'));
const ajv = new Ajv({ strict: false, validateFormats: false });
for (const n of ['request.json', 'service.json', 'service-definition.json']) ajv.addSchema(schema(n), n);
const validRequests = ajv.compile(schema('requests.json'));
const validServices = ajv.compile(schema('services.json'));

const station = demoOrganisation().find((u) => u.kind === 'station')!;
const [lon, lat] = station.center!;

describe.each(testDrivers())('Open311 GeoReport v2 on %s', (driver) => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    const admin = await t.login('admin');
    const made = await t.app.inject({ method: 'POST', url: '/api/v1/open311/keys', headers: admin, payload: { name: 'test client' } });
    expect(made.statusCode, made.body).toBe(201);
    key = made.json().key;
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/open311/keys', headers: await t.login('chief'), payload: { name: 'x' } })).statusCode).toBe(403);
  });
  afterAll(() => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url: `/open311/v2/${url}` });
  const post = (format: 'json' | 'xml', form: Record<string, string | number>) =>
    t.app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', origin: ORIGIN }, payload: new URLSearchParams(Object.entries(form).map(([k, v]) => [k, String(v)])).toString() });

  const xmlOk = (body: string, root: string) => {
    expect(validateXml(body)).toBe(true);
    expect(body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    return parseXml(body, { parseTrueNumberOnly: true })[root];
  };

  it('discovery and services, JSON and XML, by the schemas', async () => {
    const d = await get('discovery.json');
    expect(d.statusCode).toBe(200);
    expect(d.json().endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', formats: ['text/xml', 'application/json'] });
    expect(xmlOk((await get('discovery.xml')).body, 'discovery').endpoints.endpoint.formats.format).toEqual(['text/xml', 'application/json']);
    const s = await get('services.json');
    expect(s.headers['content-type']).toContain('application/json');
    expect(validServices(s.json()), JSON.stringify(validServices.errors)).toBe(true);
    expect(s.json().map((x: { service_code: string }) => x.service_code)).toContain('101');
    const sx = await get('services.xml');
    expect(sx.headers['content-type']).toContain('text/xml');
    const services = xmlOk(sx.body, 'services').service;
    expect(services.length).toBe(s.json().length);
    const def = await get('services/101.json');
    expect(def.json()).toMatchObject({ service_code: '101', attributes: [] });
    expect(ajv.validate('service-definition.json', def.json()), JSON.stringify(ajv.errors)).toBe(true);
    xmlOk((await get('services/101.xml')).body, 'service_definition');
  });

  it('errors in the spec’s shape: unknown service 404, no key 403, missing fields 400', async () => {
    const missing = await get('services/999.json');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual([{ code: 404, description: expect.stringContaining('999') }]);
    const missingXml = await get('services/999.xml');
    expect(xmlOk(missingXml.body, 'errors').error.code).toBe(404);
    const noKey = await post('json', { service_code: '101', lat, long: lon, description: 'x' });
    expect(noKey.statusCode).toBe(403);
    expect(noKey.json()[0]).toEqual({ code: 403, description: "Invalid api_key received -- can't proceed with create_request." });
    expect((await post('json', { api_key: 'nope', service_code: '101', lat, long: lon, description: 'x' })).statusCode).toBe(403);
    for (const [form, status] of [
      [{ api_key: key, lat, long: lon, description: 'x' }, 400],
      [{ api_key: key, service_code: '777', lat, long: lon, description: 'x' }, 404],
      [{ api_key: key, service_code: '101', description: 'x' }, 400],
      [{ api_key: key, service_code: '101', lat, description: 'x' }, 400],
      [{ api_key: key, service_code: '101', lat: 'north', long: lon, description: 'x' }, 400],
      [{ api_key: key, service_code: '101', lat, long: lon }, 400],
      [{ api_key: key, service_code: '101', lat: 0, long: 0, description: 'x' }, 400],
    ] as [Record<string, string | number>, number][]) {
      const r = await post('json', form);
      expect(r.statusCode, JSON.stringify(form) + r.body).toBe(status);
      expect(r.json()[0].code).toBe(status);
    }
    const badDate = await get('requests.json?start_date=yesterday');
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json()[0].description).toContain('start_date');
    expect((await get('requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z')).statusCode).toBe(400);
    expect((await get('requests.json?status=pending')).statusCode).toBe(400);
    expect((await get('requests/abc.json')).statusCode).toBe(404);
    expect((await get('nothing.json')).json()[0].code).toBe(404);
  });

  it('a round trip: POST with a numeric code, the same report in the portal’s queue, GET by id, by filters, by token', async () => {
    const made = await post('json', { api_key: key, service_code: 101, lat, long: lon, address_string: '新马路 1 号', description: 'Loud music every night after midnight', email: 'a@example.org', first_name: 'A' });
    expect(made.statusCode, made.body).toBe(201);
    const [answer] = made.json();
    expect(typeof answer.service_request_id).toBe('string');
    expect(answer.token).toBeTruthy();
    const id = answer.service_request_id as string;
    // The same report staff review (nothing of the reporter kept beyond the report).
    const chief = await t.login('chief');
    const staff = (await t.app.inject({ method: 'GET', url: `/api/v1/citizen-reports/${id}`, headers: chief })).json();
    expect(staff).toMatchObject({ id, channel: 'open311', serviceCode: '101', reporterPhone: null });
    expect(JSON.stringify(staff)).not.toContain('example.org');

    const one = await get(`requests/${id}.json`);
    expect(validRequests(one.json()), JSON.stringify(validRequests.errors)).toBe(true);
    expect(one.json()[0]).toMatchObject({ service_request_id: id, status: 'open', service_code: '101', lat, long: lon });
    const oneXml = xmlOk((await get(`requests/${id}.xml`)).body, 'service_requests');
    expect(String(oneXml.request.service_request_id)).toBe(id);
    expect(oneXml.request.status).toBe('open');

    const xmlMade = await post('xml', { api_key: key, service_code: '102', lat, long: lon + 0.002, description: 'Broken fence at the school gate' });
    expect(xmlMade.statusCode).toBe(201);
    const id2 = String(xmlOk(xmlMade.body, 'service_requests').request.service_request_id);

    // Close the first; the status filter sees it.
    const moved = await t.app.inject({ method: 'POST', url: `/api/v1/citizen-reports/${id}/transitions`, headers: chief, payload: { to: 'resolved', reason: 'Spoke to the neighbours' } });
    expect(moved.statusCode, moved.body).toBe(200);
    const all = (await get(`requests.json?service_request_id=${id},${id2}`)).json();
    expect(all.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([id, id2]);
    expect(validRequests(all)).toBe(true);
    expect(all[0]).toMatchObject({ status: 'closed', status_notes: 'Spoke to the neighbours' });
    const open = (await get('requests.json?status=open')).json().map((r: { service_request_id: string }) => r.service_request_id);
    expect(open).toContain(id2);
    expect(open).not.toContain(id);
    const byCode = (await get('requests.json?service_code=102,103')).json().map((r: { service_request_id: string }) => r.service_request_id);
    expect(byCode).toEqual([id2]);
    const since = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    expect((await get(`requests.json?start_date=${since}`)).json().length).toBeGreaterThanOrEqual(2);
    expect((await get('requests.json?end_date=2020-01-01T00:00:00Z')).json()).toEqual([]);
    const listXml = xmlOk((await get('requests.xml?status=open')).body, 'service_requests');
    expect(listXml.request).toBeTruthy();

    const tok = await get(`tokens/${answer.token}.json`);
    expect(tok.json()).toEqual([{ service_request_id: id, token: answer.token }]);
    expect(String(xmlOk((await get(`tokens/${answer.token}.xml`)).body, 'service_requests').request.service_request_id)).toBe(id);
    expect((await get('tokens/nothing.json')).statusCode).toBe(404);
  });

  it('concurrent POSTs are written together: each its own report with its received event and its audit row', async () => {
    const made = await Promise.all(Array.from({ length: 12 }, (_, i) => post('json', { api_key: key, service_code: i % 2 ? '101' : '102', lat: lat + i * 0.0003, long: lon, description: `Concurrent request ${i}` })));
    expect(made.map((r) => r.statusCode)).toEqual(made.map(() => 201));
    const ids = made.map((r) => r.json()[0].service_request_id as string);
    expect(new Set(ids).size).toBe(12);
    const rows = (await get(`requests.json?service_request_id=${ids.join(',')}`)).json() as { service_request_id: string; description: string; status: string }[];
    expect(rows.map((r) => r.description).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `Concurrent request ${i}`).sort());
    expect(rows.every((r) => r.status === 'open')).toBe(true);
    const events = await t.database.db.select({ reportId: citizenReportEvents.reportId, status: citizenReportEvents.status }).from(citizenReportEvents).where(inArray(citizenReportEvents.reportId, ids.map(Number)));
    expect(events.filter((e) => e.status === 'received').length).toBe(12);
    const audited = await t.database.db.select({ entityId: auditLog.entityId }).from(auditLog).where(and(eq(auditLog.action, 'open311.request'), inArray(auditLog.entityId, ids)));
    expect(audited.map((a) => a.entityId).sort()).toEqual([...ids].sort());
    expect((await t.database.db.select({ k: auditPending.requestKey }).from(auditPending)).length).toBe(0);
  });

  it('a revoked key is refused', async () => {
    const admin = await t.login('admin');
    const made = (await t.app.inject({ method: 'POST', url: '/api/v1/open311/keys', headers: admin, payload: { name: 'old client' } })).json();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/open311/keys/${made.id}`, headers: admin })).statusCode).toBe(204);
    expect((await post('json', { api_key: made.key, service_code: '101', lat, long: lon, description: 'x' })).statusCode).toBe(403);
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/open311/keys', headers: admin })).json();
    expect(JSON.stringify(list)).not.toContain(made.key);
  });
});
