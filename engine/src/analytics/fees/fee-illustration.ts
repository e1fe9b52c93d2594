import { AnalyticsInputError } from '../shared/analytics-error.js';
import { addDays, addMonths, toDayNumber } from '../shared/iso-date.js';
import type { Money } from '../shared/money.js';
import { simulateFees, type FeeFlow, type FeeSimulationResult, type PathStep, type WithdrawalResult } from './fee-engine.js';
import { FeeDec, MINIMUM_INVESTMENT, planViolations, type FeePlan, type PlanViolation } from './fee-plan.js';

export interface IllustrationInput {
  plan: FeePlan;
  /** Base date: capital invested at its close; illustration years are the 12-month periods from it. */
  start: string;
  capital: Money;
  /** Gross returns path (before management and performance fees); each return is spread evenly over its days. */
  returns: readonly {
    to: string;
    grossReturn: number | string;
    benchmarkReturn?: number | string;
  }[];
  flows?: readonly FeeFlow[];
}

export interface IllustrationYear {
  year: number;
  from: string;
  to: string;
  openingValue: string;
  contributions: string;
  withdrawals: string;
  /** Gross return of the path over the year (before fees). */
  grossReturn: number;
  grossGain: string;
  managementFee: string;
  operatingExpenses: string;
  performanceFee: string;
  exitLoad: string;
  gst: string;
  totalCharges: string;
  closingValue: string;
  highWaterMark: string;
  /** The high-water mark grown at the hurdle: a performance fee is due only above it. */
  hurdleThreshold: string;
  /** Time-weighted return net of all fees for the year. */
  netReturn: number;
}

export interface Illustration {
  years: IllustrationYear[];
  totals: {
    managementFee: string;
    operatingExpenses: string;
    performanceFee: string;
    exitLoad: string;
    gst: string;
    totalCharges: string;
  };
  simulation: FeeSimulationResult;
  violations: PlanViolation[];
}

const m2 = (d: FeeDec) => d.toFixed(2);

function toPath(returns: IllustrationInput['returns']): PathStep[] {
  return returns.map((r) => ({
    date: r.to,
    return: r.grossReturn,
    ...(r.benchmarkReturn !== undefined ? { benchmarkReturn: r.benchmarkReturn } : {}),
  }));
}

/**
 * The SEBI fee illustration: fees and net value year by year for a capital, flows, a gross returns path and a plan
 * (circular IMD/DF/13/2010 asks for illustrations of the fee structure; the 2020 circular keeps them in the disclosure document).
 */
export function feeIllustration(input: IllustrationInput): Illustration {
  if (input.returns.length === 0) throw new AnalyticsInputError('The returns path is empty');
  const end = input.returns[input.returns.length - 1]!.to;
  const endDay = toDayNumber(end);
  const bounds = [input.start];
  for (let k = 1; ; k++) {
    const d = addMonths(input.start, 12 * k, true);
    if (toDayNumber(d) >= endDay) {
      bounds.push(end);
      break;
    }
    bounds.push(d);
  }
  const sim = simulateFees({
    plan: input.plan,
    start: input.start,
    capital: input.capital,
    path: toPath(input.returns),
    flows: input.flows,
    end,
    snapshotDates: bounds,
  });
  const snap = new Map(sim.snapshots.map((s) => [s.date, s]));
  const years: IllustrationYear[] = [];
  const zero = new FeeDec(0);
  const totals = {
    managementFee: zero,
    operatingExpenses: zero,
    performanceFee: zero,
    exitLoad: zero,
    gst: zero,
  };
  for (let i = 1; i < bounds.length; i++) {
    const from = bounds[i - 1]!;
    const to = bounds[i]!;
    const a = snap.get(from)!;
    const b = snap.get(to)!;
    const inYear = (date: string) => toDayNumber(date) > toDayNumber(from) && toDayNumber(date) <= toDayNumber(to);
    const sums = {
      management: zero,
      'operating-expenses': zero,
      performance: zero,
      'exit-load': zero,
    };
    let gst = zero;
    let deducted = zero; // scheduled charges come out of the portfolio; withdrawal charges out of the amount paid
    for (const c of sim.charges) {
      if (!inYear(c.date)) continue;
      sums[c.kind] = sums[c.kind].plus(c.fee);
      gst = gst.plus(c.gst);
      if (c.reason === 'scheduled') deducted = deducted.plus(c.fee).plus(c.gst);
    }
    let contributions = zero;
    let withdrawals = zero;
    for (const f of input.flows ?? []) {
      if (!inYear(f.date)) continue;
      const amount = new FeeDec(String(f.amount));
      if (amount.gt(0)) contributions = contributions.plus(amount);
    }
    for (const w of sim.withdrawals) if (inYear(w.date)) withdrawals = withdrawals.plus(w.amount);
    const opening = new FeeDec(a.value);
    const closing = new FeeDec(b.value);
    const charges = sums.management.plus(sums['operating-expenses']).plus(sums.performance).plus(sums['exit-load']).plus(gst);
    totals.managementFee = totals.managementFee.plus(sums.management);
    totals.operatingExpenses = totals.operatingExpenses.plus(sums['operating-expenses']);
    totals.performanceFee = totals.performanceFee.plus(sums.performance);
    totals.exitLoad = totals.exitLoad.plus(sums['exit-load']);
    totals.gst = totals.gst.plus(gst);
    const unitA = new FeeDec(a.unitValue);
    years.push({
      year: i,
      from,
      to,
      openingValue: a.value,
      contributions: m2(contributions),
      withdrawals: m2(withdrawals),
      grossReturn: new FeeDec(b.grossIndex).div(a.grossIndex).minus(1).toNumber(),
      grossGain: m2(closing.minus(opening).minus(contributions).plus(withdrawals).plus(deducted)),
      managementFee: m2(sums.management),
      operatingExpenses: m2(sums['operating-expenses']),
      performanceFee: m2(sums.performance),
      exitLoad: m2(sums['exit-load']),
      gst: m2(gst),
      totalCharges: m2(charges),
      closingValue: b.value,
      highWaterMark: b.mark,
      hurdleThreshold: b.threshold,
      netReturn: unitA.isZero() ? 0 : new FeeDec(b.unitValue).div(unitA).minus(1).toNumber(),
    });
  }
  const total = totals.managementFee.plus(totals.operatingExpenses).plus(totals.performanceFee).plus(totals.exitLoad).plus(totals.gst);
  return {
    years,
    totals: {
      managementFee: m2(totals.managementFee),
      operatingExpenses: m2(totals.operatingExpenses),
      performanceFee: m2(totals.performanceFee),
      exitLoad: m2(totals.exitLoad),
      gst: m2(totals.gst),
      totalCharges: m2(total),
    },
    simulation: sim,
    violations: planViolations(input.plan),
  };
}

export interface WithdrawalImpactInput extends IllustrationInput {
  /** The proposed redemption: at the start of `date`, a gross `amount` (≥ the value: a full exit). */
  redemption: { date: string; amount: Money };
}

export interface WithdrawalImpact extends WithdrawalResult {
  /** Value left after the redemption. */
  remainingValue: string;
  minimumInvestment: string;
  /** A partial redemption that leaves less than ₹50 lakh (PM Regulations 2020): not allowed without a full exit. */
  remainingBelowMinimum: boolean;
}

/** What a proposed redemption costs: exit load, the share of fees it crystallises, and whether ₹50 lakh remain. */
export function withdrawalImpact(input: WithdrawalImpactInput): WithdrawalImpact {
  const redemptionDay = toDayNumber(input.redemption.date);
  const amount = new FeeDec(String(input.redemption.amount));
  if (!amount.gt(0)) throw new AnalyticsInputError('The redemption amount must be positive');
  if (redemptionDay <= toDayNumber(input.start)) throw new AnalyticsInputError('The redemption must be after the start date');
  // The path up to the day before the redemption (the redemption is measured on the previous close).
  const path = toPath(input.returns).filter((s) => toDayNumber(s.date) < redemptionDay);
  const last = input.returns.find((r) => toDayNumber(r.to) >= redemptionDay);
  if (path.length === 0 && last === undefined) throw new AnalyticsInputError('The returns path does not reach the redemption date');
  const flows = [...(input.flows ?? []).filter((f) => toDayNumber(f.date) < redemptionDay), { date: input.redemption.date, amount: amount.neg().toFixed() }];
  // Steps that straddle the redemption day: keep the part before it (geometric share of the return).
  if (last !== undefined) {
    const prevDay = path.length ? toDayNumber(path[path.length - 1]!.date) : toDayNumber(input.start);
    const span = toDayNumber(last.to) - prevDay;
    const before = redemptionDay - 1 - prevDay;
    if (before > 0) {
      const r = new FeeDec(1).plus(String(last.grossReturn)).pow(new FeeDec(before).div(span)).minus(1);
      const b =
        last.benchmarkReturn === undefined ? undefined : new FeeDec(1).plus(String(last.benchmarkReturn)).pow(new FeeDec(before).div(span)).minus(1).toFixed();
      path.push({
        date: addDays(input.redemption.date, -1),
        return: r.toFixed(),
        ...(b !== undefined ? { benchmarkReturn: b } : {}),
      });
    }
  }
  const sim = simulateFees({
    plan: input.plan,
    start: input.start,
    capital: input.capital,
    path,
    flows,
    end: input.redemption.date,
  });
  const w = sim.withdrawals.find((x) => x.date === input.redemption.date);
  if (!w) throw new AnalyticsInputError('The portfolio is worth nothing on the redemption date');
  const remaining = new FeeDec(w.valueAfter);
  return {
    ...w,
    remainingValue: w.valueAfter,
    minimumInvestment: new FeeDec(MINIMUM_INVESTMENT).toFixed(2),
    remainingBelowMinimum: !w.full && remaining.lt(MINIMUM_INVESTMENT),
  };
}
