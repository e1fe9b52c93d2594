import { Dec, decString, toDec } from '../shared/money.js';
import type { CashFlow } from '../returns/flow-alignment.js';
import { bucketOf, bucketsBetween, type Grain, type YearBasis } from './reporting-bucket.js';

export interface NetFlowRow {
  period: string;
  from: string;
  to: string;
  /** Σ positive flows (corpus in). */
  inflows: string;
  /** Σ |negative flows| (corpus out), as a positive amount. */
  outflows: string;
  /** inflows − outflows */
  net: string;
}

/**
 * Net external flows per month / quarter / year (decimal strings, exact). Every bucket from the first flow to the
 * last is listed, empty ones with zeros. Quarters and years follow the Indian financial year unless basis is 'calendar'.
 */
export function netFlows(flows: readonly CashFlow[], grain: Grain, basis: YearBasis = 'financial'): NetFlowRow[] {
  if (flows.length === 0) return [];
  const sums = new Map<string, { inflows: Dec; outflows: Dec }>();
  let first = flows[0]?.date as string;
  let last = first;
  for (const f of flows) {
    const amount = toDec(f.amount, `flow on ${f.date}`);
    const { period } = bucketOf(f.date, grain, basis);
    const s = sums.get(period) ?? { inflows: new Dec(0), outflows: new Dec(0) };
    if (amount.isPositive()) s.inflows = s.inflows.plus(amount);
    else s.outflows = s.outflows.minus(amount);
    sums.set(period, s);
    if (f.date < first) first = f.date;
    if (f.date > last) last = f.date;
  }
  return bucketsBetween(first, last, grain, basis).map((b) => {
    const s = sums.get(b.period) ?? { inflows: new Dec(0), outflows: new Dec(0) };
    return { ...b, inflows: decString(s.inflows), outflows: decString(s.outflows), net: decString(s.inflows.minus(s.outflows)) };
  });
}
