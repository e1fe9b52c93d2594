import { DAYS_PER_YEAR, TRADING_DAYS_PER_YEAR } from '../../analytics/index.js';
import { toDayNumber } from '../../analytics/shared/iso-date.js';

/** Running count and sums of daily returns r (and of (r, b) pairs with the benchmark's b), since inception. */
export interface RunningSums {
  n: number;
  s_r: number;
  s_r2: number;
  s_dn2: number;
  pn: number;
  s_pr: number;
  s_pr2: number;
  s_b: number;
  s_b2: number;
  s_rb: number;
}

/** One stored series row's running figures (see README: analytics_series). */
export interface SeriesPoint extends RunningSums {
  date: string;
  value: string;
  log_growth: number;
  max_drawdown: number;
}

export interface PeriodRow {
  entity_type: string;
  entity_id: number;
  period: string;
  from_date: string;
  to_date: string;
  inception_date: string;
  days: number;
  benchmark_id: number | null;
  /** The last row on or before from_date (the opening valuation), null when none. */
  base: SeriesPoint | null;
  /** The last row on or before to_date. */
  end: SeriesPoint | null;
  bench_from: number | null;
  bench_from_date: string | null;
  bench_to: number | null;
  bench_to_date: string | null;
}

export interface PeriodStats {
  twrr: number;
  twrr_annualized: number | null;
  reported_return: number;
  benchmark_return: number | null;
  benchmark_annualized: number | null;
  benchmark_reported: number | null;
  excess_return: number | null;
  observations: number;
  annual_volatility: number | null;
  sharpe: number | null;
  sortino: number | null;
  downside_risk: number | null;
  beta: number | null;
  alpha: number | null;
  tracking_error: number | null;
  information_ratio: number | null;
  max_drawdown: number | null;
}

export interface PeriodMetrics extends PeriodStats {
  opening_value: string;
  closing_value: string;
}

/** A row's running figures as the statistics need them: its day number, log growth, max drawdown and sums. */
export interface RunningPoint extends RunningSums {
  date: number | null;
  lg: number;
  mdd: number;
}

/** A period over day numbers (see PeriodRow); the benchmark's log growth at its last day on or before each end. */
export interface PeriodSpan {
  period: string;
  from: number;
  inception: number;
  days: number;
  base: RunningPoint | null;
  end: RunningPoint | null;
  benchFrom: number | null;
  benchFromDay: number | null;
  benchTo: number | null;
  benchToDay: number | null;
}

const N = TRADING_DAYS_PER_YEAR;
const ZERO: RunningPoint = { date: null, lg: 0, n: 0, s_r: 0, s_r2: 0, s_dn2: 0, pn: 0, s_pr: 0, s_pr2: 0, s_b: 0, s_b2: 0, s_rb: 0, mdd: 0 };

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
const annualise = (r: number, days: number) => (days >= DAYS_PER_YEAR ? Math.pow(1 + r, DAYS_PER_YEAR / days) - 1 : null);

/**
 * Sample std from a count, sum and sum of squares; null below two values. A spread below 1e-7 of the values' RMS is
 * rounding noise of the running sums around a constant series and counts as zero (reported as 0), the counterpart of
 * the pure modules' isZeroSpread.
 */
function sampleStd(n: number, sum: number, sumSq: number): number | null {
  if (n < 2) return null;
  const variance = Math.max(0, (sumSq - (sum * sum) / n) / (n - 1));
  const rms = Math.sqrt(Math.max(0, sumSq) / n);
  const std = Math.sqrt(variance);
  return std <= 1e-7 * rms || std < 1e-15 ? 0 : std;
}

/** computePeriodMetrics over stored rows as read (ISO dates, decimal values): the report's path. */
export function computePeriodMetrics(row: PeriodRow, rf: number): PeriodMetrics | null {
  const point = (p: SeriesPoint | null): RunningPoint | null => p && { ...p, date: toDayNumber(p.date), lg: p.log_growth, mdd: p.max_drawdown };
  const stats = periodStats(
    {
      period: row.period,
      from: toDayNumber(row.from_date),
      inception: toDayNumber(row.inception_date),
      days: row.days,
      base: point(row.base),
      end: point(row.end),
      benchFrom: row.bench_from,
      benchFromDay: row.bench_from_date === null ? null : toDayNumber(row.bench_from_date),
      benchTo: row.bench_to,
      benchToDay: row.bench_to_date === null ? null : toDayNumber(row.bench_to_date),
    },
    rf,
  );
  return stats && { ...stats, opening_value: row.base?.value ?? '0', closing_value: row.end!.value };
}

/**
 * A period's figures from two stored rows: the opening row (base) and the closing row (end). The running sums make
 * every statistic O(1): the figures over the sub-periods in (base, end] are differences of the two rows' sums.
 * Same rules as the pure periodReturn (null: no valuation in the period, no opening valuation after inception, no
 * computable sub-period) and returnsStats (empyrical definitions; MAR 0; rf per day). Max drawdown only for SI.
 */
export function periodStats(p: PeriodSpan, rf: number): PeriodStats | null {
  const end = p.end;
  if (end === null || end.date === null || end.date <= p.from) return null;
  const base = p.base;
  // No opening row: only a period opening before inception starts from zero.
  if (base === null && p.from >= p.inception) return null;
  const b = base ?? ZERO;
  const n = end.n - b.n;
  if (n <= 0) return null;

  const twrr = Math.exp(end.lg - b.lg) - 1;
  const twrrAnnualized = annualise(twrr, p.days);
  let benchmarkReturn: number | null = null;
  if (p.benchFrom !== null && p.benchTo !== null && p.benchToDay !== null && p.benchFromDay !== null && p.benchToDay > p.benchFromDay) {
    benchmarkReturn = Math.exp(p.benchTo - p.benchFrom) - 1;
  }
  const benchmarkAnnualized = benchmarkReturn === null ? null : annualise(benchmarkReturn, p.days);
  const reported = twrrAnnualized ?? twrr;
  const benchmarkReported = benchmarkReturn === null ? null : (benchmarkAnnualized ?? benchmarkReturn);

  const S = end.s_r - b.s_r;
  const Q = end.s_r2 - b.s_r2;
  const D = end.s_dn2 - b.s_dn2;
  const mean = S / n;
  const std = sampleStd(n, S, Q);
  const volatility = std === null ? null : std * Math.sqrt(N);
  const sharpe = std === null || std === 0 ? null : finite(((mean - rf) / std) * Math.sqrt(N));
  const downside = Math.sqrt(Math.max(0, D) / n) * Math.sqrt(N);
  const sortino = n < 2 || !(downside > 0) ? null : finite((mean * N) / downside);

  const pn = end.pn - b.pn;
  let beta: number | null = null;
  let alpha: number | null = null;
  let te: number | null = null;
  let ir: number | null = null;
  if (pn >= 2) {
    const PS = end.s_pr - b.s_pr;
    const BS = end.s_b - b.s_b;
    const BQ = end.s_b2 - b.s_b2;
    const PQ = end.s_pr2 - b.s_pr2;
    const RB = end.s_rb - b.s_rb;
    const mr = PS / pn;
    const mb = BS / pn;
    const stdB = sampleStd(pn, BS, BQ);
    const varB = BQ / pn - mb * mb;
    if (stdB !== null && stdB > 0 && varB >= 1e-30) {
      beta = finite((RB / pn - mr * mb) / varB);
      if (beta !== null) alpha = finite(Math.pow(1 + (mr - rf) - beta * (mb - rf), N) - 1);
    }
    const stdD = sampleStd(pn, PS - BS, PQ - 2 * RB + BQ);
    if (stdD !== null) {
      te = stdD * Math.sqrt(N);
      ir = stdD === 0 ? null : finite(((PS - BS) / pn / stdD) * Math.sqrt(N));
    }
  }
  return {
    twrr,
    twrr_annualized: twrrAnnualized,
    reported_return: reported,
    benchmark_return: benchmarkReturn,
    benchmark_annualized: benchmarkAnnualized,
    benchmark_reported: benchmarkReported,
    excess_return: benchmarkReported === null ? null : reported - benchmarkReported,
    observations: n,
    annual_volatility: volatility,
    sharpe,
    sortino,
    downside_risk: downside,
    beta,
    alpha,
    tracking_error: te,
    information_ratio: ir,
    max_drawdown: p.period === 'SI' && base === null ? end.mdd : null,
  };
}
