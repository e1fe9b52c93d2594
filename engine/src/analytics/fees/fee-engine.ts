import { AnalyticsInputError } from '../shared/analytics-error.js';
import { addDays, fromDayNumber, toDayNumber } from '../shared/iso-date.js';
import { lastIndexAtOrBefore } from '../shared/sorted-search.js';
import type { Money } from '../shared/money.js';
import { exitLoadRate, FeeDec, holdingYear, nextChargeDate, planViolations, type FeePlan } from './fee-plan.js';

/**
 * One step of the gross (before management/performance fee) path, ending at the close of `date`:
 * - `return`: the gross return over the days since the previous step, spread evenly (geometrically) over those days;
 * - `value`: the observed value before this day's fees (a real portfolio); days between steps keep the previous value.
 * `benchmarkReturn` (over the same days) is needed for a benchmark-linked hurdle.
 */
export type PathStep =
  | {
      date: string;
      return: number | string;
      value?: undefined;
      benchmarkReturn?: number | string;
    }
  | {
      date: string;
      value: Money;
      return?: undefined;
      benchmarkReturn?: number | string;
    };

/** + contribution, − withdrawal (the gross amount leaving the portfolio). Applied at the start of its day. */
export interface FeeFlow {
  date: string;
  amount: Money;
}

export interface FeeSimulationInput {
  plan: FeePlan;
  /** Base date: `capital` is invested at the close of this day (the high-water mark starts there). */
  start: string;
  capital: Money;
  path: readonly PathStep[];
  flows?: readonly FeeFlow[];
  /** Simulate to the close of this date (default: the last path date). */
  end?: string;
  /** Dates whose closing state is reported in `snapshots` (e.g. year ends). */
  snapshotDates?: readonly string[];
  /**
   * `period-end` (default): charge on the calendar period end. `last-valuation`: on the last path date inside the
   * period (a real back office charges on the last business day, e.g. Fri 28 Jun 2024 for the quarter to Sun 30 Jun).
   */
  chargeOn?: 'period-end' | 'last-valuation';
  /**
   * A closure: everything is crystallised at the close of this date, as a full withdrawal whose fees are charged that
   * day (a back office charges the closing fees on the liquidation day and pays the rest out on the next business day).
   */
  closeAt?: string;
}

export type ChargeKind = 'management' | 'operating-expenses' | 'performance' | 'exit-load';

export interface FeeCharge {
  date: string;
  kind: ChargeKind;
  /** scheduled: a charge date of the plan; withdrawal: the withdrawn share, charged on redemption. */
  reason: 'scheduled' | 'withdrawal';
  fee: string;
  gst: string;
}

/** One performance-fee test (every performance charge date, and every withdrawal). */
export interface Crystallisation {
  date: string;
  reason: 'scheduled' | 'withdrawal';
  /** Value the fee is measured on: after this date's management fee and expenses. */
  value: string;
  markBefore: string;
  /** The mark grown at the hurdle: the fee is charged on value above it. */
  threshold: string;
  /** Share of the portfolio the test applies to: 1, or the fraction withdrawn. */
  fraction: string;
  fee: string;
  gst: string;
  markAfter: string;
}

export interface TrancheLoad {
  contributed: string;
  holdingYear: number;
  rate: string;
  amount: string;
  load: string;
}

export interface WithdrawalResult {
  date: string;
  /** Gross amount taken out of the portfolio. */
  amount: string;
  /** Value at the previous close, before the withdrawal. */
  valueBefore: string;
  fraction: string;
  full: boolean;
  managementFee: string;
  operatingExpenses: string;
  performanceFee: string;
  exitLoad: string;
  gst: string;
  tranches: TrancheLoad[];
  /** What the client receives: amount − fees − exit load − GST. */
  netPayout: string;
  valueAfter: string;
  markAfter: string;
}

export interface FeeState {
  date: string;
  value: string;
  mark: string;
  threshold: string;
  accruedManagementFee: string;
  accruedOperatingExpenses: string;
  /** Net-of-fee value of one unit (1 at start): unit value ratios are net time-weighted returns. */
  unitValue: string;
  /** Growth of 1 on the gross path. */
  grossIndex: string;
  contributions: string;
}

export interface FeeSimulationResult {
  charges: FeeCharge[];
  crystallisations: Crystallisation[];
  withdrawals: WithdrawalResult[];
  snapshots: FeeState[];
  final: FeeState;
  /** Fees if everything were crystallised at the final close (no exit load). */
  ifCrystallisedNow: CrystallisedNow;
}

export interface CrystallisedNow {
  managementFee: string;
  operatingExpenses: string;
  performanceFee: string;
  gst: string;
  total: string;
  /** Value after these fees. */
  valueAfter: string;
  threshold: string;
}

const ZERO = new FeeDec(0);
const ONE = new FeeDec(1);
const paise = (d: FeeDec) => d.toDecimalPlaces(2, FeeDec.ROUND_HALF_UP);
const str = (d: FeeDec) => (d.isZero() ? '0' : d.toFixed());
const money = (d: FeeDec) => paise(d).toFixed(2);

/**
 * Runs a fee plan over a gross path day by day (methodology "Fees and compliance"):
 * 1. a day's flow is applied at its start (contribution: value, mark and threshold rise by the amount; withdrawal:
 *    the withdrawn fraction x of the previous close crystallises x of the accrued fees and of the performance fee,
 *    the exit load is taken per contribution tranche, first in first out, and mark and threshold scale by 1 − x);
 * 2. the day's gross growth; the hurdle threshold grows (fixed: (1+h)^(1/365) a day; benchmark: the index return);
 * 3. management fee and operating expenses accrue on the day's closing value × rate / 365;
 * 4. on a management charge date the accruals are charged (fee rounded to the paisa, plus GST);
 * 5. on a performance charge date: fee = rate × (value − threshold) if positive, plus GST; when charged,
 *    the mark and the threshold become the value after the fee (the high-water mark).
 */
export function simulateFees(input: FeeSimulationInput): FeeSimulationResult {
  const { plan } = input;
  const violations = planViolations(plan);
  const negative = violations.find((v) => v.code === 'NEGATIVE_RATE');
  if (negative) throw new AnalyticsInputError(negative.message);
  const startDay = toDayNumber(input.start);
  const path = [...input.path].map((s) => ({ ...s, day: toDayNumber(s.date) }));
  for (let i = 0; i < path.length; i++) {
    const s = path[i]!;
    if (s.day <= (i === 0 ? startDay : path[i - 1]!.day)) {
      throw new AnalyticsInputError(`Path dates must be after the start date and strictly increasing (at ${s.date})`);
    }
    if ((s.return === undefined) === (s.value === undefined)) throw new AnalyticsInputError(`Path step ${s.date} needs exactly one of return and value`);
    if (plan.hurdle.kind === 'benchmark' && s.benchmarkReturn === undefined) {
      throw new AnalyticsInputError(`A benchmark-linked hurdle needs benchmarkReturn on every path step (missing at ${s.date})`);
    }
  }
  const endDay = input.end !== undefined ? toDayNumber(input.end) : path.length ? path[path.length - 1]!.day : startDay;
  if (endDay < startDay) throw new AnalyticsInputError('end is before start');
  const flowsByDay = new Map<number, FeeDec>();
  for (const f of input.flows ?? []) {
    const day = toDayNumber(f.date);
    if (day <= startDay) throw new AnalyticsInputError(`Flow on ${f.date} is not after the start date ${input.start} (put it in capital)`);
    if (day > endDay) continue;
    flowsByDay.set(day, (flowsByDay.get(day) ?? ZERO).plus(dec(f.amount, 'flow amount')));
  }
  const snapshotDays = new Set((input.snapshotDates ?? []).map(toDayNumber));
  const closeDay = input.closeAt !== undefined ? toDayNumber(input.closeAt) : null;

  const mgmtRate = dec(plan.managementFeeRate, 'managementFeeRate');
  const opexRate = dec(plan.operatingExpenseRate, 'operatingExpenseRate');
  const perfRate = dec(plan.performanceFeeRate, 'performanceFeeRate');
  const gst = dec(plan.gstRate, 'gstRate');
  const mgmtDaily = mgmtRate.div(365);
  const opexDaily = opexRate.div(365);
  const hurdleDaily = plan.hurdle.kind === 'fixed' ? ONE.plus(dec(plan.hurdle.rate, 'hurdle rate')).pow(ONE.div(365)) : ONE;

  let value = dec(input.capital, 'capital');
  if (value.isNegative()) throw new AnalyticsInputError('capital must not be negative');
  let mark = value;
  let threshold = value;
  let accruedMgmt = ZERO;
  let accruedOpex = ZERO;
  let units = value;
  let grossIndex = ONE;
  let contributions = value;
  // contribution tranches for exit loads: units bought and when
  // Contribution tranches for exit loads: units bought, the flow date, and the close at which the money was invested
  // (a flow at the start of a day is invested at the previous close).
  const tranches: { date: string; invested: string; units: FeeDec }[] = value.gt(0) ? [{ date: input.start, invested: input.start, units: value }] : [];

  const charges: FeeCharge[] = [];
  const crystallisations: Crystallisation[] = [];
  const withdrawals: WithdrawalResult[] = [];
  const snapshots: FeeState[] = [];
  const unitValue = () => (units.gt(0) ? value.div(units) : ONE);
  const state = (day: number): FeeState => ({
    date: fromDayNumber(day),
    value: money(value),
    mark: money(mark),
    threshold: money(threshold),
    accruedManagementFee: money(accruedMgmt),
    accruedOperatingExpenses: money(accruedOpex),
    unitValue: str(unitValue().toDecimalPlaces(12)),
    grossIndex: str(grossIndex.toDecimalPlaces(12)),
    contributions: money(contributions),
  });

  /** Performance fee on `fraction` of the portfolio at value `v` (after accrued fees), not yet rounded. */
  const perfFeeOn = (v: FeeDec) => (perfRate.gt(0) && v.gt(threshold) ? perfRate.times(v.minus(threshold)) : ZERO);
  /** Value net of the accrued management fee (with GST) and expenses: what a performance test measures. */
  const afterAccruals = () => {
    const fee = paise(accruedMgmt);
    return value
      .minus(fee)
      .minus(paise(fee.times(gst)))
      .minus(paise(accruedOpex));
  };

  const pathDays = path.map((s) => s.day);
  /** The day the period (after, periodEnd] is charged: its end, or its last path date (chargeOn: last-valuation). */
  const chargeDay = (after: string, periodEnd: string): number => {
    const end = toDayNumber(periodEnd);
    // only a period the path covers entirely: otherwise its last business day is not known yet
    if (input.chargeOn !== 'last-valuation' || pathDays.length === 0 || pathDays[pathDays.length - 1]! < end) return end;
    const found = lastIndexAtOrBefore(pathDays, end, (d) => d);
    return found >= 0 && pathDays[found]! > Math.max(toDayNumber(after), startDay) ? pathDays[found]! : end;
  };
  let mgmtPeriodEnd = nextChargeDate(plan.managementFeeFrequency, plan.periodAnchor, input.start, input.start);
  let perfPeriodEnd = nextChargeDate(plan.performanceFeeFrequency, plan.periodAnchor, input.start, input.start);
  let nextMgmt = chargeDay(input.start, mgmtPeriodEnd);
  let nextPerf = chargeDay(input.start, perfPeriodEnd);
  if (snapshotDays.has(startDay)) snapshots.push(state(startDay));
  let stepIndex = 0;
  let segment: { g: FeeDec; b: FeeDec } | null = null;

  for (let day = startDay + 1; day <= endDay; day++) {
    const date = fromDayNumber(day);
    // 1. flows at the start of the day
    const flow = flowsByDay.get(day);
    let withdrawalFees = ZERO;
    if (flow !== undefined && !flow.isZero()) {
      if (flow.gt(0)) {
        const price = units.gt(0) && value.gt(0) ? value.div(units) : ONE;
        const bought = flow.div(price);
        units = units.plus(bought);
        tranches.push({ date, invested: addDays(date, -1), units: bought });
        value = value.plus(flow);
        mark = mark.plus(flow);
        threshold = threshold.plus(flow);
        contributions = contributions.plus(flow);
      } else {
        const w = withdraw(date, flow.neg());
        if (w !== null) {
          withdrawals.push(w);
          withdrawalFees = new FeeDec(w.managementFee).plus(w.operatingExpenses).plus(w.performanceFee).plus(w.gst).minus(paise(new FeeDec(w.exitLoad).times(gst)));
        }
      }
    }
    // 2. gross growth
    while (stepIndex < path.length && path[stepIndex]!.day < day) stepIndex++;
    const step = path[stepIndex];
    let observed: FeeDec | null = null;
    if (step !== undefined) {
      const prevDay = stepIndex === 0 ? startDay : path[stepIndex - 1]!.day;
      const span = step.day - prevDay;
      if (day === prevDay + 1) {
        segment =
          step.return !== undefined
            ? {
                g: ONE.plus(dec(step.return, 'return')).pow(ONE.div(span)),
                b: benchmarkDaily(step, span),
              }
            : { g: ONE, b: benchmarkDaily(step, span) };
      }
      if (step.value !== undefined && day === step.day) observed = dec(step.value, 'value');
    } else {
      segment = { g: ONE, b: ONE }; // beyond the path: unchanged
    }
    const g = segment!.g;
    if (observed !== null) {
      const before = value;
      value = observed;
      // gross growth of the day for the index; a day that starts from 0 has none
      if (before.gt(0)) grossIndex = grossIndex.times(observed.div(before));
    } else {
      value = value.times(g);
      grossIndex = grossIndex.times(g);
    }
    threshold = plan.hurdle.kind === 'benchmark' ? threshold.times(segment!.b) : threshold.times(hurdleDaily);
    // 3. accruals on the closing value
    if (mgmtRate.gt(0)) accruedMgmt = accruedMgmt.plus(value.times(mgmtDaily));
    if (opexRate.gt(0)) accruedOpex = accruedOpex.plus(value.times(opexDaily));
    // an observed value is before the day's fees (the valuation plus the fees charged that day): the fees a withdrawal
    // crystallised today leave the portfolio at this close, so the days until the next valuation accrue without them
    if (observed !== null && withdrawalFees.gt(0)) value = value.minus(withdrawalFees);
    // 4. management fee and expenses
    if (day === nextMgmt) {
      const fee = paise(accruedMgmt);
      const tax = paise(fee.times(gst));
      const opex = paise(accruedOpex);
      if (fee.gt(0))
        charges.push({
          date,
          kind: 'management',
          reason: 'scheduled',
          fee: money(fee),
          gst: money(tax),
        });
      if (opex.gt(0))
        charges.push({
          date,
          kind: 'operating-expenses',
          reason: 'scheduled',
          fee: money(opex),
          gst: '0.00',
        });
      value = value.minus(fee).minus(tax).minus(opex);
      accruedMgmt = ZERO;
      accruedOpex = ZERO;
      const after = mgmtPeriodEnd;
      mgmtPeriodEnd = nextChargeDate(plan.managementFeeFrequency, plan.periodAnchor, input.start, after);
      nextMgmt = chargeDay(after, mgmtPeriodEnd);
    }
    // 5. performance fee
    if (day === nextPerf) {
      if (perfRate.gt(0) && value.gt(0)) {
        const measured = afterAccruals();
        const fee = paise(perfFeeOn(measured));
        const tax = paise(fee.times(gst));
        const markBefore = mark;
        const thresholdBefore = threshold;
        if (fee.gt(0)) {
          value = value.minus(fee).minus(tax);
          mark = measured.minus(fee).minus(tax);
          threshold = mark;
          charges.push({
            date,
            kind: 'performance',
            reason: 'scheduled',
            fee: money(fee),
            gst: money(tax),
          });
        }
        crystallisations.push({
          date,
          reason: 'scheduled',
          value: money(measured),
          markBefore: money(markBefore),
          threshold: money(thresholdBefore),
          fraction: '1',
          fee: money(fee),
          gst: money(tax),
          markAfter: money(mark),
        });
      }
      const after = perfPeriodEnd;
      perfPeriodEnd = nextChargeDate(plan.performanceFeeFrequency, plan.periodAnchor, input.start, after);
      nextPerf = chargeDay(after, perfPeriodEnd);
    }
    // 6. closure: a full withdrawal measured at this close, its fees charged today
    if (day === closeDay && value.gt(0)) {
      const w = withdraw(fromDayNumber(day + 1), value, date);
      if (w !== null) withdrawals.push(w);
    }
    if (snapshotDays.has(day)) snapshots.push(state(day));
  }

  const perfNow = paise(perfFeeOn(afterAccruals()));
  const mgmtNow = paise(accruedMgmt);
  const opexNow = paise(accruedOpex);
  const gstNow = paise(mgmtNow.times(gst)).plus(paise(perfNow.times(gst)));
  const totalNow = mgmtNow.plus(opexNow).plus(perfNow).plus(gstNow);
  return {
    charges,
    crystallisations,
    withdrawals,
    snapshots,
    final: state(endDay),
    ifCrystallisedNow: {
      managementFee: money(mgmtNow),
      operatingExpenses: money(opexNow),
      performanceFee: money(perfNow),
      gst: money(gstNow),
      total: money(totalNow),
      valueAfter: money(value.minus(totalNow)),
      threshold: money(threshold),
    },
  };

  function benchmarkDaily(step: PathStep, span: number): FeeDec {
    if (step.benchmarkReturn === undefined) return ONE;
    return ONE.plus(dec(step.benchmarkReturn, 'benchmarkReturn')).pow(ONE.div(span));
  }

  /**
   * A withdrawal at the start of `date`, measured on the previous close (null when the portfolio is worth nothing).
   * Holding years run from the close the money was invested at to the close before the redemption day.
   */
  function withdraw(date: string, requested: FeeDec, chargeDate = date): WithdrawalResult | null {
    const valueBefore = value;
    if (!valueBefore.gt(0)) return null; // nothing left to withdraw from (e.g. a residual outflow after closure)
    const redeemedAt = addDays(date, -1);
    const full = requested.gte(valueBefore);
    const amount = full ? valueBefore : requested;
    const x = full ? ONE : amount.div(valueBefore);
    const mgmt = paise(accruedMgmt.times(x));
    const opex = paise(accruedOpex.times(x));
    const perfMeasured = afterAccruals();
    const perf = paise(perfFeeOn(perfMeasured).times(x));
    const markBefore = mark;
    const thresholdBefore = threshold;
    // exit load per tranche, oldest first
    let toRedeem = units.times(x);
    const price = unitValue();
    const loads: TrancheLoad[] = [];
    let load = ZERO;
    while (toRedeem.gt(0) && tranches.length) {
      const t = tranches[0]!;
      const take = FeeDec.min(t.units, toRedeem);
      const redeemed = take.times(price);
      const year = holdingYear(t.invested, redeemedAt);
      const rate = exitLoadRate(plan, year);
      const l = paise(redeemed.times(rate));
      load = load.plus(l);
      loads.push({
        contributed: t.date,
        holdingYear: year,
        rate: str(rate),
        amount: money(redeemed),
        load: money(l),
      });
      t.units = t.units.minus(take);
      toRedeem = toRedeem.minus(take);
      if (t.units.lte(0) || (full && tranches.length)) tranches.shift();
      else break;
    }
    if (full) tranches.length = 0;
    const tax = paise(mgmt.times(gst))
      .plus(paise(perf.times(gst)))
      .plus(paise(load.times(gst)));
    accruedMgmt = accruedMgmt.minus(accruedMgmt.times(x));
    accruedOpex = accruedOpex.minus(accruedOpex.times(x));
    units = full ? ZERO : units.times(ONE.minus(x));
    value = full ? ZERO : value.minus(amount);
    mark = full ? ZERO : mark.times(ONE.minus(x));
    threshold = full ? ZERO : threshold.times(ONE.minus(x));
    if (full) {
      accruedMgmt = ZERO;
      accruedOpex = ZERO;
    }
    if (mgmt.gt(0))
      charges.push({
        date: chargeDate,
        kind: 'management',
        reason: 'withdrawal',
        fee: money(mgmt),
        gst: money(paise(mgmt.times(gst))),
      });
    if (opex.gt(0))
      charges.push({
        date: chargeDate,
        kind: 'operating-expenses',
        reason: 'withdrawal',
        fee: money(opex),
        gst: '0.00',
      });
    if (perf.gt(0))
      charges.push({
        date: chargeDate,
        kind: 'performance',
        reason: 'withdrawal',
        fee: money(perf),
        gst: money(paise(perf.times(gst))),
      });
    if (load.gt(0))
      charges.push({
        date: chargeDate,
        kind: 'exit-load',
        reason: 'withdrawal',
        fee: money(load),
        gst: money(paise(load.times(gst))),
      });
    if (perfRate.gt(0)) {
      crystallisations.push({
        date: chargeDate,
        reason: 'withdrawal',
        value: money(perfMeasured),
        markBefore: money(markBefore),
        threshold: money(thresholdBefore),
        fraction: str(x.toDecimalPlaces(12)),
        fee: money(perf),
        gst: money(paise(perf.times(gst))),
        markAfter: money(mark),
      });
    }
    return {
      date,
      amount: money(amount),
      valueBefore: money(valueBefore),
      fraction: str(x.toDecimalPlaces(12)),
      full,
      managementFee: money(mgmt),
      operatingExpenses: money(opex),
      performanceFee: money(perf),
      exitLoad: money(load),
      gst: money(tax),
      tranches: loads,
      netPayout: money(amount.minus(mgmt).minus(opex).minus(perf).minus(load).minus(tax)),
      valueAfter: money(value),
      markAfter: money(mark),
    };
  }
}

function dec(v: Money, what: string): FeeDec {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v).trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) throw new AnalyticsInputError(`Invalid ${what} '${String(v)}'`);
  return new FeeDec(s);
}
