import { AnalyticsInputError } from '../shared/analytics-error.js';
import { toDayNumber } from '../shared/iso-date.js';

export interface DatedReturn {
  date: string;
  return: number | null;
}

export interface MonthlyReturn {
  /** 'YYYY-MM' */
  month: string;
  return: number;
}

/**
 * Compound daily returns into calendar months: Π(1 + r) − 1 of the returns dated in each month. Partial first and
 * last months are included as they are. Missing (null) days are skipped; a month with no observation is omitted.
 */
export function monthlyReturns(daily: readonly DatedReturn[]): MonthlyReturn[] {
  const byMonth = new Map<string, number>();
  const sorted = [...daily].sort((a, b) => toDayNumber(a.date) - toDayNumber(b.date));
  for (const { date, return: r } of sorted) {
    if (r === null) continue;
    if (!Number.isFinite(r)) throw new AnalyticsInputError(`Non-finite return on ${date}`);
    const month = date.slice(0, 7);
    byMonth.set(month, (byMonth.get(month) ?? 1) * (1 + r));
  }
  return [...byMonth].map(([month, growth]) => ({ month, return: growth - 1 }));
}

/** The month with the highest return (the earliest on a tie); null without months. */
export function bestMonth(monthly: readonly MonthlyReturn[]): MonthlyReturn | null {
  let best: MonthlyReturn | null = null;
  for (const m of monthly) if (best === null || m.return > best.return) best = m;
  return best;
}

/** The month with the lowest return (the earliest on a tie); null without months. */
export function worstMonth(monthly: readonly MonthlyReturn[]): MonthlyReturn | null {
  let worst: MonthlyReturn | null = null;
  for (const m of monthly) if (worst === null || m.return < worst.return) worst = m;
  return worst;
}

/**
 * Hit rate: the share of months with a positive return, or, given benchmark months, the share of the months present
 * in both where the portfolio beat the benchmark. Null without months.
 */
export function hitRate(monthly: readonly MonthlyReturn[], benchmarkMonthly?: readonly MonthlyReturn[]): number | null {
  if (benchmarkMonthly === undefined) {
    if (monthly.length === 0) return null;
    return monthly.filter((m) => m.return > 0).length / monthly.length;
  }
  const bench = new Map(benchmarkMonthly.map((m) => [m.month, m.return]));
  let months = 0;
  let hits = 0;
  for (const m of monthly) {
    const b = bench.get(m.month);
    if (b === undefined) continue;
    months++;
    if (m.return > b) hits++;
  }
  return months === 0 ? null : hits / months;
}
