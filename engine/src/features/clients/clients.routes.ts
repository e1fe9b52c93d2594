import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { NotFoundError } from '../../lib/errors.js';
import { ErrorBody, Page, PageSize, errorResponses, security } from '../../lib/openapi.js';
import { auditClientDenied, auditRequest } from '../audit/audit.js';
import { requireScope } from '../auth/auth.middleware.js';
import { cacheKey, resultCache } from '../dashboard/result-cache.js';
import { getClient, listClients, maskPan } from './clients.queries.js';
import { ClientFilterFields, ClientSort } from './clients.schemas.js';

const ClientListItem = z
  .object({
    id: z.number().int(),
    clientCode: z.string(),
    name: z.string(),
    pan: z.string().nullable().openapi({ description: 'Masked (XXXXX1234X) unless the caller may see PII (admin, compliance)' }),
    rm: z.object({ id: z.number().int(), code: z.string(), name: z.string() }).nullable(),
    riskProfile: z.string().nullable(),
    city: z.string().nullable(),
    state: z.string().nullable(),
    status: z.string(),
    onboardingDate: z.string(),
    salesforceAccountId: z.string().nullable(),
    portfolioCount: z.number().int(),
    aum: z.string().openapi({ description: 'Sum of latest portfolio valuations, ₹, decimal string' }),
    aumAsOf: z.string().nullable(),
    return: z.number().nullable().openapi({ description: 'Return for `period` by `returnMetric`, a fraction; null when the client did not live through the period' }),
    xirr: z.number().nullable(),
    period: z.string(),
  })
  .openapi('ClientListItem');

const ClientDetail = ClientListItem.extend({
  email: z.string().nullable(),
  portfolios: z.array(
    z.object({
      id: z.number().int(),
      portfolioCode: z.string(),
      status: z.string(),
      inceptionDate: z.string(),
      strategy: z.object({ code: z.string(), name: z.string(), sebiCategory: z.string() }),
    }),
  ),
}).openapi('ClientDetail');

export const ClientListQuery = z.object({ page: Page, pageSize: PageSize, ...ClientFilterFields, ...ClientSort }).strict();

const listRoute = createRoute({
  method: 'get',
  path: '/api/clients',
  tags: ['Clients'],
  summary: 'Clients the caller may see: filters, search, sort, pages',
  description:
    'Scope read. An RM sees their clients, a manager also their reportees\', management/compliance/admin all. Every filter has a strict format and sort/order come from allow-lists: anything else is 400. Unknown parameters are 400. Audited (clients.list).',
  security,
  middleware: [requireScope('read')] as const,
  request: { query: ClientListQuery },
  responses: {
    200: { description: 'A page of clients', content: { 'application/json': { schema: z.object({ items: z.array(ClientListItem), total: z.number().int() }) } } },
    ...errorResponses,
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/api/clients/{id}',
  tags: ['Clients'],
  summary: 'One client with RM, AUM, period return and portfolios',
  description: 'Scope read. 404 for a client outside the caller\'s scope, as for an absent one; the attempt is audited (access.denied).',
  security,
  middleware: [requireScope('read')] as const,
  request: {
    params: z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) }),
    query: z.object({ period: ClientFilterFields.period }).strict(),
  },
  responses: {
    200: { description: 'The client', content: { 'application/json': { schema: ClientDetail } } },
    404: { description: 'No such client visible to the caller', content: { 'application/json': { schema: ErrorBody } } },
    ...errorResponses,
  },
});

export const clientRoutes = new OpenAPIHono<AppEnv>()
  .openapi(listRoute, async (c) => {
    const principal = c.var.principal;
    const { page, pageSize, sort, order, ...filters } = c.req.valid('query');
    const key = cacheKey('clients.list', principal.clientScope, principal.seePii, [filters, page, pageSize, sort, order]);
    const result = await resultCache(c.var.deps).get(key, () =>
      listClients(c.var.deps.db.sql, { scope: principal.clientScope, seePii: principal.seePii, filters, page, pageSize, sort, order }),
    );
    const items = principal.seePii ? result.items : result.items.map((i) => ({ ...i, pan: maskPan(i.pan) }));
    await auditRequest(c, { action: 'clients.list', resource: 'clients', clientIds: items.map((i) => i.id), details: { filters, sort, order, page } });
    return c.json({ items, total: result.total }, 200);
  })
  .openapi(getRoute, async (c) => {
    const principal = c.var.principal;
    const { id } = c.req.valid('param');
    const client = await getClient(c.var.deps.db.sql, { scope: principal.clientScope, id, period: c.req.valid('query').period });
    if (!client) {
      await auditClientDenied(c, [id], 'clients.get');
      throw new NotFoundError('Client');
    }
    await auditRequest(c, { action: 'clients.read', resource: `client:${id}`, clientIds: [id] });
    return c.json(principal.seePii ? client : { ...client, pan: maskPan(client.pan) }, 200);
  });
