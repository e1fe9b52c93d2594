import { AnalyticsInputError } from '../shared/analytics-error.js';
import { formatScaled, parseScaled, rescale, type Scaled } from '../shared/fixed-point.js';
import { fromDayNumber, toDayNumber } from '../shared/iso-date.js';
import type { Money } from '../shared/money.js';
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
  const byPortfolio = new Map<string, { day: number; value: Scaled }[]>();
  let scale = 0;
  for (const v of valuations) {
    const value = parseScaled(v.value, `value of ${v.portfolioId} on ${v.date}`);
    scale = Math.max(scale, value.scale);
    const list = byPortfolio.get(v.portfolioId) ?? [];
    list.push({ day: toDayNumber(v.date), value });
    byPortfolio.set(v.portfolioId, list);
  }
  // Each portfolio contributes the change of its value (and of whether it is non-zero) on its valuation days.
  const deltas = new Map<number, { aum: bigint; count: number }>();
  for (const [portfolioId, points] of byPortfolio) {
    points.sort((a, b) => a.day - b.day);
    let previous = 0n;
    let previousDay = Number.NaN;
    for (const { day, value } of points) {
      if (day === previousDay) throw new AnalyticsInputError(`Duplicate valuation of ${portfolioId} on ${fromDayNumber(day)}`);
      const units = rescale(value, scale);
      const d = deltas.get(day) ?? { aum: 0n, count: 0 };
      d.aum += units - previous;
      d.count += (units !== 0n ? 1 : 0) - (previous !== 0n ? 1 : 0);
      deltas.set(day, d);
      previous = units;
      previousDay = day;
    }
  }
  let aum = 0n;
  let count = 0;
  const points: AumPoint[] = [];
  for (const [day, d] of [...deltas].sort(([a], [b]) => a - b)) {
    aum += d.aum;
    count += d.count;
    const date = fromDayNumber(day);
    const period = grain === 'day' ? date : bucketOf(date, grain, options.basis).period;
    const point = { period, date, aum: formatScaled(aum, scale), portfolios: count };
    const last = points[points.length - 1];
    if (last !== undefined && last.period === period) points[points.length - 1] = point;
    else points.push(point);
  }
  return points;
}
