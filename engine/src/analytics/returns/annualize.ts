import { AnalyticsInputError } from '../shared/analytics-error.js';

/** Days in a year for annualisation (SEBI / APMI: 365, leap years included, actual/365). */
export const DAYS_PER_YEAR = 365;

export interface AnnualizedReturn {
  /** The return to report: compound annual if `annualized`, otherwise the absolute (cumulative) return. */
  value: number;
  /** true when the period is one year (365 days) or longer and `value` is annualised. */
  annualized: boolean;
  days: number;
}

/**
 * SEBI rule: returns for periods under one year are absolute; from one year on, annualised as
 * (1 + R)^(365 / days) − 1. `days` is the calendar length of the period (end date − start date).
 */
export function annualize(totalReturn: number, days: number): AnnualizedReturn {
  if (!Number.isFinite(totalReturn) || totalReturn < -1) {
    throw new AnalyticsInputError(`Cannot annualise a return of ${totalReturn}`);
  }
  if (!Number.isInteger(days) || days < 0) {
    throw new AnalyticsInputError(`Period length must be a whole number of days ≥ 0, got ${days}`);
  }
  if (days < DAYS_PER_YEAR) return { value: totalReturn, annualized: false, days };
  return { value: Math.pow(1 + totalReturn, DAYS_PER_YEAR / days) - 1, annualized: true, days };
}
