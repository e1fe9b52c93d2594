import type { Queryable } from '../../../db/client.js';
import { mulberry32 } from '../../../../../scripts/demo-book/rng.js';

/** Deterministic PRNG (mulberry32, shared with the demo book) so the demo-like book is the same on every run. */
export const prng = mulberry32;

const iso = (d: Date) => d.toISOString().slice(0, 10);
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return iso(d);
}
export function businessDays(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (wd !== 0 && wd !== 6) out.push(d);
  }
  return out;
}

export interface FixturePortfolio {
  code: string;
  client: string;
  strategy: string;
  inception: string;
  /** Capital register (true) or transaction-feed flows (false). */
  capitalRegister: boolean;
  /** Skip every k-th business day (stale feed) — tests carry-forward in aggregates. */
  skipEvery?: number;
  /** Redeem everything on this date and come back 10 business days later. */
  fullRedemption?: string;
}

export const FIXTURE_PORTFOLIOS: FixturePortfolio[] = [
  { code: 'TP1', client: 'TC1', strategy: 'LCE', inception: '2023-01-02', capitalRegister: true },
  { code: 'TP2', client: 'TC1', strategy: 'DBT', inception: '2023-06-01', capitalRegister: false, skipEvery: 7 },
  { code: 'TP3', client: 'TC2', strategy: 'LCE', inception: '2023-03-15', capitalRegister: true, fullRedemption: '2023-11-15' },
  { code: 'TP4', client: 'TC3', strategy: 'HYB', inception: '2024-01-10', capitalRegister: false },
  { code: 'TP5', client: 'TC3', strategy: 'MAS', inception: '2023-02-01', capitalRegister: true },
];

export interface FixtureBook {
  valuations: Map<string, { date: string; value: string }[]>;
  flows: Map<string, { date: string; amount: string }[]>;
  indices: Map<string, { date: string; value: string }[]>;
}

/**
 * A small demo-like book: 2 RMs (TR1 manages TR2), 3 clients, 5 portfolios in 4 strategies, daily business-day
 * valuations with random returns, corpus in/out (some on weekends, one after the last valuation), a full redemption,
 * a stale feed, and index levels with a few missing days. Written straight into the tables (the import is tested
 * elsewhere).
 */
export async function loadFixtureBook(sql: Queryable, until = '2024-12-31', seed = 42): Promise<FixtureBook> {
  const rnd = prng(seed);
  const gauss = () => {
    const u = Math.max(rnd(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  };
  await sql`insert into relationship_managers (rm_code, name) values ('TR1', 'Head RM'), ('TR2', 'RM Two')`;
  await sql`update relationship_managers set manager_id = (select id from relationship_managers where rm_code = 'TR1') where rm_code = 'TR2'`;
  await sql`insert into clients (client_code, name, rm_id, onboarding_date)
            select c, 'Client ' || c, (select id from relationship_managers where rm_code = r), '2023-01-01'
            from (values ('TC1', 'TR1'), ('TC2', 'TR2'), ('TC3', 'TR2')) v(c, r)`;
  for (const p of FIXTURE_PORTFOLIOS) {
    await sql`insert into portfolios (portfolio_code, client_id, strategy_id, inception_date)
              values (${p.code}, (select id from clients where client_code = ${p.client}), (select id from strategies where code = ${p.strategy}), ${p.inception})`;
  }

  const days = businessDays('2022-12-30', until);
  const indices = new Map<string, { date: string; value: string }[]>();
  for (const [code, drift, vol, start] of [
    ['NIFTY50_TRI', 0.0005, 0.01, 20000],
    ['CRISIL_COMPOSITE_BOND_PROXY', 0.0003, 0.002, 25],
    ['LIQUID_PROXY', 0.00025, 0.0002, 4000],
  ] as const) {
    let level: number = start;
    const list: { date: string; value: string }[] = [];
    for (const [i, d] of days.entries()) {
      if (i > 0) level *= 1 + drift + vol * gauss();
      if (code === 'CRISIL_COMPOSITE_BOND_PROXY' && i % 23 === 11) continue; // bond proxy misses some days
      list.push({ date: d, value: level.toFixed(6) });
    }
    indices.set(code, list);
    await sql`insert into index_values (index_code, value_date, value)
              select ${code}, d, v from unnest(${list.map((x) => x.date)}::date[], ${list.map((x) => x.value)}::numeric[]) as u(d, v)`;
  }

  const valuations = new Map<string, { date: string; value: string }[]>();
  const flows = new Map<string, { date: string; amount: string }[]>();
  for (const p of FIXTURE_PORTFOLIOS) {
    const vals: { date: string; value: string }[] = [];
    const fl: { date: string; amount: string }[] = [];
    let value = 0;
    let pendingFlow = 0;
    let k = 0;
    let redeemedUntil = '';
    const own = days.filter((d) => d >= p.inception);
    for (const [i, d] of own.entries()) {
      let flow = 0;
      if (i === 0) flow = 5_000_000 + Math.round(rnd() * 5_000_000);
      else if (p.fullRedemption && d === p.fullRedemption) {
        flow = -value;
        redeemedUntil = own[i + 10] ?? '';
      } else if (redeemedUntil && d === redeemedUntil) flow = 2_500_000;
      else if (rnd() < 0.02) flow = Math.round((rnd() - 0.35) * 2_000_000);
      if (!(p.fullRedemption && d === p.fullRedemption) && flow < -value / 2) flow = -Math.round(value / 2);
      if (value === 0 && flow < 0) flow = 0;
      // A flow dated on the Saturday before this valuation (attaches to the next valuation date: today).
      const onWeekend = flow !== 0 && i > 0 && rnd() < 0.3 && new Date(`${d}T00:00:00Z`).getUTCDay() === 1;
      const flowDate = onWeekend ? addDays(d, -2) : d;
      const r = value > 0 && flow !== -value ? 0.0004 + 0.009 * gauss() : 0;
      value = Math.max(0, Math.round((value * (1 + r) + flow) * 100) / 100);
      if (flow !== 0) fl.push({ date: flowDate, amount: flow.toFixed(2) });
      pendingFlow += flow;
      k++;
      // A stale feed: some days have no valuation (the flow of such a day attaches to the next valuation).
      if (p.skipEvery && k % p.skipEvery === 0 && i > 0 && i < own.length - 1 && !(p.fullRedemption && d === p.fullRedemption)) continue;
      pendingFlow = 0;
      vals.push({ date: d, value: value.toFixed(2) });
    }
    void pendingFlow;
    // A flow after the last valuation: not part of any return yet.
    fl.push({ date: addDays(own[own.length - 1]!, 1), amount: '100000.00' });
    valuations.set(p.code, vals);
    flows.set(p.code, fl);
    await sql`insert into valuations (portfolio_id, valuation_date, market_value)
              select (select id from portfolios where portfolio_code = ${p.code}), d, v
              from unnest(${vals.map((x) => x.date)}::date[], ${vals.map((x) => x.value)}::numeric[]) as u(d, v)`;
    if (p.capitalRegister) {
      await sql`insert into capital_flows (portfolio_id, source_key, flow_date, type_code, amount)
                select (select id from portfolios where portfolio_code = ${p.code}), 'K' || i, d, case when a > 0 then 'CS+' else 'CS-' end, a
                from unnest(${fl.map((x) => x.date)}::date[], ${fl.map((x) => x.amount)}::numeric[]) with ordinality as u(d, a, i)`;
    } else {
      await sql`insert into transactions (portfolio_id, source_key, trade_date, type_code, classification, net_amount)
                select (select id from portfolios where portfolio_code = ${p.code}), 'T' || i, d,
                       case when a > 0 then 'CS+' else 'CS-' end, case when a > 0 then 'flow_in' else 'flow_out' end, abs(a)
                from unnest(${fl.map((x) => x.date)}::date[], ${fl.map((x) => x.amount)}::numeric[]) with ordinality as u(d, a, i)`;
      // Trades and fees are not flows.
      await sql`insert into transactions (portfolio_id, source_key, trade_date, type_code, classification, net_amount)
                values ((select id from portfolios where portfolio_code = ${p.code}), 'BUY1', ${own[3]!}, 'BY-', 'trade', 123456.78),
                       ((select id from portfolios where portfolio_code = ${p.code}), 'FEE1', ${own[5]!}, 'MGF', 'fee', 2500)`;
    }
  }
  return { valuations, flows, indices };
}
