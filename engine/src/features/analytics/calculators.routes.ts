import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { AnalyticsInputError, dailyTwrr, returnsStats, xirr, XirrError } from '../../analytics/index.js';
import { AppError } from '../../lib/errors.js';
import { ErrorBody, errorResponses, security } from '../../lib/openapi.js';
import { requireScope } from '../auth/auth.middleware.js';
import { ReturnsStatsRequest, ReturnsStatsResponse, TwrrRequest, TwrrResponse, XirrRequest, XirrResponse } from './calculators.schemas.js';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const xirrRoute = createRoute({
  method: 'post',
  path: '/api/analytics/xirr',
  tags: ['Analytics'],
  summary: 'XIRR of dated cash flows (Excel-compatible, actual/365)',
  description: 'Stateless calculator. Scope: analytics. 422 NO_SOLUTION when no rate zeroes the NPV, INVALID_CASHFLOWS when the flows cannot have one (one sign only, fewer than two dates).',
  security,
  middleware: [requireScope('analytics')] as const,
  request: { body: { required: true, content: json(XirrRequest) } },
  responses: {
    200: { description: 'The rate', content: json(XirrResponse) },
    422: { description: 'No XIRR for these flows', content: json(ErrorBody) },
    ...errorResponses,
  },
});

const statsRoute = createRoute({
  method: 'post',
  path: '/api/analytics/returns-stats',
  tags: ['Analytics'],
  summary: 'Risk and return statistics of a return series (empyrical definitions)',
  description: 'Stateless calculator. Scope: analytics. A statistic undefined for the input is null.',
  security,
  middleware: [requireScope('analytics')] as const,
  request: { body: { required: true, content: json(ReturnsStatsRequest) } },
  responses: { 200: { description: 'The statistics', content: json(ReturnsStatsResponse) }, ...errorResponses },
});

const twrrRoute = createRoute({
  method: 'post',
  path: '/api/analytics/twrr',
  tags: ['Analytics'],
  summary: 'Daily time-weighted return of a valuation series with external flows',
  description: 'Stateless calculator. Scope: analytics. r_t = (V_t − V_{t−1} − CF_t) / (V_{t−1} + w·CF_t), chained; annualised only from 365 days.',
  security,
  middleware: [requireScope('analytics')] as const,
  request: { body: { required: true, content: json(TwrrRequest) } },
  responses: { 200: { description: 'The return and its daily sub-periods', content: json(TwrrResponse) }, ...errorResponses },
});

/** Input the schema accepts but the calculator rejects (duplicate dates…) is the caller's error: 400. */
function badInput(err: unknown): never {
  if (err instanceof AnalyticsInputError) throw new AppError(400, 'INVALID_INPUT', err.message);
  throw err;
}

export const calculatorRoutes = new OpenAPIHono<AppEnv>()
  .openapi(xirrRoute, (c) => {
    const { cashflows } = c.req.valid('json');
    try {
      return c.json({ rate: xirr(cashflows) }, 200);
    } catch (err) {
      if (err instanceof XirrError) throw new AppError(422, err.code, err.message);
      return badInput(err);
    }
  })
  .openapi(statsRoute, (c) => {
    const body = c.req.valid('json');
    try {
      return c.json(returnsStats(body), 200);
    } catch (err) {
      return badInput(err);
    }
  })
  .openapi(twrrRoute, (c) => {
    const body = c.req.valid('json');
    try {
      const r = dailyTwrr({ valuations: body.valuations, flows: body.flows, flowTiming: body.flowTiming });
      return c.json({ twrr: r.twrr, annualized: r.annualized, days: r.days, subperiods: r.subperiods }, 200);
    } catch (err) {
      return badInput(err);
    }
  });
