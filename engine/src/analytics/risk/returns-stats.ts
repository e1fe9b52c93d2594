import { alpha, beta, informationRatio, trackingError } from './benchmark-relative.js';
import { downCapture, upCapture } from './capture.js';
import { maxDrawdown } from './drawdown.js';
import {
  annualReturn,
  annualVolatility,
  calmarRatio,
  cumulativeReturn,
  downsideRisk,
  sharpeRatio,
  sortinoRatio,
  TRADING_DAYS_PER_YEAR,
} from './return-ratios.js';
import { present, type ReturnSeries } from './series.js';
import { conditionalValueAtRisk, valueAtRisk } from './value-at-risk.js';

export interface ReturnsStatsInput {
  returns: ReturnSeries;
  /** Benchmark returns aligned with `returns` (same length, same periods). */
  benchmark?: ReturnSeries;
  /** N: 252 for daily returns, 12 monthly. */
  periodsPerYear?: number;
  /** Risk-free rate per period (see riskFreePerDay). */
  riskFree?: number;
  /** Minimum acceptable return per period for downside risk and Sortino. */
  requiredReturn?: number;
  varCutoff?: number;
}

/** Every statistic is null when undefined for the data (empty series, zero variance, no benchmark). */
export interface ReturnsStats {
  count: number;
  cumulativeReturn: number | null;
  annualReturn: number | null;
  annualVolatility: number | null;
  sharpe: number | null;
  sortino: number | null;
  downsideRisk: number | null;
  maxDrawdown: number | null;
  calmar: number | null;
  beta: number | null;
  alpha: number | null;
  trackingError: number | null;
  informationRatio: number | null;
  upCapture: number | null;
  downCapture: number | null;
  valueAtRisk: number | null;
  conditionalValueAtRisk: number | null;
}

/** The standard statistics block of a return series (empyrical definitions; see docs/methodology.md). */
export function returnsStats(input: ReturnsStatsInput): ReturnsStats {
  const { returns, benchmark } = input;
  const n = input.periodsPerYear ?? TRADING_DAYS_PER_YEAR;
  const rf = input.riskFree ?? 0;
  const mar = input.requiredReturn ?? 0;
  const cutoff = input.varCutoff ?? 0.05;
  const withBenchmark = <T>(f: (b: ReturnSeries) => T): T | null => (benchmark === undefined ? null : f(benchmark));
  return {
    count: present(returns).length,
    cumulativeReturn: cumulativeReturn(returns),
    annualReturn: annualReturn(returns, n),
    annualVolatility: annualVolatility(returns, n),
    sharpe: sharpeRatio(returns, rf, n),
    sortino: sortinoRatio(returns, mar, n),
    downsideRisk: downsideRisk(returns, mar, n),
    maxDrawdown: maxDrawdown(returns)?.value ?? null,
    calmar: calmarRatio(returns, n),
    beta: withBenchmark((b) => beta(returns, b, rf)),
    alpha: withBenchmark((b) => alpha(returns, b, rf, n)),
    trackingError: withBenchmark((b) => trackingError(returns, b, n)),
    informationRatio: withBenchmark((b) => informationRatio(returns, b, n)),
    upCapture: withBenchmark((b) => upCapture(returns, b, n)),
    downCapture: withBenchmark((b) => downCapture(returns, b, n)),
    valueAtRisk: valueAtRisk(returns, cutoff),
    conditionalValueAtRisk: conditionalValueAtRisk(returns, cutoff),
  };
}
