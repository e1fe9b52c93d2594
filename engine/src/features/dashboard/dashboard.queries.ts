import type postgres from 'postgres';
import type { Queryable } from '../../db/client.js';
import { filteredClients, type ClientQuery } from '../clients/clients.queries.js';
import type { Grain } from '../performance/performance.queries.js';

/** True when no client filter narrows the set: firm-wide precomputed aggregates then equal the filtered sums. */
export function unfiltered(q: ClientQuery): boolean {
  const { period: _p, returnMetric: _m, ...rest } = q.filters;
  return q.scope.all && Object.values(rest).every((v) => v === undefined);
}

/** `fc`: the visible clients matching the filters, with AUM; `fp`: their portfolios. Every dashboard figure reads these. */
function scoped(sql: Queryable, q: ClientQuery) {
  return sql`
    fc as (select c.id, c.rm_id, c.state, c.city, c.risk_profile, c.onboarding_date, c.status, c.name, c.client_code, a.aum ${filteredClients(sql, q)}),
    fp as (select p.id, p.client_id, p.strategy_id, p.portfolio_code from portfolios p join fc on fc.id = p.client_id)`;
}

/** The bucket start of a date column; the unit is literal SQL (DISTINCT ON needs identical expressions, not parameters). */
function bucketOf(sql: Queryable, grain: Grain, col: 'value_date' | 'onboarding_date') {
  const c = sql(col);
  if (grain === 'daily') return sql`${c}::date`;
  if (grain === 'monthly') return sql`date_trunc('month', ${c})::date`;
  if (grain === 'quarterly') return sql`date_trunc('quarter', ${c})::date`;
  return sql`date_trunc('year', ${c})::date`;
}

export async function headline(sql: Queryable, q: ClientQuery, range: { from: string; to: string }) {
  const [row] = await sql<{ aum: string; clients: number; activeClients: number; portfolios: number; inflows: string; outflows: string; netFlows: string }[]>`
    with ${scoped(sql, q)}
    select coalesce((select sum(aum) from fc), 0)::text as aum, (select count(*) from fc)::int as clients,
      (select count(*) from fc where status = 'Active')::int as "activeClients", (select count(*) from fp)::int as portfolios,
      coalesce(sum(f.amount) filter (where f.amount > 0), 0)::text as inflows, coalesce(-sum(f.amount) filter (where f.amount < 0), 0)::text as outflows,
      coalesce(sum(f.amount), 0)::text as "netFlows"
    from external_flows f where f.portfolio_id in (select id from fp) and f.flow_date > ${range.from}::date and f.flow_date <= ${range.to}::date`;
  return row!;
}

/** Per strategy: AUM-weighted mean of its visible portfolios' period returns and benchmark returns. */
export async function strategyOverview(sql: Queryable, q: ClientQuery) {
  return sql<{ strategy: string; name: string; portfolios: number; aum: string; return: number | null; benchmarkReturn: number | null }[]>`
    with ${scoped(sql, q)}
    select s.code as strategy, s.name, count(m.entity_id)::int as portfolios, coalesce(sum(m.closing_value), 0)::text as aum,
      sum(m.reported_return * m.closing_value)::float8 / nullif(sum(m.closing_value) filter (where m.reported_return is not null), 0)::float8 as return,
      sum(m.benchmark_reported * m.closing_value)::float8 / nullif(sum(m.closing_value) filter (where m.benchmark_reported is not null), 0)::float8 as "benchmarkReturn"
    from fp join strategies s on s.id = fp.strategy_id
    -- Live portfolios only: a closed portfolio's figures end at its closure (and its last value is not AUM).
    left join analytics_metrics m on m.entity_type = 'portfolio' and m.entity_id = fp.id and m.period = ${q.filters.period}
      and m.as_of = (select as_of from analytics_entities where entity_type = 'firm' and entity_id = 0)
    group by s.code, s.name order by s.code`;
}

/**
 * AUM by SEBI category (Equity, Debt, Hybrid, Multi Asset): each visible portfolio's latest valuation, grouped by its
 * strategy's category. Valued like the headline AUM (latest valuation per portfolio), so the categories sum to it.
 */
export async function categoryMix(sql: Queryable, q: ClientQuery) {
  return sql<{ label: string; portfolios: number; aum: string }[]>`
    with ${scoped(sql, q)}
    select coalesce(s.sebi_category, 'Unknown') as label, count(*)::int as portfolios, coalesce(sum(v.market_value), 0)::text as aum
    from fp join strategies s on s.id = fp.strategy_id
    left join lateral (select market_value from valuations v where v.portfolio_id = fp.id order by valuation_date desc limit 1) v on true
    group by 1 order by coalesce(sum(v.market_value), 0) desc, 1`;
}

export async function rankedPortfolios(sql: Queryable, q: ClientQuery, n: number) {
  const rows = await sql<{ portfolioId: number; portfolioCode: string; clientId: number; clientName: string; return: number; benchmarkReturn: number | null; top: string; bottom: string }[]>`
    with ${scoped(sql, q)}, r as (
      select fp.id as "portfolioId", fp.portfolio_code as "portfolioCode", fc.id as "clientId", fc.name as "clientName",
        m.reported_return as return, m.benchmark_reported as "benchmarkReturn",
        row_number() over (order by m.reported_return desc, fp.id) as top, row_number() over (order by m.reported_return asc, fp.id) as bottom
      from fp join fc on fc.id = fp.client_id
      join analytics_metrics m on m.entity_type = 'portfolio' and m.entity_id = fp.id and m.period = ${q.filters.period}
      -- Only figures as of the dashboard's date: a closed portfolio's "1Y" ended at its closure and is not comparable.
      where m.reported_return is not null
        and m.as_of = (select as_of from analytics_entities where entity_type = 'firm' and entity_id = 0))
    select * from r where top <= ${n} or bottom <= ${n}`;
  const strip = ({ top: _t, bottom: _b, ...x }: (typeof rows)[number]) => x;
  return {
    top: rows.filter((r) => Number(r.top) <= n).sort((a, b) => Number(a.top) - Number(b.top)).map(strip),
    bottom: rows.filter((r) => Number(r.bottom) <= n).sort((a, b) => Number(a.bottom) - Number(b.bottom)).map(strip),
  };
}

/** The as-of date of dashboards: the firm series' last date (one index probe), else the latest valuation. */
export async function dashboardAsOf(sql: Queryable): Promise<string> {
  const [row] = await sql<{ d: string | null }[]>`
    select coalesce(
      (select as_of from analytics_entities where entity_type = 'firm' and entity_id = 0),
      (select max(valuation_date) from valuations), current_date)::text as d`;
  return row!.d!;
}

export async function countBy(sql: Queryable, q: ClientQuery, column: 'risk_profile' | 'state' | 'city') {
  return sql<{ label: string; clients: number; aum: string }[]>`
    with ${scoped(sql, q)}
    select coalesce(${sql(column)}, 'Unknown') as label, count(*)::int as clients, coalesce(sum(aum), 0)::text as aum
    from fc group by 1 order by sum(aum) desc nulls last, 1`;
}

/** Clients and AUM per RM; rmId and rmCode (null for unassigned clients) let a chart segment filter the list (?rm=code). */
export async function byRm(sql: Queryable, q: ClientQuery) {
  return sql<{ label: string; rmId: number | null; rmCode: string | null; clients: number; aum: string }[]>`
    with ${scoped(sql, q)}
    select coalesce(rm.name, 'Unassigned') as label, rm.id as "rmId", rm.rm_code as "rmCode", count(*)::int as clients, coalesce(sum(fc.aum), 0)::text as aum
    from fc left join relationship_managers rm on rm.id = fc.rm_id group by rm.id, rm.rm_code, rm.name order by sum(fc.aum) desc nulls last, 1, 3`;
}

export async function onboardingTrend(sql: Queryable, q: ClientQuery, grain: Grain) {
  return sql<{ label: string; clients: number }[]>`
    with ${scoped(sql, q)}
    select ${bucketOf(sql, grain, 'onboarding_date')}::text as label, count(*)::int as clients from fc group by 1 order by 1`;
}

export async function topClients(sql: Queryable, q: ClientQuery, n: number) {
  return sql<{ id: number; clientCode: string; name: string; aum: string; return: number | null }[]>`
    with ${scoped(sql, q)}
    select fc.id, fc.client_code as "clientCode", fc.name, fc.aum::text as aum, m.reported_return as return
    from fc left join analytics_metrics m on m.entity_type = 'client' and m.entity_id = fc.id and m.period = ${q.filters.period}
    order by fc.aum desc, fc.id limit ${n}`;
}

/**
 * Daily values of entities from their months (analytics_months) inside (from, to]: only the months the
 * range touches are unpacked, and none of the running figures the analytics_series view adds.
 */
function storedValues(sql: Queryable, entityType: string, ids: postgres.PendingQuery<postgres.Row[]>, range: { from: string; to: string }) {
  return sql`
    select m.entity_id, m.month + (u.slot::integer - 1) as value_date, (u.v::numeric / 100)::numeric(22, 2) as value
    from analytics_months m cross join lateral unnest(m.value) with ordinality as u(v, slot)
    where m.entity_type = ${entityType} and m.entity_id in (${ids})
      and m.month >= date_trunc('month', ${range.from}::date)::date and m.month <= ${range.to}::date and u.v is not null
      and m.month + (u.slot::integer - 1) > ${range.from}::date and m.month + (u.slot::integer - 1) <= ${range.to}::date`;
}

/** AUM at the end of each bucket: the firm series when nothing narrows the set, else the visible portfolios' series summed. */
export async function aumTrend(sql: Queryable, q: ClientQuery, grain: Grain, range: { from: string; to: string }) {
  if (unfiltered(q)) {
    return sql<{ label: string; aum: string }[]>`
      select distinct on (b) b::text as label, value::text as aum from (
        select ${bucketOf(sql, grain, 'value_date')} as b, value_date, value from (${storedValues(sql, 'firm', sql`0`, range)}) v) x
      order by b, value_date desc`;
  }
  return sql<{ label: string; aum: string }[]>`
    with ${scoped(sql, q)}, last_in_bucket as (
      select distinct on (entity_id, b) b, value from (
        select s.entity_id, ${bucketOf(sql, grain, 'value_date')} as b, s.value_date, s.value
        from (${storedValues(sql, 'portfolio', sql`select id from fp`, range)}) s) x
      order by entity_id, b, value_date desc)
    select b::text as label, sum(value)::text as aum from last_in_bucket group by b order by b`;
}

/** Risk-return points (annualised volatility vs the period return) of visible portfolios, the largest first. */
export async function riskReturn(sql: Queryable, q: ClientQuery, n: number) {
  return sql<{ portfolioId: number; portfolioCode: string; volatility: number; return: number }[]>`
    with ${scoped(sql, q)}
    select fp.id as "portfolioId", fp.portfolio_code as "portfolioCode", m.annual_volatility as volatility, m.reported_return as return
    from fp join analytics_metrics m on m.entity_type = 'portfolio' and m.entity_id = fp.id and m.period = ${q.filters.period}
    where m.annual_volatility is not null and m.reported_return is not null
    order by m.closing_value desc nulls last, fp.id limit ${n}`;
}

/** Allocation by asset class over the visible portfolios' latest holdings snapshots. */
export async function allocation(sql: Queryable, q: ClientQuery) {
  return sql<{ label: string; value: string; weight: number }[]>`
    with ${scoped(sql, q)}, h as (
      select h.market_value, s.asset_class from holdings h join securities s on s.id = h.security_id
      where h.portfolio_id in (select id from fp) and h.as_of_date = (select max(as_of_date) from holdings x where x.portfolio_id = h.portfolio_id))
    select coalesce(asset_class, 'Unclassified') as label, sum(market_value)::text as value,
      (sum(market_value) / nullif(sum(sum(market_value)) over (), 0))::float8 as weight
    from h group by 1 order by sum(market_value) desc`;
}
