import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blendedIndexReturns,
  compositeTwrr,
  dailyTwrr,
  NAMED_PERIODS,
  periodReturn,
  returnsStats,
  riskFreePerDay,
  xirr,
} from '../../analytics/index.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { fromDayNumber } from '../../analytics/shared/iso-date.js';
import { computeBook } from './book-compute.js';
import { readRows } from './bulk-read.js';
import { MONTH_READ_COLUMNS, monthRowOf, SeriesState, type MonthRow } from './series-state.js';
import { loadBenchmarkDays } from './series-store.js';
import { FIXTURE_PORTFOLIOS, loadFixtureBook, type FixtureBook } from './testing/book-fixture.js';

// The pure modules (engine/src/analytics) are the documented reference: every stored figure is checked against them
// on a demo-like book (testing/book-fixture.ts: random daily returns, flows on weekends and after the last valuation,
// a full redemption, a stale feed, an index with missing days).

let t: TestApp;
let book: FixtureBook;
const AS_OF = '2024-12-31';

interface SeriesRow {
  value_date: string;
  value: string;
  net_flow: string;
  daily_return: number | null;
  log_growth: number;
  benchmark_return: number | null;
}
interface MetricRow {
  period: string;
  from_date: string;
  to_date: string;
  days: number;
  twrr: number;
  twrr_annualized: number | null;
  reported_return: number;
  xirr: number | null;
  benchmark_return: number | null;
  annual_volatility: number | null;
  sharpe: number | null;
  sortino: number | null;
  downside_risk: number | null;
  beta: number | null;
  alpha: number | null;
  tracking_error: number | null;
  information_ratio: number | null;
  max_drawdown: number | null;
  net_flows: string;
  method: string;
  as_of: string;
}

const idOf = async (table: string, col: string, code: string) =>
  (await t.db.sql.unsafe<{ id: number }[]>(`select id from ${table} where ${col} = $1`, [code]))[0]!.id;
const series = (type: string, id: number) =>
  t.db.sql<SeriesRow[]>`select value_date::text, value::text, net_flow::text, daily_return, log_growth, benchmark_return
                        from analytics_series where entity_type = ${type} and entity_id = ${id} order by value_date`;
const metrics = async (type: string, id: number) =>
  new Map(
    (
      await t.db.sql<MetricRow[]>`select *, from_date::text, to_date::text, as_of::text, net_flows::text from analytics_metrics
                                  where entity_type = ${type} and entity_id = ${id}`
    ).map((m) => [m.period, m]),
  );

/** |a − b| ≤ tol·max(1, |b|): agreement up to floating-point summation order. */
function close(a: number | null | undefined, b: number | null | undefined, tol = 1e-10) {
  if (b === null || b === undefined) return expect(a ?? null).toBeNull();
  expect(a).not.toBeNull();
  expect(Math.abs((a as number) - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
}

beforeAll(async () => {
  t = await createTestApp();
  book = await loadFixtureBook(t.db.sql, AS_OF);
  await computeBook(t.db.sql, {});
});
afterAll(() => t.close());

const benchmarkOf: Record<string, [string, number][]> = {
  LCE: [['NIFTY50_TRI', 1]],
  DBT: [['CRISIL_COMPOSITE_BOND_PROXY', 1]],
  HYB: [['NIFTY50_TRI', 0.5], ['CRISIL_COMPOSITE_BOND_PROXY', 0.5]],
  MAS: [['NIFTY50_TRI', 0.65], ['CRISIL_COMPOSITE_BOND_PROXY', 0.25], ['LIQUID_PROXY', 0.1]],
};
const benchReturns = (strategy: string) =>
  new Map(
    blendedIndexReturns({ components: benchmarkOf[strategy]!.map(([code, weight]) => ({ weight, values: book.indices.get(code)! })) }).map((r) => [r.date, r.return]),
  );

describe('portfolio series and metrics agree with the pure modules', () => {
  for (const p of FIXTURE_PORTFOLIOS) {
    it(`${p.code}: daily returns equal dailyTwrr's sub-periods, date by date`, async () => {
      const rows = await series('portfolio', await idOf('portfolios', 'portfolio_code', p.code));
      const pure = dailyTwrr({ valuations: book.valuations.get(p.code)!, flows: book.flows.get(p.code)! });
      expect(rows.length).toBe(book.valuations.get(p.code)!.length);
      const stored = rows.filter((r) => r.daily_return !== null).map((r) => ({ date: r.value_date, return: r.daily_return }));
      expect(stored).toEqual(pure.subperiods);
      close(Math.exp(rows.at(-1)!.log_growth) - 1, pure.twrr, 1e-11);
    });

    it(`${p.code}: every period's TWRR and SEBI figure equal periodReturn (null ⇔ no row)`, async () => {
      const m = await metrics('portfolio', await idOf('portfolios', 'portfolio_code', p.code));
      const asOf = book.valuations.get(p.code)!.at(-1)!.date;
      for (const period of NAMED_PERIODS) {
        const pure = periodReturn({ period, asOf, inceptionDate: p.inception, valuations: book.valuations.get(p.code)!, flows: book.flows.get(p.code)! });
        const row = m.get(period);
        expect(row === undefined, `${p.code} ${period}`).toBe(pure === null);
        if (!pure || !row) continue;
        expect([row.from_date, row.to_date, row.days, row.as_of]).toEqual([pure.from, pure.to, pure.days, asOf]);
        close(row.reported_return, pure.return, 1e-11);
        expect(row.twrr_annualized !== null).toBe(pure.annualized);
        expect(row.method).toContain('TWRR');
      }
    });
  }

  it('TP1 SI risk statistics equal returnsStats on its daily returns vs the strategy benchmark', async () => {
    const id = await idOf('portfolios', 'portfolio_code', 'TP1');
    const rows = (await series('portfolio', id)).filter((r) => r.daily_return !== null);
    const bench = benchReturns('LCE');
    const rf = riskFreePerDay(0.065);
    const pure = returnsStats({ returns: rows.map((r) => r.daily_return), benchmark: rows.map((r) => bench.get(r.value_date) ?? null), riskFree: rf });
    const si = (await metrics('portfolio', id)).get('SI')!;
    close(si.annual_volatility, pure.annualVolatility, 1e-9);
    close(si.sharpe, pure.sharpe, 1e-9);
    close(si.sortino, pure.sortino, 1e-9);
    close(si.downside_risk, pure.downsideRisk, 1e-9);
    close(si.beta, pure.beta, 1e-9);
    close(si.alpha, pure.alpha, 1e-9);
    close(si.tracking_error, pure.trackingError, 1e-9);
    close(si.information_ratio, pure.informationRatio, 1e-9);
    close(si.max_drawdown, pure.maxDrawdown, 1e-11);
    expect(rows.map((r) => r.benchmark_return)).toEqual(rows.map((r) => bench.get(r.value_date) ?? null));
  });

  it('TP5 1Y risk statistics (a trailing window: differences of running sums) equal returnsStats on the window', async () => {
    const id = await idOf('portfolios', 'portfolio_code', 'TP5');
    const oneYear = (await metrics('portfolio', id)).get('1Y')!;
    const rows = (await series('portfolio', id)).filter((r) => r.daily_return !== null && r.value_date > oneYear.from_date);
    const bench = benchReturns('MAS');
    const pure = returnsStats({ returns: rows.map((r) => r.daily_return), benchmark: rows.map((r) => bench.get(r.value_date) ?? null), riskFree: riskFreePerDay(0.065) });
    close(oneYear.annual_volatility, pure.annualVolatility, 1e-8);
    close(oneYear.sharpe, pure.sharpe, 1e-8);
    close(oneYear.beta, pure.beta, 1e-8);
    close(oneYear.tracking_error, pure.trackingError, 1e-8);
    close(oneYear.information_ratio, pure.informationRatio, 1e-8);
    expect(oneYear.max_drawdown).toBeNull(); // stored for SI only
  });

  it('TP1 SI benchmark return is the chained blended benchmark over the same dates', async () => {
    const si = (await metrics('portfolio', await idOf('portfolios', 'portfolio_code', 'TP1'))).get('SI')!;
    let growth = 1;
    for (const [date, r] of benchReturns('LCE')) if (date > si.from_date && date <= si.to_date) growth *= 1 + r;
    close(si.benchmark_return, growth - 1, 1e-11);
  });

  it('TP1 SI XIRR equals xirr of its flows (investor side) and closing value', async () => {
    const si = (await metrics('portfolio', await idOf('portfolios', 'portfolio_code', 'TP1'))).get('SI')!;
    const vals = book.valuations.get('TP1')!;
    const valDates = vals.map((v) => v.date);
    // Each flow on the valuation date it is valued with (the first on or after its date); the one after the end drops out.
    const cfs = book.flows
      .get('TP1')!
      .map((f) => ({ date: valDates.find((d) => d >= f.date), amount: -Number(f.amount) }))
      .filter((f): f is { date: string; amount: number } => f.date !== undefined);
    cfs.push({ date: vals.at(-1)!.date, amount: Number(vals.at(-1)!.value) });
    close(si.xirr, xirr(cfs), 1e-9);
    const netFlows = cfs.slice(0, -1).reduce((s, f) => s - f.amount, 0);
    expect(Number(si.net_flows)).toBeCloseTo(netFlows, 2);
  });

  it('TP1 XIRR over periods without flows (closed form) equals the solver on the same two cash flows', async () => {
    const all = await metrics('portfolio', await idOf('portfolios', 'portfolio_code', 'TP1'));
    const vals = book.valuations.get('TP1')!;
    const flowDates = book.flows.get('TP1')!.map((f) => f.date);
    let checked = 0;
    for (const m of all.values()) {
      if (flowDates.some((d) => d > m.from_date && d <= m.to_date)) continue;
      const opening = [...vals].reverse().find((v) => v.date <= m.from_date)!;
      const closing = vals.at(-1)!;
      close(m.xirr, xirr([{ date: m.from_date, amount: -Number(opening.value) }, { date: closing.date, amount: Number(closing.value) }]), 1e-9);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('the analytics_series view over the packed months', () => {
  it('gives each day the running state SeriesState reaches replaying the stored months (client TC1)', async () => {
    const id = await idOf('clients', 'client_code', 'TC1');
    const [e] = await t.db.sql<{ benchmark_id: number }[]>`select benchmark_id from analytics_entities where entity_type = 'client' and entity_id = ${id}`;
    const benches = await t.db.sql.begin((tx) => loadBenchmarkDays(tx));
    const months: MonthRow[] = [];
    await t.db.sql.begin((tx) =>
      readRows(tx, t.db.kind, `select * from analytics_series_months where entity_type = 'client' and entity_id = ${id} order by month`, MONTH_READ_COLUMNS, (cells) =>
        months.push(monthRowOf(cells)),
      ),
    );
    type Day = { date: string; daily_return: number | null; log_growth: number; n: number; s_r: number; s_dn2: number; pn: number; s_rb: number; peak: number; mdd: number };
    const expected: Day[] = [];
    for (const m of months) {
      const state = new SeriesState(m.c, benches.get(e!.benchmark_id));
      for (let i = 0; i < m.len; i++) {
        const v = m.value[i]!;
        if (Number.isNaN(v)) continue;
        const f = m.flow[i]!;
        const r = state.add(m.month + i, v, Number.isNaN(f) ? 0 : f);
        expected.push({
          date: fromDayNumber(m.month + i), daily_return: Number.isNaN(r) ? null : r, log_growth: state.lg, n: state.n, s_r: state.s_r, s_dn2: state.s_dn2,
          pn: state.pn, s_rb: state.s_rb, peak: state.peak, mdd: state.mdd,
        });
      }
    }
    const rows = await t.db.sql<Day[]>`
      select value_date::text as date, daily_return, log_growth, n, s_r, s_dn2, pn, s_rb, peak_log_growth as peak, max_drawdown as mdd
      from analytics_series where entity_type = 'client' and entity_id = ${id} order by value_date`;
    expect(rows.length).toBe(expected.length);
    expect(rows.length).toBeGreaterThan(300);
    for (const [i, r] of rows.entries()) {
      const x = expected[i]!;
      // The return is the same arithmetic on the same numbers: equal to the last bit. Sums may differ in rounding.
      expect([r.date, r.daily_return, r.n, r.pn]).toEqual([x.date, x.daily_return, x.n, x.pn]);
      for (const k of ['log_growth', 's_r', 's_dn2', 's_rb', 'peak', 'mdd'] as const) close(r[k], x[k], 1e-12);
    }
  });
});

describe('aggregates pool values and flows like compositeTwrr', () => {
  const members = (codes: string[]) => codes.map((c) => ({ valuations: book.valuations.get(c)!, flows: book.flows.get(c)! }));
  const cases: [string, string, string, string[]][] = [
    ['client TC1', 'client', 'TC1', ['TP1', 'TP2']],
    ['strategy LCE', 'strategy', 'LCE', ['TP1', 'TP3']],
    ['rm TR2', 'rm', 'TR2', ['TP3', 'TP4', 'TP5']],
    ['team TR1 (TR1 and TR2)', 'team', 'TR1', ['TP1', 'TP2', 'TP3', 'TP4', 'TP5']],
    ['firm', 'firm', '', ['TP1', 'TP2', 'TP3', 'TP4', 'TP5']],
  ];
  for (const [label, type, code, codes] of cases) {
    it(`${label}: pooled values and daily returns equal compositeTwrr`, async () => {
      const id =
        type === 'firm' ? 0 : type === 'client' ? await idOf('clients', 'client_code', code) : type === 'strategy' ? await idOf('strategies', 'code', code) : await idOf('relationship_managers', 'rm_code', code);
      const rows = await series(type, id);
      const pure = compositeTwrr(members(codes));
      expect(rows.map((r) => ({ date: r.value_date, value: r.value }))).toEqual(pure.pooledValuations.map((v) => ({ date: v.date, value: Number(v.value).toFixed(2) })));
      expect(rows.filter((r) => r.daily_return !== null).map((r) => ({ date: r.value_date, return: r.daily_return }))).toEqual(pure.subperiods);
      const si = (await metrics(type, id)).get('SI');
      close(si?.twrr, pure.twrr, 1e-11);
    });
  }
});

describe('incremental recompute', () => {
  /** The stored series and metrics (twins read through) as they are, then after a full rebuild: the same. */
  const expectSameAsFullRebuild = async () => {
    const sql = t.db.sql;
    const snapshot = async () => ({
      series: await sql`select entity_type, entity_id, value_date::text, value::text, net_flow::text, daily_return, log_growth, benchmark_return, n, s_r, s_rb, max_drawdown
                        from analytics_series order by 1, 2, 3`,
      metrics: await sql`select entity_type, entity_id, period, as_of::text, twrr, reported_return, xirr, benchmark_return, sharpe, beta, tracking_error
                         from analytics_metrics order by 1, 2, 3`,
      entities: await sql`select entity_type, entity_id, benchmark_id, first_date::text, as_of::text, last_value::text, twin_of from analytics_entities order by 1, 2`,
      benchmarks: await sql`select benchmark_id, value_date::text, daily_return, log_growth from benchmark_series order by 1, 2`,
    });
    const incremental = await snapshot();
    const full = await computeBook(sql, { full: true, kind: t.db.kind });
    expect(full.mode).toBe('full');
    const rebuilt = await snapshot();
    expect(incremental.entities).toEqual(rebuilt.entities);
    // Benchmarks continued from their last kept row: the same returns and log growth, to the last bit.
    expect(incremental.benchmarks).toEqual(rebuilt.benchmarks);
    expect(incremental.series.length).toBe(rebuilt.series.length);
    expect(incremental.metrics.length).toBe(rebuilt.metrics.length);
    for (const [i, a] of incremental.series.entries()) {
      const b = rebuilt.series[i]!;
      expect([a.entity_type, a.entity_id, a.value_date, a.value, a.net_flow, a.daily_return, a.benchmark_return, a.n]).toEqual([
        b.entity_type, b.entity_id, b.value_date, b.value, b.net_flow, b.daily_return, b.benchmark_return, b.n,
      ]);
      close(a.log_growth as number, b.log_growth as number, 1e-12);
      close(a.s_rb as number, b.s_rb as number, 1e-12);
    }
    for (const [i, a] of incremental.metrics.entries()) {
      const b = rebuilt.metrics[i]!;
      expect([a.entity_type, a.entity_id, a.period, a.as_of]).toEqual([b.entity_type, b.entity_id, b.period, b.as_of]);
      for (const k of ['twrr', 'reported_return', 'xirr', 'benchmark_return', 'sharpe', 'beta', 'tracking_error']) close(a[k] as number | null, b[k] as number | null, 1e-9);
    }
  };
  it('after one more day, a back-dated correction and a new flow, equals a full rebuild', async () => {
    const sql = t.db.sql;
    const next = '2025-01-01';
    await sql`insert into valuations (portfolio_id, valuation_date, market_value)
              select v.portfolio_id, ${next}, round(v.market_value * 1.003, 2) from valuations v
              where v.valuation_date = (select max(valuation_date) from valuations w where w.portfolio_id = v.portfolio_id)`;
    await sql`insert into index_values (index_code, value_date, value) select index_code, ${next}, value * 1.002 from index_values where value_date = '2024-12-31'`;
    await sql`update valuations set market_value = market_value + 1000 where portfolio_id = (select id from portfolios where portfolio_code = 'TP3') and valuation_date = '2024-06-14'`;
    await sql`insert into capital_flows (portfolio_id, source_key, flow_date, type_code, amount)
              values ((select id from portfolios where portfolio_code = 'TP1'), 'LATE', '2024-09-02', 'CS+', 250000)`;
    const dirty = await sql<{ n: number }[]>`select count(*)::int as n from analytics_dirty`;
    expect(dirty[0]!.n).toBe(5);

    const inc = await computeBook(sql, { kind: t.db.kind });
    expect(inc.mode).toBe('incremental');
    expect(inc.portfolios).toBe(5);
    await expectSameAsFullRebuild();
    // Nothing left to do: a second incremental run touches nothing.
    const idle = await computeBook(sql, {});
    expect([idle.portfolios, idle.groups, idle.seriesRows, idle.metricRows]).toEqual([0, 0, 0, 0]);
  });

  it('after one more day and a back-dated index correction (portfolios recomputed from before the new day), equals a full rebuild', async () => {
    const sql = t.db.sql;
    // The portfolios are dirty from the new day; the corrected index makes those compared with it dirty from June: their
    // opening states in June to December are those of the months rewritten with the corrected benchmark returns.
    await sql`insert into valuations (portfolio_id, valuation_date, market_value)
              select v.portfolio_id, '2025-01-02', round(v.market_value * 0.998, 2) from valuations v
              where v.valuation_date = (select max(valuation_date) from valuations w where w.portfolio_id = v.portfolio_id)`;
    await sql`insert into index_values (index_code, value_date, value) select index_code, '2025-01-02', value * 0.997 from index_values where value_date = '2025-01-01'`;
    await sql`update index_values set value = value * 1.01 where index_code = 'NIFTY50_TRI' and value_date = '2024-06-14'`;
    const inc = await computeBook(sql, { kind: t.db.kind });
    expect(inc.mode).toBe('incremental');
    await expectSameAsFullRebuild();
  });

  it('a client left with one portfolio becomes its twin, one given a second is pooled and stored again', async () => {
    const sql = t.db.sql;
    const [tc1, tc2, tp3] = [await idOf('clients', 'client_code', 'TC1'), await idOf('clients', 'client_code', 'TC2'), await idOf('portfolios', 'portfolio_code', 'TP3')];
    const twinOf = async (id: number) => (await sql<{ twin_of: number | null }[]>`select twin_of from analytics_entities where entity_type = 'client' and entity_id = ${id}`)[0]!.twin_of;
    const storedMonths = async (id: number) => (await sql<{ n: number }[]>`select count(*)::int as n from analytics_series_months where entity_type = 'client' and entity_id = ${id}`)[0]!.n;
    expect([await twinOf(tc1), await twinOf(tc2)]).toEqual([null, tp3]);
    expect(await storedMonths(tc2)).toBe(0);
    // TP2 moves from TC1 (left with TP1) to TC2 (now TP3 and TP2).
    await sql`update portfolios set client_id = ${tc2} where portfolio_code = 'TP2'`;
    const inc = await computeBook(sql, { kind: t.db.kind });
    expect(inc.mode).toBe('incremental');
    expect([await twinOf(tc1), await twinOf(tc2)]).toEqual([await idOf('portfolios', 'portfolio_code', 'TP1'), null]);
    expect(await storedMonths(tc1)).toBe(0);
    expect(await storedMonths(tc2)).toBeGreaterThan(12);
    await expectSameAsFullRebuild();
  });
});

describe('an opening month without rows', () => {
  it('opens the period at the last row before it (a whole month of valuations missing)', async () => {
    const sql = t.db.sql;
    const tp5 = FIXTURE_PORTFOLIOS.find((p) => p.code === 'TP5')!;
    const id = await idOf('portfolios', 'portfolio_code', 'TP5');
    await sql`delete from valuations where portfolio_id = ${id} and valuation_date between '2024-10-01' and '2024-10-31'`;
    await computeBook(sql, { kind: t.db.kind });
    // One more day: the next run rewrites only January, so October (no row) is an opening month it reads as stored.
    await sql`insert into valuations (portfolio_id, valuation_date, market_value)
              select portfolio_id, '2025-01-06', round(market_value * 1.004, 2) from valuations
              where portfolio_id = ${id} and valuation_date = (select max(valuation_date) from valuations where portfolio_id = ${id})`;
    await computeBook(sql, { kind: t.db.kind });
    const valuations = await sql<{ date: string; value: string }[]>`
      select valuation_date::text as date, market_value::text as value from valuations where portfolio_id = ${id} order by valuation_date`;
    const stored = (await metrics('portfolio', id)).get('3M')!;
    const pure = periodReturn({ period: '3M', asOf: '2025-01-06', inceptionDate: tp5.inception, valuations, flows: book.flows.get('TP5')! })!;
    expect([stored.from_date, stored.as_of]).toEqual([pure.from, '2025-01-06']);
    expect(pure.from.startsWith('2024-10')).toBe(true);
    close(stored.reported_return, pure.return, 1e-11);
  });
});
