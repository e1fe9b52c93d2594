import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { AnalyticsInputError } from '../../analytics/index.js';
import { feeIllustration, planViolations, withdrawalImpact, type FeePlan } from '../../analytics/fees/index.js';
import { AppError, NotFoundError } from '../../lib/errors.js';
import { ErrorBody, errorResponses, security } from '../../lib/openapi.js';
import { auditClientDenied, auditRequest } from '../audit/audit.js';
import { requireScope } from '../auth/auth.middleware.js';
import { IllustrationRequest, IllustrationResponse, WithdrawalImpactRequest, WithdrawalImpactResponse, toFeePlan } from './compliance.schemas.js';
import { disclosureRoutes } from './disclosure.routes.js';
import { loadFeePlans } from './fee-plans.js';
import { feePlanRoutes } from './fee-plans.routes.js';
import { hwmRoutes } from './hwm.routes.js';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const illustrationRoute = createRoute({
  method: 'post',
  path: '/api/compliance/fee-illustration',
  tags: ['Compliance'],
  summary: 'SEBI fee illustration: fees and net value year by year for a capital, flows, a gross returns path and a fee plan',
  description:
    'Stateless calculator. Scope: analytics. Management fee accrued daily (actual/365) on AUM; performance fee on gains above the hurdle-adjusted high-water mark; exit load per contribution tranche; GST on fees. 422 PLAN_ABOVE_SEBI_LIMITS when the plan breaks SEBI caps (details list them). See docs/methodology.md "Fees and compliance".',
  security,
  middleware: [requireScope('analytics')] as const,
  request: { body: { required: true, content: json(IllustrationRequest) } },
  responses: {
    200: { description: 'The illustration', content: json(IllustrationResponse) },
    422: { description: 'The plan breaks a SEBI limit', content: json(ErrorBody) },
    ...errorResponses,
  },
});

const withdrawalRoute = createRoute({
  method: 'post',
  path: '/api/compliance/withdrawal-impact',
  tags: ['Compliance'],
  summary: 'A proposed redemption: exit load, the share of fees it crystallises, and whether ₹50 lakh remain',
  description:
    "Calculator. Scope: analytics. The redemption is measured on the close before its date; an amount ≥ the value is a full exit. With portfolioId instead of plan, the portfolio's resolved fee plan is used (404 outside the caller's scope; audited); 422 when that plan breaks a SEBI limit.",
  security,
  middleware: [requireScope('analytics')] as const,
  request: { body: { required: true, content: json(WithdrawalImpactRequest) } },
  responses: {
    200: { description: 'The cost of the redemption', content: json(WithdrawalImpactResponse) },
    404: { description: 'portfolioId: no such portfolio visible to the caller', content: json(ErrorBody) },
    422: { description: 'The plan breaks a SEBI limit', content: json(ErrorBody) },
    ...errorResponses,
  },
});

function checkedPlan(body: Parameters<typeof toFeePlan>[0]): FeePlan {
  const plan = toFeePlan(body);
  const violations = planViolations(plan);
  if (violations.length) throw new AppError(422, 'PLAN_ABOVE_SEBI_LIMITS', violations.map((v) => v.message).join('; '), violations);
  return plan;
}

function calculate<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof AnalyticsInputError) throw new AppError(400, 'INVALID_INPUT', err.message);
    throw err;
  }
}

export const complianceRoutes = new OpenAPIHono<AppEnv>()
  .openapi(illustrationRoute, (c) => {
    const body = c.req.valid('json');
    const plan = checkedPlan(body.plan);
    const ill = calculate(() => feeIllustration({ plan, start: body.start, capital: body.capital, returns: body.returns, flows: body.flows }));
    return c.json(
      { years: ill.years, totals: ill.totals, charges: ill.simulation.charges, crystallisations: ill.simulation.crystallisations, withdrawals: ill.simulation.withdrawals },
      200,
    );
  })
  .openapi(withdrawalRoute, async (c) => {
    const body = c.req.valid('json');
    let plan: FeePlan;
    let planSources: Record<string, string> | undefined;
    if (body.portfolioId !== undefined) {
      const resolved = (await loadFeePlans(c.var.deps.db.sql, { scope: c.var.principal.clientScope, portfolioIds: [body.portfolioId] })).get(body.portfolioId);
      if (!resolved) {
        const [owner] = await c.var.deps.db.sql<{ clientId: number }[]>`select client_id as "clientId" from portfolios where id = ${body.portfolioId}`;
        if (owner) await auditClientDenied(c, [owner.clientId], 'compliance.withdrawal-impact');
        throw new NotFoundError('Portfolio');
      }
      await auditRequest(c, { action: 'compliance.withdrawal-impact', resource: `portfolio:${body.portfolioId}`, clientIds: [resolved.clientId] });
      const violations = planViolations(resolved.plan);
      if (violations.length) throw new AppError(422, 'PLAN_ABOVE_SEBI_LIMITS', violations.map((v) => v.message).join('; '), violations);
      plan = resolved.plan;
      planSources = resolved.sources;
    } else {
      plan = checkedPlan(body.plan!);
    }
    const impact = calculate(() =>
      withdrawalImpact({ plan, start: body.start, capital: body.capital, returns: body.returns, flows: body.flows, redemption: body.redemption }),
    );
    return c.json(planSources ? { ...impact, planSources } : impact, 200);
  })
  .route('/', hwmRoutes)
  .route('/', disclosureRoutes)
  .route('/', feePlanRoutes);
