import { z } from '@hono/zod-openapi';
import { IsoDate } from '../../lib/openapi.js';

/** Most points a calculator request may carry (a daily series of ~4,000 years). */
export const MAX_POINTS = 1_000_000;


/** A money amount: a JSON number or a decimal string ("-1000000.50"); never NaN or Infinity. */
const Amount = z
  .union([z.number(), z.string().regex(/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i, 'must be a decimal number')])
  .refine((v) => Number.isFinite(typeof v === 'number' ? v : Number(v)), 'must be a finite number')
  .openapi({ example: '-1000000' });

const points = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item).max(MAX_POINTS, `at most ${MAX_POINTS.toLocaleString('en-US')} ${what}`);

export const XirrRequest = z
  .object({
    cashflows: points(z.object({ date: IsoDate, amount: Amount }), 'cash flows').openapi({
      description: 'Dated cash flows, any order; negative = invested, positive = received (or the closing value).',
    }),
  })
  .openapi('XirrRequest');

export const XirrResponse = z.object({ rate: z.number().openapi({ description: 'Annual rate, actual/365 (0.1 = 10%)' }) }).openapi('XirrResponse');

const Ret = z.number().nullable();

export const ReturnsStatsRequest = z
  .object({
    returns: points(Ret, 'returns').openapi({ description: 'Per-period returns (0.01 = 1%); null = missing observation' }),
    benchmark: points(Ret, 'benchmark returns').optional().openapi({ description: 'Aligned with returns: same length' }),
    periodsPerYear: z.number().int().min(1).max(366).default(252),
    riskFree: z.number().min(-1).max(1).default(0).openapi({ description: 'Risk-free rate per period' }),
    requiredReturn: z.number().min(-1).max(1).default(0).openapi({ description: 'Minimum acceptable return per period (Sortino)' }),
    varCutoff: z.number().gt(0).lt(1).default(0.05),
  })
  .superRefine((v, ctx) => {
    if (v.benchmark !== undefined && v.benchmark.length !== v.returns.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['benchmark'],
        message: `benchmark has ${v.benchmark.length} entries but returns has ${v.returns.length}: they must be aligned (same length)`,
      });
    }
  })
  .openapi('ReturnsStatsRequest');

const Stat = z.number().nullable();
export const ReturnsStatsResponse = z
  .object({
    count: z.number().int(),
    cumulativeReturn: Stat,
    annualReturn: Stat,
    annualVolatility: Stat,
    sharpe: Stat,
    sortino: Stat,
    downsideRisk: Stat,
    maxDrawdown: Stat,
    calmar: Stat,
    beta: Stat,
    alpha: Stat,
    trackingError: Stat,
    informationRatio: Stat,
    upCapture: Stat,
    downCapture: Stat,
    valueAtRisk: Stat,
    conditionalValueAtRisk: Stat,
  })
  .openapi('ReturnsStatsResponse');

export const TwrrRequest = z
  .object({
    valuations: points(z.object({ date: IsoDate, value: Amount }), 'valuations').openapi({ description: 'End-of-day values, one per date' }),
    flows: points(z.object({ date: IsoDate, amount: Amount }), 'flows').default([]).openapi({ description: 'External flows: + in, − out' }),
    flowTiming: z.enum(['start', 'end']).default('start'),
  })
  .openapi('TwrrRequest');

export const TwrrResponse = z
  .object({
    twrr: z.number().nullable(),
    annualized: z.number().nullable().openapi({ description: 'Only for periods of 365 days or more (SEBI), else null' }),
    days: z.number().int(),
    subperiods: z.array(z.object({ date: z.string(), return: z.number() })),
  })
  .openapi('TwrrResponse');
