import { FeeDec, nextChargeDate, simulateFees, type FeePlan, type FeeSimulationResult, type PathStep } from '../../analytics/fees/index.js';
import { addDays, toDayNumber } from '../../analytics/shared/iso-date.js';
import { lastIndexAtOrBefore } from '../../analytics/shared/sorted-search.js';
import type { Queryable } from '../../db/client.js';
import { visibleClients, type ClientScope } from '../../lib/scope.js';
import { loadFeePlans, type PlanField, type PlanSource, type ResolvedFeePlan } from './fee-plans.js';

export interface FeePortfolio {
  id: number;
  portfolioCode: string;
  clientId: number;
  clientName: string;
  strategy: string;
  status: string;
  inceptionDate: string;
  managementFeeRate: string | null;
  performanceFeeRate: string | null;
  hurdleRate: string | null;
}

export interface FeeData {
  portfolio: FeePortfolio;
  valuations: { date: string; value: string }[];
  flows: { date: string; amount: string }[];
  /** MGF / PRF transactions: amount charged including GST, and the GST in it. */
  fees: { date: string; type: 'MGF' | 'PRF'; amount: string; gst: string }[];
  /** The resolved fee plan (stored → config → portfolio master → defaults; see fee-plans.ts). */
  plan: ResolvedFeePlan;
  /**
   * For a benchmark-linked hurdle: the strategy's benchmark as cumulative log growth by date (benchmark_series); empty
   * otherwise or before the analytics have run (then the hurdle does not grow: the threshold is the mark).
   */
  benchmark: { date: string; logGrowth: number }[];
}

/** The visible portfolios among `ids` (or matching the filter) with everything the fee engine needs. */
export async function loadFeeData(
  sql: Queryable,
  p: { scope: ClientScope; portfolioIds: number[]; /** resolved plans the caller already holds (covering portfolioIds) */ plans?: Map<number, ResolvedFeePlan> },
): Promise<FeeData[]> {
  if (p.portfolioIds.length === 0) return [];
  const portfolios = await sql<FeePortfolio[]>`
    select p.id, p.portfolio_code as "portfolioCode", p.client_id as "clientId", c.name as "clientName", s.code as strategy, p.status,
      p.inception_date::text as "inceptionDate", p.management_fee_rate::text as "managementFeeRate",
      p.performance_fee_rate::text as "performanceFeeRate", p.hurdle_rate::text as "hurdleRate"
    from portfolios p join clients c on c.id = p.client_id join strategies s on s.id = p.strategy_id
    where p.id = any(${p.portfolioIds}::int[]) and ${visibleClients(sql, p.scope)}
    order by p.id`;
  const ids = portfolios.map((x) => x.id);
  if (ids.length === 0) return [];
  const plans = p.plans ?? (await loadFeePlans(sql, { scope: p.scope, portfolioIds: ids }));
  const benchIds = ids.filter((id) => plans.get(id)?.plan.hurdle.kind === 'benchmark');
  const [valuations, flows, fees, bench] = await Promise.all([
    sql<{ pid: number; date: string; value: string }[]>`
      select portfolio_id as pid, valuation_date::text as date, market_value::text as value from valuations
      where portfolio_id = any(${ids}::int[]) order by portfolio_id, valuation_date`,
    sql<{ pid: number; date: string; amount: string }[]>`
      select portfolio_id as pid, flow_date::text as date, amount::text from external_flows
      where portfolio_id = any(${ids}::int[]) order by portfolio_id, flow_date`,
    sql<{ pid: number; date: string; type: 'MGF' | 'PRF'; amount: string; gst: string }[]>`
      select portfolio_id as pid, trade_date::text as date, type_code as type, abs(net_amount)::text as amount, coalesce(abs(service_tax), 0)::text as gst
      from transactions where portfolio_id = any(${ids}::int[]) and classification = 'fee' and type_code in ('MGF', 'PRF')
      order by portfolio_id, trade_date, id`,
    benchIds.length
      ? sql<{ pid: number; date: string; logGrowth: number }[]>`
          select p.id as pid, b.value_date::text as date, b.log_growth as "logGrowth"
          from portfolios p join strategies s on s.id = p.strategy_id join benchmark_series b on b.benchmark_id = s.benchmark_id
          where p.id = any(${benchIds}::int[]) order by p.id, b.value_date`
      : Promise.resolve([]),
  ]);
  const by = <T extends { pid: number }>(rows: T[]) => {
    const m = new Map<number, Omit<T, 'pid'>[]>();
    for (const { pid, ...rest } of rows) (m.get(pid) ?? m.set(pid, []).get(pid)!).push(rest);
    return m;
  };
  const v = by(valuations);
  const f = by(flows);
  const fe = by(fees);
  const b = by(bench as { pid: number; date: string; logGrowth: number }[]);
  return portfolios.map((portfolio) => ({
    portfolio,
    valuations: v.get(portfolio.id) ?? [],
    flows: f.get(portfolio.id) ?? [],
    fees: fe.get(portfolio.id) ?? [],
    plan: plans.get(portfolio.id)!,
    benchmark: b.get(portfolio.id) ?? [],
  }));
}

/** A portfolio's fee plan as resolved by loadFeePlans (stored plan, config/fee-plans.json, master rates, defaults). */
export function planOf(d: Pick<FeeData, 'plan'>): FeePlan {
  return d.plan.plan;
}

/**
 * The benchmark's return over (from, to] from its cumulative log growth, each date taking the last level on or before
 * it (a date before the series starts takes its first level: no growth).
 */
function benchmarkReturns(series: FeeData['benchmark']): (from: string, to: string) => number {
  const level = (date: string): number => {
    const i = lastIndexAtOrBefore(series, date, (s) => s.date);
    return i < 0 ? (series[0]?.logGrowth ?? 0) : series[i]!.logGrowth;
  };
  return (from, to) => Math.expm1(level(to) - level(from));
}

export interface ReconciliationRow {
  kind: 'management' | 'performance';
  typeCode: 'MGF' | 'PRF';
  /** End of the plan's charge period the charges belong to. */
  periodEnd: string;
  expected: string;
  actual: string;
  difference: string;
}

export interface HwmReport {
  portfolioId: number;
  portfolioCode: string;
  clientId: number;
  clientName: string;
  strategy: string;
  status: string;
  plan: FeePlan;
  /** Per plan field: api | import | config-portfolio | config-strategy | portfolio (Wealth Spectrum master) | default. */
  planSources: Record<PlanField, PlanSource>;
  asOf: string | null;
  value: string | null;
  highWaterMark: string | null;
  hurdleThreshold: string | null;
  /** value − threshold (negative: below the mark) and value / threshold − 1. */
  distance: string | null;
  distanceRatio: number | null;
  ifCrystallisedToday: FeeSimulationResult['ifCrystallisedNow'] | null;
  nextManagementCharge: string | null;
  nextPerformanceCharge: string | null;
  crystallisations: FeeSimulationResult['crystallisations'];
  reconciliation: { rows: ReconciliationRow[]; differences: ReconciliationRow[]; expectedTotal: string; actualTotal: string };
}

/** Differences of a paisa or a rupee are rounding; larger ones are listed. */
export const RECONCILIATION_TOLERANCE = '1.00';

/**
 * Replays the plan over the portfolio's real values (observed mode): the value before fees on a date is the valuation
 * plus the MGF/PRF charged that day, so the expected fees are measured on what the client really had; charges fall on
 * the last valuation date of each period, as the back office books them.
 */
export function hwmReport(d: FeeData): HwmReport {
  const p = d.portfolio;
  const plan = planOf(d);
  const base = {
    portfolioId: p.id,
    portfolioCode: p.portfolioCode,
    clientId: p.clientId,
    clientName: p.clientName,
    strategy: p.strategy,
    status: p.status,
    plan,
    planSources: d.plan.sources,
  };
  if (d.valuations.length === 0) {
    return {
      ...base,
      asOf: null,
      value: null,
      highWaterMark: null,
      hurdleThreshold: null,
      distance: null,
      distanceRatio: null,
      ifCrystallisedToday: null,
      nextManagementCharge: null,
      nextPerformanceCharge: null,
      crystallisations: [],
      reconciliation: { rows: [], differences: [], expectedTotal: '0.00', actualTotal: '0.00' },
    };
  }
  const first = d.valuations[0]!.date;
  const last = d.valuations[d.valuations.length - 1]!.date;
  const lastDay = toDayNumber(last);
  // fees charged on a date add back to the next valuation (the value before fees)
  const feeOn = new Map<string, FeeDec>();
  let vi = 0;
  for (const f of d.fees) {
    while (vi < d.valuations.length && d.valuations[vi]!.date < f.date) vi++;
    const at = d.valuations[vi]?.date;
    if (at !== undefined) feeOn.set(at, (feeOn.get(at) ?? new FeeDec(0)).plus(f.amount));
  }
  const hasInceptionFlow = d.flows.some((f) => f.date <= first);
  const start = hasInceptionFlow ? addDays(first, -1) : first;
  const capital = hasInceptionFlow ? '0' : d.valuations[0]!.value;
  const path: PathStep[] = [];
  const bench = plan.hurdle.kind === 'benchmark' ? benchmarkReturns(d.benchmark) : null;
  let prev = start;
  for (const v of d.valuations) {
    if (!hasInceptionFlow && v.date === first) continue;
    const fee = feeOn.get(v.date);
    const value = fee ? fee.plus(v.value).toFixed() : v.value;
    path.push(bench ? { date: v.date, value, benchmarkReturn: bench(prev, v.date) } : { date: v.date, value });
    prev = v.date;
  }
  const flows = d.flows
    .filter((f) => toDayNumber(f.date) <= lastDay && (hasInceptionFlow || f.date > first))
    .map((f) => (f.date <= start ? { date: first, amount: f.amount } : f));
  // a closed portfolio: liquidated on its last valuation date, paid out afterwards; its fees are crystallised at that close
  const closedAfterLast = p.status === 'Closed' && d.flows.some((f) => f.date > last && new FeeDec(f.amount).lt(0));
  const sim = simulateFees({ plan, start, capital, path, flows, end: last, chargeOn: 'last-valuation', ...(closedAfterLast ? { closeAt: last } : {}) });

  // reconciliation per (kind, charge period)
  const periodOf = (kind: 'management' | 'performance', date: string) =>
    nextChargeDate(kind === 'management' ? plan.managementFeeFrequency : plan.performanceFeeFrequency, plan.periodAnchor, start, addDays(date, -1));
  const rows = new Map<string, { kind: 'management' | 'performance'; periodEnd: string; expected: FeeDec; actual: FeeDec }>();
  const add = (kind: 'management' | 'performance', date: string, field: 'expected' | 'actual', amount: FeeDec) => {
    const periodEnd = periodOf(kind, date);
    const key = `${kind}|${periodEnd}`;
    const row = rows.get(key) ?? { kind, periodEnd, expected: new FeeDec(0), actual: new FeeDec(0) };
    row[field] = row[field].plus(amount);
    rows.set(key, row);
  };
  for (const c of sim.charges) if (c.kind === 'management' || c.kind === 'performance') add(c.kind, c.date, 'expected', new FeeDec(c.fee).plus(c.gst));
  for (const f of d.fees) add(f.type === 'MGF' ? 'management' : 'performance', f.date, 'actual', new FeeDec(f.amount));
  const recRows: ReconciliationRow[] = [...rows.values()]
    .sort((a, b) => (a.periodEnd === b.periodEnd ? a.kind.localeCompare(b.kind) : a.periodEnd < b.periodEnd ? -1 : 1))
    .map((r) => ({
      kind: r.kind,
      typeCode: r.kind === 'management' ? 'MGF' : 'PRF',
      periodEnd: r.periodEnd,
      expected: r.expected.toFixed(2),
      actual: r.actual.toFixed(2),
      difference: r.actual.minus(r.expected).toFixed(2),
    }));
  const expectedTotal = recRows.reduce((s, r) => s.plus(r.expected), new FeeDec(0));
  const actualTotal = recRows.reduce((s, r) => s.plus(r.actual), new FeeDec(0));
  const value = new FeeDec(d.valuations[d.valuations.length - 1]!.value);
  const threshold = new FeeDec(sim.final.threshold);
  const perfOn = new FeeDec(plan.performanceFeeRate).gt(0);
  return {
    ...base,
    asOf: last,
    value: value.toFixed(2),
    highWaterMark: perfOn ? sim.final.mark : null,
    hurdleThreshold: perfOn ? sim.final.threshold : null,
    distance: perfOn ? value.minus(threshold).toFixed(2) : null,
    distanceRatio: perfOn && threshold.gt(0) ? value.div(threshold).minus(1).toNumber() : null,
    ifCrystallisedToday: sim.ifCrystallisedNow,
    nextManagementCharge: p.status === 'Closed' ? null : nextChargeDate(plan.managementFeeFrequency, plan.periodAnchor, start, last),
    nextPerformanceCharge: p.status === 'Closed' || !perfOn ? null : nextChargeDate(plan.performanceFeeFrequency, plan.periodAnchor, start, last),
    crystallisations: sim.crystallisations,
    reconciliation: {
      rows: recRows,
      differences: recRows.filter((r) => new FeeDec(r.difference).abs().gt(RECONCILIATION_TOLERANCE)),
      expectedTotal: expectedTotal.toFixed(2),
      actualTotal: actualTotal.toFixed(2),
    },
  };
}

/** Visible portfolio ids for a list page, optionally only those whose resolved plan has a performance fee (same order as fee-plans.ts). */
export async function listFeePortfolioIds(
  sql: Queryable,
  p: { scope: ClientScope; strategy?: string; withPerformanceFee: boolean; page: number; pageSize: number },
): Promise<{ ids: number[]; total: number }> {
  const where = sql`${visibleClients(sql, p.scope)}
    ${p.strategy ? sql`and s.code = ${p.strategy}` : sql``}
    ${p.withPerformanceFee ? sql`and coalesce(f.performance_fee_rate, (cp.plan->>'performanceFeeRate')::numeric, (cs.plan->>'performanceFeeRate')::numeric, p.performance_fee_rate, 0) > 0` : sql``}`;
  const rows = await sql<{ id: number; total: number }[]>`
    select p.id, count(*) over ()::int as total from portfolios p join clients c on c.id = p.client_id join strategies s on s.id = p.strategy_id
      left join fee_plans f on f.portfolio_id = p.id
      left join fee_plan_config cp on cp.level = 'portfolio' and cp.code = p.portfolio_code
      left join fee_plan_config cs on cs.level = 'strategy' and cs.code = s.code
    where ${where} order by p.id limit ${p.pageSize} offset ${(p.page - 1) * p.pageSize}`;
  return { ids: rows.map((r) => r.id), total: rows[0]?.total ?? 0 };
}
