import type { Queryable } from '../../db/client.js';
import { DAYS_PER_YEAR, periodRange, periodReturn, type NamedPeriod } from '../../analytics/index.js';

export type LikelyCause = 'flow-timing' | 'fee-treatment' | 'missing-price' | 'no-data' | 'unexplained';

export interface ReconciliationItem {
  portfolioId: number;
  portfolioCode: string;
  period: string;
  fromDate: string | null;
  toDate: string;
  days: number | null;
  /** Wealth Spectrum's figure (SEBI convention: absolute under a year, annualised from a year). */
  reported: number;
  ours: number | null;
  differenceBp: number | null;
  reportedBenchmark: number | null;
  ourBenchmark: number | null;
  benchmarkDifferenceBp: number | null;
  likelyCause: LikelyCause;
  evidence: string[];
}

export interface Reconciliation {
  thresholdBp: number;
  checked: number;
  withinThreshold: number;
  differences: ReconciliationItem[];
}

interface ReportedRow {
  portfolio_id: number;
  portfolio_code: string;
  inception_date: string;
  benchmark_id: number | null;
  period: string;
  from_date: string | null;
  to_date: string;
  reported_twrr: number;
  reported_benchmark_twrr: number | null;
}

const bp = (x: number) => Math.round(x * 1e6) / 100; // basis points to 2 decimals
const sebi = (r: number, days: number) => (days >= DAYS_PER_YEAR ? Math.pow(1 + r, DAYS_PER_YEAR / days) - 1 : r);

/**
 * Compares Wealth Spectrum's reported TWRR (import kind `reported-performance`) with ours over the same portfolio and
 * dates, and lists differences above `thresholdBp` with the likely cause:
 * - flow-timing: our figure recomputed with end-of-day flows (w = 0) explains the difference;
 * - fee-treatment: adding back the period's fees and expenses (reported gross of fees) explains it;
 * - missing-price: our valuations have gaps on index trading days or stop before the period end;
 * - no-data: we have no figure (portfolio not alive for the whole period, or no valuations);
 * - unexplained otherwise. A numeric explanation counts when it leaves less than half of the difference (and the best
 *   one wins); the evidence lists every finding.
 */
export async function reconcile(sql: Queryable, params: { thresholdBp?: number; portfolioCode?: string } = {}): Promise<Reconciliation> {
  const threshold = params.thresholdBp ?? 1;
  const rows = await sql<ReportedRow[]>`
    select r.portfolio_id, p.portfolio_code, p.inception_date::text, s.benchmark_id, r.period, r.from_date::text, r.to_date::text,
           r.reported_twrr, r.reported_benchmark_twrr
    from reported_performance r join portfolios p on p.id = r.portfolio_id join strategies s on s.id = p.strategy_id
    where ${params.portfolioCode ? sql`p.portfolio_code = ${params.portfolioCode}` : sql`true`}
    order by p.portfolio_code, r.to_date, r.period_key`;
  const differences: ReconciliationItem[] = [];
  let within = 0;
  for (const r of rows) {
    const item = await reconcileOne(sql, r);
    if (item.differenceBp !== null && Math.abs(item.differenceBp) <= threshold) {
      within++;
      continue;
    }
    differences.push(item);
  }
  return { thresholdBp: threshold, checked: rows.length, withinThreshold: within, differences };
}

async function reconcileOne(sql: Queryable, r: ReportedRow): Promise<ReconciliationItem> {
  const base: ReconciliationItem = {
    portfolioId: r.portfolio_id,
    portfolioCode: r.portfolio_code,
    period: r.period,
    fromDate: r.from_date,
    toDate: r.to_date,
    days: null,
    reported: r.reported_twrr,
    ours: null,
    differenceBp: null,
    reportedBenchmark: r.reported_benchmark_twrr,
    ourBenchmark: null,
    benchmarkDifferenceBp: null,
    likelyCause: 'no-data',
    evidence: [],
  };
  const range =
    r.period === 'CUSTOM' ? periodRange({ from: r.from_date!, to: r.to_date }, r.to_date, r.inception_date) : periodRange(r.period as NamedPeriod, r.to_date, r.inception_date);
  if (range === null || !range.complete) {
    base.evidence.push(`the portfolio (inception ${r.inception_date}) did not exist for the whole period`);
    return base;
  }
  Object.assign(base, { fromDate: range.from, days: range.days });
  const [pt] = await sql<{ b_lg: number | null; b_n: number | null; b_date: string | null; e_lg: number | null; e_n: number | null; e_date: string | null; bb: number | null; bb_date: string | null; be: number | null; be_date: string | null }[]>`
    select b.log_growth as b_lg, b.n as b_n, b.value_date::text as b_date, e.log_growth as e_lg, e.n as e_n, e.value_date::text as e_date,
           bb.log_growth as bb, bb.value_date::text as bb_date, be.log_growth as be, be.value_date::text as be_date
    from (select 1) x
    left join lateral (select * from analytics_series s where s.entity_type = 'portfolio' and s.entity_id = ${r.portfolio_id} and s.value_date <= ${range.from}::date order by value_date desc limit 1) b on true
    left join lateral (select * from analytics_series s where s.entity_type = 'portfolio' and s.entity_id = ${r.portfolio_id} and s.value_date <= ${range.to}::date order by value_date desc limit 1) e on true
    left join lateral (select * from benchmark_series s where s.benchmark_id = ${r.benchmark_id} and s.value_date <= ${range.from}::date order by value_date desc limit 1) bb on true
    left join lateral (select * from benchmark_series s where s.benchmark_id = ${r.benchmark_id} and s.value_date <= ${range.to}::date order by value_date desc limit 1) be on true`;
  if (pt!.bb !== null && pt!.be !== null && pt!.be_date! > pt!.bb_date!) {
    base.ourBenchmark = sebi(Math.exp(pt!.be - pt!.bb) - 1, range.days);
    if (r.reported_benchmark_twrr !== null) base.benchmarkDifferenceBp = bp(base.ourBenchmark - r.reported_benchmark_twrr);
  }
  const n = (pt!.e_n ?? 0) - (pt!.b_n ?? 0);
  if (pt!.e_date === null || pt!.e_date <= range.from || n <= 0) {
    base.evidence.push('no valuations of ours inside the period (recompute pending, or not imported)');
    return base;
  }
  const ours = sebi(Math.exp(pt!.e_lg! - (pt!.b_lg ?? 0)) - 1, range.days);
  const diff = ours - r.reported_twrr;
  Object.assign(base, { ours, differenceBp: bp(diff), likelyCause: 'unexplained' as LikelyCause });

  // Findings.
  const candidates: { cause: LikelyCause; residual: number }[] = [];
  const data = await sql<{ kind: string; d: string; amount: string }[]>`
    select 'v' as kind, valuation_date::text as d, market_value::text as amount from valuations
      where portfolio_id = ${r.portfolio_id} and valuation_date <= ${range.to}::date
    union all
    select 'f', flow_date::text, amount::text from external_flows where portfolio_id = ${r.portfolio_id} and flow_date <= ${range.to}::date
    union all
    select 'fee', trade_date::text, abs(net_amount)::text from transactions
      where portfolio_id = ${r.portfolio_id} and classification = 'fee' and trade_date > ${range.from}::date and trade_date <= ${range.to}::date`;
  const valuations = data.filter((x) => x.kind === 'v').map((x) => ({ date: x.d, value: x.amount }));
  const flows = data.filter((x) => x.kind === 'f').map((x) => ({ date: x.d, amount: x.amount }));
  const fees = data.filter((x) => x.kind === 'fee').reduce((s, x) => s + Number(x.amount), 0);
  const period = r.period === 'CUSTOM' ? { from: range.from, to: range.to } : (r.period as NamedPeriod);

  const periodFlows = flows.filter((f) => f.date > range.from);
  if (periodFlows.length) {
    const endOfDay = periodReturn({ period, asOf: r.to_date, inceptionDate: r.inception_date, valuations, flows, flowTiming: 'end' });
    if (endOfDay) {
      const residual = Math.abs(endOfDay.return - r.reported_twrr);
      base.evidence.push(`${periodFlows.length} external flow(s) in the period; with end-of-day flows ours would be ${(endOfDay.return * 100).toFixed(4)}% (${bp(endOfDay.return - r.reported_twrr)} bp from reported)`);
      candidates.push({ cause: 'flow-timing', residual });
    }
  }
  if (fees > 0) {
    const inPeriod = valuations.filter((v) => v.date > range.from);
    const average = inPeriod.reduce((s, v) => s + Number(v.value), 0) / Math.max(1, inPeriod.length);
    const drag = average > 0 ? fees / average : 0;
    const gross = sebi((1 + (Math.exp(pt!.e_lg! - (pt!.b_lg ?? 0)) - 1)) * (1 + drag) - 1, range.days);
    base.evidence.push(`fees and expenses of ₹${fees.toFixed(2)} in the period (≈ ${bp(drag)} bp of average value); gross of them ours would be ${(gross * 100).toFixed(4)}%`);
    candidates.push({ cause: 'fee-treatment', residual: Math.abs(gross - r.reported_twrr) });
  }
  const tradingDays = await sql<{ d: string }[]>`
    select value_date::text as d from benchmark_series where benchmark_id = ${r.benchmark_id} and value_date > ${range.from}::date and value_date <= ${range.to}::date`;
  const valued = new Set(valuations.map((v) => v.date));
  const missing = tradingDays.filter((t) => !valued.has(t.d) && t.d >= r.inception_date);
  const stale = pt!.e_date < range.to && tradingDays.some((t) => t.d > pt!.e_date!);
  if (missing.length || stale) {
    base.evidence.push(
      [missing.length ? `${missing.length} index trading day(s) without a valuation (first ${missing[0]!.d})` : '', stale ? `last valuation ${pt!.e_date} before the period end ${range.to}` : '']
        .filter(Boolean)
        .join('; '),
    );
  }
  const best = candidates.filter((c) => c.residual < Math.abs(diff) / 2).sort((a, b) => a.residual - b.residual)[0];
  if (best) base.likelyCause = best.cause;
  else if (missing.length || stale) base.likelyCause = 'missing-price';
  return base;
}
