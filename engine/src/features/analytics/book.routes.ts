import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { errorResponses, security } from '../../lib/openapi.js';
import { clientIp } from '../../lib/request.js';
import { audit } from '../audit/audit.js';
import { requireScope } from '../auth/auth.middleware.js';
import { analyticsWorker } from './analytics-worker.js';
import { reconcile } from './reconciliation.js';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const RunSchema = z.object({
  id: z.number().int(),
  trigger: z.string(),
  mode: z.enum(['incremental', 'full']),
  status: z.enum(['running', 'succeeded', 'failed']),
  portfolios: z.number().int(),
  groups: z.number().int(),
  seriesRows: z.number().int(),
  metricRows: z.number().int(),
  phasesMs: z.record(z.string(), z.number()).nullable(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

const StatusSchema = z
  .object({
    queue: z.object({
      dirtyPortfolios: z.number().int().openapi({ description: 'Portfolios whose data changed since their last compute' }),
      dirtyIndices: z.number().int(),
      oldestChange: z.string().nullable(),
    }),
    worker: z.object({
      running: z.object({ trigger: z.string(), full: z.boolean(), startedAt: z.string() }).nullable(),
      pending: z.boolean(),
    }),
    stored: z.object({ entities: z.number().int(), metricRows: z.number().int(), asOf: z.string().nullable() }),
    runs: z.array(RunSchema).openapi({ description: 'The last 10 runs, newest first' }),
  })
  .openapi('AnalyticsStatus');

const recomputeRoute = createRoute({
  method: 'post',
  path: '/api/analytics/recompute',
  tags: ['Analytics'],
  summary: 'Queue a recompute of the precomputed series and metrics (admin)',
  description: 'Returns 202 at once; the work runs in the background (see GET /api/analytics/status). Incremental by default: only portfolios whose data changed and the aggregates containing them. `full: true` rebuilds everything.',
  security,
  middleware: [requireScope('admin')] as const,
  request: { body: { required: false, content: json(z.object({ full: z.boolean().default(false) })) } },
  responses: { 202: { description: 'Queued', content: json(z.object({ queued: z.literal(true), full: z.boolean() })) }, ...errorResponses },
});

const statusRoute = createRoute({
  method: 'get',
  path: '/api/analytics/status',
  tags: ['Analytics'],
  summary: 'State of the analytics worker: queue, running run, last runs',
  security,
  middleware: [requireScope('analytics', 'read')] as const,
  responses: { 200: { description: 'Status', content: json(StatusSchema) }, ...errorResponses },
});

const ReconciliationItemSchema = z.object({
  portfolioId: z.number().int(),
  portfolioCode: z.string(),
  period: z.string(),
  fromDate: z.string().nullable(),
  toDate: z.string(),
  days: z.number().int().nullable(),
  reported: z.number(),
  ours: z.number().nullable(),
  differenceBp: z.number().nullable().openapi({ description: '(ours − reported) in basis points' }),
  reportedBenchmark: z.number().nullable(),
  ourBenchmark: z.number().nullable(),
  benchmarkDifferenceBp: z.number().nullable(),
  likelyCause: z.enum(['flow-timing', 'fee-treatment', 'missing-price', 'no-data', 'unexplained']),
  evidence: z.array(z.string()),
});

const reconciliationRoute = createRoute({
  method: 'get',
  path: '/api/analytics/reconciliation',
  tags: ['Analytics'],
  summary: "Differences between Wealth Spectrum's reported TWRR and ours, with the likely cause",
  description: 'Compares every imported reported-performance row with our TWRR over the same portfolio and dates (SEBI convention: absolute under a year, annualised from a year) and lists those more than thresholdBp apart.',
  security,
  middleware: [requireScope('analytics', 'read')] as const,
  request: {
    query: z.object({
      thresholdBp: z.coerce.number().min(0).max(10_000).default(1),
      portfolio: z.string().min(1).max(64).optional().openapi({ description: 'Portfolio (Wealth Spectrum account) code' }),
    }),
  },
  responses: {
    200: {
      description: 'The comparison',
      content: json(z.object({ thresholdBp: z.number(), checked: z.number().int(), withinThreshold: z.number().int(), differences: z.array(ReconciliationItemSchema) }).openapi('AnalyticsReconciliation')),
    },
    ...errorResponses,
  },
});

export const bookRoutes = new OpenAPIHono<AppEnv>()
  .openapi(recomputeRoute, async (c) => {
    const body = c.req.header('content-type')?.includes('application/json') ? c.req.valid('json') : { full: false };
    const full = body?.full ?? false;
    analyticsWorker(c.var.deps).request(`api:${c.var.principal.id}`, full);
    await audit(c.var.deps.db.sql, { actor: c.var.principal.id, ip: clientIp(c.env), action: 'analytics.recompute', resource: 'analytics', details: { full } });
    return c.json({ queued: true as const, full }, 202);
  })
  .openapi(statusRoute, async (c) => {
    const { sql } = c.var.deps.db;
    const worker = analyticsWorker(c.var.deps);
    const [q] = await sql<{ p: number; i: number; oldest: string | null }[]>`
      select (select count(*)::int from analytics_dirty) as p, (select count(*)::int from analytics_index_dirty) as i,
             (select min(marked_at)::text from analytics_dirty) as oldest`;
    const [st] = await sql<{ e: number; m: number; as_of: string | null }[]>`
      select (select count(*)::int from analytics_entities) as e, (select count(*)::int from analytics_metrics) as m,
             (select as_of::text from analytics_entities where entity_type = 'firm' and entity_id = 0) as as_of`;
    const runs = await sql<z.infer<typeof RunSchema>[]>`
      select id, trigger, mode, status, portfolios, groups, series_rows as "seriesRows", metric_rows as "metricRows", phases_ms as "phasesMs",
             error, started_at::text as "startedAt", finished_at::text as "finishedAt"
      from analytics_runs order by id desc limit 10`;
    return c.json(
      {
        queue: { dirtyPortfolios: q!.p, dirtyIndices: q!.i, oldestChange: q!.oldest },
        worker: { running: worker.state.running, pending: worker.state.pending !== null },
        stored: { entities: st!.e, metricRows: st!.m, asOf: st!.as_of },
        runs: [...runs],
      },
      200,
    );
  })
  .openapi(reconciliationRoute, async (c) => {
    const q = c.req.valid('query');
    const result = await reconcile(c.var.deps.db.sql, { thresholdBp: q.thresholdBp, portfolioCode: q.portfolio?.toUpperCase() });
    await audit(c.var.deps.db.sql, { actor: c.var.principal.id, ip: clientIp(c.env), action: 'analytics.reconciliation', resource: 'analytics', details: { portfolio: q.portfolio ?? null, differences: result.differences.length } });
    return c.json(result, 200);
  });
