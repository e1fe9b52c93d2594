import { AnalyticsInputError } from '../shared/analytics-error.js';
import type { ReturnSeries } from './series.js';

export interface MaxDrawdown {
  /** min_t V_t / max_{s≤t} V_s − 1 on the wealth index starting at 1 before the first return: ≤ 0. */
  value: number;
  /** Index of the peak in the return series; −1 = the starting point before the first return. null if no drawdown. */
  peakIndex: number | null;
  troughIndex: number | null;
  /** First index after the trough where wealth is back at the peak; null if not (yet) recovered. */
  recoveryIndex: number | null;
  peakDate: string | null;
  troughDate: string | null;
  recoveryDate: string | null;
}

/**
 * Maximum drawdown with its peak, trough and recovery (empyrical / pyfolio definitions). The wealth index starts
 * at 1 before the first return, so a first-day loss counts. A missing observation (null) leaves wealth unchanged.
 * The trough is the first lowest point; the peak the last time wealth stood at its running maximum before it.
 * `dates[i]`, if given, is the date of returns[i] (the peak before the first return has no date: null).
 * Null for a series with no observations.
 */
export function maxDrawdown(returns: ReturnSeries, dates?: readonly string[]): MaxDrawdown | null {
  if (dates !== undefined && dates.length !== returns.length) {
    throw new AnalyticsInputError(`dates (${dates.length}) and returns (${returns.length}) differ in length`);
  }
  let wealth = 1;
  let runningMax = 1;
  let runningMaxIndex = -1;
  let worst = 0;
  let peakIndex: number | null = null;
  let troughIndex: number | null = null;
  let peakWealth = 1;
  let anyPresent = false;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i] ?? null;
    if (r !== null) {
      if (!Number.isFinite(r)) throw new AnalyticsInputError(`Non-finite return ${r}: use null for a missing observation`);
      anyPresent = true;
      wealth *= 1 + r;
    }
    if (wealth >= runningMax) {
      runningMax = wealth;
      runningMaxIndex = i;
    }
    const drawdown = wealth / runningMax - 1;
    if (drawdown < worst) {
      worst = drawdown;
      troughIndex = i;
      peakIndex = runningMaxIndex;
      peakWealth = runningMax;
    }
  }
  if (!anyPresent) return null;

  let recoveryIndex: number | null = null;
  if (troughIndex !== null) {
    let w = 1;
    for (let i = 0; i < returns.length; i++) {
      w *= 1 + (returns[i] ?? 0);
      if (i > troughIndex && w >= peakWealth) {
        recoveryIndex = i;
        break;
      }
    }
  }
  const dateAt = (i: number | null): string | null => (i === null || i < 0 || dates === undefined ? null : (dates[i] ?? null));
  return {
    value: worst,
    peakIndex,
    troughIndex,
    recoveryIndex,
    peakDate: dateAt(peakIndex),
    troughDate: dateAt(troughIndex),
    recoveryDate: dateAt(recoveryIndex),
  };
}
