import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { Decimal } from 'decimal.js';
import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.js';
import { periodRange } from '../../analytics/index.js';
import { errorResponses, security } from '../../lib/openapi.js';
import { auditRequest } from '../audit/audit.js';
import { complianceDashboard } from '../compliance/compliance-dashboard.js';
import { requireScope } from '../auth/auth.middleware.js';
import type { ClientQuery } from '../clients/clients.queries.js';
import { ClientFilterFields } from '../clients/clients.schemas.js';
import { Chart } from '../performance/performance.routes.js';
import { GRAINS, entitySeries, toChart, type Grain } from '../performance/performance.queries.js';
import * as d from './dashboard.queries.js';
import { cacheKey, resultCache } from './result-cache.js';

const DashboardQuery = z.object({ ...ClientFilterFields, grain: z.enum(GRAINS).default('monthly') }).strict();
const Rows = z.array(z.record(z.string(), z.unknown()));
const Common = { period: z.string(), grain: z.enum(GRAINS), asOf: z.string(), from: z.string(), to: z.string() };

const ExecutiveResponse = z
  .object({
    ...Common,
    figures: z.object({ aum: z.string(), clients: z.number().int(), activeClients: z.number().int(), portfolios: z.number().int(), inflows: z.string(), outflows: z.string(), netFlows: z.string() }),
    performanceOverview: Chart.extend({ rows: Rows }),
    categoryMix: Chart.extend({ rows: Rows }).openapi({ description: 'AUM and portfolios by SEBI category (latest valuation of each portfolio; sums to figures.aum)' }),
    topPortfolios: Rows,
    bottomPortfolios: Rows,
    riskDistribution: Chart,
    aumTrend: Chart,
  })
  .openapi('ExecutiveDashboard');
const ClientsResponse = z
  .object({ ...Common, figures: z.object({ clients: z.number().int(), aum: z.string() }), topClients: Chart.extend({ rows: Rows }), onboardingTrend: Chart, rmDistribution: Chart.extend({ rows: Rows }), geography: Chart.extend({ rows: Rows }) })
  .openapi('ClientsDashboard');
const PerformanceResponse = z
  .object({ ...Common, entity: z.object({ type: z.string(), id: z.number().int() }), series: Chart, riskReturn: z.object({ points: Rows }), allocation: Chart.extend({ rows: Rows }) })
  .openapi('PerformanceDashboard');
const ComplianceResponse = z
  .object({
    ...Common,
    figures: z.object({ disclosuresDue: z.number().int().nullable(), feeChecksFailed: z.number().int().nullable(), highWaterMarkBreaches: z.number().int().nullable() }),
    disclosures: Rows,
    feeChecks: Rows,
    feeTotals: Rows,
    highWaterMarks: z.record(z.string(), z.number()),
    portfoliosBelowMinimum: Rows,
    accessEvents: Chart,
  })
  .openapi('ComplianceDashboard');

function dashRoute<S extends z.ZodType>(name: string, summary: string, schema: S, scopeNeeded: 'read' | 'audit' = 'read') {
  return createRoute({
    method: 'get',
    path: `/api/dashboard/${name}`,
    tags: ['Dashboards'],
    summary,
    description: `Scope ${scopeNeeded}. Filters as GET /api/clients, applied under the caller's scope: an RM's figures cover only their book. Chart-ready { labels, datasets }. Audited (dashboard.${name}).`,
    security,
    middleware: [requireScope(scopeNeeded)] as const,
    request: { query: DashboardQuery },
    responses: { 200: { description: 'The dashboard', content: { 'application/json': { schema } } }, ...errorResponses },
  });
}

async function context(c: Context<AppEnv>, query: z.infer<typeof DashboardQuery>) {
  const { grain, ...filters } = query;
  const p = c.var.principal;
  const q: ClientQuery = { scope: p.clientScope, seePii: p.seePii, filters };
  const asOf = await resultCache(c.var.deps).get('dashboard.asOf', () => d.dashboardAsOf(c.var.deps.db.sql));
  const r = periodRange(filters.period, asOf, '1900-01-02')!;
  return { q, grain: grain as Grain, asOf, range: { from: r.from, to: r.to }, common: { period: filters.period, grain, asOf, from: r.from, to: r.to } };
}

/** A dashboard's figures for this scope, filters, grain and as-of date, from the short-lived result cache. */
function cached<T>(c: Context<AppEnv>, name: string, x: Awaited<ReturnType<typeof context>>, compute: () => Promise<T>): Promise<T> {
  const p = c.var.principal;
  return resultCache(c.var.deps).get(cacheKey(`dashboard.${name}`, p.clientScope, p.seePii, [x.q.filters, x.grain, x.asOf, p.user?.rmId ?? null]), compute);
}

const chart = (rows: Record<string, unknown>[], label: string, ...series: [string, string][]) => ({
  labels: rows.map((r) => String(r[label])),
  datasets: series.map(([name, key]) => ({ label: name, data: rows.map((r) => (r[key] == null ? null : Number(r[key]))) })),
});

export const dashboardRoutes = new OpenAPIHono<AppEnv>()
  .openapi(dashRoute('executive', 'Executive dashboard: AUM, flows, clients, performance vs benchmarks, top/bottom portfolios, risk mix, AUM trend', ExecutiveResponse), async (c) => {
    const sql = c.var.deps.db.sql;
    const x = await context(c, c.req.valid('query'));
    const [figures, overview, ranked, risk, trend, categories] = await cached(c, 'executive', x, () =>
      Promise.all([
        d.headline(sql, x.q, x.range),
        d.strategyOverview(sql, x.q),
        d.rankedPortfolios(sql, x.q, 5),
        d.countBy(sql, x.q, 'risk_profile'),
        d.aumTrend(sql, x.q, x.grain, x.range),
        d.categoryMix(sql, x.q),
      ]),
    );
    await auditRequest(c, { action: 'dashboard.executive', resource: 'dashboard', details: { filters: x.q.filters, grain: x.grain } });
    return c.json(
      {
        ...x.common,
        figures,
        performanceOverview: { ...chart(overview, 'strategy', ['Return (AUM-weighted)', 'return'], ['Benchmark', 'benchmarkReturn']), rows: overview },
        categoryMix: { ...chart(categories, 'label', ['AUM', 'aum'], ['Portfolios', 'portfolios']), rows: categories },
        topPortfolios: ranked.top,
        bottomPortfolios: ranked.bottom,
        riskDistribution: chart(risk, 'label', ['Clients', 'clients'], ['AUM', 'aum']),
        aumTrend: chart(trend, 'label', ['AUM', 'aum']),
      },
      200,
    );
  })
  .openapi(dashRoute('clients', 'Clients dashboard: client-wise AUM and performance, onboarding trend, RM-wise distribution, geography', ClientsResponse), async (c) => {
    const sql = c.var.deps.db.sql;
    const x = await context(c, c.req.valid('query'));
    const [top, onboarding, rms, geo] = await cached(c, 'clients', x, () =>
      Promise.all([d.topClients(sql, x.q, 20), d.onboardingTrend(sql, x.q, x.grain), d.byRm(sql, x.q), d.countBy(sql, x.q, 'state')]),
    );
    const clients = geo.reduce((n, g) => n + g.clients, 0);
    const aum = geo.reduce((sum, g) => sum.plus(g.aum), new Decimal(0)).toFixed(2);
    await auditRequest(c, { action: 'dashboard.clients', resource: 'dashboard', clientIds: top.map((t) => t.id), details: { filters: x.q.filters, grain: x.grain } });
    return c.json(
      {
        ...x.common,
        figures: { clients, aum },
        topClients: { ...chart(top, 'name', ['AUM', 'aum'], ['Return', 'return']), rows: top },
        onboardingTrend: chart(onboarding, 'label', ['New clients', 'clients']),
        rmDistribution: { ...chart(rms, 'label', ['Clients', 'clients'], ['AUM', 'aum']), rows: rms },
        geography: { ...chart(geo, 'label', ['Clients', 'clients'], ['AUM', 'aum']), rows: geo },
      },
      200,
    );
  })
  .openapi(dashRoute('performance', 'Performance dashboard: series vs benchmark, risk-return scatter, allocation', PerformanceResponse), async (c) => {
    const sql = c.var.deps.db.sql;
    const x = await context(c, c.req.valid('query'));
    const p = c.var.principal;
    // The book's composite: the firm for firm-wide callers, the caller's RM subtree (team) for an RM.
    const entity = p.clientScope.all ? { type: 'firm', id: 0 } : { type: 'team', id: p.user?.rmId ?? 0 };
    const [series, points, alloc] = await cached(c, 'performance', x, () =>
      Promise.all([
        entitySeries(sql, { entityType: entity.type, entityId: entity.id, from: x.range.from, to: x.range.to, grain: x.grain }),
        d.riskReturn(sql, x.q, 500),
        d.allocation(sql, x.q),
      ]),
    );
    await auditRequest(c, { action: 'dashboard.performance', resource: 'dashboard', clientIds: [], details: { filters: x.q.filters, grain: x.grain, entity } });
    return c.json({ ...x.common, entity, series: toChart(series, null), riskReturn: { points }, allocation: { ...chart(alloc, 'label', ['Weight', 'weight']), rows: alloc } }, 200);
  })
  .openapi(dashRoute('compliance', 'Compliance dashboard: SEBI/APMI disclosure, fee checks, fee totals, high-water marks, portfolios below ₹50 lakh, access events', ComplianceResponse, 'audit'), async (c) => {
    const sql = c.var.deps.db.sql;
    const x = await context(c, c.req.valid('query'));
    const [data, access] = await Promise.all([
      complianceDashboard(sql, { scope: c.var.principal.clientScope, asOf: x.asOf }),
      // Who-saw-what at a glance: audited reads and changes per day over the last two weeks.
      sql<{ day: string; reads: number; changes: number; denied: number }[]>`
        select to_char(d, 'YYYY-MM-DD') as day,
          count(a.id) filter (where a.action not like 'access.%' and a.action not like 'auth.%' and a.action not like 'import.%')::int as reads,
          count(a.id) filter (where a.action like 'import.%')::int as changes,
          count(a.id) filter (where a.action like 'access.%' or a.action like 'auth.%')::int as denied
        from generate_series(current_date - 13, current_date, interval '1 day') d
        left join audit_log a on a.at >= d and a.at < d + interval '1 day'
        group by d order by d`,
    ]);
    await auditRequest(c, { action: 'dashboard.compliance', resource: 'dashboard', clientIds: [...new Set(data.checks.map((k) => k.clientId))] });
    return c.json(
      {
        ...x.common,
        figures: { disclosuresDue: data.disclosure.length, feeChecksFailed: data.checks.length, highWaterMarkBreaches: data.highWaterMarks.aboveMark },
        disclosures: data.disclosure as unknown as Record<string, unknown>[],
        feeChecks: data.checks as unknown as Record<string, unknown>[],
        feeTotals: data.feeTotals,
        highWaterMarks: data.highWaterMarks,
        portfoliosBelowMinimum: data.portfoliosBelowMinimum,
        accessEvents: chart(access, 'day', ['Reads', 'reads'], ['Imports', 'changes'], ['Denied', 'denied']),
      },
      200,
    );
  });
