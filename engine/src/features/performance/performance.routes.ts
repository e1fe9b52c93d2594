import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.js';
import { NAMED_PERIODS, periodRange } from '../../analytics/index.js';
import { AppError, ForbiddenError, NotFoundError } from '../../lib/errors.js';
import { ErrorBody, errorResponses, security } from '../../lib/openapi.js';
import { isClientVisible } from '../../lib/scope.js';
import { auditClientDenied, auditRequest } from '../audit/audit.js';
import { requireScope } from '../auth/auth.middleware.js';
import { periodMetrics } from '../portfolios/portfolios.queries.js';
import { GRAINS, entitySeries, seriesBounds, toChart } from './performance.queries.js';

export const Chart = z
  .object({ labels: z.array(z.string()), datasets: z.array(z.object({ label: z.string(), data: z.array(z.number().nullable()) })) })
  .openapi('Chart');

const PerformanceResponse = z
  .object({
    entity: z.object({ type: z.string(), id: z.number().int() }),
    period: z.string(),
    grain: z.enum(GRAINS),
    from: z.string().nullable(),
    to: z.string().nullable(),
    figures: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'The period\'s metrics (analytics_metrics): reportedReturn, benchmarkReported, xirr, risk…; null when the entity did not live through the period' }),
    series: z.array(z.object({ date: z.string(), value: z.string(), netFlow: z.string(), cumulativeReturn: z.number(), benchmarkCumulativeReturn: z.number().nullable() })),
    chart: Chart,
  })
  .openapi('Performance');

const route = createRoute({
  method: 'get',
  path: '/api/performance',
  tags: ['Performance'],
  summary: 'Performance of the firm, a strategy, an RM, a client or a portfolio vs its benchmark, with a chart series',
  description:
    'Scope read. `scope=firm` for an RM is their own book (the `team` aggregate of their RM subtree); `strategy` composites are firm-wide figures and need a firm-wide role; `rm` must be inside the caller\'s subtree; `client`/`portfolio` must be visible (404 and access.denied otherwise).',
  security,
  middleware: [requireScope('read')] as const,
  request: {
    query: z
      .object({
        scope: z.enum(['firm', 'strategy', 'rm', 'client', 'portfolio']).default('firm'),
        id: z.coerce.number().int().positive().max(2_147_483_647).optional().openapi({ description: 'Id of the strategy, RM, client or portfolio' }),
        period: z.enum(NAMED_PERIODS).default('1Y'),
        grain: z.enum(GRAINS).default('monthly'),
      })
      .strict(),
  },
  responses: {
    200: { description: 'Figures and series', content: { 'application/json': { schema: PerformanceResponse } } },
    404: { description: 'Nothing visible with this id', content: { 'application/json': { schema: ErrorBody } } },
    ...errorResponses,
  },
});

/** The analytics entity a request maps to, after the caller's scope is checked. */
async function resolveEntity(c: Context<AppEnv>, scope: string, id: number | undefined): Promise<{ type: string; id: number; clientIds: number[] }> {
  const p = c.var.principal;
  const sql = c.var.deps.db.sql;
  const cs = p.clientScope;
  if (scope !== 'firm' && id === undefined) throw new AppError(400, 'VALIDATION_FAILED', `scope=${scope} needs an id`);
  switch (scope) {
    case 'firm':
      if (cs.all) return { type: 'firm', id: 0, clientIds: [] };
      if (!p.user?.rmId) throw new ForbiddenError('No book to show: the user has no RM link');
      return { type: 'team', id: p.user.rmId, clientIds: [] };
    case 'strategy':
      if (!cs.all) throw new ForbiddenError('Strategy composites are firm-wide figures (management, compliance, admin)');
      return { type: 'strategy', id: id!, clientIds: [] };
    case 'rm':
      if (!cs.all && !cs.rmIds.includes(id!)) {
        await auditRequest(c, { action: 'access.denied', resource: `rm:${id}`, details: { route: 'performance' } });
        throw new NotFoundError('Relationship manager');
      }
      return { type: 'rm', id: id!, clientIds: [] };
    case 'client':
      if (!(await isClientVisible(sql, cs, id!))) {
        await auditClientDenied(c, [id!], 'performance');
        throw new NotFoundError('Client');
      }
      return { type: 'client', id: id!, clientIds: [id!] };
    default: {
      const [row] = await sql<{ clientId: number }[]>`select client_id as "clientId" from portfolios where id = ${id!}`;
      if (!row || !(await isClientVisible(sql, cs, row.clientId))) {
        await auditClientDenied(c, row ? [row.clientId] : [], 'performance');
        throw new NotFoundError('Portfolio');
      }
      return { type: 'portfolio', id: id!, clientIds: [row.clientId] };
    }
  }
}

export const performanceRoutes = new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
  const sql = c.var.deps.db.sql;
  const q = c.req.valid('query');
  const entity = await resolveEntity(c, q.scope, q.id);
  const [metrics] = (await periodMetrics(sql, entity.type, [entity.id])).filter((m) => m.period === q.period);
  const bounds = await seriesBounds(sql, entity.type, entity.id);
  // The period's dates from its metrics row; without one (not lived through), the same rule clipped to the series.
  const range = metrics
    ? { from: metrics.fromDate as string, to: metrics.toDate as string }
    : bounds
      ? periodRange(q.period, bounds.last, bounds.first)
      : null;
  const series = range ? await entitySeries(sql, { entityType: entity.type, entityId: entity.id, from: range.from, to: range.to, grain: q.grain }) : [];
  await auditRequest(c, { action: 'performance.read', resource: `${entity.type}:${entity.id}`, clientIds: entity.clientIds, details: { period: q.period, grain: q.grain } });
  const { entityId: _e, ...figures } = metrics ?? {};
  return c.json(
    {
      entity: { type: entity.type, id: entity.id },
      period: q.period,
      grain: q.grain,
      from: range?.from ?? null,
      to: range?.to ?? null,
      figures: metrics ? figures : null,
      series,
      chart: toChart(series, (metrics?.benchmarkCode as string | undefined) ?? null),
    },
    200,
  );
});
