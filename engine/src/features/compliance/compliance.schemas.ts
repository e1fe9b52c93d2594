import { z } from '@hono/zod-openapi';
import { IsoDate } from '../../lib/openapi.js';
import { CHARGE_FREQUENCIES, FeeDec, PERFORMANCE_FREQUENCIES, type FeePlan } from '../../analytics/fees/index.js';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;
/** Money in: a decimal string ("5000000.00"), never a float. */
export const MoneyIn = z.string().regex(DECIMAL, 'must be a decimal string such as "5000000.00"').openapi({ example: '10000000' });
/** A rate as a fraction: a decimal string or a JSON number (0.02 = 2%). */
const Rate = z
  .union([z.number(), z.string().regex(DECIMAL, 'must be a decimal number')])
  .refine((v) => Number.isFinite(Number(v)) && Number(v) >= 0 && Number(v) <= 1, 'must be a fraction between 0 and 1')
  .openapi({ example: '0.02' });
const SignedReturn = z
  .union([z.number(), z.string().regex(DECIMAL, 'must be a decimal number')])
  .refine((v) => Number.isFinite(Number(v)) && Number(v) > -1, 'must be a return above -1 (−100%)')
  .openapi({ example: 0.12 });

export const FeePlanBody = z
  .object({
    managementFeeRate: Rate.default('0').openapi({ description: 'Management fee, fraction p.a. of daily AUM (actual/365)' }),
    managementFeeFrequency: z.enum(CHARGE_FREQUENCIES).default('quarterly'),
    performanceFeeRate: Rate.default('0').openapi({ description: 'Share of gains above the hurdle-adjusted high-water mark; 0 = none' }),
    performanceFeeFrequency: z
      .enum(PERFORMANCE_FREQUENCIES)
      .default('annual')
      .openapi({ description: 'Not more often than quarterly (SEBI); always also at exit' }),
    hurdle: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('none') }),
        z.object({ kind: z.literal('fixed'), rate: Rate.openapi({ description: 'Fraction p.a., compounded daily actual/365 from the last crystallisation' }) }),
        z.object({ kind: z.literal('benchmark') }),
      ])
      .default({ kind: 'none' }),
    exitLoad: z
      .tuple([Rate, Rate, Rate])
      .default(['0', '0', '0'])
      .openapi({ description: 'By holding year 1, 2, 3 of each contribution; SEBI caps 3% / 2% / 1%' }),
    operatingExpenseRate: Rate.default('0').openapi({ description: 'Fraction p.a. of daily AUM; SEBI cap 0.50%' }),
    gstRate: Rate.default('0.18'),
    periodAnchor: z.enum(['financial-year', 'inception']).default('financial-year'),
  })
  .openapi('FeePlan');

export function toFeePlan(b: z.infer<typeof FeePlanBody>): FeePlan {
  const s = (v: string | number) => String(v);
  return {
    managementFeeRate: s(b.managementFeeRate),
    managementFeeFrequency: b.managementFeeFrequency,
    performanceFeeRate: s(b.performanceFeeRate),
    performanceFeeFrequency: b.performanceFeeFrequency,
    hurdle: b.hurdle.kind === 'fixed' ? { kind: 'fixed', rate: s(b.hurdle.rate) } : b.hurdle,
    exitLoad: [s(b.exitLoad[0]), s(b.exitLoad[1]), s(b.exitLoad[2])],
    operatingExpenseRate: s(b.operatingExpenseRate),
    gstRate: s(b.gstRate),
    periodAnchor: b.periodAnchor,
  };
}

const MAX_STEPS = 20_000;

export const IllustrationRequest = z
  .object({
    capital: MoneyIn.openapi({ description: 'Invested at the close of `start`' }),
    start: IsoDate,
    returns: z
      .array(z.object({ to: IsoDate, grossReturn: SignedReturn, benchmarkReturn: SignedReturn.optional() }))
      .min(1)
      .max(MAX_STEPS)
      .openapi({ description: 'Gross returns path (before management and performance fees), each return spread evenly over its days; dates increasing' }),
    flows: z
      .array(z.object({ date: IsoDate, amount: MoneyIn }))
      .max(MAX_STEPS)
      .default([])
      .openapi({ description: '+ contribution, − withdrawal (gross amount), at the start of the day' }),
    plan: FeePlanBody,
  })
  .openapi('FeeIllustrationRequest');

const M = z.string().openapi({ description: '₹, decimal string' });

export const IllustrationYearSchema = z.object({
  year: z.number().int(),
  from: z.string(),
  to: z.string(),
  openingValue: M,
  contributions: M,
  withdrawals: M,
  grossReturn: z.number(),
  grossGain: M,
  managementFee: M,
  operatingExpenses: M,
  performanceFee: M,
  exitLoad: M,
  gst: M,
  totalCharges: M,
  closingValue: M,
  highWaterMark: M,
  hurdleThreshold: M,
  netReturn: z.number(),
});

const ChargeSchema = z.object({
  date: z.string(),
  kind: z.enum(['management', 'operating-expenses', 'performance', 'exit-load']),
  reason: z.enum(['scheduled', 'withdrawal']),
  fee: M,
  gst: M,
});
export const CrystallisationSchema = z.object({
  date: z.string(),
  reason: z.enum(['scheduled', 'withdrawal']),
  value: M,
  markBefore: M,
  threshold: M,
  fraction: z.string(),
  fee: M,
  gst: M,
  markAfter: M,
});
const TrancheSchema = z.object({ contributed: z.string(), holdingYear: z.number().int(), rate: z.string(), amount: M, load: M });
export const WithdrawalSchema = z.object({
  date: z.string(),
  amount: M,
  valueBefore: M,
  fraction: z.string(),
  full: z.boolean(),
  managementFee: M,
  operatingExpenses: M,
  performanceFee: M,
  exitLoad: M,
  gst: M,
  tranches: z.array(TrancheSchema),
  netPayout: M,
  valueAfter: M,
  markAfter: M,
});

export const IllustrationResponse = z
  .object({
    years: z.array(IllustrationYearSchema),
    totals: z.object({ managementFee: M, operatingExpenses: M, performanceFee: M, exitLoad: M, gst: M, totalCharges: M }),
    charges: z.array(ChargeSchema),
    crystallisations: z.array(CrystallisationSchema),
    withdrawals: z.array(WithdrawalSchema),
  })
  .openapi('FeeIllustration');

export const WithdrawalImpactRequest = IllustrationRequest.extend({
  redemption: z.object({ date: IsoDate, amount: MoneyIn.openapi({ description: 'Gross amount; the whole value or more = full exit' }) }),
  plan: FeePlanBody.optional().openapi({ description: 'The fee plan; or omit it and give portfolioId' }),
  portfolioId: z
    .number()
    .int()
    .positive()
    .max(2_147_483_647)
    .optional()
    .openapi({ description: "Use this portfolio's fee plan as resolved by GET /api/compliance/fee-plans/{portfolioId} (instead of plan)" }),
})
  .refine((b) => (b.plan === undefined) !== (b.portfolioId === undefined), { message: 'give either plan or portfolioId', path: ['plan'] })
  .openapi('WithdrawalImpactRequest');

export const WithdrawalImpactResponse = WithdrawalSchema.extend({
  remainingValue: M,
  minimumInvestment: M,
  remainingBelowMinimum: z.boolean().openapi({ description: 'A partial redemption leaving less than ₹50 lakh (PM Regulations 2020)' }),
  planSources: z.record(z.string(), z.string()).optional().openapi({ description: 'With portfolioId: where each field of the plan used came from' }),
}).openapi('WithdrawalImpact');

/** A stored rate: a decimal-string fraction (0.02 = 2%) between 0 and 1; SEBI caps are checked separately (422). */
const StoredRate = z
  .string()
  .regex(DECIMAL, 'must be a decimal string such as "0.02"')
  .refine((v) => Number(v) >= 0 && Number(v) <= 1, 'must be a fraction between 0 and 1')
  .refine((v) => (v.split('.')[1] ?? '').length <= 6, 'at most 6 decimal places')
  .openapi({ example: '0.02' });

/** PUT /api/compliance/fee-plans/{portfolioId}: every field of the plan, rates as decimal strings. */
export const FeePlanPutBody = z
  .object({
    managementFeeRate: StoredRate.openapi({ description: 'Fraction p.a. of daily AUM (actual/365)' }),
    managementFeeFrequency: z.enum(CHARGE_FREQUENCIES),
    performanceFeeRate: StoredRate.openapi({ description: 'Share of gains above the hurdle-adjusted high-water mark; "0" = none' }),
    performanceFeeFrequency: z.enum(CHARGE_FREQUENCIES).openapi({ description: 'SEBI: not more often than quarterly (monthly is refused with 422)' }),
    hurdle: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('none') }).strict(),
      z.object({ kind: z.literal('fixed'), rate: StoredRate }).strict(),
      z.object({ kind: z.literal('benchmark') }).strict(),
    ]),
    exitLoad: z.tuple([StoredRate, StoredRate, StoredRate]).openapi({ description: 'Years 1, 2, 3 of each contribution; SEBI caps 3% / 2% / 1% (above: 422)' }),
    operatingExpenseRate: StoredRate.openapi({ description: 'Fraction p.a. of average daily AUM; SEBI cap 0.50% (above: 422)' }),
    gstRate: StoredRate.default('0.18'),
    periodAnchor: z.enum(['financial-year', 'inception']).default('financial-year'),
  })
  .strict()
  .openapi('FeePlanPut');

export function putBodyToPlan(b: z.infer<typeof FeePlanPutBody>): FeePlan {
  const n = (v: string) => new FeeDec(v).toFixed();
  return {
    managementFeeRate: n(b.managementFeeRate),
    managementFeeFrequency: b.managementFeeFrequency,
    performanceFeeRate: n(b.performanceFeeRate),
    // 'monthly' passes the schema so planViolations can answer 422 PERFORMANCE_FEE_TOO_FREQUENT
    performanceFeeFrequency: b.performanceFeeFrequency as FeePlan['performanceFeeFrequency'],
    hurdle: b.hurdle.kind === 'fixed' ? { kind: 'fixed', rate: n(b.hurdle.rate) } : b.hurdle,
    exitLoad: [n(b.exitLoad[0]), n(b.exitLoad[1]), n(b.exitLoad[2])],
    operatingExpenseRate: n(b.operatingExpenseRate),
    gstRate: n(b.gstRate),
    periodAnchor: b.periodAnchor,
  };
}

const SourceEnum = z
  .enum(['api', 'import', 'config', 'config-portfolio', 'config-strategy', 'portfolio', 'default'])
  .openapi({ description: 'api / import: the stored plan; config-portfolio / config-strategy: config/fee-plans.json; portfolio: the Wealth Spectrum portfolio master; default: built-in' });
const Rates = z.string().openapi({ description: 'Fraction, decimal string' });

export const ResolvedFeePlanSchema = z
  .object({
    portfolioId: z.number().int(),
    portfolioCode: z.string(),
    clientId: z.number().int(),
    strategy: z.string(),
    plan: z.object({
      managementFeeRate: Rates,
      managementFeeFrequency: z.enum(CHARGE_FREQUENCIES),
      performanceFeeRate: Rates,
      performanceFeeFrequency: z.enum(CHARGE_FREQUENCIES),
      hurdle: z.object({ kind: z.enum(['none', 'fixed', 'benchmark']), rate: Rates.optional() }),
      exitLoad: z.array(Rates),
      operatingExpenseRate: Rates,
      gstRate: Rates,
      periodAnchor: z.enum(['financial-year', 'inception']),
    }),
    sources: z.record(z.string(), SourceEnum).openapi({ description: 'Per plan field, where its value came from' }),
    stored: z.object({ source: z.enum(['config', 'api', 'import']), updatedAt: z.string(), updatedBy: z.string() }).nullable(),
    violations: z.array(z.object({ code: z.string(), field: z.string(), message: z.string() })).openapi({ description: "Where the plan breaks SEBI's limits (planViolations)" }),
  })
  .openapi('ResolvedFeePlan');
