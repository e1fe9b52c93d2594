import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.js';
import { audit } from '../audit/audit.js';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors.js';
import { ErrorBody, Page, PageSize, errorResponses, security } from '../../lib/openapi.js';
import { clientIp } from '../../lib/request.js';
import { requireScope } from '../auth/auth.middleware.js';
import { loadSalesforceSettings } from '../salesforce/salesforce-settings.js';
import { reconcileOptions } from '../salesforce/salesforce-sync.js';
import { reconcile } from './reconcile.js';
import { ITEM_KINDS, ITEM_STATUSES, getReconciliationItem, listReconciliationItems, resolveItem } from './reconciliation.queries.js';
import { NotFoundError } from '../../lib/errors.js';

/** Firm-wide reviewers: admin, management and compliance users, and service keys with the sync scope. RMs are not. */
const requireReviewer = createMiddleware<AppEnv>(async (c, next) => {
  const p = c.var.principal;
  if (!p) throw new UnauthorizedError();
  const ok = p.scopes.has('admin') || p.role === 'management' || p.role === 'compliance' || (p.role === 'service' && p.scopes.has('sync'));
  if (!ok) throw new ForbiddenError('The reconciliation queue is for admin, management and compliance');
  await next();
});

const Item = z
  .object({
    id: z.number().int(),
    kind: z.enum(ITEM_KINDS),
    subjectKey: z.string(),
    clientId: z.number().int().nullable(),
    clientCode: z.string().nullable(),
    salesforceAccountId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    status: z.enum(ITEM_STATUSES),
    resolutionReason: z.string().nullable(),
    resolvedBy: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    firstSeenAt: z.string(),
    lastSeenAt: z.string(),
  })
  .openapi('ReconciliationItem');

const list = createRoute({
  method: 'get',
  path: '/api/reconciliation',
  tags: ['Reconciliation'],
  summary: 'Salesforce ↔ Wealth Spectrum reconciliation queue',
  security,
  middleware: [requireReviewer] as const,
  request: {
    query: z.object({
      status: z.enum([...ITEM_STATUSES, 'all']).default('open'),
      kind: z.enum(ITEM_KINDS).optional(),
      page: Page,
      pageSize: PageSize,
    }),
  },
  responses: {
    200: {
      description: 'Items, by kind then subject',
      content: { 'application/json': { schema: z.object({ items: z.array(Item), total: z.number().int(), byKind: z.record(z.string(), z.number()) }) } },
    },
    ...errorResponses,
  },
});

const Resolve = z.discriminatedUnion('action', [
  z.object({ action: z.literal('ignore'), reason: z.string().trim().min(3, 'say why') }),
  z.object({ action: z.literal('link'), clientCode: z.string().optional(), salesforceAccountId: z.string().optional(), reason: z.string().optional() }),
]);

const resolve = createRoute({
  method: 'post',
  path: '/api/reconciliation/{id}/resolve',
  tags: ['Reconciliation'],
  summary: 'Resolve an item: link an Account to a client, or ignore with a reason (admin)',
  security,
  middleware: [requireScope('admin')] as const,
  request: {
    params: z.object({ id: z.coerce.number().int().positive().openapi({ param: { in: 'path', name: 'id' } }) }),
    body: { content: { 'application/json': { schema: Resolve } }, required: true },
  },
  responses: {
    200: { description: 'The resolved item', content: { 'application/json': { schema: Item } } },
    404: { description: 'No such item, client or Account', content: { 'application/json': { schema: ErrorBody } } },
    409: { description: 'Already linked elsewhere', content: { 'application/json': { schema: ErrorBody } } },
    ...errorResponses,
  },
});

const rerun = createRoute({
  method: 'post',
  path: '/api/reconciliation/run',
  tags: ['Reconciliation'],
  summary: 'Recompute links and the queue from the data already synced or imported',
  security,
  middleware: [requireScope('sync')] as const,
  request: { query: z.object({ asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }) },
  responses: {
    200: { description: 'What the run found', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
    ...errorResponses,
  },
});

export const reconciliationRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => {
    const { status, kind, page, pageSize } = c.req.valid('query');
    const result = await listReconciliationItems(c.var.deps.db.sql, { status, kind, limit: pageSize, offset: (page - 1) * pageSize });
    return c.json(result, 200);
  })
  .openapi(resolve, async (c) => {
    const { deps, principal } = c.var;
    const id = c.req.valid('param').id;
    if (!(await getReconciliationItem(deps.db.sql, id))) throw new NotFoundError('Reconciliation item');
    const resolution = c.req.valid('json');
    const item = await deps.db.sql.begin((tx) => resolveItem(tx, { id, resolution, actor: principal.id }));
    await audit(deps.db.sql, {
      actor: principal.id,
      ip: clientIp(c.env),
      action: `reconciliation.${resolution.action}`,
      resource: `reconciliation-item:${id}`,
      clientIds: item.clientId ? [item.clientId] : [],
      details: { kind: item.kind, subjectKey: item.subjectKey, reason: item.resolutionReason },
    });
    return c.json(item, 200);
  })
  .openapi(rerun, async (c) => {
    const { deps } = c.var;
    const settings = loadSalesforceSettings(deps.env);
    const result = await deps.db.sql.begin((tx) => reconcile(tx, reconcileOptions(settings, null, c.req.valid('query').asOf)));
    return c.json(result as unknown as Record<string, unknown>, 200);
  });
