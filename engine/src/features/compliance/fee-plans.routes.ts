import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.js';
import { planViolations } from '../../analytics/fees/index.js';
import { AppError, ForbiddenError, NotFoundError } from '../../lib/errors.js';
import { ErrorBody, errorResponses, security } from '../../lib/openapi.js';
import { auditClientDenied, auditRequest } from '../audit/audit.js';
import { requireScope } from '../auth/auth.middleware.js';
import { FeePlanPutBody, ResolvedFeePlanSchema, putBodyToPlan } from './compliance.schemas.js';
import { deleteFeePlan, loadFeePlans, storeFeePlan, type ResolvedFeePlan } from './fee-plans.js';
import { hwmStatusRefresherOf } from './hwm-status.js';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const Params = z.object({ portfolioId: z.coerce.number().int().positive().max(2_147_483_647) });
const notFound = { description: 'No such portfolio visible to the caller', content: json(ErrorBody) };

/** Changing a plan is for compliance officers and admins: the "audit" scope held by a compliance user, or "admin". */
const requireComplianceOfficer = createMiddleware<AppEnv>(async (c, next) => {
  const p = c.var.principal;
  if (!p.scopes.has('admin') && p.role !== 'compliance') throw new ForbiddenError('Only compliance officers and admins change fee plans');
  await next();
});

const getRoute = createRoute({
  method: 'get',
  path: '/api/compliance/fee-plans/{portfolioId}',
  tags: ['Compliance'],
  summary: "A portfolio's fee plan as the fee calculations use it, with the source of every field and its SEBI violations",
  description:
    "Scope read or analytics. Resolution per field: the stored plan (API or import) → config/fee-plans.json for the portfolio → for its strategy → the Wealth Spectrum portfolio master's rates → defaults. An RM sees only their clients' portfolios: 404 otherwise, as for an absent one (audited access.denied).",
  security,
  middleware: [requireScope('read', 'analytics')] as const,
  request: { params: Params },
  responses: { 200: { description: 'The resolved plan', content: json(ResolvedFeePlanSchema) }, 404: notFound, ...errorResponses },
});

const putRoute = createRoute({
  method: 'put',
  path: '/api/compliance/fee-plans/{portfolioId}',
  tags: ['Compliance'],
  summary: "Sets a portfolio's fee plan (source api); it then drives its high-water mark, reconciliation and the compliance checks",
  description:
    "Compliance officers and admins (scope audit with the compliance role, or admin). Every field, rates as decimal-string fractions. A plan that breaks SEBI's limits (exit load above 3% / 2% / 1%, operating expenses above 0.50% p.a., a performance fee more often than quarterly) is refused with 422 PLAN_ABOVE_SEBI_LIMITS and nothing is stored. Audited with the plan before and after.",
  security,
  middleware: [requireScope('audit'), requireComplianceOfficer] as const,
  request: { params: Params, body: { required: true, content: json(FeePlanPutBody) } },
  responses: {
    200: { description: 'The stored plan, resolved', content: json(ResolvedFeePlanSchema) },
    404: notFound,
    422: { description: 'The plan breaks a SEBI limit; details list planViolations', content: json(ErrorBody) },
    ...errorResponses,
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/compliance/fee-plans/{portfolioId}',
  tags: ['Compliance'],
  summary: "Removes a portfolio's stored plan: it reverts to config/fee-plans.json and the portfolio master's rates",
  description: 'Compliance officers and admins. Idempotent: answers the plan now in force whether or not one was stored.',
  security,
  middleware: [requireScope('audit'), requireComplianceOfficer] as const,
  request: { params: Params },
  responses: { 200: { description: 'The plan now in force', content: json(ResolvedFeePlanSchema) }, 404: notFound, ...errorResponses },
});

/** The caller's view of one portfolio's plan, or 404 (audited as a denied access when the portfolio exists). */
async function visiblePlan(c: Context<AppEnv>, portfolioId: number, route: string): Promise<ResolvedFeePlan> {
  const sql = c.var.deps.db.sql;
  const plan = (await loadFeePlans(sql, { scope: c.var.principal.clientScope, portfolioIds: [portfolioId] })).get(portfolioId);
  if (plan) return plan;
  const [owner] = await sql<{ clientId: number }[]>`select client_id as "clientId" from portfolios where id = ${portfolioId}`;
  if (owner) await auditClientDenied(c, [owner.clientId], route);
  throw new NotFoundError('Portfolio');
}

/** The API answer: rates as decimal strings, plus the plan's SEBI violations. */
function answer(r: ResolvedFeePlan) {
  const s = (v: string | number) => String(v);
  const p = r.plan;
  return {
    ...r,
    plan: {
      ...p,
      managementFeeRate: s(p.managementFeeRate),
      performanceFeeRate: s(p.performanceFeeRate),
      hurdle: p.hurdle.kind === 'fixed' ? { kind: p.hurdle.kind, rate: s(p.hurdle.rate) } : { kind: p.hurdle.kind },
      exitLoad: p.exitLoad.map(s),
      operatingExpenseRate: s(p.operatingExpenseRate),
      gstRate: s(p.gstRate),
    },
    violations: planViolations(p),
  };
}

export const feePlanRoutes = new OpenAPIHono<AppEnv>()
  .openapi(getRoute, async (c) => {
    const { portfolioId } = c.req.valid('param');
    const plan = await visiblePlan(c, portfolioId, 'compliance.fee-plan');
    await auditRequest(c, { action: 'compliance.fee-plan.read', resource: `portfolio:${portfolioId}`, clientIds: [plan.clientId] });
    return c.json(answer(plan), 200);
  })
  .openapi(putRoute, async (c) => {
    const { portfolioId } = c.req.valid('param');
    const next = putBodyToPlan(c.req.valid('json'));
    const before = await visiblePlan(c, portfolioId, 'compliance.fee-plan');
    const violations = planViolations(next);
    if (violations.length) {
      await auditRequest(c, { action: 'compliance.fee-plan.refused', resource: `portfolio:${portfolioId}`, clientIds: [before.clientId], details: { plan: next, violations: violations.map((v) => v.code) } });
      throw new AppError(422, 'PLAN_ABOVE_SEBI_LIMITS', violations.map((v) => v.message).join('; '), violations);
    }
    const sql = c.var.deps.db.sql;
    await storeFeePlan(sql, portfolioId, next, 'api', c.var.principal.id);
    const after = (await loadFeePlans(sql, { scope: c.var.principal.clientScope, portfolioIds: [portfolioId] })).get(portfolioId)!;
    await auditRequest(c, {
      action: 'compliance.fee-plan.update',
      resource: `portfolio:${portfolioId}`,
      clientIds: [after.clientId],
      details: { before: { plan: before.plan, sources: before.sources }, after: after.plan },
    });
    hwmStatusRefresherOf(c.var.deps)?.schedule(); // the book-wide high-water-mark status follows the new plan
    return c.json(answer(after), 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { portfolioId } = c.req.valid('param');
    const before = await visiblePlan(c, portfolioId, 'compliance.fee-plan');
    const sql = c.var.deps.db.sql;
    const removed = await deleteFeePlan(sql, portfolioId);
    const after = (await loadFeePlans(sql, { scope: c.var.principal.clientScope, portfolioIds: [portfolioId] })).get(portfolioId)!;
    await auditRequest(c, {
      action: 'compliance.fee-plan.delete',
      resource: `portfolio:${portfolioId}`,
      clientIds: [after.clientId],
      details: { removed, before: { plan: before.plan, stored: before.stored } },
    });
    hwmStatusRefresherOf(c.var.deps)?.schedule();
    return c.json(answer(after), 200);
  });
