/**
 * The incidents API's response schemas (src/modules/incidents/answers.ts) declare every field the
 * views build: Fastify's serialiser drops undeclared fields silently, so each view goes through a route
 * with its schema here and must come out as it went in — once with every column filled, once with
 * every nullable one empty.
 */
import Fastify from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackView, incidentView, timelineFromTimes, transferView } from '../../src/modules/incidents/views.js';
import { CallbackView, IncidentEventView, IncidentView, TransferView } from '../../src/modules/incidents/answers.js';
import type { callbacks, incidents, transfers } from '../../src/modules/incidents/schema.js';

const at = (min: number) => new Date(Date.UTC(2026, 0, 15, 2, min, 7, 250));

const full: typeof incidents.$inferSelect = {
  id: 'i-1',
  number: 'JMO01012026011500001',
  source: 'call110',
  categoryCode: '02010101',
  categoryFamily: '02',
  priority: 'P2',
  suggestedPriority: 'P1',
  priorityReason: '误会',
  callerName: '王五',
  callerPhone: '13812345678',
  addressText: '某街1号',
  addressCode: 'MO0101000001',
  lon: 113.54,
  lat: 22.19,
  accuracyM: 12,
  description: '有人打架',
  stationId: 'MO0101',
  gridId: 'MO010101',
  jurisdictionOverridden: true,
  status: 'closed',
  dispositionCode: 'D01',
  dispositionNote: '已立案',
  masterId: 'i-0',
  externalRef: 'WO-1',
  createdBy: 'calltaker',
  callStartedAt: at(0),
  answeredAt: at(1),
  recordedAt: at(2),
  dispatchedAt: at(3),
  enRouteAt: at(4),
  onSceneAt: at(5),
  clearedAt: at(6),
  closedAt: at(7),
  transferredAt: at(8),
  cancelledAt: at(9),
  mergedAt: at(10),
  reopenedAt: at(11),
  updatedAt: at(12),
  version: 7,
};
const nullable = Object.keys(full).filter((k) => !['id', 'number', 'source', 'categoryCode', 'categoryFamily', 'priority', 'suggestedPriority', 'description', 'stationId', 'jurisdictionOverridden', 'status', 'recordedAt', 'updatedAt', 'version'].includes(k));
const empty = { ...full, ...Object.fromEntries(nullable.map((k) => [k, null])) } as typeof full;

const transfer: typeof transfers.$inferSelect = { id: 't-1', incidentId: 'i-1', stationId: 'MO0101', target: '12345', reason: '市政', externalRef: 'G-1', status: 'answered', sentAt: at(1), dueAt: at(50), answeredAt: at(20), answer: '已处理', createdBy: 'calltaker' };
const callback: typeof callbacks.$inferSelect = { id: 'c-1', incidentId: 'i-1', stationId: 'MO0101', status: 'done', outcome: 'dissatisfied', reason: '慢', createdAt: at(1), doneAt: at(2), doneBy: 'calltaker', reviewStatus: 'reviewed', reviewNote: '已约谈', reviewedBy: 'chief', reviewedAt: at(3) };

describe('incident answers keep every field the views build', () => {
  const app = Fastify();
  let n = 0;
  const routes = new Map<string, string>();
  /** The route that answers `value` with `schema`. */
  const answering = (schema: TSchema, value: unknown) => {
    const url = `/v${n++}`;
    app.get(url, { schema: { response: { 200: schema } } }, async () => value);
    routes.set(url, JSON.stringify(value));
    return url;
  };
  const cases = {
    'incident, every column filled, caller shown': answering(IncidentView, incidentView(full, true)),
    'incident, caller masked': answering(IncidentView, incidentView(full, false)),
    'incident, every nullable column empty': answering(IncidentView, incidentView(empty, true)),
    'timeline rebuilt from the time stamps': answering(IncidentEventView, timelineFromTimes(full)[1]),
    'transfer': answering(TransferView, transferView(transfer)),
    'transfer, unanswered': answering(TransferView, transferView({ ...transfer, status: 'sent', externalRef: null, answeredAt: null, answer: null })),
    'callback': answering(CallbackView, callbackView(callback)),
    'callback, pending': answering(CallbackView, callbackView({ ...callback, status: 'pending', outcome: null, reason: null, doneAt: null, doneBy: null, reviewStatus: null, reviewNote: null, reviewedBy: null, reviewedAt: null })),
  };
  beforeAll(() => app.ready());
  afterAll(() => app.close());

  it.each(Object.entries(cases))('%s', async (_name, url) => {
    const res = await app.inject({ url });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(JSON.parse(routes.get(url)!));
  });

  it('the filled row fills every field of the view (the check above sees them all)', () => {
    const view = incidentView(full, true);
    expect(Object.entries(view).filter(([, v]) => v === null)).toEqual([]);
    expect(Object.entries(view.times).filter(([, v]) => v === null)).toEqual([]);
  });
});
