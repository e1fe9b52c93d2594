import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { IsoDate, errorResponses, security } from '../../lib/openapi.js';
import { auditRequest } from '../audit/audit.js';
import { requireScope } from '../auth/auth.middleware.js';
import { complianceDashboard } from './compliance-dashboard.js';
import { disclosureCsv, disclosureTable, disclosureXlsx } from './disclosure.js';

const Cell = z.object({ return: z.number().nullable(), benchmark: z.number().nullable(), annualized: z.boolean().nullable() });
const Row = z.object({
  strategyId: z.number().int(),
  strategyCode: z.string(),
  strategyName: z.string(),
  sebiCategory: z.string(),
  benchmark: z.string().nullable(),
  asOf: z.string().nullable(),
  source: z.enum(['precomputed', 'computed']),
  periods: z.record(z.string(), Cell),
});

const disclosureRoute = createRoute({
  method: 'get',
  path: '/api/compliance/disclosure',
  tags: ['Compliance'],
  summary: 'SEBI/APMI performance disclosure: per investment approach, pooled TWRR net of fees vs its benchmark (1M…5Y, SI)',
  description: 'Scope analytics. Under a year absolute, from a year annualised. format=csv|xlsx downloads the monthly report table. Firm-wide: every portfolio of the approach counts (SEBI).',
  security,
  middleware: [requireScope('analytics')] as const,
  request: { query: z.object({ asOf: IsoDate.optional(), format: z.enum(['json', 'csv', 'xlsx']).default('json') }).strict() },
  responses: {
    200: {
      description: 'The table',
      content: {
        'application/json': { schema: z.object({ rows: z.array(Row) }) },
        'text/csv': { schema: z.string() },
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
    ...errorResponses,
  },
});

const dashboardRoute = createRoute({
  method: 'get',
  path: '/api/compliance/dashboard',
  tags: ['Compliance'],
  summary: 'Compliance view: fee totals, high-water-mark status, portfolios below ₹50 lakh, SEBI checks, disclosure table',
  description: "Scope analytics. Under the caller's scope except the disclosure table (firm-wide by rule). The data behind GET /api/dashboard/compliance.",
  security,
  middleware: [requireScope('analytics')] as const,
  request: { query: z.object({ asOf: IsoDate.optional() }).strict() },
  responses: { 200: { description: 'The compliance view', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } }, ...errorResponses },
});

export const disclosureRoutes = new OpenAPIHono<AppEnv>()
  .openapi(disclosureRoute, async (c) => {
    const { asOf, format } = c.req.valid('query');
    const rows = await disclosureTable(c.var.deps.db.sql, { asOf });
    await auditRequest(c, { action: 'compliance.disclosure', resource: 'strategies', details: { asOf, format } });
    const name = `performance-disclosure-${asOf ?? rows.find((r) => r.asOf)?.asOf ?? 'latest'}`;
    if (format === 'csv') {
      return c.body(disclosureCsv(rows), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` }) as never;
    }
    if (format === 'xlsx') {
      const buf = await disclosureXlsx(rows);
      return c.body(new Uint8Array(buf), 200, {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename="${name}.xlsx"`,
      }) as never;
    }
    return c.json({ rows }, 200);
  })
  .openapi(dashboardRoute, async (c) => {
    const { asOf } = c.req.valid('query');
    const data = await complianceDashboard(c.var.deps.db.sql, { scope: c.var.principal.clientScope, asOf });
    await auditRequest(c, { action: 'compliance.dashboard', resource: 'dashboard', clientIds: [...new Set(data.checks.map((x) => x.clientId))] });
    return c.json(data as unknown as Record<string, unknown>, 200);
  });
