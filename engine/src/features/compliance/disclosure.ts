import ExcelJS from 'exceljs';
import { annualize, compositeTwrr, periodReturn, type CompositeMember } from '../../analytics/index.js';
import { periodRange } from '../../analytics/periods/period-range.js';
import { lastIndexAtOrBefore } from '../../analytics/shared/sorted-search.js';
import type { Queryable } from '../../db/client.js';

/** The periods of the SEBI/APMI monthly performance report (circular SEBI/HO/IMD/IMD-PoD-2/P/CIR/2022/172). */
export const DISCLOSURE_PERIODS = ['1M', '3M', '6M', '1Y', '2Y', '3Y', '5Y', 'SI'] as const;
export type DisclosurePeriod = (typeof DISCLOSURE_PERIODS)[number];

export interface DisclosureCell {
  /** TWRR net of all fees, pooled across every portfolio of the approach: absolute under a year, annualised from a year. */
  return: number | null;
  benchmark: number | null;
  annualized: boolean | null;
}

export interface DisclosureRow {
  strategyId: number;
  strategyCode: string;
  strategyName: string;
  sebiCategory: string;
  benchmark: string | null;
  asOf: string | null;
  source: 'precomputed' | 'computed';
  periods: Record<DisclosurePeriod, DisclosureCell>;
}

const empty = (): Record<DisclosurePeriod, DisclosureCell> =>
  Object.fromEntries(DISCLOSURE_PERIODS.map((p) => [p, { return: null, benchmark: null, annualized: null }])) as Record<DisclosurePeriod, DisclosureCell>;

/**
 * Per investment approach: pooled TWRR net of fees vs its APMI benchmark for the report periods. Reads the analytics
 * worker's strategy metrics when they are as of `asOf` (or no `asOf` is asked); otherwise computes from valuations and
 * flows with compositeTwrr + periodReturn. Firm-wide by nature: SEBI forbids selecting clients, so no client filter applies.
 */
export async function disclosureTable(sql: Queryable, p: { asOf?: string }): Promise<DisclosureRow[]> {
  const strategies = await sql<{ id: number; code: string; name: string; sebiCategory: string; benchmarkId: number | null; benchmark: string | null }[]>`
    select s.id, s.code, s.name, s.sebi_category as "sebiCategory", s.benchmark_id as "benchmarkId", b.name as benchmark
    from strategies s left join benchmarks b on b.id = s.benchmark_id order by s.code`;
  const metrics = await sql<{ id: number; period: DisclosurePeriod; asOf: string; reported: number | null; bench: number | null; days: number }[]>`
    select entity_id as id, period, as_of::text as "asOf", reported_return as reported, benchmark_reported as bench, days
    from analytics_metrics where entity_type = 'strategy' and period = any(${[...DISCLOSURE_PERIODS]}::text[])`;
  const rows: DisclosureRow[] = [];
  for (const s of strategies) {
    const own = metrics.filter((m) => m.id === s.id);
    const base = { strategyId: s.id, strategyCode: s.code, strategyName: s.name, sebiCategory: s.sebiCategory, benchmark: s.benchmark };
    if (own.length && (p.asOf === undefined || own.every((m) => m.asOf === p.asOf))) {
      const periods = empty();
      for (const m of own) periods[m.period] = { return: m.reported, benchmark: m.bench, annualized: m.days >= 365 };
      rows.push({ ...base, asOf: own[0]!.asOf, source: 'precomputed', periods });
      continue;
    }
    rows.push({ ...base, ...(await computeRow(sql, s.id, s.benchmarkId, p.asOf)), source: 'computed' });
  }
  return rows;
}

async function computeRow(sql: Queryable, strategyId: number, benchmarkId: number | null, asOf: string | undefined) {
  const limit = asOf ?? '9999-12-31';
  const vals = await sql<{ pid: number; date: string; value: string }[]>`
    select v.portfolio_id as pid, v.valuation_date::text as date, v.market_value::text as value
    from valuations v join portfolios p on p.id = v.portfolio_id
    where p.strategy_id = ${strategyId} and v.valuation_date <= ${limit}::date order by v.portfolio_id, v.valuation_date`;
  const flows = await sql<{ pid: number; date: string; amount: string }[]>`
    select f.portfolio_id as pid, f.flow_date::text as date, f.amount::text from external_flows f join portfolios p on p.id = f.portfolio_id
    where p.strategy_id = ${strategyId} and f.flow_date <= ${limit}::date`;
  const members = new Map<number, { valuations: { date: string; value: string }[]; flows: { date: string; amount: string }[] }>();
  const m = (pid: number) => members.get(pid) ?? members.set(pid, { valuations: [], flows: [] }).get(pid)!;
  for (const v of vals) m(v.pid).valuations.push({ date: v.date, value: v.value });
  for (const f of flows) m(f.pid).flows.push({ date: f.date, amount: f.amount });
  const periods = empty();
  const list: CompositeMember[] = [...members.values()].filter((x) => x.valuations.length);
  if (list.length === 0) return { asOf: null, periods };
  const pooled = compositeTwrr(list);
  const dates = pooled.pooledValuations.map((v) => v.date);
  const to = asOf ?? dates[dates.length - 1]!;
  const inception = dates[0]!;
  const bench = benchmarkId === null ? [] : await sql<{ date: string; lg: number }[]>`
    select value_date::text as date, log_growth as lg from benchmark_series where benchmark_id = ${benchmarkId} and value_date <= ${to}::date order by value_date`;
  const lgOn = (d: string): number | null => {
    const i = lastIndexAtOrBefore(bench, d, (b) => b.date);
    return i < 0 ? null : bench[i]!.lg;
  };
  for (const period of DISCLOSURE_PERIODS) {
    const r = periodReturn({ period, asOf: to, inceptionDate: inception, valuations: pooled.pooledValuations, flows: pooled.pooledFlows });
    if (r === null) continue;
    const range = periodRange(period, to, inception);
    const a = range ? lgOn(range.from) : null;
    const b = lgOn(to);
    // SI: the benchmark from the strategy's base date (its first benchmark level when the series starts later)
    const from = a ?? (period === 'SI' && bench.length ? bench[0]!.lg : null);
    periods[period] = { return: r.return, benchmark: from !== null && b !== null ? annualize(Math.exp(b - from) - 1, r.days).value : null, annualized: r.annualized };
  }
  return { asOf: to, periods };
}

const pct = (v: number | null) => (v === null ? '' : (v * 100).toFixed(2));

/** The monthly report table as CSV: one line per investment approach, returns in % to two decimals. */
export function disclosureCsv(rows: DisclosureRow[]): string {
  const header = ['Investment approach', 'Code', 'SEBI strategy', 'Benchmark', 'As of'];
  for (const p of DISCLOSURE_PERIODS) header.push(`${p} return %`, `${p} benchmark %`);
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [header.map(q).join(',')];
  for (const r of rows) {
    const cells = [r.strategyName, r.strategyCode, r.sebiCategory, r.benchmark ?? '', r.asOf ?? ''];
    for (const p of DISCLOSURE_PERIODS) cells.push(pct(r.periods[p].return), pct(r.periods[p].benchmark));
    lines.push(cells.map(q).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The same table as an XLSX workbook (returns as numbers formatted 0.00%). */
export async function disclosureXlsx(rows: DisclosureRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Performance disclosure');
  const header = ['Investment approach', 'Code', 'SEBI strategy', 'Benchmark', 'As of'];
  for (const p of DISCLOSURE_PERIODS) header.push(`${p} return`, `${p} benchmark`);
  ws.addRow(header).font = { bold: true };
  for (const r of rows) {
    const cells: (string | number | null)[] = [r.strategyName, r.strategyCode, r.sebiCategory, r.benchmark ?? '', r.asOf ?? ''];
    for (const p of DISCLOSURE_PERIODS) cells.push(r.periods[p].return, r.periods[p].benchmark);
    ws.addRow(cells);
  }
  for (let c = 6; c <= header.length; c++) ws.getColumn(c).numFmt = '0.00%';
  ws.addRow([]);
  ws.addRow(['TWRR net of all fees and expenses, pooled across all portfolios of the approach; under one year absolute, from one year annualised (SEBI circular SEBI/HO/IMD/IMD-PoD-2/P/CIR/2022/172).']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
