import { AnalyticsInputError } from '../shared/analytics-error.js';
import { toDayNumber } from '../shared/iso-date.js';
import { Dec, decString, toDec, type Money } from '../shared/money.js';
import type { CashFlow } from '../returns/flow-alignment.js';

export type ContributionGrouping = 'asset_class' | 'sector' | 'security';

export interface HoldingSnapshot {
  /** ISIN (or another stable security key). */
  securityId: string;
  marketValue: Money;
  assetClass?: string | null;
  sector?: string | null;
}

export interface SecurityTransaction {
  date: string;
  securityId: string;
  /** purchase / sale: gross consideration of the trade; income: dividend or interest received. All amounts ≥ 0. */
  kind: 'purchase' | 'sale' | 'income';
  amount: Money;
  assetClass?: string | null;
  sector?: string | null;
}

export interface ContributionInput {
  startDate: string;
  endDate: string;
  startHoldings: readonly HoldingSnapshot[];
  endHoldings: readonly HoldingSnapshot[];
  transactions: readonly SecurityTransaction[];
  groupBy: ContributionGrouping;
  /** Portfolio value at the start, if it differs from Σ start holdings (e.g. it includes cash). */
  portfolioStartValue?: Money;
  /** External flows in the period, weighted Modified-Dietz style into the denominator. */
  externalFlows?: readonly CashFlow[];
}

export interface GroupContribution {
  group: string;
  startValue: string;
  endValue: string;
  purchases: string;
  sales: string;
  income: string;
  /** end − start − (purchases − sales) + income */
  gain: string;
  /** gain / denominator */
  contribution: number | null;
}

export interface ContributionResult {
  /** Portfolio start value + Σ w_i·CF_i */
  denominator: string;
  groups: GroupContribution[];
  /** Σ group contributions; null when the denominator is ≤ 0. */
  total: number | null;
}

const UNCLASSIFIED = 'Unclassified';

/**
 * Simple (arithmetic) contribution to return by group over one period — an approximation: it treats the period as
 * one Modified-Dietz interval and ignores when within the period each trade happened.
 * gain_g = end MV_g − start MV_g − (purchases_g − sales_g) + income_g,
 * contribution_g = gain_g / (portfolio start value + Σ w_i·CF_i), w_i = (CD − D_i) / CD over the external flows.
 * A security's group comes from its end holding, else its start holding, else the transaction; missing → 'Unclassified'.
 */
export function contributionByGroup(input: ContributionInput): ContributionResult {
  const start = toDayNumber(input.startDate);
  const end = toDayNumber(input.endDate);
  const calendarDays = end - start;
  if (calendarDays <= 0) throw new AnalyticsInputError(`endDate ${input.endDate} must be after startDate ${input.startDate}`);

  const labels = new Map<string, string>();
  const label = (h: { securityId: string; assetClass?: string | null; sector?: string | null }): string | null => {
    if (input.groupBy === 'security') return h.securityId;
    const value = input.groupBy === 'asset_class' ? h.assetClass : h.sector;
    return value === undefined || value === null || value.trim() === '' ? null : value;
  };
  for (const source of [input.transactions, input.startHoldings, input.endHoldings]) {
    for (const h of source) {
      const l = label(h);
      if (l !== null) labels.set(h.securityId, l);
    }
  }
  const groupOf = (securityId: string): string => labels.get(securityId) ?? UNCLASSIFIED;

  const zero = new Dec(0);
  const groups = new Map<string, { start: Dec; end: Dec; purchases: Dec; sales: Dec; income: Dec }>();
  const bucket = (securityId: string) => {
    const g = groupOf(securityId);
    let b = groups.get(g);
    if (b === undefined) {
      b = { start: zero, end: zero, purchases: zero, sales: zero, income: zero };
      groups.set(g, b);
    }
    return b;
  };
  let startTotal = zero;
  for (const h of input.startHoldings) {
    const mv = toDec(h.marketValue, `start market value of ${h.securityId}`);
    const b = bucket(h.securityId);
    b.start = b.start.plus(mv);
    startTotal = startTotal.plus(mv);
  }
  for (const h of input.endHoldings) {
    const b = bucket(h.securityId);
    b.end = b.end.plus(toDec(h.marketValue, `end market value of ${h.securityId}`));
  }
  for (const t of input.transactions) {
    const day = toDayNumber(t.date);
    if (day <= start || day > end) continue; // on or before the start date: already in the start holdings
    const amount = toDec(t.amount, `${t.kind} amount`);
    if (amount.isNegative()) throw new AnalyticsInputError(`Transaction amounts must be ≥ 0 (${t.kind} ${t.securityId} on ${t.date})`);
    const b = bucket(t.securityId);
    if (t.kind === 'purchase') b.purchases = b.purchases.plus(amount);
    else if (t.kind === 'sale') b.sales = b.sales.plus(amount);
    else b.income = b.income.plus(amount);
  }

  let weightedFlows = zero;
  for (const f of input.externalFlows ?? []) {
    const day = toDayNumber(f.date);
    if (day < start || day > end) throw new AnalyticsInputError(`External flow dated ${f.date} is outside the period`);
    weightedFlows = weightedFlows.plus(toDec(f.amount, 'flow amount').times(end - day).dividedBy(calendarDays));
  }
  const startValue = input.portfolioStartValue === undefined ? startTotal : toDec(input.portfolioStartValue, 'portfolioStartValue');
  const denominator = startValue.plus(weightedFlows);
  const defined = denominator.gt(0);

  const out: GroupContribution[] = [];
  let total = 0;
  for (const [group, b] of [...groups].sort(([a], [c]) => (a < c ? -1 : a > c ? 1 : 0))) {
    const gain = b.end.minus(b.start).minus(b.purchases.minus(b.sales)).plus(b.income);
    const contribution = defined ? gain.dividedBy(denominator).toNumber() : null;
    if (contribution !== null) total += contribution;
    out.push({
      group,
      startValue: decString(b.start),
      endValue: decString(b.end),
      purchases: decString(b.purchases),
      sales: decString(b.sales),
      income: decString(b.income),
      gain: decString(gain),
      contribution,
    });
  }
  return { denominator: decString(denominator), groups: out, total: defined ? total : null };
}
