import { Decimal } from 'decimal.js';
import { AnalyticsInputError } from './analytics-error.js';

/** A money amount as it arrives from Postgres NUMERIC (a decimal string) or, in tests, a number. */
export type Money = string | number;

/**
 * Private Decimal constructor for money sums: 40 significant digits, banker's rounding. A clone, so the
 * global decimal.js configuration other modules may rely on is never touched.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type Dec = InstanceType<typeof Dec>;

export function toDec(amount: Money, what = 'amount'): Dec {
  if (typeof amount === 'number' && !Number.isFinite(amount)) {
    throw new AnalyticsInputError(`Non-finite ${what}: ${amount}`);
  }
  if (typeof amount === 'string') {
    const s = amount.trim();
    if (s === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) {
      throw new AnalyticsInputError(`Invalid ${what} '${amount}': expected a decimal string`);
    }
    return new Dec(s);
  }
  if (typeof amount !== 'number') throw new AnalyticsInputError(`Invalid ${what}: ${String(amount)}`);
  return new Dec(amount);
}

/** Money → double, only for computing a return or ratio. */
export function toRatioNumber(amount: Money, what = 'amount'): number {
  const n = typeof amount === 'number' ? amount : Number(amount);
  if (!Number.isFinite(n) || (typeof amount === 'string' && amount.trim() === '')) {
    throw new AnalyticsInputError(`Invalid ${what} '${String(amount)}'`);
  }
  return n;
}

/** Decimal → plain decimal string (no exponent), the form money leaves the analytics layer in. */
export function decString(d: Dec): string {
  return d.isZero() ? '0' : d.toFixed();
}

export function sumMoney(amounts: Iterable<Money>): Dec {
  let total = new Dec(0);
  for (const a of amounts) total = total.plus(toDec(a));
  return total;
}
