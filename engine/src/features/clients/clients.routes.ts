import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { requireScope } from '../auth/auth.middleware.js';
import { audit } from '../audit/audit.js';
import { Page, PageSize, errorResponses, security } from '../../lib/openapi.js';
import { clientIp } from '../../lib/request.js';
import { listClients, maskPan } from './clients.queries.js';

const ClientListItem = z
  .object({
    id: z.number().int(),
    clientCode: z.string(),
    name: z.string(),
    pan: z.string().nullable().openapi({ description: 'Masked (XXXXX1234X) unless the caller may see PII' }),
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
  })
  .openapi('ClientListItem');

const listRoute = createRoute({
  method: 'get',
  path: '/api/clients',
  tags: ['Clients'],
  summary: 'Clients the caller may see, with RM and AUM',
  security,
  middleware: [requireScope('read')] as const,
  request: { query: z.object({ page: Page, pageSize: PageSize }) },
  responses: {
    200: { description: 'A page of clients', content: { 'application/json': { schema: z.object({ items: z.array(ClientListItem), total: z.number().int() }) } } },
    ...errorResponses,
  },
});

export const clientRoutes = new OpenAPIHono<AppEnv>().openapi(listRoute, async (c) => {
  const { db } = c.var.deps;
  const principal = c.var.principal;
  const result = await listClients(db.sql, c.req.valid('query'));
  const seePii = principal.scopes.has('admin');
  const items = seePii ? result.items : result.items.map((i) => ({ ...i, pan: maskPan(i.pan) }));
  await audit(db.sql, { actor: principal.id, ip: clientIp(c.env), action: 'clients.list', resource: 'clients', clientIds: items.map((i) => i.id) });
  return c.json({ items, total: result.total }, 200);
});
