import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.js';
import { AppError, NotFoundError } from '../../lib/errors.js';
import { ErrorBody, errorResponses, security } from '../../lib/openapi.js';
import { auditRequest } from '../audit/audit.js';
import { requireScope } from '../auth/auth.middleware.js';
import type { PrincipalUser } from '../auth/principal.js';
import { listClients, maskPan } from '../clients/clients.queries.js';
import { ClientFilters, ClientSort, SORT_COLUMNS } from '../clients/clients.schemas.js';
import { deleteView, getView, insertView, listViews, type SavedView } from './views.queries.js';

export const VIEW_PAGES = ['clients', 'dashboard.executive', 'dashboard.clients', 'dashboard.performance', 'performance'] as const;

const SavedViewSchema = z
  .object({
    id: z.number().int(),
    ownerUserId: z.number().int(),
    name: z.string(),
    page: z.enum(VIEW_PAGES),
    filters: z.record(z.string(), z.unknown()),
    sort: z.object({ sort: z.enum(SORT_COLUMNS), order: z.enum(['asc', 'desc']) }).nullable(),
    columns: z.array(z.string()),
    visibility: z.enum(['private', 'team']),
    createdAt: z.union([z.string(), z.date()]),
  })
  .openapi('SavedView');

const NewView = z
  .object({
    name: z.string().trim().min(1).max(120),
    page: z.enum(VIEW_PAGES),
    // The same strict filter formats as GET /api/clients: a view cannot store what the list would refuse.
    filters: ClientFilters.partial().strict().default({}),
    sort: z.object(ClientSort).strict().optional(),
    columns: z.array(z.enum([...SORT_COLUMNS, 'pan', 'salesforceAccountId', 'aumAsOf'])).max(30).default([]),
    visibility: z.enum(['private', 'team']).default('private'),
  })
  .strict()
  .openapi('NewSavedView');

const ClientsPage = z.object({ items: z.array(z.record(z.string(), z.unknown())), total: z.number().int() });
const Id = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const notFound = { description: 'No such view readable by the caller', content: { 'application/json': { schema: ErrorBody } } };

const saveRoute = createRoute({
  method: 'post',
  path: '/api/views/save',
  tags: ['Saved views'],
  summary: 'Save a view (page, filters, sort, columns), private or shared with the team',
  description: 'Scope read; a user (session or acting-for). Stores filters, never results.',
  security,
  middleware: [requireScope('read')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: NewView } } } },
  responses: { 201: { description: 'Saved', content: { 'application/json': { schema: SavedViewSchema } } }, ...errorResponses },
});
const listRoute = createRoute({
  method: 'get',
  path: '/api/views',
  tags: ['Saved views'],
  summary: 'The caller\'s views and their team\'s shared views',
  security,
  middleware: [requireScope('read')] as const,
  responses: { 200: { description: 'Views', content: { 'application/json': { schema: z.object({ items: z.array(SavedViewSchema) }) } } }, ...errorResponses },
});
const getRoute = createRoute({
  method: 'get',
  path: '/api/views/{id}',
  tags: ['Saved views'],
  summary: 'One view; for a clients view also its first page, filtered under the reader\'s own scope',
  description: 'A shared view never widens what the reader sees: its filters are re-applied under the reader\'s scope. Audited (views.read).',
  security,
  middleware: [requireScope('read')] as const,
  request: { params: Id },
  responses: {
    200: { description: 'The view', content: { 'application/json': { schema: SavedViewSchema.extend({ result: ClientsPage.nullable() }) } } },
    404: notFound,
    ...errorResponses,
  },
});
const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/views/{id}',
  tags: ['Saved views'],
  summary: 'Delete one of the caller\'s views',
  security,
  middleware: [requireScope('read')] as const,
  request: { params: Id },
  responses: { 204: { description: 'Deleted' }, 404: notFound, ...errorResponses },
});

function viewer(c: Context<AppEnv>): PrincipalUser {
  const user = c.var.principal.user;
  if (!user) throw new AppError(403, 'USER_REQUIRED', 'Saved views belong to users: sign in, or call acting for a user');
  return user;
}

export const viewRoutes = new OpenAPIHono<AppEnv>()
  .openapi(saveRoute, async (c) => {
    const user = viewer(c);
    const body = c.req.valid('json');
    const view = await insertView(c.var.deps.db.sql, { ownerUserId: user.id, ...body, filters: body.filters, sort: body.sort ?? null });
    await auditRequest(c, { action: 'views.save', resource: `view:${view.id}`, details: { page: view.page, visibility: view.visibility } });
    return c.json(view as z.infer<typeof SavedViewSchema>, 201);
  })
  .openapi(listRoute, async (c) => c.json({ items: (await listViews(c.var.deps.db.sql, viewer(c))) as z.infer<typeof SavedViewSchema>[] }, 200))
  .openapi(getRoute, async (c) => {
    const sql = c.var.deps.db.sql;
    const { id } = c.req.valid('param');
    const view = await getView(sql, viewer(c), id);
    if (!view) {
      await auditRequest(c, { action: 'access.denied', resource: `view:${id}`, details: { route: 'views.get' } });
      throw new NotFoundError('Saved view');
    }
    const result = view.page === 'clients' ? await runClientsView(c, view) : null;
    await auditRequest(c, { action: 'views.read', resource: `view:${id}`, clientIds: result?.items.map((i) => i.id) ?? [] });
    return c.json({ ...(view as z.infer<typeof SavedViewSchema>), result }, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deleteView(c.var.deps.db.sql, viewer(c), id))) {
      await auditRequest(c, { action: 'access.denied', resource: `view:${id}`, details: { route: 'views.delete' } });
      throw new NotFoundError('Saved view');
    }
    await auditRequest(c, { action: 'views.delete', resource: `view:${id}` });
    return c.body(null, 204);
  });

/** The view's filters under the reader's scope (stored filters are re-validated: the schema may have tightened). */
async function runClientsView(c: Context<AppEnv>, view: SavedView) {
  const p = c.var.principal;
  const filters = ClientFilters.parse(view.filters);
  const sort = z.object(ClientSort).parse(view.sort ?? {});
  const r = await listClients(c.var.deps.db.sql, { scope: p.clientScope, seePii: p.seePii, filters, ...sort, page: 1, pageSize: 50 });
  return { items: p.seePii ? r.items : r.items.map((i) => ({ ...i, pan: maskPan(i.pan) })), total: r.total };
}
