import { toDayNumber, fromDayNumber } from '../shared/iso-date.js';
import { Dec, decString, toDec } from '../shared/money.js';
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
 */
export function compositeTwrr(
  portfolios: readonly CompositeMember[],
  options: { flowTiming?: FlowTiming } = {},
): CompositeTwrrResult {
  const allDays = new Set<number>();
  const members = portfolios.map((p) => {
    const points = p.valuations
      .map((v) => ({ day: toDayNumber(v.date), value: toDec(v.value, `value on ${v.date}`) }))
      .sort((a, b) => a.day - b.day);
    for (const point of points) allDays.add(point.day);
    return { points, flows: p.flows ?? [] };
  });
  const days = [...allDays].sort((a, b) => a - b);
  const indexOfDay = new Map(days.map((day, i) => [day, i]));
  const pooledValue: Dec[] = days.map(() => new Dec(0));
  const pooledFlow: (Dec | undefined)[] = days.map(() => undefined);
  const unattachedFlows: CashFlow[] = [];

  for (const { points, flows } of members) {
    // values, carried forward
    let k = 0;
    let current: Dec | null = null;
    for (const [i, day] of days.entries()) {
      while (k < points.length && (points[k] as { day: number }).day <= day) {
        current = (points[k] as { value: Dec }).value;
        k++;
      }
      if (current !== null) pooledValue[i] = (pooledValue[i] as Dec).plus(current);
    }
    // flows, attached to this portfolio's own valuation dates, then placed on the pooled calendar
    const ownDays = points.map((p) => p.day);
    const aligned = alignFlows(ownDays, flows);
    unattachedFlows.push(...aligned.unattached);
    for (const [j, amount] of aligned.byIndex.entries()) {
      if (amount === undefined) continue;
      const i = indexOfDay.get(ownDays[j] as number) as number;
      const existing = pooledFlow[i];
      pooledFlow[i] = existing === undefined ? amount : existing.plus(amount);
    }
  }

  const pooledValuations = days.map((day, i) => ({ date: fromDayNumber(day), value: decString(pooledValue[i] as Dec) }));
  const pooledFlows: { date: string; amount: string }[] = [];
  for (const [i, amount] of pooledFlow.entries()) {
    if (amount !== undefined) pooledFlows.push({ date: fromDayNumber(days[i] as number), amount: decString(amount) });
  }
  const result = dailyTwrr({ valuations: pooledValuations, flows: pooledFlows, flowTiming: options.flowTiming });
  return { ...result, unattachedFlows, pooledValuations, pooledFlows };
}
