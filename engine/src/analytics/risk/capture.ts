import { annualReturn, TRADING_DAYS_PER_YEAR } from './return-ratios.js';
import { finiteOrNull, jointlyPresent, type ReturnSeries } from './series.js';

/**
 * Up capture: annual return of the portfolio over the periods where the benchmark was up (b > 0), divided by the
 * benchmark's annual return over the same periods (empyrical up_capture). Null without such periods.
 */
export function upCapture(returns: ReturnSeries, benchmark: ReturnSeries, periodsPerYear = TRADING_DAYS_PER_YEAR): number | null {
  return capture(returns, benchmark, periodsPerYear, (b) => b > 0);
}

/** Down capture: the same over the periods where the benchmark was down (b < 0). */
export function downCapture(returns: ReturnSeries, benchmark: ReturnSeries, periodsPerYear = TRADING_DAYS_PER_YEAR): number | null {
  return capture(returns, benchmark, periodsPerYear, (b) => b < 0);
}

function capture(returns: ReturnSeries, benchmark: ReturnSeries, periodsPerYear: number, keep: (b: number) => boolean): number | null {
  const { r, b } = jointlyPresent(returns, benchmark);
  const rSel: number[] = [];
  const bSel: number[] = [];
  for (let i = 0; i < r.length; i++) {
    if (keep(b[i] as number)) {
      rSel.push(r[i] as number);
      bSel.push(b[i] as number);
    }
  }
  const portfolio = annualReturn(rSel, periodsPerYear);
  const bench = annualReturn(bSel, periodsPerYear);
  if (portfolio === null || bench === null || bench === 0) return null;
  return finiteOrNull(portfolio / bench);
}
