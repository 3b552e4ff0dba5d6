/** The volunteers' HTTP API: teams, shifts and sign-ups, check-in/out, hours, reports, linked-defence groups. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorAnswers, IdParams, Strict } from '../../core/typebox.js';
import { routeWrite } from '../../kernel/http-write.js';
import { pendingAuditRecord, requestAuditEntry, type AuditEntry } from '../audit/index.js';
import type { VolunteerService } from './service.js';
import type { DefenceService } from './defence.js';
import type { GeoPolygon } from './domain/geofence.js';
import * as C from './contract.js';

const TAGS = ['volunteers'];
const write = (entity: string, action: string) => ({ audit: { entity, action }, idempotency: 'in-write' as const });

export default async function volunteerRoutes(fastify: FastifyInstance, opts: { service: VolunteerService; defence: DefenceService }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { service, defence } = opts;
  const { writes } = service.deps;

  // ---- teams ----
  app.get(
    '/volunteer-teams',
    { config: { permission: 'volunteer.read' }, schema: { tags: TAGS, summary: 'Volunteer teams: a volunteer’s own; the stations’ of my jurisdiction for staff', response: { 200: C.TeamList, ...ErrorAnswers } } },
    async (req) => service.listTeams(req.principal!),
  );
  app.post(
    '/volunteer-teams',
    { config: { permission: 'volunteer.manage', ...write('volunteer_team', 'volunteer.team_create') }, schema: { tags: TAGS, summary: 'Create a volunteer team under a station (default: mine)', body: C.TeamBody, response: { 201: C.TeamView, ...ErrorAnswers } } },
    async (req, reply) => routeWrite(writes, req, reply, 201, (w) => service.createTeam(w, req.principal!, req.body)),
  );
  app.get(
    '/volunteer-teams/:id',
    // Members' names are personal data: the read is audited.
    { config: { permission: 'volunteer.read', audit: { entity: 'volunteer_team', action: 'volunteer.team_read', reads: true } }, schema: { tags: TAGS, summary: 'A team with its members, skills, qualifications and leaders', params: IdParams, response: { 200: C.TeamDetail, ...ErrorAnswers } } },
    async (req) => service.teamDetail(req.principal!, req.params.id),
  );
  app.post(
    '/volunteer-teams/:id/members',
    { config: { permission: 'volunteer.manage', ...write('volunteer_team', 'volunteer.member_add') }, schema: { tags: TAGS, summary: 'Add (or update) a member: an account with role volunteer of the team’s station', params: IdParams, body: C.MemberBody, response: { 201: C.MemberView, ...ErrorAnswers } } },
    async (req, reply) => routeWrite(writes, req, reply, 201, (w) => service.addMember(w, req.principal!, req.params.id, req.body)),
  );
  app.patch(
    '/volunteer-teams/:id/members/:userId',
    { config: { permission: 'volunteer.manage', ...write('volunteer_team', 'volunteer.member_update') }, schema: { tags: TAGS, summary: 'Change a member’s leader flag, skills or qualifications', params: C.MemberParams, body: C.MemberPatch, response: { 200: C.MemberView, ...ErrorAnswers } } },
    async (req, reply) => routeWrite(writes, req, reply, 200, (w) => service.patchMember(w, req.principal!, req.params.id, req.params.userId, req.body)),
  );

  // ---- shifts ----
  app.post(
    '/shifts',
    { config: { permission: 'volunteer.manage', ...write('shift', 'volunteer.shift_create') }, schema: { tags: TAGS, summary: 'Create a patrol shift of a team: times, area polygon, min/max people, approval, sign-up window (opens N hours ahead, default 72)', body: C.ShiftBody, response: { 201: C.ShiftView, ...ErrorAnswers } } },
    async (req, reply) => routeWrite(writes, req, reply, 201, (w) => service.createShift(w, req.principal!, { ...req.body, area: req.body.area as GeoPolygon })),
  );
  app.get(
    '/shifts',
    { config: { permission: 'volunteer.read' }, schema: { tags: TAGS, summary: 'Shifts of my teams (a volunteer) or of my jurisdiction (staff), with my sign-up; `open=true`: open for sign-up now', querystring: C.ShiftQuery, response: { 200: C.ShiftList, ...ErrorAnswers } } },
    async (req) => service.listShifts(req.principal!, req.query),
  );
  app.get(
    '/shifts/:id',
    { config: { permission: 'volunteer.read' }, schema: { tags: TAGS, summary: 'One shift with my sign-up', params: IdParams, response: { 200: C.ShiftView, ...ErrorAnswers } } },
    async (req) => service.shiftDetail(req.principal!, req.params.id),
  );
  app.post(
    '/shifts/:id/cancel',
    { config: { permission: 'volunteer.manage', ...write('shift', 'volunteer.shift_cancel') }, schema: { tags: TAGS, summary: 'Cancel a shift before it starts (its sign-ups are cancelled)', params: IdParams, response: { 200: C.ShiftView, ...ErrorAnswers } } },
    async (req, reply) => routeWrite(writes, req, reply, 200, (w) => service.cancelShift(w, req.principal!, req.params.id)),
  );
  app.post(
    '/shifts/:id/signups',
    { config: { permission: 'volunteer.self', ...write('shift_signup', 'volunteer.signup') }, schema: { tags: TAGS, summary: 'Sign up for a shift of my team: within its window, never beyond max people (pending when it needs approval)', params: IdParams, response: { 201: C.SignupView, ...ErrorAnswers } } },
    async (req, reply) => routeWrite(writes, req, reply, 201, (w) => service.signUp(w, req.principal!, req.params.id)),
  );
  app.get(
    '/shifts/:id/signups',
    { config: { permission: 'volunteer.approve', audit: { entity: 'shift', action: 'volunteer.signups_read', reads: true } }, schema: { tags: TAGS, summary: 'A shift’s sign-ups (the station, or the team’s leaders)', params: IdParams, response: { 200: C.SignupList, ...ErrorAnswers } } },
    async (req) => service.signups(req.principal!, req.params.id),
  );
  for (const [verb, approve] of [['approve', true], ['reject', false]] as const) {
    app.post(
      `/shifts/:id/signups/:signupId/${verb}`,
      { config: { permission: 'volunteer.approve', ...write('shift_signup', `volunteer.signup_${verb}`) }, schema: { tags: TAGS, summary: `${verb === 'approve' ? 'Approve' : 'Reject'} a pending sign-up (the station or a team leader)`, params: C.SignupParams, response: { 200: C.SignupView, ...ErrorAnswers } } },
      async (req, reply) => routeWrite(writes, req, reply, 200, (w) => service.decide(w, req.principal!, req.params.id, req.params.signupId, approve)),
    );
  }
  app.post(
    '/shifts/:id/signups/:signupId/cancel',
    { config: { permission: 'volunteer.read', ...write('shift_signup', 'volunteer.signup_cancel') }, schema: { tags: TAGS, summary: 'Cancel a sign-up before the shift starts (a volunteer their own; the station any)', params: C.SignupParams, response: { 200: C.SignupView, ...ErrorAnswers } } },
    async (req, reply) => routeWrite(writes, req, reply, 200, (w) => service.cancelSignup(w, req.principal!, req.params.id, req.params.signupId)),
  );
  app.post(
    '/shifts/:id/checkin',
    // The audit entry is committed with the check-in; its chaining does not hold the answer (see AuditConfig.chain).
    { config: { permission: 'volunteer.self', audit: { entity: 'shift_signup', action: 'volunteer.checkin', chain: 'after-answer' }, idempotency: 'in-write' }, schema: { tags: TAGS, summary: 'Check in: refused outside the shift’s area (boundary counts as inside) or outside its window (a grace before the start); the position is checked, not kept', params: IdParams, body: C.CheckinBody, response: { 200: C.SignupView, ...ErrorAnswers } } },
    async (req, reply) => {
      // The plain case goes in a batch with the concurrent check-ins (checkins.ts); the rest the ordinary way.
      const idem = req.idempotency;
      let entry: AuditEntry | undefined;
      const view = await service.checkins.checkIn({
        p: req.principal!,
        shiftId: req.params.id,
        at: req.body,
        idempotency: idem ? { principal: idem.principal, key: idem.key, method: idem.method, path: idem.path, requestHash: idem.requestHash } : undefined,
        // The entity (the sign-up) is known once the batch's statement has found it: it sets it in the stored entry too.
        audit: (at) => {
          entry = requestAuditEntry(req, 200, { at });
          return { key: String(req.id), record: pendingAuditRecord(entry) };
        },
      });
      if (!view) return routeWrite(writes, req, reply, 200, (w) => service.checkIn(w, req.principal!, req.params.id, req.body));
      if (idem) idem.committed = true;
      req.auditEntityId = view.id;
      req.auditPending = { key: String(req.id), entry: { ...entry!, entityId: view.id } };
      reply.status(200);
      return view;
    },
  );
  app.post(
    '/shifts/:id/checkout',
    { config: { permission: 'volunteer.self', ...write('shift_signup', 'volunteer.checkout') }, schema: { tags: TAGS, summary: 'Check out: hours from check-in to now (capped at the shift’s end) and points go to the ledger', params: IdParams, body: Type.Optional(C.CheckoutBody), response: { 200: C.CheckoutView, ...ErrorAnswers } } },
    async (req, reply) => routeWrite(writes, req, reply, 200, (w) => service.checkOut(w, req.principal!, req.params.id)),
  );

  // ---- me, on duty, reports ----
  app.get(
    '/volunteer/me/hours',
    { config: { permission: 'volunteer.self' }, schema: { tags: TAGS, summary: 'My hours and points (total, this month, recent shifts)', response: { 200: C.MyHours, ...ErrorAnswers } } },
    async (req) => service.myHours(req.principal!),
  );
  app.get(
    '/volunteer-duty',
    { config: { permission: 'volunteer.duty' }, schema: { tags: TAGS, summary: 'Volunteers on duty now (checked in, shift not ended) in my jurisdiction', response: { 200: C.OnDuty, ...ErrorAnswers } } },
    async (req) => service.onDuty(req.principal!),
  );
  app.post(
    '/volunteer-reports',
    { config: { permission: 'volunteer.self', ...write('volunteer_report', 'volunteer.report') }, schema: { tags: TAGS, summary: 'Report what I saw: goes to my team’s station as a citizen-grade report (status new)', body: C.ReportBody, response: { 201: C.ReportView, ...ErrorAnswers } } },
    async (req, reply) => routeWrite(writes, req, reply, 201, (w) => service.report(w, req.principal!, req.body)),
  );
  app.get(
    '/volunteer-reports',
    { config: { permission: 'volunteer.read', audit: { entity: 'volunteer_report', action: 'volunteer.reports_read', reads: true } }, schema: { tags: TAGS, summary: 'Volunteers’ reports: the station’s (staff) or my own (a volunteer), newest first', response: { 200: C.ReportList, ...ErrorAnswers } } },
    async (req) => service.reports(req.principal!),
  );
  app.post(
    '/volunteer-reports/:id/status',
    { config: { permission: 'volunteer.manage', ...write('volunteer_report', 'volunteer.report_status') }, schema: { tags: TAGS, summary: 'Mark a report seen, forwarded or closed', params: IdParams, body: C.ReportStatusBody, response: { 200: C.ReportView, ...ErrorAnswers } } },
    async (req, reply) => routeWrite(writes, req, reply, 200, (w) => service.setReportStatus(w, req.principal!, req.params.id, req.body.status)),
  );

  // ---- linked-defence groups ----
  app.get(
    '/defence-groups',
    { config: { permission: 'defence.read', audit: { entity: 'defence_group', action: 'defence.list', reads: true } }, schema: { tags: TAGS, summary: 'Linked-defence groups (联店/联楼/联户联防): mine (a member) or my jurisdiction’s (staff), with members and contact channels', response: { 200: C.DefenceGroupList, ...ErrorAnswers } } },
    async (req) => defence.list(req.principal!),
  );
  app.post(
    '/defence-groups',
    { config: { permission: 'defence.manage', ...write('defence_group', 'defence.create') }, schema: { tags: TAGS, summary: 'Create a linked-defence group at a station', body: C.DefenceGroupBody, response: { 201: C.DefenceGroupView, ...ErrorAnswers } } },
    async (req, reply) => routeWrite(writes, req, reply, 201, (w) => defence.create(w, req.principal!, req.body)),
  );
  app.get(
    '/defence-groups/alerts',
    { config: { permission: 'defence.read' }, schema: { tags: TAGS, summary: 'Recent alerts of my groups (a member) or my jurisdiction’s groups (staff)', response: { 200: C.DefenceAlertList, ...ErrorAnswers } } },
    async (req) => defence.alerts(req.principal!),
  );
  app.get(
    '/defence-groups/:id',
    { config: { permission: 'defence.read', audit: { entity: 'defence_group', action: 'defence.read', reads: true } }, schema: { tags: TAGS, summary: 'One group with its members', params: IdParams, response: { 200: C.DefenceGroupView, ...ErrorAnswers } } },
    async (req) => defence.detail(req.principal!, req.params.id),
  );
  app.post(
    '/defence-groups/:id/members',
    { config: { permission: 'defence.manage', ...write('defence_group', 'defence.member_add') }, schema: { tags: TAGS, summary: 'Add a shop, building or household with its address and contact channel', params: IdParams, body: C.DefenceMemberBody, response: { 201: C.DefenceMemberView, ...ErrorAnswers } } },
    async (req, reply) => routeWrite(writes, req, reply, 201, (w) => defence.addMember(w, req.principal!, req.params.id, req.body)),
  );
  app.post(
    '/defence-groups/:id/alerts',
    {
      // Not in-write: the incident is recorded first by the incidents module (its own write); the key is claimed before.
      config: { permission: 'defence.alert', audit: { entity: 'defence_alert', action: 'defence.alert' } },
      schema: { tags: TAGS, summary: 'A member’s alert: records an incident at the member’s address and notifies the group and the station at once', params: IdParams, body: Strict({ ...C.DefenceAlertBody.properties, memberId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })) }), response: { 201: C.DefenceAlertView, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const v = await defence.raise(req.principal!, req.params.id, req.body);
      req.auditEntityId = v.id;
      reply.status(201);
      return v;
    },
  );
}
