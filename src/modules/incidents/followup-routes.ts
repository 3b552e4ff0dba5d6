/** After intake: transfers to other hotlines, 12345 work orders coming in, and callbacks (回访). */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import { AppError, notFound } from '../../core/errors.js';
import { ErrorAnswers, IdParams, Paging, Strict, TypedStringEnum } from '../../core/typebox.js';
import { unitScope, type Principal } from '../../core/access.js';
import { callbacks, hotlineOrders, incidents, transfers, incidentEvents } from './schema.js';
import { callbackView, incidentScope, transferView, type CreateIncidentInput, type IncidentService } from './service.js';
import { isUniqueViolation } from './store.js';
import type { CategoryStore } from './categories-store.js';
import { CreateIncidentBody } from './routes.js';
import { CallbackView, HotlineOrderView, TransferView } from './answers.js';
import { routeWrite } from '../../kernel/http-write.js';
import type { Writes } from '../../kernel/write.js';

const TARGETS = ['12345', '119', '120', '122'] as const;

export default async function followupRoutes(fastify: FastifyInstance, opts: { incidents: IncidentService; categories: CategoryStore; transferDueHours: number; writes: Writes }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;
  const { incidents: service } = opts;

  // ------------------------------------------------------------ transfers (移交)
  app.post(
    '/incidents/:id/transfers',
    {
      config: { permission: 'incident.transfer', audit: { entity: 'incident', action: 'incident.transfer' }, idempotency: 'in-write' },
      schema: {
        tags: ['transfers'],
        summary: 'Transfer a non-police matter to 12345/119/120/122 and track the answer',
        params: IdParams,
        body: Strict({ target: TypedStringEnum(TARGETS), reason: Type.String({ minLength: 1, maxLength: 500 }), externalRef: Type.Optional(Type.String({ maxLength: 64 })) }),
        response: { 201: TransferView, ...ErrorAnswers },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const b = req.body;
      req.auditDetail = { target: b.target };
      // The transition and the transfer are one write: a crash leaves both or neither.
      return routeWrite(opts.writes, req, reply, 201, async (w) => {
        const incident = await service.transition(req.principal!, id, { to: 'transferred', reason: b.reason, dispositionCode: undefined }, w);
        const row = { id: randomUUID(), incidentId: id, stationId: incident.stationId, target: b.target, reason: b.reason, externalRef: b.externalRef ?? null, status: 'sent', dueAt: new Date(Date.now() + opts.transferDueHours * 3_600_000), createdBy: req.principal!.username };
        const [t] = await w.tx.insert(transfers).values(row).returning();
        return transferView(t);
      });
    },
  );

  app.post(
    '/transfers/:id/answer',
    {
      config: { permission: 'transfer.answer', audit: { entity: 'transfer', action: 'transfer.answer' } },
      schema: { tags: ['transfers'], summary: 'Record the receiving organisation’s answer', params: IdParams, body: Strict({ answer: Type.String({ minLength: 1, maxLength: 2000 }), externalRef: Type.Optional(Type.String({ maxLength: 64 })) }), response: { 200: TransferView, ...ErrorAnswers } },
    },
    async (req) => {
      const { id } = req.params;
      const b = req.body;
      const [t] = await db.select().from(transfers).where(and(eq(transfers.id, id), unitScope(req.principal!, transfers.stationId)));
      if (!t) throw notFound('transfer');
      if (t.status === 'answered') throw new AppError(409, 'conflict', { detail: 'already answered' });
      // Only from the status read: of concurrent answers one is recorded, the others hear 409.
      const [u] = await db.update(transfers).set({ status: 'answered', answer: b.answer, answeredAt: new Date(), externalRef: b.externalRef ?? t.externalRef }).where(and(eq(transfers.id, id), eq(transfers.status, 'sent'))).returning();
      if (!u) throw new AppError(409, 'conflict', { detail: 'already answered' });
      await db.insert(incidentEvents).values({ incidentId: t.incidentId, type: 'transfer_answered', username: req.principal!.username, detail: { target: t.target, answer: b.answer } });
      return transferView(u);
    },
  );

  app.get(
    '/transfers',
    {
      config: { permission: 'transfer.read' },
      schema: { tags: ['transfers'], summary: 'Transfers in my jurisdiction; overdue=true for unanswered past due', querystring: Strict({ status: Type.Optional(Type.Union([Type.Literal('sent'), Type.Literal('answered')])), overdue: Type.Optional(Type.Boolean()), ...Paging }), response: { 200: Type.Object({ items: Type.Array(TransferView) }), ...ErrorAnswers } },
    },
    async (req) => {
      const q = req.query;
      const conds: (SQL | undefined)[] = [unitScope(req.principal!, transfers.stationId)];
      if (q.status) conds.push(eq(transfers.status, q.status));
      if (q.overdue) conds.push(and(eq(transfers.status, 'sent'), lt(transfers.dueAt, new Date())));
      const rows = await db.select().from(transfers).where(and(...conds)).orderBy(asc(transfers.dueAt), asc(transfers.id)).limit(q.limit ?? 50).offset(q.offset ?? 0);
      return { items: rows.map(transferView) };
    },
  );

  // ------------------------------------------------------------ 12345 work orders coming in
  const HotlineOrder = Strict({
    externalRef: Type.String({ minLength: 1, maxLength: 64 }),
    categoryCode: Type.Optional(CreateIncidentBody.properties.categoryCode),
    description: CreateIncidentBody.properties.description,
    caller: CreateIncidentBody.properties.caller,
    address: CreateIncidentBody.properties.address,
    addressCode: CreateIncidentBody.properties.addressCode,
    location: CreateIncidentBody.properties.location,
  });

  app.post(
    '/hotline/orders',
    {
      config: { permission: 'hotline.order_in', audit: { entity: 'incident', action: 'hotline.order_in' }, idempotency: 'in-write' },
      schema: {
        tags: ['hotline'],
        summary: '12345 work order that needs police → incident (source hotline12345); idempotent by externalRef (200 with the order already received; 409 when the reference is another jurisdiction’s)',
        body: HotlineOrder,
        response: { 200: HotlineOrderView, 201: HotlineOrderView, ...ErrorAnswers },
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      const b = req.body;
      const again = await receivedBefore(p, b.externalRef);
      if (again) {
        req.auditEntityId = again.incidentId;
        return reply.status(200).send(again);
      }
      const categoryCode = b.categoryCode ?? (await defaultHotlineCategory(opts.categories));
      const input: CreateIncidentInput = { source: 'hotline12345', categoryCode, description: b.description, caller: b.caller, address: b.address, addressCode: b.addressCode, location: b.location, externalRef: b.externalRef };
      try {
        await service.create(p, input, req); // records the order with the incident (its reference is a key)
      } catch (err) {
        // A concurrent post of the same order won: answer with its incident, as a retry would hear.
        if (!isUniqueViolation(err, 'hotline_orders_pkey')) throw err;
        const winner = await receivedBefore(p, b.externalRef);
        if (!winner) throw err;
        req.auditEntityId = winner.incidentId;
        return reply.status(200).send(winner);
      }
      return reply.status(201).send(await orderStatus(p, b.externalRef));
    },
  );

  /** The outcome of an order received before, or 409 when its reference belongs to an order this principal may not see. */
  async function receivedBefore(p: Principal, ref: string) {
    const [known] = await db.select({ ref: hotlineOrders.externalRef }).from(hotlineOrders).where(eq(hotlineOrders.externalRef, ref));
    if (!known) return null;
    try {
      return await orderStatus(p, ref);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw new AppError(409, 'duplicate', { field: 'externalRef' }, 'externalRef');
      throw err;
    }
  }

  app.get(
    '/hotline/orders/:ref',
    {
      config: { permission: 'hotline.order_read' },
      schema: { tags: ['hotline'], summary: 'Outcome of a 12345 work order (status, disposition, times) for the hotline to report back', params: Strict({ ref: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 200: HotlineOrderView, ...ErrorAnswers } },
    },
    async (req) => orderStatus(req.principal!, req.params.ref),
  );

  /**
   * An order's outcome, for those whose jurisdiction holds its incident and for the gateway (token)
   * that sent it; anyone else hears 404, as for any record outside their jurisdiction.
   */
  async function orderStatus(p: Principal, ref: string) {
    const scope = incidentScope(p);
    const visible = scope && p.kind === 'token' ? or(scope, eq(hotlineOrders.tokenId, p.id)) : scope;
    const [r] = await db
      .select({ o: hotlineOrders, i: incidents })
      .from(hotlineOrders)
      .innerJoin(incidents, eq(incidents.id, hotlineOrders.incidentId))
      .where(and(eq(hotlineOrders.externalRef, ref), visible));
    if (!r) throw notFound('hotline_order');
    return {
      externalRef: ref,
      incidentId: r.i.id,
      number: r.i.number,
      status: r.i.status,
      dispositionCode: r.i.dispositionCode,
      dispositionNote: r.i.dispositionNote,
      receivedAt: r.o.receivedAt.toISOString(),
      dispatchedAt: r.i.dispatchedAt?.toISOString() ?? null,
      onSceneAt: r.i.onSceneAt?.toISOString() ?? null,
      closedAt: r.i.closedAt?.toISOString() ?? null,
    };
  }

  // ------------------------------------------------------------ callbacks (回访)
  app.get(
    '/callbacks',
    {
      config: { permission: 'callback.read' },
      schema: {
        tags: ['callbacks'],
        summary: 'Callback tasks in my jurisdiction (pending first)',
        querystring: Strict({ status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('done')])), review: Type.Optional(Type.Literal('pending')), ...Paging }),
        response: { 200: Type.Object({ items: Type.Array(Type.Composite([CallbackView, Type.Object({ incidentNumber: Type.String() })])) }), ...ErrorAnswers },
      },
    },
    async (req) => {
      const q = req.query;
      const conds: (SQL | undefined)[] = [unitScope(req.principal!, callbacks.stationId)];
      if (q.status) conds.push(eq(callbacks.status, q.status));
      if (q.review) conds.push(eq(callbacks.reviewStatus, 'pending'));
      const rows = await db
        .select({ c: callbacks, number: incidents.number, callerPhone: incidents.callerPhone })
        .from(callbacks)
        .innerJoin(incidents, eq(incidents.id, callbacks.incidentId))
        .where(and(...conds))
        .orderBy(desc(sql`${callbacks.status} = 'pending'`), desc(callbacks.createdAt), desc(callbacks.id))
        .limit(q.limit ?? 50)
        .offset(q.offset ?? 0);
      return { items: rows.map((r) => ({ ...callbackView(r.c), incidentNumber: r.number })) };
    },
  );

  app.post(
    '/callbacks/:id',
    {
      config: { permission: 'callback.record', audit: { entity: 'callback', action: 'callback.record' } },
      schema: {
        tags: ['callbacks'],
        summary: 'Record the caller’s answer; dissatisfied ones go to the station chief',
        params: IdParams,
        body: Strict({ outcome: Type.Union([Type.Literal('satisfied'), Type.Literal('basically_satisfied'), Type.Literal('dissatisfied'), Type.Literal('unreachable')]), reason: Type.Optional(Type.String({ maxLength: 1000 })) }),
        response: { 200: CallbackView, ...ErrorAnswers },
      },
    },
    async (req) => {
      const { id } = req.params;
      const b = req.body;
      if (b.outcome === 'dissatisfied' && !b.reason?.trim()) throw new AppError(400, 'reason_required', { field: 'reason' }, 'reason');
      const [c] = await db.select().from(callbacks).where(and(eq(callbacks.id, id), unitScope(req.principal!, callbacks.stationId)));
      if (!c) throw notFound('callback');
      if (c.status === 'done') throw new AppError(409, 'conflict', { detail: 'callback already recorded' });
      const [u] = await db
        .update(callbacks)
        .set({ status: 'done', outcome: b.outcome, reason: b.reason ?? null, doneAt: new Date(), doneBy: req.principal!.username, reviewStatus: b.outcome === 'dissatisfied' ? 'pending' : null })
        .where(and(eq(callbacks.id, id), eq(callbacks.status, 'pending')))
        .returning();
      if (!u) throw new AppError(409, 'conflict', { detail: 'callback already recorded' });
      await db.insert(incidentEvents).values({ incidentId: c.incidentId, type: 'callback', username: req.principal!.username, detail: { outcome: b.outcome, reason: b.reason } });
      return callbackView(u);
    },
  );

  app.post(
    '/callbacks/:id/review',
    {
      config: { permission: 'callback.review', audit: { entity: 'callback', action: 'callback.review' } },
      schema: { tags: ['callbacks'], summary: 'The station chief’s review of a dissatisfied callback', params: IdParams, body: Strict({ note: Type.String({ minLength: 1, maxLength: 2000 }) }), response: { 200: CallbackView, ...ErrorAnswers } },
    },
    async (req) => {
      const { id } = req.params;
      const [c] = await db.select().from(callbacks).where(and(eq(callbacks.id, id), unitScope(req.principal!, callbacks.stationId)));
      if (!c) throw notFound('callback');
      if (c.reviewStatus !== 'pending') throw new AppError(409, 'conflict', { detail: 'no review pending' });
      const [u] = await db
        .update(callbacks)
        .set({ reviewStatus: 'reviewed', reviewNote: req.body.note, reviewedBy: req.principal!.username, reviewedAt: new Date() })
        .where(and(eq(callbacks.id, id), eq(callbacks.reviewStatus, 'pending')))
        .returning();
      if (!u) throw new AppError(409, 'conflict', { detail: 'no review pending' });
      return callbackView(u);
    },
  );
}

/** A 12345 order arrives without our taxonomy: file it under assistance (求助) until a call-taker recodes it. */
async function defaultHotlineCategory(categories: CategoryStore): Promise<string> {
  const all = [...(await categories.all()).values()].filter((c) => c.leaf && c.active);
  const assistance = all.find((c) => !c.transferTo && /求助/.test(c.name)) ?? all.find((c) => c.code.startsWith('06')) ?? all[0];
  return assistance.code;
}
