import { TRADING_DAYS_PER_YEAR } from './return-ratios.js';
import { finiteOrNull, isZeroSpread, jointlyPresent, mean, sampleStd, type ReturnSeries } from './series.js';

/**
 * Statistics against a benchmark, over the jointly present pairs (r_i, b_i) of two aligned series.
 * Covariance, variance and correlation use population moments (divide by n), as empyrical's beta does;
 * tracking error uses the sample std (n − 1), like volatility.
 */

function populationMoments(r: readonly number[], b: readonly number[]): { cov: number; varR: number; varB: number } {
  const mr = mean(r);
  const mb = mean(b);
  let cov = 0;
  let varR = 0;
  let varB = 0;
  for (let i = 0; i < r.length; i++) {
    const dr = (r[i] as number) - mr;
    const db = (b[i] as number) - mb;
    cov += dr * db;
    varR += dr * dr;
    varB += db * db;
  }
  return { cov: cov / r.length, varR: varR / r.length, varB: varB / r.length };
}

/** cov(r − rf, b − rf) / var(b − rf); null below two pairs or when the benchmark does not vary. */
export function beta(returns: ReturnSeries, benchmark: ReturnSeries, riskFree = 0): number | null {
  const { r, b } = jointlyPresent(returns, benchmark);
  if (r.length < 2) return null;
  const adjB = b.map((x) => x - riskFree);
  const { cov, varB } = populationMoments(
    r.map((x) => x - riskFree),
    adjB,
  );
  if (varB < 1e-30 || isZeroSpread(Math.sqrt(varB), adjB)) return null;
  return finiteOrNull(cov / varB);
}

/** Jensen's alpha, annualised geometrically: (1 + mean((r − rf) − β(b − rf)))^N − 1. */
export function alpha(
  returns: ReturnSeries,
  benchmark: ReturnSeries,
  riskFree = 0,
  periodsPerYear = TRADING_DAYS_PER_YEAR,
): number | null {
  const betaValue = beta(returns, benchmark, riskFree);
  if (betaValue === null) return null;
  const { r, b } = jointlyPresent(returns, benchmark);
  let sum = 0;
  for (let i = 0; i < r.length; i++) sum += (r[i] as number) - riskFree - betaValue * ((b[i] as number) - riskFree);
  return finiteOrNull(Math.pow(1 + sum / r.length, periodsPerYear) - 1);
}

/** Pearson correlation of r and b; null below two pairs or when either series does not vary. */
export function correlation(returns: ReturnSeries, benchmark: ReturnSeries): number | null {
  const { r, b } = jointlyPresent(returns, benchmark);
  if (r.length < 2) return null;
  const { cov, varR, varB } = populationMoments(r, b);
  if (isZeroSpread(Math.sqrt(varR), r) || isZeroSpread(Math.sqrt(varB), b)) return null;
  return finiteOrNull(Math.max(-1, Math.min(1, cov / Math.sqrt(varR * varB))));
}

/** R² of the regression of r on b = correlation². */
export function rSquared(returns: ReturnSeries, benchmark: ReturnSeries): number | null {
  const rho = correlation(returns, benchmark);
  return rho === null ? null : rho * rho;
}

/** std(r − b) × √N (sample std); null below two pairs, 0 when the active return is constant. */
export function trackingError(returns: ReturnSeries, benchmark: ReturnSeries, periodsPerYear = TRADING_DAYS_PER_YEAR): number | null {
  const active = activeReturns(returns, benchmark);
  if (active.length < 2) return null;
  const std = sampleStd(active);
  if (isZeroSpread(std, active)) return 0;
  return finiteOrNull(std * Math.sqrt(periodsPerYear));
}

/** mean(r − b) / std(r − b) × √N; null below two pairs or with zero tracking error. */
export function informationRatio(returns: ReturnSeries, benchmark: ReturnSeries, periodsPerYear = TRADING_DAYS_PER_YEAR): number | null {
  const active = activeReturns(returns, benchmark);
  if (active.length < 2) return null;
  const std = sampleStd(active);
  if (isZeroSpread(std, active)) return null;
  return finiteOrNull((mean(active) / std) * Math.sqrt(periodsPerYear));
}

function activeReturns(returns: ReturnSeries, benchmark: ReturnSeries): number[] {
  const { r, b } = jointlyPresent(returns, benchmark);
  return r.map((x, i) => x - (b[i] as number));
}
