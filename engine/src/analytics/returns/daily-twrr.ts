import { AnalyticsInputError } from '../shared/analytics-error.js';
import { fromDayNumber, toDayNumber } from '../shared/iso-date.js';
import { toRatioNumber, type Money } from '../shared/money.js';
import { DAYS_PER_YEAR } from './annualize.js';
import { alignFlows, type CashFlow } from './flow-alignment.js';

export interface Valuation {
  date: string;
  /** End-of-day portfolio value including cash (NUMERIC string). */
  value: Money;
}

/** When a day's external flow is assumed to arrive: 'start' (w = 1, default), 'end' (w = 0) or a weight w in [0, 1]. */
export type FlowTiming = 'start' | 'end' | number;

export interface DailyTwrrInput {
  valuations: readonly Valuation[];
  flows?: readonly CashFlow[];
  flowTiming?: FlowTiming;
}

export interface SubperiodReturn {
  date: string;
  return: number;
}

export interface DailyTwrrResult {
  /** Chained return Π(1 + r_t) − 1 over the computed sub-periods; null when no sub-period could be computed. */
  twrr: number | null;
  /** (1 + twrr)^(365/days) − 1 when days ≥ 365, else null (SEBI: under one year is absolute only). */
  annualized: number | null;
  /** Calendar days from `from` to `to`. */
  days: number;
  /** Base date: the close the return is measured from (the day before the first valuation for an inception series). */
  from: string | null;
  /** Last valuation date. */
  to: string | null;
  subperiods: SubperiodReturn[];
  /** Valuation dates after the first whose sub-period denominator V_{t−1} + w·CF_t was ≤ 0 (e.g. after a full redemption). */
  skippedDates: string[];
  /** Flows dated after the last valuation: not part of this return. */
  unattachedFlows: CashFlow[];
}

export function flowWeight(timing: FlowTiming = 'start'): number {
  if (timing === 'start') return 1;
  if (timing === 'end') return 0;
  if (typeof timing !== 'number' || !Number.isFinite(timing) || timing < 0 || timing > 1) {
    throw new AnalyticsInputError(`flowTiming must be 'start', 'end' or a number in [0, 1], got ${String(timing)}`);
  }
  return timing;
}

/**
 * Daily time-weighted return (SEBI circular SEBI/HO/IMD/IMD-PoD-2/P/CIR/2022/172: TWRR).
 *
 * r_t = (V_t − V_{t−1} − CF_t) / (V_{t−1} + w·CF_t), TWRR = Π(1 + r_t) − 1.
 * - The value before the first valuation is 0. So on the first date, a flow makes it an inception day:
 *   r_0 = (V_0 − CF_0) / (w·CF_0); without a flow the denominator is 0 and the first value is simply the base.
 * - A sub-period is computed only when its denominator is > 0; otherwise it is skipped and listed in
 *   `skippedDates` (a portfolio redeemed to 0 has no return until money comes back).
 * - Flows dated between valuations attach to the next valuation date; flows after the last one are returned unused.
 */
export function dailyTwrr(input: DailyTwrrInput): DailyTwrrResult {
  const w = flowWeight(input.flowTiming);
  const points = input.valuations
    .map((v) => ({ day: toDayNumber(v.date), value: toRatioNumber(v.value, `value on ${v.date}`) }))
    .sort((a, b) => a.day - b.day);
  let previousDay = Number.NaN;
  for (const { day } of points) {
    if (day === previousDay) throw new AnalyticsInputError(`Duplicate valuation date ${fromDayNumber(day)}`);
    previousDay = day;
  }
  const days = points.map((p) => p.day);
  const { byIndex, unattached } = alignFlows(days, input.flows ?? []);

  const subperiods: SubperiodReturn[] = [];
  const skippedDates: string[] = [];
  let growth = 1;
  let previous = 0;
  let firstReturnDay: number | null = null;
  for (const [i, { day, value }] of points.entries()) {
    const flowDec = byIndex[i];
    const flow = flowDec === undefined ? 0 : flowDec.toNumber();
    const denominator = previous + w * flow;
    if (denominator > 0) {
      const r = (value - previous - flow) / denominator;
      subperiods.push({ date: fromDayNumber(day), return: r });
      growth *= 1 + r;
      if (firstReturnDay === null) firstReturnDay = day;
    } else if (i > 0 || flowDec !== undefined) {
      skippedDates.push(fromDayNumber(day));
    }
    previous = value;
  }

  const first = points[0];
  const last = points[points.length - 1];
  if (first === undefined || last === undefined) {
    return { twrr: null, annualized: null, days: 0, from: null, to: null, subperiods, skippedDates, unattachedFlows: unattached };
  }
  // The measured period starts at the close before the first computed sub-period's previous value:
  // the day before an inception day, otherwise the first valuation date.
  const fromDay = firstReturnDay !== null && firstReturnDay === first.day ? first.day - 1 : first.day;
  const periodDays = last.day - fromDay;
  const twrr = subperiods.length > 0 ? growth - 1 : null;
  const annualized =
    twrr !== null && periodDays >= DAYS_PER_YEAR ? Math.pow(1 + twrr, DAYS_PER_YEAR / periodDays) - 1 : null;
  return {
    twrr,
    annualized,
    days: periodDays,
    from: fromDayNumber(fromDay),
    to: fromDayNumber(last.day),
    subperiods,
    skippedDates,
    unattachedFlows: unattached,
  };
}
