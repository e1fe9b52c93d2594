import { AnalyticsInputError } from '../shared/analytics-error.js';

/** A return series: one entry per period, null = missing observation. */
export type ReturnSeries = readonly (number | null)[];

/** The present (non-null) observations. Throws on NaN / ±Infinity: a missing value must be null. */
export function present(series: ReturnSeries): number[] {
  const out: number[] = [];
  for (const x of series) {
    if (x === null) continue;
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new AnalyticsInputError(`Non-finite return ${String(x)}: use null for a missing observation`);
    out.push(x);
  }
  return out;
}

/** Pairs (r_i, b_i) where both series have an observation. The series must be aligned (same length). */
export function jointlyPresent(returns: ReturnSeries, benchmark: ReturnSeries): { r: number[]; b: number[] } {
  if (returns.length !== benchmark.length) {
    throw new AnalyticsInputError(`Return series are not aligned: ${returns.length} vs ${benchmark.length} observations`);
  }
  const r: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < returns.length; i++) {
    const x = returns[i] ?? null;
    const y = benchmark[i] ?? null;
    if (x === null || y === null) continue;
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new AnalyticsInputError('Non-finite return: use null for a missing observation');
    r.push(x);
    b.push(y);
  }
  return { r, b };
}

export function mean(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Standard deviation with n − 1 in the denominator (sample), NaN for fewer than two values. */
export function sampleStd(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (xs.length - 1));
}

/**
 * A spread this small is rounding noise around a constant series (e.g. 0.01 three times has a computed std of
 * ~2e-18): treated as zero, so ratios divided by it are undefined rather than astronomically large.
 */
export function isZeroSpread(std: number, xs: readonly number[]): boolean {
  let scale = 0;
  for (const x of xs) scale = Math.max(scale, Math.abs(x));
  return !(std > 1e-12 * scale) || std < 1e-15;
}

export function subtract(xs: readonly number[], c: number): number[] {
  return xs.map((x) => x - c);
}

/** null for NaN / ±Infinity: an undefined statistic is reported as null, never as a number. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
