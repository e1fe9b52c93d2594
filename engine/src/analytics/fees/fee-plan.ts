import { AnalyticsInputError } from '../shared/analytics-error.js';
import { addMonths, splitDate, toDayNumber, monthEnd } from '../shared/iso-date.js';
import { Decimal } from 'decimal.js';
import type { Money } from '../shared/money.js';

/**
 * Decimal for fee arithmetic: 28 significant digits (₹ amounts to the paisa need 14), banker's rounding inside,
 * a private clone so no global decimal.js setting is touched. Charged amounts are rounded to the paisa half-up.
 */
export const FeeDec = Decimal.clone({
  precision: 28,
  rounding: Decimal.ROUND_HALF_EVEN,
});
export type FeeDec = InstanceType<typeof FeeDec>;

export const CHARGE_FREQUENCIES = ['monthly', 'quarterly', 'half-yearly', 'annual'] as const;
export type ChargeFrequency = (typeof CHARGE_FREQUENCIES)[number];
/** Performance fees may not be charged more often than quarterly (SEBI circular IMD/DF/13/2010). */
export const PERFORMANCE_FREQUENCIES = ['quarterly', 'half-yearly', 'annual'] as const;
export type PerformanceFrequency = (typeof PERFORMANCE_FREQUENCIES)[number];

export type Hurdle = { kind: 'none' } | { kind: 'fixed'; rate: Money } | { kind: 'benchmark' };

/** How charge periods are laid out: Indian financial-year quarters (end June/Sep/Dec/March), or from the inception date. */
export type PeriodAnchor = 'financial-year' | 'inception';

/** A portfolio's fee terms (rates are fractions: 0.02 = 2% p.a.). */
export interface FeePlan {
  /** % p.a. of AUM, accrued daily actual/365 on each calendar day's closing value, charged at `managementFeeFrequency`. */
  managementFeeRate: Money;
  managementFeeFrequency: ChargeFrequency;
  /** Share of the gain above the hurdle-adjusted high-water mark; 0 = no performance fee. */
  performanceFeeRate: Money;
  performanceFeeFrequency: PerformanceFrequency;
  hurdle: Hurdle;
  /** Exit load as a fraction of the amount redeemed, by holding year 1, 2, 3 of each contribution; nil from year 4. */
  exitLoad: readonly [Money, Money, Money];
  /** Operating expenses (custody, audit, …) % p.a. of AUM, accrued and charged like the management fee, without GST. */
  operatingExpenseRate: Money;
  /** GST on management fee, performance fee and exit load (18% in India since July 2017). */
  gstRate: Money;
  periodAnchor: PeriodAnchor;
}

export const DEFAULT_GST_RATE = '0.18';
/** SEBI circular SEBI/HO/IMD/DF1/CIR/P/2020/26: exit load at most 3% / 2% / 1% in years 1 / 2 / 3, nil after. */
export const EXIT_LOAD_CAPS = ['0.03', '0.02', '0.01'] as const;
/** Same circular: operating expenses excluding brokerage at most 0.50% p.a. of the client's average daily AUM. */
export const OPERATING_EXPENSE_CAP = '0.005';
/** PM Regulations 2020, regulation 23: minimum investment ₹50 lakh. */
export const MINIMUM_INVESTMENT = '5000000';

/** A plan with every field; unspecified fields take these defaults (quarterly management fee, annual performance fee). */
export function feePlan(partial: Partial<FeePlan> = {}): FeePlan {
  return {
    managementFeeRate: '0',
    managementFeeFrequency: 'quarterly',
    performanceFeeRate: '0',
    performanceFeeFrequency: 'annual',
    hurdle: { kind: 'none' },
    exitLoad: ['0', '0', '0'],
    operatingExpenseRate: '0',
    gstRate: DEFAULT_GST_RATE,
    periodAnchor: 'financial-year',
    ...partial,
  };
}

export interface PlanViolation {
  code: 'EXIT_LOAD_ABOVE_CAP' | 'OPERATING_EXPENSES_ABOVE_CAP' | 'PERFORMANCE_FEE_TOO_FREQUENT' | 'NEGATIVE_RATE';
  field: string;
  message: string;
}

/** Where a plan breaks SEBI's limits (empty when it complies). */
export function planViolations(plan: FeePlan): PlanViolation[] {
  const out: PlanViolation[] = [];
  const rate = (v: Money, field: string) => {
    const d = new FeeDec(String(v));
    if (d.isNegative())
      out.push({
        code: 'NEGATIVE_RATE',
        field,
        message: `${field} must not be negative`,
      });
    return d;
  };
  rate(plan.managementFeeRate, 'managementFeeRate');
  rate(plan.performanceFeeRate, 'performanceFeeRate');
  rate(plan.gstRate, 'gstRate');
  if (plan.hurdle.kind === 'fixed') rate(plan.hurdle.rate, 'hurdle.rate');
  plan.exitLoad.forEach((v, i) => {
    if (rate(v, `exitLoad[${i}]`).gt(EXIT_LOAD_CAPS[i]!)) {
      out.push({
        code: 'EXIT_LOAD_ABOVE_CAP',
        field: `exitLoad[${i}]`,
        message: `Exit load in year ${i + 1} is ${pct(v)}; SEBI allows at most ${pct(EXIT_LOAD_CAPS[i]!)}`,
      });
    }
  });
  if (rate(plan.operatingExpenseRate, 'operatingExpenseRate').gt(OPERATING_EXPENSE_CAP)) {
    out.push({
      code: 'OPERATING_EXPENSES_ABOVE_CAP',
      field: 'operatingExpenseRate',
      message: `Operating expenses of ${pct(plan.operatingExpenseRate)} p.a. exceed SEBI's 0.50% p.a. of average daily AUM`,
    });
  }
  if (!(PERFORMANCE_FREQUENCIES as readonly string[]).includes(plan.performanceFeeFrequency)) {
    out.push({
      code: 'PERFORMANCE_FEE_TOO_FREQUENT',
      field: 'performanceFeeFrequency',
      message: 'A performance fee may be charged at most quarterly (SEBI circular IMD/DF/13/2010)',
    });
  }
  return out;
}

function pct(v: Money): string {
  return `${new FeeDec(String(v)).times(100).toFixed()}%`;
}

export const MONTHS_PER_PERIOD: Record<ChargeFrequency, number> = {
  monthly: 1,
  quarterly: 3,
  'half-yearly': 6,
  annual: 12,
};

/**
 * The charge date of the period containing the day after `date`, i.e. the first period end strictly after `date`.
 * financial-year: month ends aligned to 31 March (quarterly: 30 Jun, 30 Sep, 31 Dec, 31 Mar; half-yearly: 30 Sep,
 * 31 Mar; annual: 31 Mar). inception: every n months from the inception base date (month ends kept at month ends).
 */
export function nextChargeDate(frequency: ChargeFrequency, anchor: PeriodAnchor, base: string, date: string): string {
  const months = MONTHS_PER_PERIOD[frequency];
  const day = toDayNumber(date);
  if (anchor === 'financial-year') {
    const { year, month } = splitDate(date);
    // months since 31 March of a reference year, aligned to the period length
    const index = year * 12 + (month - 1) - (2000 * 12 + 2); // 0 = March 2000
    let k = Math.floor(index / months) * months;
    for (;;) {
      const end = monthEnd(2000, 3, k);
      if (toDayNumber(end) > day) return end;
      k += months;
    }
  }
  let k = 1;
  for (;;) {
    const end = addMonths(base, k * months, true);
    if (toDayNumber(end) > day) return end;
    k++;
  }
}

/** Period ends in (from, to]. */
export function chargeDates(frequency: ChargeFrequency, anchor: PeriodAnchor, base: string, from: string, to: string): string[] {
  const out: string[] = [];
  const last = toDayNumber(to);
  let d = nextChargeDate(frequency, anchor, base, from);
  while (toDayNumber(d) <= last) {
    out.push(d);
    d = nextChargeDate(frequency, anchor, base, d);
  }
  return out;
}

/**
 * Holding year of money contributed at the close of `contributed` and redeemed on `redeemed`: 1 before the first
 * anniversary, 2 from the first anniversary to the day before the second, and so on (a redemption on the
 * anniversary itself has completed the year).
 */
export function holdingYear(contributed: string, redeemed: string): number {
  if (toDayNumber(redeemed) < toDayNumber(contributed)) throw new AnalyticsInputError(`Redemption ${redeemed} before contribution ${contributed}`);
  let year = 1;
  while (toDayNumber(addMonths(contributed, 12 * year)) <= toDayNumber(redeemed)) year++;
  return year;
}

/** The plan's exit-load rate for a holding year (nil from year 4). */
export function exitLoadRate(plan: FeePlan, year: number): FeeDec {
  return year >= 1 && year <= 3 ? new FeeDec(String(plan.exitLoad[year - 1])) : new FeeDec(0);
}
