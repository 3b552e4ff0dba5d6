/** HTTP API of 110 intake: incidents, categories, history, duplicates, merges. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../core/errors.js';
import { registerReplayer } from '../../kernel/replay.js';
import { routeWrite } from '../../kernel/http-write.js';
import type { Writes } from '../../kernel/write.js';
import { ErrorAnswers, IdParams, Instant, Paging, Strict, TypedStringEnum } from '../../core/typebox.js';
import { phoneSearched, seesCaller, SOURCES, unmaskedCallerIds, type CreateIncidentInput, type IncidentService } from './service.js';
import { maskPhone } from '../../core/access.js';
import type { CategoryStore } from './categories-store.js';
import { STATUSES } from './domain/lifecycle.js';
import { DISPOSITIONS } from './domain/dispositions.js';
import { suggestPriority } from './domain/priority.js';
import { storedCategory } from './categories-store.js';
import { TRANSFER_TARGETS } from './intake-transfer.js';
import { permissionPolicy } from '../../kernel/compose.js';
import { policyAllows } from '../../core/access.js';
import { CategoryNodeView, CategoryView, CreatedIncidentView, DispositionView, IncidentDetailView, IncidentHistoryView, IncidentView, PrioritySuggestionView } from './answers.js';

const Priority = Type.Union([Type.Literal('P1'), Type.Literal('P2'), Type.Literal('P3'), Type.Literal('P4')]);
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const Phone = Type.String({ maxLength: 32, pattern: '^[+0-9 ()-]{3,32}$' });
const CategoryCode = Type.String({ minLength: 2, maxLength: 16, pattern: '^[0-9]+$' });

export const CreateIncidentBody = Strict({
  source: TypedStringEnum(SOURCES),
  categoryCode: CategoryCode,
  priority: Type.Optional(Priority),
  priorityReason: Type.Optional(Type.String({ maxLength: 500 })),
  caller: Type.Optional(Strict({ name: Type.Optional(Type.String({ maxLength: 64 })), phone: Type.Optional(Phone) })),
  address: Type.Optional(Type.String({ maxLength: 300 })),
  addressCode: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  location: Type.Optional(Strict({ lon: Lon, lat: Lat, accuracyM: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })) })),
  stationId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  description: Type.String({ minLength: 1, maxLength: 4000 }),
  callStartedAt: Type.Optional(Instant),
  answeredAt: Type.Optional(Instant),
  transfer: Type.Optional(
    Strict(
      {
        target: TypedStringEnum(TRANSFER_TARGETS),
        reason: Type.String({ minLength: 1, maxLength: 500 }),
        externalRef: Type.Optional(Type.String({ maxLength: 64 })),
      },
      { description: 'not a police matter (category family 08): recorded already transferred to this hotline, never waiting for dispatch (needs incident.transfer)' },
    ),
  ),
});

export default async function incidentRoutes(fastify: FastifyInstance, opts: { incidents: IncidentService; categories: CategoryStore; writes: Writes; transferDueHours: number }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { incidents, categories, writes } = opts;
  registerReplayer('incident.created', (req, ref) => incidents.replayCreated(req.principal!, ref));

  app.post(
    '/incidents',
    {
      config: { permission: 'incident.create', audit: { entity: 'incident', action: 'incident.create' }, idempotency: 'in-write' },
      schema: { tags: ['incidents'], summary: 'Record an incident (110 call, walk-in, officer-initiated…)', body: CreateIncidentBody, response: { 201: CreatedIncidentView, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const body = req.body;
      // Recording a call as transferred is also a transfer: it needs that permission too.
      if (body.transfer && policyAllows(permissionPolicy(app.kernel, 'incident.transfer'), req.principal!) !== 'ok') throw new AppError(403, 'forbidden');
      const input: CreateIncidentInput = { ...body, transfer: body.transfer ? { ...body.transfer, dueHours: opts.transferDueHours } : undefined };
      if (body.transfer) req.auditDetail = { transfer: body.transfer.target };
      const { answer } = await incidents.create(req.principal!, input, req);
      req.auditDetail = { ...req.auditDetail, callerUnmasked: unmaskedCallerIds(req.principal!, [answer]) };
      return reply.status(201).send(answer);
    },
  );

  app.get(
    '/incidents',
    {
      // A search by a caller's phone is a personal-data read: that request (and only that one) is audited.
      config: { permission: 'incident.read', audit: { entity: 'incident', action: 'incident.search' } },
      schema: {
        tags: ['incidents'],
        summary: 'Incidents in my jurisdiction, newest first (callers masked: read one incident for its caller); q searches the number, the caller’s phone (roles that see callers; audited) or the address',
        querystring: Strict({
          q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'incident number (or its start), caller phone, or words of the address' })),
          status: Type.Optional(Type.Array(TypedStringEnum(STATUSES), { maxItems: 10 })),
          from: Type.Optional(Instant),
          to: Type.Optional(Instant),
          stationId: Type.Optional(Type.String({ maxLength: 64 })),
          priority: Type.Optional(Priority),
          mine: Type.Optional(Type.Boolean({ description: 'only incidents I recorded' })),
          ...Paging,
        }),
        response: { 200: Type.Object({ items: Type.Array(IncidentView), total: Type.Integer() }), ...ErrorAnswers },
      },
    },
    async (req) => {
      const q = req.query;
      const answer = await incidents.list(req.principal!, { ...q, createdByMe: q.mine, limit: q.limit ?? 50, offset: q.offset ?? 0 });
      const phone = q.q ? phoneSearched(q.q) : null;
      if (phone && seesCaller(req.principal!)) {
        req.auditRead = true;
        req.auditDetail = { searchedPhone: maskPhone(phone), found: answer.items.map((i) => i.id) };
      }
      return answer;
    },
  );

  app.get(
    '/incidents/:id',
    {
      config: { permission: 'incident.read', audit: { entity: 'incident', action: 'incident.read', reads: true } },
      schema: { tags: ['incidents'], summary: 'One incident with its timeline, transfers, callback and merged duplicates', params: IdParams, response: { 200: IncidentDetailView, ...ErrorAnswers } },
    },
    async (req) => {
      const detail = await incidents.detail(req.principal!, req.params.id);
      req.auditDetail = { callerUnmasked: unmaskedCallerIds(req.principal!, [detail]) };
      return detail;
    },
  );

  app.post(
    '/incidents/:id/transitions',
    {
      config: { permission: 'incident.transition', audit: { entity: 'incident', action: 'incident.transition' }, idempotency: 'in-write' },
      schema: {
        tags: ['incidents'],
        summary: 'Move an incident to another status (409 names the current one when not allowed)',
        params: IdParams,
        body: Strict({ to: TypedStringEnum(STATUSES), dispositionCode: Type.Optional(Type.String({ maxLength: 8 })), dispositionNote: Type.Optional(Type.String({ maxLength: 2000 })), reason: Type.Optional(Type.String({ maxLength: 500 })) }),
        response: { 200: IncidentView, ...ErrorAnswers },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const b = req.body;
      const view = await routeWrite(writes, req, reply, 200, async (w) => incidents.view(await incidents.transition(req.principal!, id, b, w), req.principal!));
      req.auditDetail = { to: b.to, dispositionCode: b.dispositionCode, callerUnmasked: unmaskedCallerIds(req.principal!, [view]) };
      return view;
    },
  );

  app.post(
    '/incidents/:id/merge',
    {
      config: { permission: 'incident.merge', audit: { entity: 'incident', action: 'incident.merge' }, idempotency: 'in-write' },
      schema: { tags: ['incidents'], summary: 'Merge a duplicate into its master (no second dispatch)', params: IdParams, body: Strict({ masterId: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 200: IncidentView, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const { id } = req.params;
      const { masterId } = req.body;
      const view = await routeWrite(writes, req, reply, 200, async (w) => incidents.view(await incidents.merge(req.principal!, id, masterId, w), req.principal!));
      req.auditDetail = { masterId, callerUnmasked: unmaskedCallerIds(req.principal!, [view]) };
      return view;
    },
  );

  app.post(
    '/incidents/:id/unmerge',
    { config: { permission: 'incident.merge', audit: { entity: 'incident', action: 'incident.unmerge' }, idempotency: 'in-write' }, schema: { tags: ['incidents'], summary: 'Undo a merge (with a reason)', params: IdParams, body: Strict({ reason: Type.String({ minLength: 1, maxLength: 500 }) }), response: { 200: IncidentView, ...ErrorAnswers } } },
    async (req, reply) => {
      const { id } = req.params;
      const { reason } = req.body;
      const view = await routeWrite(writes, req, reply, 200, async (w) => incidents.view(await incidents.unmerge(req.principal!, id, reason, w), req.principal!));
      req.auditDetail = { callerUnmasked: unmaskedCallerIds(req.principal!, [view]) };
      return view;
    },
  );

  app.get(
    '/incidents/duplicates',
    {
      config: { permission: 'incident.read' },
      schema: {
        tags: ['incidents'],
        summary: 'Open incidents of the same family within 300 m and 30 minutes (while a call is being taken)',
        querystring: Strict({ categoryCode: CategoryCode, lon: Lon, lat: Lat, excludeId: Type.Optional(Type.String({ maxLength: 64 })) }),
        response: { 200: Type.Object({ items: Type.Array(IncidentView) }), ...ErrorAnswers },
      },
    },
    async (req) => {
      const q = req.query;
      const cat = await categories.get(q.categoryCode);
      if (!cat) throw new AppError(400, 'unknown_category', { code: q.categoryCode }, 'categoryCode');
      const rows = await incidents.duplicateCandidates(req.principal!, { family: await categories.family(q.categoryCode), lon: q.lon, lat: q.lat, excludeId: q.excludeId });
      return { items: rows.map((r) => incidents.listView(r)) };
    },
  );

  app.get(
    '/incidents/history',
    {
      config: { permission: 'incident.history', audit: { entity: 'incident', action: 'incident.history', reads: true } },
      schema: {
        tags: ['incidents'],
        summary: 'Caller history (same number, 90 days) and place history (100 m); repeat-location flag',
        querystring: Strict({ phone: Type.Optional(Phone), lon: Type.Optional(Lon), lat: Type.Optional(Lat), excludeId: Type.Optional(Type.String({ maxLength: 64 })) }),
        response: { 200: IncidentHistoryView, ...ErrorAnswers },
      },
    },
    async (req) => {
      const q = req.query;
      if ((q.lon === undefined) !== (q.lat === undefined)) throw new AppError(400, 'required', { field: q.lon === undefined ? 'lon' : 'lat' }, q.lon === undefined ? 'lon' : 'lat');
      const history = await incidents.history(req.principal!, q);
      req.auditDetail = { callerUnmasked: unmaskedCallerIds(req.principal!, history.caller) };
      return history;
    },
  );

  app.get(
    '/incidents/priority-suggestion',
    {
      config: { permission: 'incident.read' },
      schema: { tags: ['incidents'], summary: 'Suggested priority for a category and description', querystring: Strict({ categoryCode: CategoryCode, description: Type.Optional(Type.String({ maxLength: 4000 })) }), response: { 200: PrioritySuggestionView, ...ErrorAnswers } },
    },
    async (req) => {
      const q = req.query;
      const cat = await categories.get(q.categoryCode);
      if (!cat) throw new AppError(400, 'unknown_category', { code: q.categoryCode }, 'categoryCode');
      return suggestPriority(q.categoryCode, q.description ?? '', { category: storedCategory(cat) });
    },
  );

  app.get('/categories', { config: { permission: 'category.read' }, schema: { tags: ['incidents'], summary: 'The four-level category tree', response: { 200: Type.Object({ items: Type.Array(CategoryNodeView) }), ...ErrorAnswers } } }, async () => ({ items: await categories.tree() }));

  app.get('/dispositions', { config: { permission: 'disposition.read' }, schema: { tags: ['incidents'], summary: 'Disposition codes for closing an incident', response: { 200: Type.Object({ items: Type.Array(DispositionView) }), ...ErrorAnswers } } }, async () => ({ items: [...DISPOSITIONS] }));

  app.patch(
    '/categories/:code',
    {
      config: { permission: 'category.manage', audit: { entity: 'category', action: 'category.update' } },
      schema: {
        tags: ['incidents'],
        summary: 'Edit a category (name, default priority, keywords, active)',
        params: Strict({ code: CategoryCode }),
        body: Strict(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            nameEn: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            defaultPriority: Type.Optional(Priority),
            keywords: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 50 })),
            active: Type.Optional(Type.Boolean()),
          },
          { minProperties: 1 },
        ),
        response: { 200: CategoryView, ...ErrorAnswers },
      },
    },
    async (req) => {
      const { code } = req.params;
      req.auditEntityId = code;
      if (!(await categories.get(code))) throw new AppError(404, 'not_found', { entity: 'category' });
      const updated = await categories.update(code, req.body);
      await app.kernel.caches.changed('categories', code);
      return updated;
    },
  );

  app.post(
    '/categories',
    {
      config: { permission: 'category.manage', audit: { entity: 'category', action: 'category.create' } },
      schema: {
        tags: ['incidents'],
        summary: 'Add a category under a parent',
        body: Strict({ code: CategoryCode, parentCode: CategoryCode, name: Type.String({ minLength: 1, maxLength: 64 }), nameEn: Type.String({ minLength: 1, maxLength: 100 }), defaultPriority: Priority, keywords: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 50 })) }),
        response: { 201: CategoryView, ...ErrorAnswers },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const parent = await categories.get(b.parentCode);
      if (!parent) throw new AppError(400, 'unknown_category', { code: b.parentCode }, 'parentCode');
      if (parent.level >= 4) throw new AppError(400, 'invalid_value', { field: 'parentCode', detail: 'the tree has four levels' }, 'parentCode');
      if (!b.code.startsWith(b.parentCode) || b.code.length !== b.parentCode.length + 2) throw new AppError(400, 'invalid_format', { field: 'code', format: `${b.parentCode}NN` }, 'code');
      if (await categories.get(b.code)) throw new AppError(409, 'duplicate', { field: 'code' }, 'code');
      req.auditEntityId = b.code;
      const row = await categories.insert({ code: b.code, parentCode: b.parentCode, level: parent.level + 1, name: b.name, nameEn: b.nameEn, leaf: true, defaultPriority: b.defaultPriority, keywords: b.keywords ?? [], capabilities: [] });
      await app.kernel.caches.changed('categories', b.code);
      return reply.status(201).send(row);
    },
  );
}
