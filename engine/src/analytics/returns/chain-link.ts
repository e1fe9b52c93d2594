import { AnalyticsInputError } from '../shared/analytics-error.js';

/**
 * Geometric linking of consecutive period returns: Π(1 + r_i) − 1.
 * The empty chain is 0 (no period, no growth), which makes chaining associative:
 * chainLink([chainLink(a), chainLink(b)]) = chainLink([...a, ...b]).
 */
export function chainLink(returns: readonly number[]): number {
  let growth = 1;
  for (const r of returns) {
    if (!Number.isFinite(r) || r < -1) throw new AnalyticsInputError(`Invalid period return ${r}`);
    growth *= 1 + r;
  }
  return growth - 1;
}
