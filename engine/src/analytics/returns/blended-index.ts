import { AnalyticsInputError } from '../shared/analytics-error.js';
import { fromDayNumber, toDayNumber } from '../shared/iso-date.js';
import { toRatioNumber, type Money } from '../shared/money.js';
import type { SubperiodReturn } from './daily-twrr.js';

export interface BlendComponent {
  /** Weight in the blend, e.g. 0.5 for 50%. Weights must be ≥ 0 and sum to 1. */
  weight: number;
  /** Index levels (e.g. Nifty 50 TRI closes). */
  values: readonly { date: string; value: Money }[];
}

/**
 * Daily returns of a daily-rebalanced blended benchmark: r_t = Σ_i weight_i · (P_i,t / P_i,prev − 1).
 * Alignment: only dates on which every component has a level are used (no carry-forward); when a date is missing
 * for any component it is dropped and the next return spans from the previous common date, so no move is lost.
 * The first common date is the base and has no return.
 */
export function blendedIndexReturns(input: { components: readonly BlendComponent[] }): SubperiodReturn[] {
  const { components } = input;
  if (components.length === 0) return [];
  let weightSum = 0;
  for (const c of components) {
    if (!Number.isFinite(c.weight) || c.weight < 0) throw new AnalyticsInputError(`Invalid blend weight ${c.weight}`);
    weightSum += c.weight;
  }
  if (Math.abs(weightSum - 1) > 1e-9) throw new AnalyticsInputError(`Blend weights sum to ${weightSum}, expected 1`);

  const levels = components.map((c) => {
    const map = new Map<number, number>();
    for (const v of c.values) {
      const day = toDayNumber(v.date);
      if (map.has(day)) throw new AnalyticsInputError(`Duplicate index level for ${v.date}`);
      const level = toRatioNumber(v.value, `index level on ${v.date}`);
      if (level <= 0) throw new AnalyticsInputError(`Index level must be positive, got ${level} on ${v.date}`);
      map.set(day, level);
    }
    return map;
  });
  const [firstLevels, ...otherLevels] = levels;
  if (firstLevels === undefined) return [];
  const common = [...firstLevels.keys()].filter((d) => otherLevels.every((m) => m.has(d))).sort((a, b) => a - b);

  const out: SubperiodReturn[] = [];
  for (let t = 1; t < common.length; t++) {
    const day = common[t] as number;
    const prev = common[t - 1] as number;
    let r = 0;
    for (const [i, c] of components.entries()) {
      const m = levels[i] as Map<number, number>;
      r += c.weight * ((m.get(day) as number) / (m.get(prev) as number) - 1);
    }
    out.push({ date: fromDayNumber(day), return: r });
  }
  return out;
}
