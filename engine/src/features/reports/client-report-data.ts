/**
 * Everything the client performance report shows, read from what is stored: the client's analytics entity
 * (analytics_entities / analytics_metrics / analytics_series, benchmark_series), valuations, holdings, flows,
 * transactions and the compliance feature's high-water-mark replay. The caller's scope is applied first: a client
 * outside it is `undefined` (the route answers 404, as the API does).
 */
import { Decimal } from 'decimal.js';
import { NAMED_PERIODS, periodRange, riskFreePerDay, xirr, XirrError, type DatedAmount } from '../../analytics/index.js';
import { lastIndexAtOrBefore } from '../../analytics/shared/sorted-search.js';
import type { Queryable } from '../../db/client.js';
import { isClientVisible, type ClientScope } from '../../lib/scope.js';
import { computePeriodMetrics, type PeriodRow, type SeriesPoint as StoredPoint } from '../analytics/period-metrics.js';
import { hwmReport, loadFeeData } from '../compliance/hwm.js';
import { loadFeePlans } from '../compliance/fee-plans.js';
import { periodMetrics } from '../portfolios/portfolios.queries.js';
import { growthSeries, type ClientReportData, type PeriodFigure } from '../../reports/client-report.js';

/** Transactions listed in the PDF at most (the Excel export has them all). */
export const MAX_PDF_TRANSACTIONS = 400;

const FEE_LABELS: Record<string, string> = {
  MGF: 'Management fee',
  PRF: 'Performance fee',
  CUS: 'Custody charges',
  STT: 'Securities transaction tax',
};

/** First day of the month of an ISO date. */
export const monthStart = (iso: string) => `${iso.slice(0, 8)}01`;

export interface ClientReportParams {
  scope: ClientScope;
  clientId: number;
  /** Report date; defaults to the client's last valuation date. Figures are as of the last valuation on or before it. */
  asOf?: string;
  /** Flows and transactions period; defaults to the month of the as-of date. */
  from?: string;
  to?: string;
}

type SeriesRow = StoredPoint & { net_flow: string };

export async function loadClientReportData(sql: Queryable, p: ClientReportParams): Promise<ClientReportData | undefined> {
  if (!(await isClientVisible(sql, p.scope, p.clientId))) return undefined;
  const [client] = await sql<{ id: number; code: string; name: string; status: string; onboardingDate: string; salesforceAccountId: string | null; rmCode: string | null; rmName: string | null; riskProfile: string | null; city: string | null }[]>`
    select c.id, c.client_code as code, c.name, c.status, c.onboarding_date::text as "onboardingDate", c.salesforce_account_id as "salesforceAccountId",
      rm.rm_code as "rmCode", rm.name as "rmName", c.risk_profile as "riskProfile", c.city
    from clients c left join relationship_managers rm on rm.id = c.rm_id where c.id = ${p.clientId}`;
  const perf = await entityPerformance(sql, 'client', p.clientId, p.asOf);
  const { asOf, periods, growth } = perf;
  const from = p.from ?? monthStart(asOf);
  const to = p.to ?? asOf;

  const portfolios = await sql<{ id: number; code: string; strategy: string; sebiCategory: string; benchmark: string | null; inception: string; status: string; value: string | null; valueDate: string | null; managementFeeRate: string | null; performanceFeeRate: string | null }[]>`
    select p.id, p.portfolio_code as code, s.name as strategy, s.sebi_category as "sebiCategory", b.name as benchmark, p.inception_date::text as inception, p.status,
      v.market_value::text as value, v.valuation_date::text as "valueDate", p.management_fee_rate::text as "managementFeeRate", p.performance_fee_rate::text as "performanceFeeRate"
    from portfolios p join strategies s on s.id = p.strategy_id left join benchmarks b on b.id = s.benchmark_id
    left join lateral (select market_value, valuation_date from valuations v where v.portfolio_id = p.id and v.valuation_date <= ${asOf}::date
                       order by valuation_date desc limit 1) v on true
    where p.client_id = ${p.clientId} order by p.portfolio_code`;
  const ids = portfolios.map((x) => x.id);

  const [[totals], allocation, holdings, flows, transactions, txnCount, feesPeriod, feesSi] = await Promise.all([
    sql<{ value: string; netInvested: string; inflows: string; outflows: string }[]>`
      select coalesce((select sum(v.market_value) from portfolios p
                        join lateral (select market_value from valuations v where v.portfolio_id = p.id and v.valuation_date <= ${asOf}::date
                                      order by valuation_date desc limit 1) v on true where p.client_id = ${p.clientId}), 0)::text as value,
             coalesce(sum(f.amount), 0)::text as "netInvested",
             coalesce(sum(f.amount) filter (where f.amount > 0), 0)::text as inflows,
             coalesce(-sum(f.amount) filter (where f.amount < 0), 0)::text as outflows
      from external_flows f where f.portfolio_id = any(${ids}::int[]) and f.flow_date <= ${asOf}::date`,
    sql<{ dimension: 'assetClass' | 'sector'; name: string; value: string; weight: number; holdings: number; asOf: string }[]>`
      with snap as (
        select h.* from holdings h
        where h.portfolio_id = any(${ids}::int[])
          and h.as_of_date = (select max(as_of_date) from holdings x where x.portfolio_id = h.portfolio_id and x.as_of_date <= ${asOf}::date)
      ), t as (select sum(market_value) as total, max(as_of_date) as as_of from snap)
      select d.dimension, d.name, sum(snap.market_value)::text as value, (sum(snap.market_value) / nullif(max(t.total), 0))::float8 as weight,
             count(*)::int as holdings, max(t.as_of)::text as "asOf"
      from snap join securities s on s.id = snap.security_id cross join t
      cross join lateral (values ('assetClass', coalesce(s.asset_class, 'Unclassified')), ('sector', coalesce(s.sector, 'Unclassified'))) d(dimension, name)
      group by d.dimension, d.name order by d.dimension, sum(snap.market_value) desc`,
    sql<{ name: string; isin: string | null; assetClass: string | null; sector: string | null; quantity: string; marketValue: string; weight: number }[]>`
      with snap as (
        select h.* from holdings h
        where h.portfolio_id = any(${ids}::int[])
          and h.as_of_date = (select max(as_of_date) from holdings x where x.portfolio_id = h.portfolio_id and x.as_of_date <= ${asOf}::date)
      )
      select s.name, s.isin, s.asset_class as "assetClass", s.sector, sum(snap.quantity)::text as quantity, sum(snap.market_value)::text as "marketValue",
             (sum(snap.market_value) / nullif((select sum(market_value) from snap), 0))::float8 as weight
      from snap join securities s on s.id = snap.security_id
      group by s.id order by sum(snap.market_value) desc, s.name limit 10`,
    sql<{ date: string; portfolioCode: string; typeCode: string; amount: string; source: string }[]>`
      select f.flow_date::text as date, p.portfolio_code as "portfolioCode", f.type_code as "typeCode", f.amount::text as amount, f.source
      from external_flows f join portfolios p on p.id = f.portfolio_id
      where f.portfolio_id = any(${ids}::int[]) and f.flow_date >= ${from}::date and f.flow_date <= ${to}::date
      order by f.flow_date, p.portfolio_code`,
    sql<{ date: string; portfolioCode: string; typeCode: string; classification: string; description: string | null; security: string | null; quantity: string | null; rate: string | null; amount: string }[]>`
      select t.trade_date::text as date, p.portfolio_code as "portfolioCode", t.type_code as "typeCode", t.classification, t.description,
        s.name as security, t.quantity::text as quantity, t.rate::text as rate, t.net_amount::text as amount
      from transactions t join portfolios p on p.id = t.portfolio_id left join securities s on s.id = t.security_id
      where t.portfolio_id = any(${ids}::int[]) and t.trade_date >= ${from}::date and t.trade_date <= ${to}::date
      order by t.trade_date, p.portfolio_code, t.id limit ${MAX_PDF_TRANSACTIONS}`,
    sql<{ n: number }[]>`
      select count(*)::int as n from transactions t where t.portfolio_id = any(${ids}::int[]) and t.trade_date >= ${from}::date and t.trade_date <= ${to}::date`,
    feeTotals(sql, ids, from, to),
    feeTotals(sql, ids, null, asOf),
  ]);

  // High-water marks: the compliance feature's replay of each portfolio's plan over its values up to the as-of date,
  // for the portfolios whose resolved plan (stored plan → config → master rates, methodology §10.6) has a performance fee.
  const plans = await loadFeePlans(sql, { scope: p.scope, portfolioIds: ids });
  const withPerformanceFee = ids.filter((id) => {
    const plan = plans.get(id)?.plan;
    return plan !== undefined && new Decimal(plan.performanceFeeRate).gt(0);
  });
  const feeData = await loadFeeData(sql, { scope: p.scope, portfolioIds: withPerformanceFee, plans });
  const hwm = feeData.map((d) =>
    hwmReport({ ...d, valuations: d.valuations.filter((v) => v.date <= asOf), flows: d.flows.filter((f) => f.date <= asOf), fees: d.fees.filter((f) => f.date <= asOf) }),
  );

  return {
    client: { id: client!.id, code: client!.code, name: client!.name, status: client!.status, onboardingDate: client!.onboardingDate, riskProfile: client!.riskProfile, city: client!.city, rm: client!.rmCode ? { code: client!.rmCode, name: client!.rmName! } : null, salesforceAccountId: client!.salesforceAccountId },
    asOf,
    from,
    to,
    inceptionDate: perf.inception ?? portfolios.map((x) => x.inception).sort()[0] ?? null,
    benchmark: perf.benchmark,
    summary: { value: totals!.value, netInvested: totals!.netInvested, inflows: totals!.inflows, outflows: totals!.outflows, gain: subtract(totals!.value, totals!.netInvested) },
    periods,
    growth,
    portfolios: portfolios.map(({ id: _i, ...x }) => x),
    allocation: {
      asOf: allocation[0]?.asOf ?? null,
      byAssetClass: allocation.filter((a) => a.dimension === 'assetClass').map(({ name, value, weight, holdings: n }) => ({ name, value, weight, holdings: n })),
      bySector: allocation.filter((a) => a.dimension === 'sector').map(({ name, value, weight, holdings: n }) => ({ name, value, weight, holdings: n })),
    },
    topHoldings: holdings,
    flows,
    transactions,
    transactionCount: txnCount[0]!.n,
    fees: { period: feesPeriod, sinceInception: feesSi },
    hwm: hwm.map((h) => ({
      portfolioCode: h.portfolioCode,
      performanceFeeRate: String(h.plan.performanceFeeRate),
      value: h.value,
      highWaterMark: h.highWaterMark,
      hurdleThreshold: h.hurdleThreshold,
      distance: h.distance,
      distanceRatio: h.distanceRatio,
      lastCrystallised: h.crystallisations.at(-1)?.date ?? null,
      nextPerformanceCharge: h.nextPerformanceCharge,
    })),
  };
}

export interface EntityPerformance {
  /** The entity's last valuation date on or before the requested date. */
  asOf: string;
  inception: string | null;
  benchmark: string | null;
  periods: PeriodFigure[];
  growth: ClientReportData['growth'];
}

/** An analytics entity's standard periods and growth/drawdown series as of a date (its last date by default). */
export async function entityPerformance(sql: Queryable, entityType: string, entityId: number, asOf?: string, opts: { stored?: boolean } = {}): Promise<EntityPerformance> {
  const [entity] = await sql<{ benchmarkId: number | null; inception: string | null; asOf: string | null; benchmarkName: string | null }[]>`
    select e.benchmark_id as "benchmarkId", e.inception_date::text as inception, e.as_of::text as "asOf", b.name as "benchmarkName"
    from analytics_entities e left join benchmarks b on b.id = e.benchmark_id
    where e.entity_type = ${entityType} and e.entity_id = ${entityId}`;
  const requested = asOf ?? entity?.asOf ?? new Date().toISOString().slice(0, 10);
  const series = await sql<SeriesRow[]>`
    select value_date::text as date, value::text as value, net_flow::text as net_flow, log_growth, n, s_r, s_r2, s_dn2, pn, s_pr, s_pr2, s_b, s_b2, s_rb, max_drawdown
    from analytics_series where entity_type = ${entityType} and entity_id = ${entityId} and value_date <= ${requested}::date order by value_date`;
  const last = series.at(-1)?.date ?? requested;
  const bench = entity?.benchmarkId
    ? await sql<{ date: string; lg: number }[]>`
        select value_date::text as date, log_growth as lg from benchmark_series
        where benchmark_id = ${entity.benchmarkId} and value_date <= ${last}::date order by value_date`
    : [];
  const periods = await periodFigures(sql, entityType, entityId, entity, series, bench, last, opts.stored ?? true);
  const benchAt = alignBenchmark(series.map((s) => s.date), bench);
  const growth = growthSeries(series.map((s, i) => ({ date: s.date, lg: s.log_growth, blg: benchAt[i] ?? null })));
  return { asOf: last, inception: entity?.inception ?? null, benchmark: entity?.benchmarkName ?? null, periods, growth };
}

async function feeTotals(sql: Queryable, ids: number[], from: string | null, to: string) {
  const rows = await sql<{ typeCode: string; amount: string; gst: string; count: number }[]>`
    select t.type_code as "typeCode", sum(abs(t.net_amount))::text as amount, coalesce(sum(abs(t.service_tax)), 0)::text as gst, count(*)::int as count
    from transactions t
    where t.portfolio_id = any(${ids}::int[]) and t.classification = 'fee' and t.trade_date <= ${to}::date
      ${from ? sql`and t.trade_date >= ${from}::date` : sql``}
    group by t.type_code order by t.type_code`;
  return rows.map((r) => ({ ...r, label: FEE_LABELS[r.typeCode] ?? (r.typeCode.startsWith('E') ? `Other expense (${r.typeCode})` : r.typeCode) }));
}

/** a − b on decimal strings, exact to the paisa. */
const subtract = (a: string, b: string) => new Decimal(a).minus(b).toFixed(2);

/** The benchmark's log growth on each series date (the last benchmark day on or before it), null before the first. */
export function alignBenchmark(dates: string[], bench: { date: string; lg: number }[]): (number | null)[] {
  const out: (number | null)[] = [];
  let j = -1;
  for (const d of dates) {
    while (j + 1 < bench.length && bench[j + 1]!.date <= d) j++;
    out.push(j >= 0 ? bench[j]!.lg : null);
  }
  return out;
}

/**
 * The standard periods as of `asOf`. When `asOf` is the entity's own as-of date, the analytics worker's stored
 * snapshot (analytics_metrics) is read as is; for an earlier report date (a month-end pack) the same figures are
 * derived from the stored running series with the analytics feature's own computePeriodMetrics and XIRR rule.
 */
async function periodFigures(
  sql: Queryable,
  entityType: string,
  entityId: number,
  entity: { benchmarkId: number | null; inception: string | null; asOf: string | null } | undefined,
  series: SeriesRow[],
  bench: { date: string; lg: number }[],
  asOf: string,
  stored: boolean,
): Promise<PeriodFigure[]> {
  if (!entity?.asOf || !entity.inception || series.length === 0) return [];
  if (stored && entity.asOf === asOf) {
    const rows = (await periodMetrics(sql, entityType, [entityId])) as unknown as (PeriodFigure & { entityId: number })[];
    return rows.map(({ entityId: _e, ...r }) => r as PeriodFigure);
  }
  const rf = await sql<{ from: string; y: string }[]>`select valid_from::text as from, annual_yield::text as y from risk_free_rates order by valid_from`;
  const yieldAt = (date: string) => {
    let y = 0;
    for (const r of rf) if (r.from <= date) y = Number(r.y);
    return y;
  };
  const lastOnOrBefore = <T extends { date: string }>(rows: T[], date: string): T | null => rows[lastIndexAtOrBefore(rows, date, (r) => r.date)] ?? null;
  const flows = series.filter((s) => Number(s.net_flow) !== 0).map((s) => ({ date: s.date, amount: s.net_flow }));
  const out: PeriodFigure[] = [];
  for (const period of NAMED_PERIODS) {
    const range = periodRange(period, asOf, entity.inception);
    if (!range || !range.complete) continue;
    const bb = lastOnOrBefore(bench, range.from);
    const be = lastOnOrBefore(bench, range.to);
    const row: PeriodRow = {
      entity_type: entityType, entity_id: entityId, period, from_date: range.from, to_date: range.to, inception_date: entity.inception, days: range.days,
      benchmark_id: entity.benchmarkId, base: lastOnOrBefore(series, range.from), end: lastOnOrBefore(series, range.to),
      bench_from: bb?.lg ?? null, bench_from_date: bb?.date ?? null, bench_to: be?.lg ?? null, bench_to_date: be?.date ?? null,
    };
    const rfAnnual = yieldAt(range.to);
    const m = computePeriodMetrics(row, riskFreePerDay(rfAnnual));
    if (!m) continue;
    const inPeriod = flows.filter((f) => (row.base === null || f.date > row.base.date) && f.date <= row.end!.date);
    out.push({
      period, asOf, fromDate: range.from, toDate: range.to, days: range.days,
      twrr: m.twrr, twrrAnnualized: m.twrr_annualized, reportedReturn: m.reported_return, xirr: periodXirr(row, inPeriod),
      benchmarkReturn: m.benchmark_return, benchmarkReported: m.benchmark_reported, excessReturn: m.excess_return,
      observations: m.observations, annualVolatility: m.annual_volatility, sharpe: m.sharpe, sortino: m.sortino, downsideRisk: m.downside_risk,
      beta: m.beta, alpha: m.alpha, trackingError: m.tracking_error, informationRatio: m.information_ratio, maxDrawdown: m.max_drawdown,
      openingValue: m.opening_value, closingValue: m.closing_value,
    });
  }
  return out;
}

/** The analytics worker's XIRR rule (book-compute.ts periodXirr): opening value invested, flows, closing value received. */
function periodXirr(row: PeriodRow, flows: { date: string; amount: string }[]): number | null {
  const cfs: DatedAmount[] = [];
  if (row.base && Number(row.base.value) !== 0) cfs.push({ date: row.from_date, amount: -Number(row.base.value) });
  for (const f of flows) cfs.push({ date: f.date, amount: -Number(f.amount) });
  cfs.push({ date: row.end!.date, amount: Number(row.end!.value) });
  try {
    return xirr(cfs);
  } catch (err) {
    if (err instanceof XirrError) return null;
    throw err;
  }
}
