import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { NotFoundError } from '../../lib/errors.js';
import { ErrorBody, Page, PageSize, errorResponses, security } from '../../lib/openapi.js';
import { auditClientDenied, auditRequest } from '../audit/audit.js';
import { requireScope } from '../auth/auth.middleware.js';
import { CrystallisationSchema } from './compliance.schemas.js';
import { hwmReport, listFeePortfolioIds, loadFeeData } from './hwm.js';

const M = z.string().openapi({ description: '₹, decimal string' });
const RecRow = z.object({ kind: z.enum(['management', 'performance']), typeCode: z.enum(['MGF', 'PRF']), periodEnd: z.string(), expected: M, actual: M, difference: M });

const R = z.union([z.string(), z.number()]);
const PlanOut = z.object({
  managementFeeRate: R,
  managementFeeFrequency: z.string(),
  performanceFeeRate: R,
  performanceFeeFrequency: z.string(),
  hurdle: z.object({ kind: z.enum(['none', 'fixed', 'benchmark']), rate: R.optional() }),
  exitLoad: z.array(R).readonly(),
  operatingExpenseRate: R,
  gstRate: R,
  periodAnchor: z.string(),
});

const HwmReportSchema = z
  .object({
    portfolioId: z.number().int(),
    portfolioCode: z.string(),
    clientId: z.number().int(),
    clientName: z.string(),
    strategy: z.string(),
    status: z.string(),
    plan: PlanOut,
    planSources: z.record(z.string(), z.string()).openapi({ description: 'Per plan field: api | import | config-portfolio | config-strategy | portfolio | default (GET /api/compliance/fee-plans/{portfolioId})' }),
    asOf: z.string().nullable(),
    value: M.nullable(),
    highWaterMark: M.nullable().openapi({ description: 'null without a performance fee' }),
    hurdleThreshold: M.nullable(),
    distance: M.nullable().openapi({ description: 'value − hurdle threshold (negative: below the mark)' }),
    distanceRatio: z.number().nullable(),
    ifCrystallisedToday: z
      .object({ managementFee: M, operatingExpenses: M, performanceFee: M, gst: M, total: M, valueAfter: M, threshold: M })
      .nullable(),
    nextManagementCharge: z.string().nullable(),
    nextPerformanceCharge: z.string().nullable(),
    crystallisations: z.array(CrystallisationSchema),
    reconciliation: z.object({
      rows: z.array(RecRow),
      differences: z.array(RecRow).openapi({ description: 'Rows where the Wealth Spectrum MGF/PRF charges differ from the plan by more than ₹1' }),
      expectedTotal: M,
      actualTotal: M,
    }),
  })
  .openapi('HighWaterMark');

const oneRoute = createRoute({
  method: 'get',
  path: '/api/compliance/hwm/{portfolioId}',
  tags: ['Compliance'],
  summary: "A portfolio's high-water mark: current mark, distance, fee if crystallised today, next charges, history, reconciliation with MGF/PRF",
  description: "Scope analytics. 404 for a portfolio outside the caller's scope, as for an absent one (audited access.denied).",
  security,
  middleware: [requireScope('analytics')] as const,
  request: { params: z.object({ portfolioId: z.coerce.number().int().positive().max(2_147_483_647) }) },
  responses: {
    200: { description: 'The high-water mark', content: { 'application/json': { schema: HwmReportSchema } } },
    404: { description: 'No such portfolio visible to the caller', content: { 'application/json': { schema: ErrorBody } } },
    ...errorResponses,
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/compliance/hwm',
  tags: ['Compliance'],
  summary: 'High-water marks of the visible portfolios, a page at a time',
  description: 'Scope analytics. By default only portfolios with a performance fee. Crystallisation history and reconciliation rows are left out of the list (see the single-portfolio route); the count of differences is given.',
  security,
  middleware: [requireScope('analytics')] as const,
  request: {
    query: z
      .object({
        page: Page,
        pageSize: PageSize,
        strategy: z.string().max(40).optional(),
        withPerformanceFee: z.enum(['true', 'false']).default('true'),
      })
      .strict(),
  },
  responses: {
    200: {
      description: 'A page of high-water marks',
      content: {
        'application/json': {
          schema: z.object({
            items: z.array(HwmReportSchema.omit({ crystallisations: true, reconciliation: true }).extend({ differences: z.number().int(), expectedFees: M, actualFees: M })),
            total: z.number().int(),
          }),
        },
      },
    },
    ...errorResponses,
  },
});

export const hwmRoutes = new OpenAPIHono<AppEnv>()
  .openapi(oneRoute, async (c) => {
    const { portfolioId } = c.req.valid('param');
    const [data] = await loadFeeData(c.var.deps.db.sql, { scope: c.var.principal.clientScope, portfolioIds: [portfolioId] });
    if (!data) {
      const [owner] = await c.var.deps.db.sql<{ clientId: number }[]>`select client_id as "clientId" from portfolios where id = ${portfolioId}`;
      if (owner) await auditClientDenied(c, [owner.clientId], 'compliance.hwm');
      throw new NotFoundError('Portfolio');
    }
    const report = hwmReport(data);
    await auditRequest(c, { action: 'compliance.hwm.read', resource: `portfolio:${portfolioId}`, clientIds: [report.clientId] });
    return c.json(report, 200);
  })
  .openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const sql = c.var.deps.db.sql;
    const scope = c.var.principal.clientScope;
    const { ids, total } = await listFeePortfolioIds(sql, { scope, strategy: q.strategy, withPerformanceFee: q.withPerformanceFee === 'true', page: q.page, pageSize: q.pageSize });
    const items = (await loadFeeData(sql, { scope, portfolioIds: ids })).map((d) => {
      const { crystallisations: _c, reconciliation, ...rest } = hwmReport(d);
      return { ...rest, differences: reconciliation.differences.length, expectedFees: reconciliation.expectedTotal, actualFees: reconciliation.actualTotal };
    });
    await auditRequest(c, { action: 'compliance.hwm.list', resource: 'portfolios', clientIds: [...new Set(items.map((i) => i.clientId))] });
    return c.json({ items, total }, 200);
  });
