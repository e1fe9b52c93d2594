import { toDayNumber } from '../shared/iso-date.js';
import { Dec, toDec, type Money } from '../shared/money.js';

export interface CashFlow {
  date: string;
  /** External flow: positive = money in (corpus in), negative = money out. Fees are not flows. */
  amount: Money;
}

export interface AlignedFlows {
  /** Sum of flows attached to each valuation date, by index into the sorted valuation dates (undefined = none). */
  byIndex: (Dec | undefined)[];
  /** Flows dated after the last valuation date: they belong to a period not yet valued. */
  unattached: CashFlow[];
}

/**
 * Attach each flow to the first valuation date on or after its date (a flow on a holiday is valued with the next
 * valuation). Flows before the first valuation date attach to the first valuation date. Same-day flows are summed
 * exactly (decimal).
 */
export function alignFlows(sortedDayNumbers: readonly number[], flows: readonly CashFlow[]): AlignedFlows {
  const byIndex: (Dec | undefined)[] = new Array(sortedDayNumbers.length).fill(undefined);
  const unattached: CashFlow[] = [];
  for (const flow of flows) {
    const day = toDayNumber(flow.date);
    const amount = toDec(flow.amount, 'flow amount');
    const i = firstIndexOnOrAfter(sortedDayNumbers, day);
    if (i === sortedDayNumbers.length) {
      unattached.push(flow);
      continue;
    }
    const current = byIndex[i];
    byIndex[i] = current === undefined ? amount : current.plus(amount);
  }
  return { byIndex, unattached };
}

/** Binary search: index of the first element ≥ day (length if none). */
export function firstIndexOnOrAfter(sorted: readonly number[], day: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
