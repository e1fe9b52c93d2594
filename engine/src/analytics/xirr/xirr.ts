import { toDayNumber } from '../shared/iso-date.js';
import type { Money } from '../shared/money.js';

export interface DatedAmount {
  date: string;
  /** Negative = money invested by the client, positive = money received (or the closing value). */
  amount: Money;
}

export type XirrErrorCode = 'NO_SOLUTION' | 'INVALID_CASHFLOWS';

/** XIRR has no answer: the cash flows are unusable (INVALID_CASHFLOWS) or no rate makes the NPV zero (NO_SOLUTION). */
export class XirrError extends Error {
  override readonly name = 'XirrError';
  constructor(
    readonly code: XirrErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const MAX_NEWTON_ITERATIONS = 50;
const MAX_BRENT_ITERATIONS = 200;
/** Search range for the bracketing fallback in x = ln(1 + r): r from about −100% + 1e-13 to +1e13 (1e15 %). */
const X_MIN = -30;
const X_MAX = 30;
const SCAN_STEP = 0.05;

/**
 * Excel-compatible XIRR: the rate r with Σ CF_i / (1 + r)^((d_i − d_0) / 365) = 0, d_0 the earliest date.
 * Flows may be unsorted; same-day flows are summed. Newton from `guess` (default 0.1, as Excel) first; if that
 * fails or leaves (−1, ∞), a sign-change scan outward from the guess in ln(1 + r) followed by Brent's method, which
 * finds a root anywhere from about −100% to +1e13.
 * Throws XirrError('INVALID_CASHFLOWS') for non-finite amounts, bad dates, fewer than two distinct dates, or flows
 * that (after same-day netting) are not of both signs; XirrError('NO_SOLUTION') when no root is found.
 */
export function xirr(cashflows: readonly DatedAmount[], guess = 0.1): number {
  return solve(prepare(cashflows), guess);
}

/**
 * xirr on cash flows given as day numbers (days since 1970-01-01) and amounts, for callers that hold them so: no date
 * strings to format and parse. Same rules and errors.
 */
export function xirrOfDays(days: ArrayLike<number>, amounts: ArrayLike<number>, guess = 0.1): number {
  for (let i = 0; i < amounts.length; i++) {
    if (!Number.isFinite(amounts[i]!)) throw new XirrError('INVALID_CASHFLOWS', `Non-finite cash-flow amount '${String(amounts[i])}'`);
  }
  return solve(prepareDays(days, amounts), guess);
}

function solve({ times, amounts, n }: Prepared, guess: number): number {
  const start = Number.isFinite(guess) && guess > -1 ? guess : 0.1;
  const newton = solveNewton(times, amounts, n, start);
  if (newton !== null) return newton;
  const bracketed = solveBracketed(times, amounts, n, Math.log1p(start));
  if (bracketed !== null) return bracketed;
  throw new XirrError('NO_SOLUTION', 'No rate makes the net present value of these cash flows zero');
}

/** Net present value at `rate` with Excel's actual/365 exponents from the earliest date. */
export function xnpv(rate: number, cashflows: readonly DatedAmount[]): number {
  const { times, amounts, n } = prepare(cashflows);
  const lnBase = Math.log1p(rate);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (amounts[i] as number) * Math.exp(-(times[i] as number) * lnBase);
  return sum;
}

interface Prepared {
  /** Year fractions (d_i − d_0) / 365, ascending, distinct. */
  times: Float64Array;
  amounts: Float64Array;
  n: number;
}

function prepare(cashflows: readonly DatedAmount[]): Prepared {
  const count = cashflows.length;
  const days = new Float64Array(count);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const cf = cashflows[i] as DatedAmount;
    let day: number;
    try {
      day = toDayNumber(cf.date);
    } catch {
      throw new XirrError('INVALID_CASHFLOWS', `Invalid cash-flow date '${String(cf.date)}'`);
    }
    const amount = typeof cf.amount === 'number' ? cf.amount : cf.amount.trim() === '' ? Number.NaN : Number(cf.amount);
    if (!Number.isFinite(amount)) throw new XirrError('INVALID_CASHFLOWS', `Non-finite cash-flow amount '${String(cf.amount)}'`);
    days[i] = day;
    values[i] = amount;
  }
  return prepareDays(days, values);
}

/** Day numbers and finite amounts → sorted, same-day-netted year fractions from the earliest day; checks usability. */
function prepareDays(days: ArrayLike<number>, values: ArrayLike<number>): Prepared {
  const count = days.length;
  let sorted = true;
  for (let i = 1; i < count && sorted; i++) sorted = days[i - 1]! <= days[i]!;
  // An index order only for unsorted days (the usual caller passes them sorted: no array per solve).
  const order = sorted ? null : Array.from({ length: count }, (_, i) => i).sort((a, b) => (days[a] as number) - (days[b] as number));

  // aggregate same-day flows
  const times = new Float64Array(count);
  const amounts = new Float64Array(count);
  let n = 0;
  let distinctDates = 0;
  let lastDay = Number.NaN;
  const firstDay = count > 0 ? (days[order ? (order[0] as number) : 0] as number) : 0;
  for (let k = 0; k < count; k++) {
    const i = order ? (order[k] as number) : k;
    const day = days[i] as number;
    if (day !== lastDay) {
      times[n] = (day - firstDay) / 365;
      amounts[n] = 0;
      n++;
      distinctDates++;
      lastDay = day;
    }
    amounts[n - 1] = (amounts[n - 1] as number) + (values[i] as number);
  }
  if (distinctDates < 2) throw new XirrError('INVALID_CASHFLOWS', 'XIRR needs cash flows on at least two different dates');

  let positive = false;
  let negative = false;
  for (let i = 0; i < n; i++) {
    const a = amounts[i] as number;
    if (a > 0) positive = true;
    else if (a < 0) negative = true;
  }
  if (!positive || !negative) {
    throw new XirrError('INVALID_CASHFLOWS', 'XIRR needs at least one positive and one negative cash flow');
  }
  return { times, amounts, n };
}

function solveNewton(times: Float64Array, amounts: Float64Array, n: number, guess: number): number | null {
  let r = guess;
  for (let iter = 0; iter < MAX_NEWTON_ITERATIONS; iter++) {
    const lnBase = Math.log1p(r);
    let f = 0;
    let df = 0;
    let scale = 0;
    for (let i = 0; i < n; i++) {
      const t = times[i] as number;
      const term = (amounts[i] as number) * Math.exp(-t * lnBase);
      f += term;
      df -= t * term;
      scale += Math.abs(term);
    }
    df /= 1 + r;
    if (!Number.isFinite(f) || !Number.isFinite(df) || df === 0) return null;
    if (Math.abs(f) <= 1e-14 * scale) return r;
    const next = r - f / df;
    if (!Number.isFinite(next) || next <= -1) return null;
    if (Math.abs(next - r) <= 1e-12 * Math.max(1, Math.abs(r))) return next;
    r = next;
  }
  return null;
}

/**
 * NPV as a function of x = ln(1 + r), multiplied by the positive factor e^(x·tRef) so that no term overflows:
 * tRef = last time for x < 0 (then every exponent is ≤ 0), 0 for x ≥ 0. Same sign as the NPV.
 */
function scaledNpv(times: Float64Array, amounts: Float64Array, n: number, x: number, tRef: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (amounts[i] as number) * Math.exp(-x * ((times[i] as number) - tRef));
  return sum;
}

function solveBracketed(times: Float64Array, amounts: Float64Array, n: number, x0: number): number | null {
  const tLast = times[n - 1] as number;
  const refFor = (x: number): number => (x < 0 ? tLast : 0);
  const sign = (x: number): number => Math.sign(scaledNpv(times, amounts, n, x, refFor(x)));
  const start = Math.min(Math.max(x0, X_MIN), X_MAX);
  const s0 = sign(start);
  if (s0 === 0) return Math.expm1(start);
  // walk outward from the guess, alternately up and down, until the sign changes
  let up = start;
  let down = start;
  let sUp = s0;
  let sDown = s0;
  while (up < X_MAX || down > X_MIN) {
    if (up < X_MAX) {
      const next = Math.min(up + SCAN_STEP, X_MAX);
      const s = sign(next);
      if (s === 0) return Math.expm1(next);
      if (s !== sUp) return brent(times, amounts, n, up, next, refFor((up + next) / 2));
      up = next;
      sUp = s;
    }
    if (down > X_MIN) {
      const next = Math.max(down - SCAN_STEP, X_MIN);
      const s = sign(next);
      if (s === 0) return Math.expm1(next);
      if (s !== sDown) return brent(times, amounts, n, next, down, refFor((down + next) / 2));
      down = next;
      sDown = s;
    }
  }
  return null;
}

/** Brent's method on [a, b] (a sign change guaranteed) in x = ln(1 + r); returns r. */
function brent(times: Float64Array, amounts: Float64Array, n: number, a0: number, b0: number, tRef: number): number | null {
  let a = a0;
  let b = b0;
  let fa = scaledNpv(times, amounts, n, a, tRef);
  let fb = scaledNpv(times, amounts, n, b, tRef);
  if (fa === 0) return Math.expm1(a);
  if (fb === 0) return Math.expm1(b);
  if (Math.sign(fa) === Math.sign(fb)) return null;
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iter = 0; iter < MAX_BRENT_ITERATIONS; iter++) {
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * Number.EPSILON * Math.abs(b) + 1e-15;
    const m = (c - b) / 2;
    if (Math.abs(m) <= tol || fb === 0) return Math.expm1(b);
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      // inverse quadratic interpolation or secant
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qa = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = scaledNpv(times, amounts, n, b, tRef);
  }
  return null;
}
