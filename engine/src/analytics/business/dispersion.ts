import { AnalyticsInputError } from '../shared/analytics-error.js';
import { toRatioNumber, type Money } from '../shared/money.js';

export interface ClientReturn {
  clientId?: string;
  return: number;
  /** Asset weight, normally the portfolio's value at the start of the period. */
  weight: Money;
}

export interface Dispersion {
  count: number;
  high: number | null;
  low: number | null;
  median: number | null;
  /** Equal-weighted mean and population standard deviation. */
  mean: number | null;
  equalWeightedStdDev: number | null;
  /** Σ w_i r_i / Σ w_i */
  assetWeightedMean: number | null;
  /** √(Σ w_i (r_i − asset-weighted mean)² / Σ w_i) (GIPS asset-weighted standard deviation). */
  assetWeightedStdDev: number | null;
}

/**
 * Dispersion of client returns within a strategy for one period: high, low, median, equal- and asset-weighted
 * standard deviation (population form, so equal weights give the same number both ways). GIPS regards dispersion as
 * not meaningful below six portfolios: `count` lets the caller decide. Nulls when there are no returns (or no weight).
 */
export function dispersion(clients: readonly ClientReturn[]): Dispersion {
  const n = clients.length;
  if (n === 0) {
    return { count: 0, high: null, low: null, median: null, mean: null, equalWeightedStdDev: null, assetWeightedMean: null, assetWeightedStdDev: null };
  }
  const returns: number[] = [];
  const weights: number[] = [];
  for (const c of clients) {
    if (!Number.isFinite(c.return)) throw new AnalyticsInputError(`Non-finite return for client ${c.clientId ?? '?'}`);
    const w = toRatioNumber(c.weight, 'weight');
    if (w < 0) throw new AnalyticsInputError(`Negative weight for client ${c.clientId ?? '?'}`);
    returns.push(c.return);
    weights.push(w);
  }
  const sorted = [...returns].sort((a, b) => a - b);
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  const mean = returns.reduce((s, r) => s + r, 0) / n;
  const equalVar = returns.reduce((s, r) => s + (r - mean) * (r - mean), 0) / n;

  const totalWeight = weights.reduce((s, w) => s + w, 0);
  let assetWeightedMean: number | null = null;
  let assetWeightedStdDev: number | null = null;
  if (totalWeight > 0) {
    const awMean = returns.reduce((s, r, i) => s + (weights[i] as number) * r, 0) / totalWeight;
    const awVar = returns.reduce((s, r, i) => s + (weights[i] as number) * (r - awMean) * (r - awMean), 0) / totalWeight;
    assetWeightedMean = awMean;
    assetWeightedStdDev = Math.sqrt(awVar);
  }
  return {
    count: n,
    high: sorted[n - 1] as number,
    low: sorted[0] as number,
    median,
    mean,
    equalWeightedStdDev: Math.sqrt(equalVar),
    assetWeightedMean,
    assetWeightedStdDev,
  };
}
