import { AnalyticsInputError } from '../shared/analytics-error.js';

/**
 * Per-period risk-free rate from an annual yield (e.g. the 91-day T-bill, 0.065 for 6.5% p.a.):
 * (1 + y)^(1/252) − 1 for trading days.
 */
export function riskFreePerDay(annualYield: number, periodsPerYear = 252): number {
  if (!Number.isFinite(annualYield) || annualYield <= -1) throw new AnalyticsInputError(`Invalid annual yield ${annualYield}`);
  return Math.pow(1 + annualYield, 1 / periodsPerYear) - 1;
}
