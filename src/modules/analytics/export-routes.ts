/**
 * GET /analytics/export.xlsx (issue 16): any analytics table — the key figures, the weekday × hour heat
 * table, the drill-down — as an .xlsx workbook (xlsx.ts), computed by the same functions as the JSON
 * endpoints so the file holds the screen's numbers. Data leaving the system: every export leaves an
 * audit row naming the table, span and unit.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { timeZone } from '../../core/clock.js';
import { Day, ErrorAnswers, Strict, TypedStringEnum } from '../../core/typebox.js';
import type { Db } from '../../db/client.js';
import type { KpiEntry } from '../../kernel/kernel.js';
import type { JurisdictionIndex } from '../org/index.js';
import { checkedSpan, computedKpis, instantsOf } from './figures.js';
import { scopedKpiValues } from './kpi-scope.js';
import { heatTable, refreshStale } from './rollups.js';
import { breakdown, narrowedTo, unitInScope } from './breakdown.js';
import { UnitIdParam } from './breakdown-routes.js';
import { comparisonFor } from './domain/periods.js';
import { breakdownSheetTable, buildWorkbook, contentDisposition, EXPORT_TABLES, heatSheetTable, kpiTable, type ExportTable, type Table } from './xlsx.js';

const ExportQuery = Strict({
  table: TypedStringEnum(EXPORT_TABLES, { description: 'kpis: the key figures; heat: weekday × hour; breakdown: the unit and the units below it' }),
  from: Day,
  to: Day,
  unitId: Type.Optional(UnitIdParam),
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const NAMES = { kpis: '主要指标', heat: '时段分布', breakdown: '分级下钻' } as const;

export default async function exportRoutes(fastify: FastifyInstance, opts: { db: Db; org: JurisdictionIndex; kpis: readonly KpiEntry[] }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const computed = computedKpis(opts.kpis);
  const countDef = opts.kpis.filter((k) => k.id === 'incident.count');
  app.get(
    '/analytics/export.xlsx',
    {
      config: { permission: 'analytics.read', audit: { entity: 'analytics', action: 'analytics.export', reads: true } },
      schema: {
        tags: ['analytics'],
        summary: 'An analytics table as an .xlsx workbook: a header block (span, jurisdiction, comparison span, generation time), the table under zh-CN and English headings, and the definition and version of every figure in a second sheet',
        querystring: ExportQuery,
        // The workbook's media type on the 200 alone: errors stay JSON (ErrorAnswers).
        response: { 200: { description: 'the workbook', content: { [XLSX]: { schema: Type.Unsafe({ type: 'string', format: 'binary' }) } } }, ...ErrorAnswers },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const which: ExportTable = q.table;
      const span = checkedSpan(q.from, q.to);
      const unit = await unitInScope(opts.org, req.principal!, q.unitId);
      // The asker narrowed to the unit: the figures of that unit and below, as its own users would see them.
      const p = narrowedTo(req.principal!, unit);
      const cmp = comparisonFor(span);
      await refreshStale(opts.db, { maxRounds: 1 });
      let table: Table;
      let defs: readonly KpiEntry[] = countDef;
      let compared = true;
      if (which === 'kpis') {
        table = kpiTable(await scopedKpiValues(opts.db, opts.org, computed, req.principal!, unit, span), new Map(opts.kpis.map((k) => [k.id, k])));
        defs = computed;
      } else if (which === 'heat') {
        const w = instantsOf(span);
        table = heatSheetTable(await heatTable(opts.db, p, w.from, w.to, timeZone()));
        compared = false;
      } else {
        table = breakdownSheetTable(await breakdown(opts.db, opts.org, req.principal!, unit, span, req.lang));
      }
      const bytes = await buildWorkbook(table, { span, previous: compared ? cmp.previous : null, rule: compared ? cmp.rule : null, jurisdiction: unit.name, generatedAt: new Date(), timeZone: timeZone() }, defs);
      req.auditEntityId = unit.id;
      req.auditDetail = { table: which, from: span.from, to: span.to, unitId: unit.id, bytes: bytes.length };
      const name = `数据研判-${NAMES[which]}-${unit.name}-${span.from}至${span.to}.xlsx`;
      return reply
        .type(XLSX)
        .header('Content-Disposition', contentDisposition(name, `analytics-${which}-${unit.code}-${span.from}_${span.to}.xlsx`))
        .header('Cache-Control', 'private, no-store')
        .send(bytes);
    },
  );
}
