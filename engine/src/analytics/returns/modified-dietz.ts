import { AnalyticsInputError } from '../shared/analytics-error.js';
import { toDayNumber } from '../shared/iso-date.js';
import { Dec, toDec, type Money } from '../shared/money.js';
import type { CashFlow } from './flow-alignment.js';

export interface ModifiedDietzInput {
  /** Value at the close of startDate, before any flow dated startDate. */
  bmv: Money;
  /** Value at the close of endDate, after all flows. */
  emv: Money;
  flows: readonly CashFlow[];
  startDate: string;
  endDate: string;
}

/**
 * Modified Dietz return, for when only period-end values exist:
 * (EMV − BMV − ΣCF) / (BMV + Σ w_i·CF_i), w_i = (CD − D_i) / CD, CD = calendar days in the period,
 * D_i = days from startDate to the flow. A flow on startDate has weight 1, one on endDate weight 0.
 * Money sums are exact (decimal); null when the denominator is ≤ 0 (nothing was invested).
 */
export function modifiedDietz(input: ModifiedDietzInput): number | null {
  const start = toDayNumber(input.startDate);
  const end = toDayNumber(input.endDate);
  const calendarDays = end - start;
  if (calendarDays <= 0) throw new AnalyticsInputError(`endDate ${input.endDate} must be after startDate ${input.startDate}`);
  const bmv = toDec(input.bmv, 'bmv');
  const emv = toDec(input.emv, 'emv');
  let netFlow = new Dec(0);
  let weighted = new Dec(0);
  for (const flow of input.flows) {
    const day = toDayNumber(flow.date);
    if (day < start || day > end) {
      throw new AnalyticsInputError(`Flow dated ${flow.date} is outside ${input.startDate}..${input.endDate}`);
    }
    const amount = toDec(flow.amount, 'flow amount');
    netFlow = netFlow.plus(amount);
    weighted = weighted.plus(amount.times(end - day).dividedBy(calendarDays));
  }
  const denominator = bmv.plus(weighted);
  if (denominator.lte(0)) return null;
  return emv.minus(bmv).minus(netFlow).dividedBy(denominator).toNumber();
}
