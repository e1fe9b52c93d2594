import { addMonths, toDayNumber } from '../shared/iso-date.js';
import { Dec, decString, toDec, type Money } from '../shared/money.js';

export interface Trade {
  date: string;
  kind: 'purchase' | 'sale';
  /** Gross trade value, ≥ 0. */
  amount: Money;
}

export interface TurnoverResult {
  /** Window (from, to]: the 12 months ending on `asOf`. */
  from: string;
  to: string;
  purchases: string;
  sales: string;
  /** Mean of the AUM observations in the window, rounded to paise (2 dp, half-even). */
  averageAum: string | null;
  /** min(purchases, sales) / average AUM (unrounded); null without AUM in the window. */
  turnover: number | null;
}

/**
 * Portfolio turnover over the 12 months ending `asOf`: min(Σ purchases, Σ sales) / average AUM, the average taken over
 * the AUM observations (normally daily) dated in the window. Trades caused by client flows are not separated out.
 */
export function turnover(input: { trades: readonly Trade[]; aum: readonly { date: string; value: Money }[]; asOf: string }): TurnoverResult {
  const from = addMonths(input.asOf, -12, true);
  const fromDay = toDayNumber(from);
  const toDay = toDayNumber(input.asOf);
  const inWindow = (date: string): boolean => {
    const d = toDayNumber(date);
    return d > fromDay && d <= toDay;
  };
  let purchases = new Dec(0);
  let sales = new Dec(0);
  for (const t of input.trades) {
    if (!inWindow(t.date)) continue;
    const amount = toDec(t.amount, 'trade amount').abs();
    if (t.kind === 'purchase') purchases = purchases.plus(amount);
    else sales = sales.plus(amount);
  }
  let aumSum = new Dec(0);
  let aumCount = 0;
  for (const a of input.aum) {
    if (!inWindow(a.date)) continue;
    aumSum = aumSum.plus(toDec(a.value, `AUM on ${a.date}`));
    aumCount++;
  }
  const average = aumCount === 0 ? null : aumSum.dividedBy(aumCount);
  const traded = Dec.min(purchases, sales);
  return {
    from,
    to: input.asOf,
    purchases: decString(purchases),
    sales: decString(sales),
    averageAum: average === null ? null : decString(average.toDecimalPlaces(2, Dec.ROUND_HALF_EVEN)),
    turnover: average === null || !average.gt(0) ? null : traded.dividedBy(average).toNumber(),
  };
}
