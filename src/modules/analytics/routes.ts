/** The KPI catalogue: every figure the modules declare, with its definition, unit, direction and version. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorAnswers, Nullable, StringEnum } from '../../core/typebox.js';
import type { KpiEntry } from '../../kernel/kernel.js';

const Kpi = Type.Object({
  id: Type.String(),
  module: Type.String({ description: 'the module that declares and computes it' }),
  version: Type.Integer({ minimum: 1, description: 'a changed definition is a new version' }),
  zh: Type.String(),
  en: Type.String(),
  definition: Type.String(),
  unit: StringEnum(['count', 'rate', 'seconds', 'hours', 'days', 'value'] as const),
  better: StringEnum(['up', 'down', 'neither'] as const),
  numerator: Nullable(Type.String()),
  denominator: Nullable(Type.String()),
  exclusions: Nullable(Type.String()),
});

const KpiList = Type.Object({ items: Type.Array(Kpi) });

export default async function analyticsRoutes(fastify: FastifyInstance, opts: { kpis: readonly KpiEntry[] }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const items = opts.kpis.map((k) => ({
    id: k.id,
    module: k.module,
    version: k.version,
    zh: k.zh,
    en: k.en,
    definition: k.definition,
    unit: k.unit ?? 'value',
    better: k.better ?? 'neither',
    numerator: k.numerator ?? null,
    denominator: k.denominator ?? null,
    exclusions: k.exclusions ?? null,
  }));
  app.get(
    '/kpis',
    { config: { permission: 'analytics.read' }, schema: { tags: ['analytics'], summary: 'Every KPI the modules declare: what it counts, its unit, which way is better, its version', response: { 200: KpiList, ...ErrorAnswers } } },
    async () => ({ items }),
  );
}
