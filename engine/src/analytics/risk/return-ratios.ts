import { maxDrawdown } from './drawdown.js';
import { finiteOrNull, isZeroSpread, mean, present, sampleStd, subtract, type ReturnSeries } from './series.js';

/** Trading days per year: the default annualisation factor N for daily returns. */
export const TRADING_DAYS_PER_YEAR = 252;

/** Π(1 + r) − 1 over the present observations; null for an empty series. */
export function cumulativeReturn(returns: ReturnSeries): number | null {
  const xs = present(returns);
  if (xs.length === 0) return null;
  let growth = 1;
  for (const x of xs) growth *= 1 + x;
  return finiteOrNull(growth - 1);
}

/** CAGR over periods: (Π(1 + r))^(N / n) − 1, n = number of present observations. */
export function annualReturn(returns: ReturnSeries, periodsPerYear = TRADING_DAYS_PER_YEAR): number | null {
  const xs = present(returns);
  if (xs.length === 0) return null;
  let growth = 1;
  for (const x of xs) growth *= 1 + x;
  if (growth <= 0) return -1;
  return finiteOrNull(Math.pow(growth, periodsPerYear / xs.length) - 1);
}

/** Sample standard deviation (n − 1) × √N; null below two observations, 0 for a constant series. */
export function annualVolatility(returns: ReturnSeries, periodsPerYear = TRADING_DAYS_PER_YEAR): number | null {
  const xs = present(returns);
  if (xs.length < 2) return null;
  const std = sampleStd(xs);
  if (isZeroSpread(std, xs)) return 0;
  return finiteOrNull(std * Math.sqrt(periodsPerYear));
}

/** mean(r − rf) / std(r − rf) × √N (sample std); null below two observations or with zero variance. */
export function sharpeRatio(returns: ReturnSeries, riskFree = 0, periodsPerYear = TRADING_DAYS_PER_YEAR): number | null {
  const xs = subtract(present(returns), riskFree);
  if (xs.length < 2) return null;
  const std = sampleStd(xs);
  if (isZeroSpread(std, xs)) return null;
  return finiteOrNull((mean(xs) / std) * Math.sqrt(periodsPerYear));
}

/** √(mean(min(r − MAR, 0)²)) × √N, the mean over all present observations; null for an empty series. */
export function downsideRisk(returns: ReturnSeries, requiredReturn = 0, periodsPerYear = TRADING_DAYS_PER_YEAR): number | null {
  const xs = present(returns);
  if (xs.length === 0) return null;
  let ss = 0;
  for (const x of xs) {
    const shortfall = Math.min(x - requiredReturn, 0);
    ss += shortfall * shortfall;
  }
  return finiteOrNull(Math.sqrt(ss / xs.length) * Math.sqrt(periodsPerYear));
}

/** mean(r − MAR) × N / downside risk; null below two observations or when there is no downside. */
export function sortinoRatio(returns: ReturnSeries, requiredReturn = 0, periodsPerYear = TRADING_DAYS_PER_YEAR): number | null {
  const xs = present(returns);
  if (xs.length < 2) return null;
  const risk = downsideRisk(xs, requiredReturn, periodsPerYear);
  if (risk === null || risk === 0) return null;
  return finiteOrNull((mean(subtract(xs, requiredReturn)) * periodsPerYear) / risk);
}

/** Annual return / |max drawdown|; null when there was no drawdown. */
export function calmarRatio(returns: ReturnSeries, periodsPerYear = TRADING_DAYS_PER_YEAR): number | null {
  const drawdown = maxDrawdown(returns);
  const annual = annualReturn(returns, periodsPerYear);
  if (drawdown === null || annual === null || !(drawdown.value < 0)) return null;
  return finiteOrNull(annual / Math.abs(drawdown.value));
}
