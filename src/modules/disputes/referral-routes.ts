/** Agencies and referrals: the mediator's work list and the hand-off's steps (accept, decline, fail, cancel, reassign, extend). */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { and, desc, inArray, sql } from 'drizzle-orm';
import { ErrorAnswers, IdParams, Strict } from '../../core/typebox.js';
import { assignedOnly } from '../../core/access.js';
import { routeWrite } from '../../kernel/http-write.js';
import type { Write } from '../../kernel/write.js';
import type { DisputeDeps } from './store.js';
import { actOnReferral, extendIn, reassignIn } from './referrals.js';
import { listAgencies, namesFor } from './reads.js';
import { disputes, disputeReferrals } from './schema.js';
import { referralIsMine } from './access.js';
import { disputeListView, referralView, type ReferralRow } from './views.js';
import type { ReferralAction } from './domain/referral-machine.js';
import * as C from './contract.js';

const TAGS = ['disputes'];

export default async function referralRoutes(fastify: FastifyInstance, opts: { deps: DisputeDeps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { deps } = opts;
  const { db, writes } = deps;
  const write = (action: string) => ({ audit: { entity: 'referral', action }, idempotency: 'in-write' as const });
  const view = async (tx: DisputeDeps['db'], r: ReferralRow) => referralView(r, await namesFor(tx, [r.agencyId], r.mediatorId ? [r.mediatorId] : []));

  app.get(
    '/agencies',
    {
      config: { permission: 'agency.read' },
      schema: { tags: TAGS, summary: 'Mediation agencies (派出所, 司法所, 律所, 法庭, 调委会) with their mediators; a mediator sees their own', response: { 200: C.AgencyList, ...ErrorAnswers } },
    },
    async (req) => listAgencies(db, deps.jurisdiction, req.principal!, assignedOnly(req.principal!)),
  );

  app.get(
    '/referrals',
    {
      config: { permission: 'dispute.mediate' },
      schema: { tags: TAGS, summary: 'My work list: referrals to me or to my agency (unnamed), newest first, with their disputes (no personal data)', querystring: C.WorkQuery, response: { 200: C.WorkList, ...ErrorAnswers } },
    },
    async (req) => {
      const p = req.principal!;
      const q = req.query;
      const rows = await db
        .select({ r: disputeReferrals, d: disputes })
        .from(disputeReferrals)
        .innerJoin(disputes, sql`${disputes.id} = ${disputeReferrals.disputeId}`)
        .where(and(referralIsMine(p, { mediatorId: disputeReferrals.mediatorId, agencyId: disputeReferrals.agencyId }), q.status?.length ? inArray(disputeReferrals.status, q.status) : undefined))
        .orderBy(desc(disputeReferrals.createdAt), desc(disputeReferrals.id))
        .limit(q.limit ?? 50)
        .offset(q.offset ?? 0);
      const names = await namesFor(db, rows.map((x) => x.r.agencyId), rows.flatMap((x) => (x.r.mediatorId ? [x.r.mediatorId] : [])));
      return { items: rows.map((x) => ({ referral: referralView(x.r, names), dispute: disputeListView(x.d) })) };
    },
  );

  const act = (path: string, action: string, summary: string, body: ReturnType<typeof Strict> | undefined, toAction: (b: Record<string, unknown>) => ReferralAction) =>
    app.post(
      `/referrals/:id/${path}`,
      { config: { permission: path === 'cancel' ? 'dispute.refer' : 'dispute.mediate', ...write(action) }, schema: { tags: TAGS, summary, params: IdParams, ...(body ? { body } : {}), response: { 200: C.ReferralView, ...ErrorAnswers } } },
      async (req, reply) =>
        routeWrite(writes, req, reply, 200, async (w: Write) => {
          const { referral } = await actOnReferral(w, deps, req.principal!, req.params.id, toAction((req.body ?? {}) as Record<string, unknown>));
          return view(w.tx, referral);
        }),
    );

  act('accept', 'referral.accept', 'The receiving mediator or agency accepts the referral (the mediation clocks start)', undefined, () => ({ type: 'accept' }));
  act('decline', 'referral.decline', 'Decline the referral with a reason: the dispute goes back to its station', C.ReasonBody, (b) => ({ type: 'decline', reason: String(b.reason) }));
  act('fail', 'referral.fail', 'Mediation failed (reason): the dispute goes back to its station and its risk grade weighs it', C.ReasonBody, (b) => ({ type: 'fail', reason: String(b.reason) }));
  act('cancel', 'referral.cancel', 'The station withdraws the referral (reason)', C.ReasonBody, (b) => ({ type: 'cancel', reason: String(b.reason) }));

  app.post(
    '/referrals/:id/reassign',
    {
      config: { permission: 'dispute.refer', ...write('referral.reassign') },
      schema: { tags: TAGS, summary: 'Hand a pending or declined referral to another agency or mediator (the old one ends, a new one starts)', params: IdParams, body: C.ReassignBody, response: { 201: C.ReferralView, ...ErrorAnswers } },
    },
    async (req, reply) => routeWrite(writes, req, reply, 201, async (w) => view(w.tx, await reassignIn(w, deps, req.principal!, req.params.id, req.body))),
  );

  app.post(
    '/referrals/:id/extensions',
    {
      config: { permission: 'dispute.mediate', ...write('referral.extend') },
      schema: { tags: TAGS, summary: 'Extend people’s mediation beyond its month with the parties’ recorded consent', params: IdParams, body: C.ExtendBody, response: { 200: C.ReferralView, ...ErrorAnswers } },
    },
    async (req, reply) => routeWrite(writes, req, reply, 200, async (w) => view(w.tx, await extendIn(w, deps, req.principal!, req.params.id, { ...req.body, consentedAt: new Date(req.body.consentedAt) }))),
  );
}
