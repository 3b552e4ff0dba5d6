/** Community policing's HTTP API: grids, civic grids, the week's visit plan, visits and their follow-ups, figures. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorAnswers, IdParams } from '../../core/typebox.js';
import { seesEverything } from '../../core/access.js';
import { routeWrite } from '../../kernel/http-write.js';
import type { CommunityDeps } from './deps.js';
import { civicGridsOf, gridViews, gridsInScope, scopedGrid, setOwnersIn, setTargetIn } from './grids.js';
import { importCivicIn, prepareCivicImport } from './civic.js';
import { myPlan, skipIn } from './plans.js';
import { disputeFromFindingIn, listVisits, prepareDisputeFromFinding, prepareVisit, recordVisitIn, visitDetail, visitView } from './visits.js';
import { visitFigures } from './figures.js';
import { invalidField } from './errors.js';
import { notFound } from '../../core/errors.js';
import { accountsWithUnits } from '../users/index.js';
import { civicGrids } from './schema.js';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { stationScope } from './access.js';
import * as C from './contract.js';

const TAGS = ['community'];

export default async function communityRoutes(fastify: FastifyInstance, opts: { deps: CommunityDeps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { deps } = opts;
  const write = (entity: string, action: string) => ({ audit: { entity, action }, idempotency: 'in-write' as const });

  app.get(
    '/grids',
    {
      config: { permission: 'grid.read' },
      schema: { tags: TAGS, summary: 'The police grids (警格) of my jurisdiction: owners, weekly target, doors and coverage (share of addresses visited in the last N days)', querystring: C.DaysQuery, response: { 200: C.GridList, ...ErrorAnswers } },
    },
    async (req) => {
      const grids = await gridsInScope(deps, req.principal!);
      return { items: await gridViews(deps, grids, req.query.days ?? 90, req.query.polygon ?? false, new Date(), seesEverything(req.principal!)) };
    },
  );

  app.get(
    '/grids/visit-figures',
    {
      config: { permission: 'grid.figures' },
      schema: { tags: TAGS, summary: 'Visits per community officer per week against the target, for the last weeks', querystring: C.FiguresQuery, response: { 200: C.Figures, ...ErrorAnswers } },
    },
    async (req) => visitFigures(deps, req.principal!, req.query.weeks ?? 4),
  );

  app.get(
    '/grids/:id',
    {
      config: { permission: 'grid.read' },
      schema: { tags: TAGS, summary: 'One police grid: owners, target, coverage, polygon and the civic grids (网格) it overlays', params: IdParams, querystring: C.DaysQuery, response: { 200: C.GridDetail, ...ErrorAnswers } },
    },
    async (req) => {
      const g = await scopedGrid(deps, req.principal!, req.params.id);
      const [view] = await gridViews(deps, [g], req.query.days ?? 90, true);
      return { ...view!, polygon: g.polygon, civicGrids: await civicGridsOf(deps, g.id) };
    },
  );

  app.put(
    '/grids/:id/owners',
    {
      config: { permission: 'grid.manage', ...write('grid', 'grid.owners') },
      schema: { tags: TAGS, summary: 'Set the owners of a grid: community officers of its station', params: IdParams, body: C.OwnersBody, response: { 200: C.GridItem, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const p = req.principal!;
      await routeWrite(deps.writes, req, reply, 200, async (w) => ({ userIds: await setOwnersIn(w, deps, p, req.params.id, req.body.userIds) }));
      const [view] = await gridViews(deps, [await scopedGrid(deps, p, req.params.id)], 90, false);
      return view!;
    },
  );

  app.get(
    '/grids/:id/owner-candidates',
    {
      config: { permission: 'grid.manage' },
      schema: { tags: TAGS, summary: 'The community officers who may own this grid (active accounts of its station with the role community)', params: IdParams, response: { 200: C.Candidates, ...ErrorAnswers } },
    },
    async (req) => {
      const g = await scopedGrid(deps, req.principal!, req.params.id);
      const station = g.parentId ? await deps.jurisdiction.unit(g.parentId) : null;
      const all = await accountsWithUnits(deps.db);
      const items = all.filter((a) => !a.u.disabled && a.u.roles.includes('community') && station && a.unit.path.startsWith(station.path)).map((a) => ({ id: a.u.id, displayName: a.u.displayName, unitId: a.u.unitId }));
      return { items };
    },
  );

  app.put(
    '/grids/:id/target',
    {
      config: { permission: 'grid.manage', ...write('grid', 'grid.target') },
      schema: { tags: TAGS, summary: 'Set the weekly visit target per owner (households and shops/units)', params: IdParams, body: C.TargetBody, response: { 200: C.GridItem, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const p = req.principal!;
      await routeWrite(deps.writes, req, reply, 200, (w) => setTargetIn(w, deps, p, req.params.id, req.body));
      const [view] = await gridViews(deps, [await scopedGrid(deps, p, req.params.id)], 90, false);
      return view!;
    },
  );

  app.post(
    '/civic-grids/import',
    {
      bodyLimit: 20 * 1024 * 1024,
      config: { permission: 'civic_grid.import', ...write('civic_grid', 'civic_grid.import') },
      schema: { tags: TAGS, summary: 'Import civic grids (网格) from a GeoJSON FeatureCollection: new codes are added, changed polygons become a new version', body: C.CivicImportBody, response: { 200: C.CivicImportAnswer, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const features = await prepareCivicImport(deps, req.principal!, req.body);
      return routeWrite(deps.writes, req, reply, 200, (w) => importCivicIn(w, req.principal!, features));
    },
  );

  app.get(
    '/civic-grids',
    {
      config: { permission: 'grid.read' },
      schema: { tags: TAGS, summary: 'Current civic grids (网格) of my jurisdiction, optionally of one police grid', querystring: C.CivicListQuery, response: { 200: C.CivicList, ...ErrorAnswers } },
    },
    async (req) => {
      if (req.query.gridId) await scopedGrid(deps, req.principal!, req.query.gridId);
      const rows = await deps.db
        .select()
        .from(civicGrids)
        .where(and(isNull(civicGrids.validTo), stationScope(req.principal!, civicGrids.stationId), req.query.gridId ? eq(civicGrids.policeGridId, req.query.gridId) : undefined))
        .orderBy(asc(civicGrids.code))
        .limit(5000);
      return { items: rows.map((r) => ({ id: r.id, code: r.code, name: r.name, version: r.version, validFrom: r.validFrom.toISOString(), polygon: r.polygon, stationId: r.stationId, policeGridId: r.policeGridId })) };
    },
  );

  app.get(
    '/door-plates/:code',
    {
      // The QR door plate's page for someone not signed in: what the plate itself prints (code and address text), nothing more.
      config: { policy: 'public' },
      schema: { tags: TAGS, summary: 'The address a QR door plate names (public: the text printed on the plate)', params: C.PlateParams, response: { 200: C.PlateView, ...ErrorAnswers } },
    },
    async (req) => {
      const a = await deps.addresses?.point(req.params.code);
      if (!a) throw notFound('address');
      return { code: a.code, address: a.text };
    },
  );

  app.get(
    '/me/visit-plan',
    {
      config: { permission: 'visit.plan' },
      schema: { tags: TAGS, summary: 'My visit plan for this week per grid I own: doors to visit (open disputes and repeat-incident addresses first, then longest unvisited; every door once before any twice), skips, and what my grid needs', response: { 200: C.MyPlan, ...ErrorAnswers } },
    },
    async (req) => myPlan(deps, req.principal!),
  );

  app.post(
    '/me/visit-plan/skips',
    {
      config: { permission: 'visit.plan', ...write('visit_skip', 'visit.skip') },
      schema: { tags: TAGS, summary: 'Skip a door of this week’s plan, with the reason', body: C.SkipBody, response: { 201: C.SkipAnswer, ...ErrorAnswers } },
    },
    async (req, reply) => routeWrite(deps.writes, req, reply, 201, (w) => skipIn(w, deps, req.principal!, req.body)),
  );

  app.post(
    '/visits',
    {
      config: { permission: 'visit.record', ...write('visit', 'visit.record') },
      schema: { tags: TAGS, summary: 'Record a home visit: the door (addressCode or location), services given, problems found, people met (a count); send the same Idempotency-Key again after an offline visit', body: C.VisitBody, response: { 201: C.VisitView, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const v = await prepareVisit(deps, req.principal!, req.body);
      return routeWrite(deps.writes, req, reply, 201, async (w) => visitView(await recordVisitIn(w, req.principal!, req.body, v), [], v.addressText));
    },
  );

  app.get(
    '/visits',
    {
      // Finding notes may name a problem at a door: reads are audited.
      config: { permission: 'visit.read', audit: { entity: 'visit', action: 'visit.list', reads: true } },
      schema: { tags: TAGS, summary: 'Visits of my jurisdiction, newest first, by grid, officer, address and time', querystring: C.VisitQuery, response: { 200: C.VisitList, ...ErrorAnswers } },
    },
    async (req) => {
      const q = req.query;
      if (q.gridId) await scopedGrid(deps, req.principal!, q.gridId);
      if (q.from && q.to && !(new Date(q.from) < new Date(q.to))) throw invalidField('to', '结束时间须晚于开始时间', 'to must be after from');
      return listVisits(deps, req.principal!, { ...q, limit: q.limit ?? 50, offset: q.offset ?? 0 });
    },
  );

  app.get(
    '/visits/:id',
    {
      config: { permission: 'visit.read', audit: { entity: 'visit', action: 'visit.read', reads: true } },
      schema: { tags: TAGS, summary: 'One visit with where each finding went', params: IdParams, response: { 200: C.VisitView, ...ErrorAnswers } },
    },
    async (req) => visitDetail(deps, req.principal!, req.params.id),
  );

  app.post(
    '/visits/:id/findings/:finding/dispute',
    {
      config: { permission: 'visit.follow_up', ...write('visit', 'visit.finding_dispute') },
      schema: { tags: TAGS, summary: 'Turn a finding of the visit into a dispute of the register (source: visit), in one call; once per finding', params: C.FindingParams, body: C.DisputeFromFindingBody, response: { 201: C.FollowUpAnswer, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const p = req.principal!;
      const { visit, draft } = await prepareDisputeFromFinding(deps, p, req.params.id, req.params.finding, req.body);
      return routeWrite(deps.writes, req, reply, 201, (w) => disputeFromFindingIn(w, deps, p, visit, req.params.finding, draft));
    },
  );
}
