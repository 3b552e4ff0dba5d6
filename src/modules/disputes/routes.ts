/** The dispute register's HTTP API: registration, the register, one dispute, its mediation steps and figures. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorAnswers, IdParams } from '../../core/typebox.js';
import { maskPhone } from '../../core/access.js';
import { routeWrite } from '../../kernel/http-write.js';
import type { DisputeDeps } from './store.js';
import { prepareRegistration, registerIn } from './register.js';
import { addFollowupIn, addSessionIn, closeIn, linkIncidentIn, markStepIn, requestJudicialConfirmationIn, signAgreementIn } from './mediation.js';
import { referIn } from './referrals.js';
import { disputeDetail, disputeHints, listDisputes, namesFor, riskPlaces } from './reads.js';
import { disputeFigures } from './figures.js';
import { needsAttention } from './attention.js';
import { agreementView, disputeListView, followupView, referralView, sessionView } from './views.js';
import { invalidField } from './errors.js';
import * as C from './contract.js';

const TAGS = ['disputes'];

export default async function disputeRoutes(fastify: FastifyInstance, opts: { deps: DisputeDeps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { deps } = opts;
  const { db, writes } = deps;
  const write = (entity: string, action: string) => ({ audit: { entity, action }, idempotency: 'in-write' as const });

  app.post(
    '/disputes',
    {
      config: { permission: 'dispute.register', ...write('dispute', 'dispute.register') },
      schema: { tags: TAGS, summary: 'Register a dispute (from an incident, a home visit, a walk-in or a 12345 order); from an incident it fills what the incident knows', body: C.RegisterBody, response: { 201: C.DisputeListItem, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const draft = await prepareRegistration(deps, req.principal!, req.body);
      req.auditDetail = { incidentId: req.body.incidentId ?? null };
      return routeWrite(writes, req, reply, 201, async (w) => disputeListView(await registerIn(w, deps, req.principal!, draft)));
    },
  );

  app.get(
    '/disputes',
    {
      config: { permission: 'dispute.read' },
      schema: { tags: TAGS, summary: 'The register of my jurisdiction (a mediator: the disputes referred to them); open first, by risk and age; no personal data', querystring: C.ListQuery, response: { 200: C.DisputeList, ...ErrorAnswers } },
    },
    async (req) => listDisputes(db, req.principal!, { ...req.query, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }),
  );

  app.get(
    '/disputes/hints',
    {
      // Which disputes a phone number is party to is personal data: a hint asked by phone is audited.
      config: { permission: 'dispute.hint', audit: { entity: 'dispute', action: 'dispute.hint' } },
      schema: { tags: TAGS, summary: 'For the call-taker: open disputes at the caller’s phone, the address or within 100 m (number, type, grade, days open)', querystring: C.HintQuery, response: { 200: C.HintList, ...ErrorAnswers } },
    },
    async (req) => {
      const q = req.query;
      if ((q.lon === undefined) !== (q.lat === undefined)) throw invalidField(q.lon === undefined ? 'lon' : 'lat', '经度与纬度需同时提供', 'lon and lat go together');
      const answer = await disputeHints(db, req.principal!, q);
      if (q.phone) {
        req.auditRead = true;
        req.auditDetail = { searchedPhone: maskPhone(q.phone.replace(/[\s-]/g, '')), found: answer.items.map((i) => i.id) };
      }
      return answer;
    },
  );

  app.get(
    '/disputes/risk-places',
    { config: { permission: 'dispute.map' }, schema: { tags: TAGS, summary: 'Open red and orange disputes with a place, for the dispatcher’s map (no personal data)', response: { 200: C.RiskPlaces, ...ErrorAnswers } } },
    async (req) => riskPlaces(db, req.principal!),
  );

  app.get(
    '/disputes/stats',
    {
      config: { permission: 'dispute.stats' },
      schema: { tags: TAGS, summary: 'Registered, resolved, resolution rate (resolved ÷ registered), agreements performed, recurrence, median days: by station, type and agency', querystring: C.StatsQuery, response: { 200: C.Stats, ...ErrorAnswers } },
    },
    async (req) => {
      const from = new Date(req.query.from);
      const to = new Date(req.query.to);
      if (!(from < to)) throw invalidField('to', '结束时间须晚于开始时间', 'to must be after from');
      if (to.getTime() - from.getTime() > 11 * 366 * 86_400_000) throw invalidField('to', '统计区间最长十年', 'a period of at most ten years');
      return disputeFigures(db, req.principal!, from, to);
    },
  );

  app.get(
    '/disputes/attention',
    {
      config: { permission: 'dispute.stats' },
      schema: { tags: TAGS, summary: 'For the station chief: open disputes with overdue or soon-due clocks and protocol steps, and the high-risk ones (no personal data)', response: { 200: C.Attention, ...ErrorAnswers } },
    },
    async (req) => needsAttention(db, deps.calendar, req.principal!),
  );

  app.get(
    '/disputes/:id',
    {
      config: { permission: 'dispute.read', audit: { entity: 'dispute', action: 'dispute.read', reads: true } },
      schema: { tags: TAGS, summary: 'One dispute: parties (in full for the roles that work with them; the read is audited), referrals, sessions, agreement, follow-ups, clocks, protocol, timeline', params: IdParams, response: { 200: C.DisputeDetail, ...ErrorAnswers } },
    },
    async (req) => {
      const out = await disputeDetail(db, deps.calendar, req.principal!, req.params.id);
      req.auditDetail = { partiesUnmasked: out.unmaskedParties };
      return out.view;
    },
  );

  app.post(
    '/disputes/:id/referrals',
    {
      config: { permission: 'dispute.refer', ...write('dispute', 'dispute.refer') },
      schema: { tags: TAGS, summary: 'Hand the dispute to an agency (and optionally one of its mediators); police mediation is refused at entry for the cases the rules exclude', params: IdParams, body: C.ReferBody, response: { 201: C.ReferralView, ...ErrorAnswers } },
    },
    async (req, reply) =>
      routeWrite(writes, req, reply, 201, async (w) => {
        const r = await referIn(w, deps, req.principal!, req.params.id, req.body);
        return referralView(r, await namesFor(w.tx, [r.agencyId], r.mediatorId ? [r.mediatorId] : []));
      }),
  );

  app.post(
    '/disputes/:id/sessions',
    {
      config: { permission: 'dispute.mediate', ...write('dispute', 'dispute.session') },
      schema: { tags: TAGS, summary: 'Record a mediation session (the first one starts the mediation)', params: IdParams, body: C.SessionBody, response: { 201: C.SessionView, ...ErrorAnswers } },
    },
    async (req, reply) => routeWrite(writes, req, reply, 201, async (w) => sessionView(await addSessionIn(w, deps, req.principal!, req.params.id, { ...req.body, heldAt: req.body.heldAt ? new Date(req.body.heldAt) : undefined }))),
  );

  app.post(
    '/disputes/:id/agreement',
    {
      config: { permission: 'dispute.mediate', ...write('dispute', 'dispute.agreement') },
      schema: { tags: TAGS, summary: 'Record the mediation agreement with the parties’ signatures (on screen or a signed scan)', params: IdParams, body: C.AgreementBody, response: { 201: C.AgreementView, ...ErrorAnswers } },
    },
    async (req, reply) => routeWrite(writes, req, reply, 201, async (w) => agreementView(await signAgreementIn(w, deps, req.principal!, req.params.id, req.body))),
  );

  app.post(
    '/disputes/:id/agreement/judicial-confirmation',
    {
      config: { permission: 'dispute.mediate', ...write('dispute', 'dispute.judicial_confirmation') },
      schema: { tags: TAGS, summary: 'Record that the agreement was sent for judicial confirmation (司法确认, within 30 days of signing)', params: IdParams, response: { 200: C.DisputeListItem, ...ErrorAnswers } },
    },
    async (req, reply) => routeWrite(writes, req, reply, 200, async (w) => disputeListView(await requestJudicialConfirmationIn(w, deps, req.principal!, req.params.id))),
  );

  app.post(
    '/disputes/:id/followups',
    {
      config: { permission: 'dispute.followup', ...write('dispute', 'dispute.followup') },
      schema: { tags: TAGS, summary: 'Record a follow-up visit (回访) on the agreement’s performance', params: IdParams, body: C.FollowupBody, response: { 201: C.FollowupView, ...ErrorAnswers } },
    },
    async (req, reply) => routeWrite(writes, req, reply, 201, async (w) => followupView(await addFollowupIn(w, deps, req.principal!, req.params.id, { ...req.body, at: req.body.at ? new Date(req.body.at) : undefined }))),
  );

  app.post(
    '/disputes/:id/close',
    {
      config: { permission: 'dispute.close', ...write('dispute', 'dispute.close') },
      schema: { tags: TAGS, summary: 'Close the dispute with its outcome (a referral still being worked ends with it)', params: IdParams, body: C.CloseBody, response: { 200: C.DisputeListItem, ...ErrorAnswers } },
    },
    async (req, reply) => routeWrite(writes, req, reply, 200, async (w) => disputeListView(await closeIn(w, deps, req.principal!, req.params.id, req.body))),
  );

  app.post(
    '/disputes/:id/steps/:code',
    {
      config: { permission: 'dispute.register', ...write('dispute', 'dispute.protocol_step') },
      schema: {
        tags: TAGS,
        summary: 'Mark a step of the local protocol for this dispute type done',
        params: Type.Object({ id: IdParams.properties.id, code: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9_]+$' }) }, { additionalProperties: false }),
        body: C.StepBody,
        response: { 200: C.DisputeListItem, ...ErrorAnswers },
      },
    },
    async (req, reply) => routeWrite(writes, req, reply, 200, async (w) => disputeListView(await markStepIn(w, deps, req.principal!, req.params.id, req.params.code, req.body.note))),
  );

  app.post(
    '/disputes/:id/incidents',
    {
      config: { permission: 'dispute.register', ...write('dispute', 'dispute.link_incident') },
      schema: { tags: TAGS, summary: 'Link a later incident to the dispute (between the same people or at the same place)', params: IdParams, body: C.LinkBody, response: { 200: C.DisputeListItem, ...ErrorAnswers } },
    },
    async (req, reply) => {
      await deps.incidents.get(req.principal!, req.body.incidentId); // 404 unless the incident is the principal's to see
      return routeWrite(writes, req, reply, 200, async (w) => disputeListView(await linkIncidentIn(w, deps, req.principal!, req.params.id, req.body.incidentId)));
    },
  );
}
