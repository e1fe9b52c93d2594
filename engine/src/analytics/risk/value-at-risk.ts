import { AnalyticsInputError } from '../shared/analytics-error.js';
import { inverseNormalCdf } from './inverse-normal.js';
import { finiteOrNull, isZeroSpread, mean, present, sampleStd, type ReturnSeries } from './series.js';

function checkCutoff(cutoff: number): void {
  if (!(cutoff > 0 && cutoff < 1)) throw new AnalyticsInputError(`VaR cutoff must be in (0, 1), got ${cutoff}`);
}

/** The q-quantile (0 ≤ q ≤ 1) of ascending values with linear interpolation (numpy's default 'linear' method). */
export function percentile(sortedAscending: readonly number[], q: number): number {
  const position = (sortedAscending.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sortedAscending.length - 1);
  const lo = sortedAscending[lower] as number;
  const hi = sortedAscending[upper] as number;
  return lo + (position - lower) * (hi - lo);
}

/** Historical VaR: the `cutoff` percentile of the returns (linear interpolation), a return (negative = loss). */
export function valueAtRisk(returns: ReturnSeries, cutoff = 0.05): number | null {
  checkCutoff(cutoff);
  const xs = present(returns).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  return percentile(xs, cutoff);
}

/** Historical CVaR (expected shortfall): the mean of the returns at or below the historical VaR. */
export function conditionalValueAtRisk(returns: ReturnSeries, cutoff = 0.05): number | null {
  checkCutoff(cutoff);
  const xs = present(returns).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const v = percentile(xs, cutoff);
  let sum = 0;
  let n = 0;
  for (const x of xs) {
    if (x > v) break;
    sum += x;
    n++;
  }
  return n === 0 ? null : finiteOrNull(sum / n);
}

/** Parametric (Gaussian) VaR: mean + z_cutoff · std (sample std), e.g. z_0.05 = −1.6449. */
export function parametricValueAtRisk(returns: ReturnSeries, cutoff = 0.05): number | null {
  checkCutoff(cutoff);
  const xs = present(returns);
  if (xs.length < 2) return null;
  const std = sampleStd(xs);
  return finiteOrNull(mean(xs) + inverseNormalCdf(cutoff) * (isZeroSpread(std, xs) ? 0 : std));
}
