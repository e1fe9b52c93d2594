import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { AppError, ForbiddenError, NotFoundError } from '../../lib/errors.js';
import { ErrorBody, IsoDate, errorResponses, security } from '../../lib/openapi.js';
import { auditRequest } from '../audit/audit.js';
import { requireScope } from '../auth/auth.middleware.js';
import { packContext } from './pack-context.js';
import { PackAlreadyRunningError, getReportRun, listReportRuns, startReportPack } from './report-pack.js';
import { lastMonthEnd } from './reports-settings.js';

const Id = z.coerce.number().int().positive().max(2_147_483_647);
const Run = z
  .object({
    id: z.number().int(),
    trigger: z.enum(['schedule', 'manual']),
    report: z.string(),
    periodEnd: z.string(),
    scope: z.unknown(),
    requestedBy: z.string().nullable(),
    status: z.enum(['running', 'succeeded', 'partial', 'failed']),
    total: z.number().int(),
    attached: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
    error: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('ReportRun');
const Item = z.object({
  clientId: z.number().int(),
  clientCode: z.string(),
  clientName: z.string(),
  status: z.enum(['pending', 'attached', 'skipped', 'failed']),
  reason: z.string().nullable(),
  attempts: z.number().int(),
  contentVersionId: z.string().nullable(),
  bytes: z.number().int().nullable(),
  ms: z.number().int().nullable(),
  error: z.string().nullable(),
  updatedAt: z.string(),
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/reports/runs',
  tags: ['Reports'],
  summary: 'Report pack runs (scheduled and manual), newest first, with counts',
  security,
  middleware: [requireScope('reports')] as const,
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict() },
  responses: { 200: { description: 'Runs', content: { 'application/json': { schema: z.object({ items: z.array(Run) }) } } }, ...errorResponses },
});

const getRoute = createRoute({
  method: 'get',
  path: '/api/reports/runs/{id}',
  tags: ['Reports'],
  summary: 'One report pack run with the status of each client (the clients the caller may see)',
  security,
  middleware: [requireScope('reports')] as const,
  request: { params: z.object({ id: Id }) },
  responses: {
    200: { description: 'The run', content: { 'application/json': { schema: Run.extend({ items: z.array(Item) }) } } },
    404: { description: 'No such run', content: { 'application/json': { schema: ErrorBody } } },
    ...errorResponses,
  },
});

const startRoute = createRoute({
  method: 'post',
  path: '/api/reports/runs',
  tags: ['Reports'],
  summary: 'Start a report pack now: each active client\'s performance report for a month-end, attached to its Salesforce Account',
  description:
    "Scope reports. Only clients inside the caller's scope are reported (rmId and clientIds narrow further). periodEnd defaults to the last month-end. A report already attached for a client and period is skipped. 202 with the run id (poll GET /api/reports/runs/{id}); wait=true answers when the run ends. 503 when the Salesforce connector is off, 409 while another pack runs. Audited (reports.pack).",
  security,
  middleware: [requireScope('reports')] as const,
  request: {
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              periodEnd: IsoDate.optional(),
              rmId: Id.optional(),
              clientIds: z.array(Id).min(1).max(100_000).optional(),
              wait: z.boolean().default(false),
            })
            .strict(),
        },
      },
    },
  },
  responses: {
    200: { description: 'The finished run (wait=true)', content: { 'application/json': { schema: z.object({ id: z.number().int(), status: z.string(), periodEnd: z.string(), total: z.number().int(), attached: z.number().int(), skipped: z.number().int(), failed: z.number().int() }) } } },
    202: { description: 'Started', content: { 'application/json': { schema: z.object({ id: z.number().int(), periodEnd: z.string() }) } } },
    409: { description: 'A pack is already running', content: { 'application/json': { schema: ErrorBody } } },
    503: { description: 'Salesforce connector not configured', content: { 'application/json': { schema: ErrorBody } } },
    ...errorResponses,
  },
});

export const reportRoutes = new OpenAPIHono<AppEnv>()
  .openapi(listRoute, async (c) => {
    const items = await listReportRuns(c.var.deps.db.sql, c.req.valid('query').limit);
    return c.json({ items: items.map(serialise) } as never, 200);
  })
  .openapi(getRoute, async (c) => {
    const run = await getReportRun(c.var.deps.db.sql, c.req.valid('param').id, c.var.principal.clientScope);
    if (!run) throw new NotFoundError('Report run');
    const items = (run.items as unknown as Record<string, unknown>[]).map(serialise);
    await auditRequest(c, { action: 'reports.run.read', resource: `report-run:${c.req.valid('param').id}`, clientIds: items.map((i) => i.clientId as number) });
    return c.json({ ...serialise(run), items } as never, 200);
  })
  .openapi(startRoute, async (c) => {
    const body = c.req.valid('json');
    const p = c.var.principal;
    const ctx = packContext(c.var.deps);
    if (!ctx) throw new AppError(503, 'SALESFORCE_NOT_CONFIGURED', 'The Salesforce connector is off (no SALESFORCE_* variables): reports cannot be attached');
    if (body.rmId !== undefined && !p.clientScope.all && !p.clientScope.rmIds.includes(body.rmId)) throw new ForbiddenError('That RM is outside your book');
    const periodEnd = body.periodEnd ?? lastMonthEnd(new Date().toISOString().slice(0, 10));
    let started;
    try {
      started = await startReportPack(ctx, { trigger: 'manual', periodEnd, scope: p.clientScope, rmId: body.rmId, clientIds: body.clientIds, requestedBy: p.id });
    } catch (err) {
      if (err instanceof PackAlreadyRunningError) throw new AppError(409, 'PACK_RUNNING', err.message, { runId: err.runId });
      throw err;
    }
    await auditRequest(c, { action: 'reports.pack', resource: `report-run:${started.runId}`, details: { periodEnd, rmId: body.rmId, clients: body.clientIds?.length } });
    if (body.wait) return c.json(await started.done, 200);
    started.done.catch((err) => c.var.deps.log.error({ event: 'report-pack', runId: started.runId, err }, 'report pack failed'));
    return c.json({ id: started.runId, periodEnd }, 202);
  });

/** Timestamps as ISO strings. */
function serialise<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = { ...row };
  for (const [k, v] of Object.entries(out)) if (v instanceof Date) out[k] = v.toISOString();
  return out as T;
}
