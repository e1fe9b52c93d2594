import { toDayNumber } from '../shared/iso-date.js';
import { Dec, decString, toDec, type Money } from '../shared/money.js';
import { bucketOf, type Grain, type YearBasis } from './reporting-bucket.js';

export interface PortfolioValuation {
  portfolioId: string;
  date: string;
  value: Money;
}

export interface AumPoint {
  /** The date itself for grain 'day', else the bucket label ('2024-04', 'FY2024-25 Q1', …). */
  period: string;
  /** The valuation date the AUM is taken on (the last one in the bucket). */
  date: string;
  /** Σ of each portfolio's latest valuation on or before `date` (decimal string). */
  aum: string;
  /** Portfolios with a non-zero latest valuation. */
  portfolios: number;
}

/**
 * AUM over time: on each valuation date, the sum of every portfolio's latest valuation on or before it (a portfolio
 * not valued that day counts at its last value; a closed portfolio must be valued 0 to drop out). For month /
 * quarter / year grains, the AUM on the last valuation date inside each bucket; buckets without a valuation date are
 * omitted. Quarters and years follow the Indian financial year unless basis is 'calendar'.
 */
export function aumTrend(
  valuations: readonly PortfolioValuation[],
  options: { grain?: 'day' | Grain; basis?: YearBasis } = {},
): AumPoint[] {
  const grain = options.grain ?? 'day';
  const sorted = valuations.map((v) => ({ ...v, day: toDayNumber(v.date) })).sort((a, b) => a.day - b.day);
  const latest = new Map<string, Dec>();
  let total = new Dec(0);
  let nonZero = 0;
  const points: AumPoint[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i] as (typeof sorted)[number];
    const value = toDec(v.value, `value of ${v.portfolioId} on ${v.date}`);
    const previous = latest.get(v.portfolioId);
    if (previous !== undefined) {
      total = total.minus(previous);
      if (!previous.isZero()) nonZero--;
    }
    latest.set(v.portfolioId, value);
    total = total.plus(value);
    if (!value.isZero()) nonZero++;
    const next = sorted[i + 1];
    if (next !== undefined && next.day === v.day) continue; // finish the day first
    const period = grain === 'day' ? v.date : bucketOf(v.date, grain, options.basis).period;
    const point = { period, date: v.date, aum: decString(total), portfolios: nonZero };
    const last = points[points.length - 1];
    if (last !== undefined && last.period === period) points[points.length - 1] = point;
    else points.push(point);
  }
  return points;
}
