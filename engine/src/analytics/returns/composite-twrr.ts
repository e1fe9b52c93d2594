import { AnalyticsInputError } from '../shared/analytics-error.js';
import { fromDayNumber, toDayNumber } from '../shared/iso-date.js';
import { formatScaled, parseScaled, rescale } from '../shared/fixed-point.js';
import { decString, type Dec } from '../shared/money.js';
import { dailyTwrr, type DailyTwrrResult, type FlowTiming, type Valuation } from './daily-twrr.js';
import { alignFlows, type CashFlow } from './flow-alignment.js';

export interface CompositeMember {
  valuations: readonly Valuation[];
  flows?: readonly CashFlow[];
}

export interface CompositeTwrrResult extends DailyTwrrResult {
  /** The pooled (summed) daily values the return was computed on, as decimal strings. */
  pooledValuations: { date: string; value: string }[];
  pooledFlows: { date: string; amount: string }[];
}

/**
 * Strategy (investment-approach) TWRR, asset-weighted: pool the portfolios' values and flows each day, then chain
 * the pooled daily returns with dailyTwrr.
 * - The pooled dates are the union of all valuation dates. On a date a portfolio has no valuation, its last known
 *   value is carried forward (0 before its first valuation), so a closed portfolio must end with a 0 valuation.
 * - Each portfolio's flows attach to its own next valuation date first, then are pooled on that date.
 * Values are summed exactly as scaled integers; cost is linear in the number of valuations.
 */
export function compositeTwrr(
  portfolios: readonly CompositeMember[],
  options: { flowTiming?: FlowTiming } = {},
): CompositeTwrrResult {
  const members = portfolios.map((p, member) => {
    const points = p.valuations
      .map((v) => ({ day: toDayNumber(v.date), value: parseScaled(v.value, `value on ${v.date}`) }))
      .sort((a, b) => a.day - b.day);
    for (let i = 1; i < points.length; i++) {
      if (points[i - 1]?.day === points[i]?.day) {
        throw new AnalyticsInputError(`Duplicate valuation date ${fromDayNumber(points[i]?.day ?? 0)} in portfolio #${member}`);
      }
    }
    return { points, flows: p.flows ?? [] };
  });
  let scale = 0;
  for (const { points } of members) for (const { value } of points) scale = Math.max(scale, value.scale);

  // Each portfolio contributes the change of its value on its valuation days; the pooled value is the running sum.
  const deltaByDay = new Map<number, bigint>();
  const flowsByDay = new Map<number, Dec>();
  const unattachedFlows: CashFlow[] = [];
  for (const { points, flows } of members) {
    let previous = 0n;
    for (const { day, value } of points) {
      const units = rescale(value, scale);
      deltaByDay.set(day, (deltaByDay.get(day) ?? 0n) + units - previous);
      previous = units;
    }
    const ownDays = points.map((point) => point.day);
    const aligned = alignFlows(ownDays, flows);
    unattachedFlows.push(...aligned.unattached);
    for (const [i, amount] of aligned.byIndex.entries()) {
      if (amount === undefined) continue;
      const day = ownDays[i] as number;
      const existing = flowsByDay.get(day);
      flowsByDay.set(day, existing === undefined ? amount : existing.plus(amount));
    }
  }
  let total = 0n;
  const pooledValuations = [...deltaByDay]
    .sort(([a], [b]) => a - b)
    .map(([day, delta]) => {
      total += delta;
      return { date: fromDayNumber(day), value: formatScaled(total, scale) };
    });
  const pooledFlows = [...flowsByDay]
    .sort(([a], [b]) => a - b)
    .map(([day, amount]) => ({ date: fromDayNumber(day), amount: decString(amount) }));
  const result = dailyTwrr({ valuations: pooledValuations, flows: pooledFlows, flowTiming: options.flowTiming });
  return { ...result, unattachedFlows, pooledValuations, pooledFlows };
}
