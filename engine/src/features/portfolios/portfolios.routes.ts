import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { NotFoundError } from '../../lib/errors.js';
import { ErrorBody, errorResponses, security } from '../../lib/openapi.js';
import { auditClientDenied, auditRequest } from '../audit/audit.js';
import { requireScope } from '../auth/auth.middleware.js';
import { getClient, maskPan } from '../clients/clients.queries.js';
import { clientPortfolios, communicationLog } from './portfolios.queries.js';

const Nullable = z.number().nullable();
const PeriodReturn = z
  .object({
    period: z.string(),
    asOf: z.string(),
    fromDate: z.string(),
    toDate: z.string(),
    days: z.number().int(),
    twrr: Nullable.openapi({ description: 'Absolute TWRR over the period' }),
    twrrAnnualized: Nullable,
    reportedReturn: Nullable.openapi({ description: 'SEBI figure: absolute under a year, annualised from a year' }),
    xirr: Nullable,
    benchmarkCode: z.string().nullable(),
    benchmarkReturn: Nullable,
    benchmarkReported: Nullable,
    excessReturn: Nullable,
  })
  .openapi('PeriodReturn');
const Risk = z.object({
  observations: z.number().int().nullable(),
  annualVolatility: Nullable,
  sharpe: Nullable,
  sortino: Nullable,
  downsideRisk: Nullable,
  beta: Nullable,
  alpha: Nullable,
  trackingError: Nullable,
  informationRatio: Nullable,
});
const Weight = z.object({ name: z.string(), weight: z.number(), holdings: z.number().int() });
const Portfolio = z
  .object({
    id: z.number().int(),
    portfolioCode: z.string(),
    status: z.string(),
    inceptionDate: z.string(),
    closedDate: z.string().nullable(),
    strategy: z.object({ code: z.string(), name: z.string(), sebiCategory: z.string() }),
    benchmark: z.object({ code: z.string(), name: z.string() }).nullable(),
    value: z.string().nullable().openapi({ description: 'Latest valuation, ₹ (decimal string)' }),
    cash: z.string().nullable(),
    valueAsOf: z.string().nullable(),
    managementFeeRate: z.string().nullable(),
    performanceFeeRate: z.string().nullable(),
    hurdleRate: z.string().nullable(),
    allocation: z.object({
      asOf: z.string().nullable().openapi({ description: 'Date of the latest holdings snapshot' }),
      byAssetClass: z.array(Weight),
      bySector: z.array(Weight),
      topHoldings: z.array(
        z.object({ securityKey: z.string(), isin: z.string().nullable(), name: z.string(), assetClass: z.string().nullable(), sector: z.string().nullable(), quantity: z.string(), marketValue: z.string(), weight: z.number() }),
      ),
    }),
    returns: z.array(PeriodReturn),
    risk: z.object({ sinceInception: Risk.extend({ maxDrawdown: Nullable }).nullable(), oneYear: Risk.nullable() }),
    flows: z.object({ inflows: z.string(), outflows: z.string(), net: z.string(), last12mNet: z.string() }).openapi({ description: 'External flows (capital register, else feed flows), ₹' }),
    fees: z.array(z.object({ typeCode: z.string(), amount: z.string(), count: z.number().int() })).openapi({ description: 'Fee-classified transactions (MGF, PRF, CUS, …) since inception' }),
    recentTransactions: z.array(z.record(z.string(), z.unknown())),
  })
  .openapi('Portfolio');

const PortfoliosResponse = z.object({
  client: z.object({ id: z.number().int(), clientCode: z.string(), name: z.string(), pan: z.string().nullable(), aum: z.string(), aumAsOf: z.string().nullable() }),
  portfolios: z.array(Portfolio),
  communications: z.array(z.object({ id: z.string(), activityType: z.string(), subject: z.string().nullable(), activityDate: z.string().nullable(), status: z.string().nullable(), type: z.string().nullable() })).nullable(),
});

const route = createRoute({
  method: 'get',
  path: '/api/portfolios/{clientId}',
  tags: ['Portfolios'],
  summary: 'A client\'s portfolios: value, allocation, returns vs benchmark, risk, flows, fees, transactions, Salesforce activity',
  description: 'Scope read. 404 for a client outside the caller\'s scope (audited as access.denied). Returns and risk come from the precomputed analytics (no row for a period the portfolio did not live through). `communications` is null until the Salesforce sync has run for the client\'s Account.',
  security,
  middleware: [requireScope('read')] as const,
  request: {
    params: z.object({ clientId: z.coerce.number().int().positive().max(2_147_483_647) }),
    query: z.object({ transactions: z.coerce.number().int().min(0).max(200).default(20), topHoldings: z.coerce.number().int().min(1).max(100).default(10) }).strict(),
  },
  responses: {
    200: {
      description: 'The client and their portfolios',
      content: {
        'application/json': {
          schema: PortfoliosResponse,
        },
      },
    },
    404: { description: 'No such client visible to the caller', content: { 'application/json': { schema: ErrorBody } } },
    ...errorResponses,
  },
});

export const portfolioRoutes = new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
  const sql = c.var.deps.db.sql;
  const p = c.var.principal;
  const { clientId } = c.req.valid('param');
  const q = c.req.valid('query');
  const client = await getClient(sql, { scope: p.clientScope, id: clientId, period: 'SI' });
  if (!client) {
    await auditClientDenied(c, [clientId], 'portfolios.get');
    throw new NotFoundError('Client');
  }
  const [portfolios, communications] = await Promise.all([
    clientPortfolios(sql, clientId, { recentTransactions: q.transactions, topHoldings: q.topHoldings }),
    communicationLog(sql, client.salesforceAccountId),
  ]);
  await auditRequest(c, { action: 'portfolios.read', resource: `client:${clientId}`, clientIds: [clientId] });
  const body = {
      client: { id: client.id, clientCode: client.clientCode, name: client.name, pan: p.seePii ? client.pan : maskPan(client.pan), aum: client.aum, aumAsOf: client.aumAsOf },
      portfolios,
      communications,
  } as unknown as z.infer<typeof PortfoliosResponse>;
  return c.json(body, 200);
});
