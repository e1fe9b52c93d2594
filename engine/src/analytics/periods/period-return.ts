import { annualize } from '../returns/annualize.js';
import { dailyTwrr, type FlowTiming, type Valuation } from '../returns/daily-twrr.js';
import type { CashFlow } from '../returns/flow-alignment.js';
import { toDayNumber } from '../shared/iso-date.js';
import { periodRange, type NamedPeriod, type Period } from './period-range.js';

export interface PeriodReturnInput {
  period: Period;
  asOf: string;
  inceptionDate: string;
  valuations: readonly Valuation[];
  flows?: readonly CashFlow[];
  flowTiming?: FlowTiming;
}

export interface PeriodReturn {
  period: NamedPeriod | 'CUSTOM';
  from: string;
  to: string;
  days: number;
  /** TWRR over the period: absolute when `annualized` is false (< 365 days), compound annual otherwise. */
  return: number;
  annualized: boolean;
  /** Last valuation inside the period (a stale feed shows here). */
  valuedTo: string;
}

/**
 * TWRR for a reporting period, absolute under one year and annualised from one year on (SEBI circular
 * SEBI/HO/IMD/IMD-PoD-2/P/CIR/2022/172).
 * Opening value: the last valuation on or before `from` (a holiday base date uses the previous close); flows after
 * that valuation and up to `to` belong to the period. With no valuation on or before `from` (the SI period, or a
 * period starting the day before inception) the portfolio starts from 0 and its inception flow counts.
 * Null when the portfolio did not exist for the whole period (e.g. 3Y for a 2-year-old portfolio; SI is always
 * defined), or when the data cannot give the return (no valuation in the period, or no opening valuation for a
 * period that starts after inception).
 */
export function periodReturn(input: PeriodReturnInput): PeriodReturn | null {
  const range = periodRange(input.period, input.asOf, input.inceptionDate);
  if (range === null || !range.complete) return null;
  const fromDay = toDayNumber(range.from);
  const toDay = toDayNumber(range.to);

  let base: { day: number; valuation: Valuation } | null = null;
  const inPeriod: Valuation[] = [];
  for (const v of input.valuations) {
    const day = toDayNumber(v.date);
    if (day <= fromDay) {
      if (base === null || day > base.day) base = { day, valuation: v };
    } else if (day <= toDay) {
      inPeriod.push(v);
    }
  }
  if (inPeriod.length === 0) return null;
  // No opening valuation although the period starts after inception: the data do not cover the period.
  if (base === null && fromDay > toDayNumber(input.inceptionDate) - 1) return null;
  const firstFlowDay = base === null ? Number.NEGATIVE_INFINITY : base.day + 1;
  const flows = (input.flows ?? []).filter((f) => {
    const day = toDayNumber(f.date);
    return day >= firstFlowDay && day <= toDay;
  });
  const valuations = base === null ? inPeriod : [base.valuation, ...inPeriod];
  const result = dailyTwrr({ valuations, flows, flowTiming: input.flowTiming });
  if (result.twrr === null || result.to === null) return null;
  const reported = annualize(result.twrr, range.days);
  return {
    period: range.period,
    from: range.from,
    to: range.to,
    days: range.days,
    return: reported.value,
    annualized: reported.annualized,
    valuedTo: result.to,
  };
}
