import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { requireScope } from '../auth/auth.middleware.js';
import { audit } from '../audit/audit.js';
import { AppError, NotFoundError } from '../../lib/errors.js';
import { ErrorBody, Page, PageSize, errorResponses, security } from '../../lib/openapi.js';
import { clientIp } from '../../lib/request.js';
import { salesforceContext } from '../salesforce/salesforce-context.js';
import { startSalesforceSync } from '../salesforce/salesforce-sync.js';
import { getSyncRun, listSyncRuns } from './sync-runs.queries.js';

const SyncRunSchema = z
  .object({
    id: z.number().int(),
    connector: z.string(),
    mode: z.enum(['incremental', 'full']),
    trigger: z.string(),
    actor: z.string().nullable(),
    status: z.enum(['running', 'succeeded', 'failed']),
    via: z.record(z.string(), z.enum(['rest', 'bulk'])).nullable(),
    counts: z.record(z.string(), z.object({ fetched: z.number(), upserted: z.number(), deleted: z.number() })).nullable(),
    reconciliation: z.record(z.string(), z.unknown()).nullable(),
    writeBack: z.record(z.string(), z.unknown()).nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('SyncRun');

class SalesforceOffError extends AppError {
  constructor() {
    super(503, 'SALESFORCE_NOT_CONFIGURED', 'The Salesforce connector is off: set the SALESFORCE_* variables (docs/salesforce-sync.md)');
  }
}

const runNow = createRoute({
  method: 'post',
  path: '/api/sync/salesforce',
  tags: ['Sync'],
  summary: 'Run a Salesforce sync now (incremental by default, or a full resync)',
  security,
  middleware: [requireScope('sync')] as const,
  request: {
    query: z.object({
      mode: z.enum(['incremental', 'full']).default('incremental'),
      wait: z.enum(['true', 'false']).default('false').openapi({ description: 'Answer when the run has finished (200) instead of at once (202)' }),
    }),
  },
  responses: {
    200: { description: 'The finished run', content: { 'application/json': { schema: SyncRunSchema } } },
    202: { description: 'The run started', content: { 'application/json': { schema: SyncRunSchema } } },
    409: { description: 'A sync is already running', content: { 'application/json': { schema: ErrorBody } } },
    503: { description: 'The connector is not configured', content: { 'application/json': { schema: ErrorBody } } },
    ...errorResponses,
  },
});

const listRuns = createRoute({
  method: 'get',
  path: '/api/sync/runs',
  tags: ['Sync'],
  summary: 'History of Salesforce sync runs, newest first',
  security,
  middleware: [requireScope('sync', 'audit')] as const,
  request: { query: z.object({ page: Page, pageSize: PageSize }) },
  responses: {
    200: { description: 'A page of runs', content: { 'application/json': { schema: z.object({ items: z.array(SyncRunSchema), total: z.number().int() }) } } },
    ...errorResponses,
  },
});

const getRun = createRoute({
  method: 'get',
  path: '/api/sync/runs/{id}',
  tags: ['Sync'],
  summary: 'One sync run',
  security,
  middleware: [requireScope('sync', 'audit')] as const,
  request: { params: z.object({ id: z.coerce.number().int().positive().openapi({ param: { in: 'path', name: 'id' } }) }) },
  responses: {
    200: { description: 'The run', content: { 'application/json': { schema: SyncRunSchema } } },
    404: { description: 'No such run', content: { 'application/json': { schema: ErrorBody } } },
    ...errorResponses,
  },
});

export const syncRoutes = new OpenAPIHono<AppEnv>()
  .openapi(runNow, async (c) => {
    const { deps, principal } = c.var;
    const ctx = salesforceContext(deps);
    if (!ctx) throw new SalesforceOffError();
    const { mode, wait } = c.req.valid('query');
    const { runId, done } = await startSalesforceSync(ctx, { mode, trigger: 'api', actor: principal.id });
    await audit(deps.db.sql, { actor: principal.id, ip: clientIp(c.env), action: 'sync.salesforce.started', resource: `sync-run:${runId}`, details: { mode } });
    if (wait === 'true') return c.json(await done, 200);
    done.catch((err: unknown) => deps.log.error({ event: 'sync', runId, err }, 'Salesforce sync crashed'));
    return c.json((await getSyncRun(deps.db.sql, runId))!, 202);
  })
  .openapi(listRuns, async (c) => {
    const { page, pageSize } = c.req.valid('query');
    const result = await listSyncRuns(c.var.deps.db.sql, { limit: pageSize, offset: (page - 1) * pageSize });
    return c.json(result, 200);
  })
  .openapi(getRun, async (c) => {
    const run = await getSyncRun(c.var.deps.db.sql, c.req.valid('param').id);
    if (!run) throw new NotFoundError('Sync run');
    return c.json(run, 200);
  });
