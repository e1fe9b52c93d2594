import type { Queryable } from '../../db/client.js';
import { visibleClients, type ClientScope } from '../../lib/scope.js';
import type { ClientFilters, ClientSortKey } from './clients.schemas.js';

export interface ClientListItem {
  id: number;
  clientCode: string;
  name: string;
  pan: string | null;
  rm: { id: number; code: string; name: string } | null;
  riskProfile: string | null;
  city: string | null;
  state: string | null;
  status: string;
  onboardingDate: string;
  salesforceAccountId: string | null;
  portfolioCount: number;
  /** Sum of each portfolio's latest valuation, a decimal string (₹). */
  aum: string;
  aumAsOf: string | null;
  /** The client's return for `period` by `returnMetric` (analytics_metrics); null when not computed or not lived through. */
  return: number | null;
  xirr: number | null;
  period: string;
}

export interface ClientQuery {
  scope: ClientScope;
  /** May match partial PANs in the search. */
  seePii: boolean;
  filters: ClientFilters;
}

/** Latest value of each of a client's portfolios, summed: AUM as of each portfolio's last valuation. */
const aumOf = (sql: Queryable, alias = 'c') => sql`
  select count(*)::int as portfolios, coalesce(sum(v.market_value), 0) as aum, max(v.valuation_date) as as_of
  from portfolios p
  left join lateral (select market_value, valuation_date from valuations v where v.portfolio_id = p.id order by valuation_date desc limit 1) v on true
  where p.client_id = ${sql(alias)}.id`;

/** The return column of analytics_metrics a filter or sort on "return" reads. */
function metricColumn(sql: Queryable, metric: ClientFilters['returnMetric']) {
  if (metric === 'cagr') return sql`m.twrr_annualized`;
  if (metric === 'xirr') return sql`m.xirr`;
  return sql`m.reported_return`;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * WHERE conditions over `clients c` for the filters, always including the caller's visible-client predicate.
 * AUM and return ranges read the joined `a` (aumOf) and `m` (analytics_metrics) of `clientRows`.
 */
export function clientConditions(sql: Queryable, q: ClientQuery) {
  const f = q.filters;
  const conds = [visibleClients(sql, q.scope, 'c')];
  if (f.year !== undefined) conds.push(sql`c.onboarding_date >= make_date(${f.year}::int, 1, 1) and c.onboarding_date < make_date(${f.year}::int + 1, 1, 1)`);
  if (f.status) conds.push(sql`c.status = ${f.status}`);
  if (f.riskProfile) conds.push(sql`lower(c.risk_profile) = lower(${f.riskProfile})`);
  if (f.city) conds.push(sql`lower(c.city) = lower(${f.city})`);
  if (f.state) conds.push(sql`lower(c.state) = lower(${f.state})`);
  if (f.rm) conds.push(sql`c.rm_id = (select id from relationship_managers where rm_code = ${f.rm})`);
  if (f.strategy) conds.push(sql`exists (select 1 from portfolios p join strategies s on s.id = p.strategy_id where p.client_id = c.id and s.code = ${f.strategy})`);
  if (f.sebiCategory) conds.push(sql`exists (select 1 from portfolios p join strategies s on s.id = p.strategy_id where p.client_id = c.id and s.sebi_category = ${f.sebiCategory})`);
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    const pan = q.seePii ? sql`or c.pan ilike ${like}` : sql`or c.pan = upper(${f.q})`;
    conds.push(sql`(c.name ilike ${like} or c.client_code ilike ${like} ${pan})`);
  }
  if (f.aumMin !== undefined) conds.push(sql`a.aum >= ${f.aumMin}::numeric`);
  if (f.aumMax !== undefined) conds.push(sql`a.aum <= ${f.aumMax}::numeric`);
  if (f.returnMin !== undefined) conds.push(sql`${metricColumn(sql, f.returnMetric)} >= ${f.returnMin}`);
  if (f.returnMax !== undefined) conds.push(sql`${metricColumn(sql, f.returnMetric)} <= ${f.returnMax}`);
  return conds.reduce((acc, cond) => sql`${acc} and ${cond}`);
}

/**
 * `from … where …` over visible, filtered clients with their RM (rm), AUM (a) and period metrics (m).
 * Every client-level read (list, detail, dashboards, views) goes through it, so scope and filters apply alike.
 */
export function filteredClients(sql: Queryable, q: ClientQuery) {
  return sql`
    from clients c
    left join relationship_managers rm on rm.id = c.rm_id
    left join lateral (${aumOf(sql)}) a on true
    left join analytics_metrics m on m.entity_type = 'client' and m.entity_id = c.id and m.period = ${q.filters.period}
    where ${clientConditions(sql, q)}`;
}

function sortExpression(sql: Queryable, key: ClientSortKey, metric: ClientFilters['returnMetric']) {
  switch (key) {
    case 'name': return sql`c.name`;
    case 'clientCode': return sql`c.client_code`;
    case 'aum': return sql`a.aum`;
    case 'onboardingDate': return sql`c.onboarding_date`;
    case 'rm': return sql`rm.name`;
    case 'city': return sql`c.city`;
    case 'state': return sql`c.state`;
    case 'status': return sql`c.status`;
    case 'riskProfile': return sql`c.risk_profile`;
    case 'portfolioCount': return sql`a.portfolios`;
    case 'return': return metricColumn(sql, metric);
    case 'xirr': return sql`m.xirr`;
  }
}

const listColumns = (sql: Queryable, metric: ClientFilters['returnMetric']) => sql`
  c.id, c.client_code as "clientCode", c.name, c.pan,
  case when rm.id is null then null else json_build_object('id', rm.id, 'code', rm.rm_code, 'name', rm.name) end as rm,
  c.risk_profile as "riskProfile", c.city, c.state, c.status, c.onboarding_date::text as "onboardingDate",
  c.salesforce_account_id as "salesforceAccountId",
  a.portfolios as "portfolioCount", a.aum::text as aum, a.as_of::text as "aumAsOf",
  ${metricColumn(sql, metric)} as return, m.xirr`;

export async function listClients(
  sql: Queryable,
  q: ClientQuery & { page: number; pageSize: number; sort: ClientSortKey; order: 'asc' | 'desc' },
): Promise<{ items: ClientListItem[]; total: number }> {
  const dir = q.order === 'desc' ? sql`desc nulls last` : sql`asc nulls last`;
  const rows = await sql<(ClientListItem & { total: number })[]>`
    select ${listColumns(sql, q.filters.returnMetric)}, count(*) over ()::int as total
    ${filteredClients(sql, q)}
    order by ${sortExpression(sql, q.sort, q.filters.returnMetric)} ${dir}, c.name, c.id
    limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`;
  let total = rows[0]?.total;
  if (total === undefined) {
    // A page past the end: count without paging.
    const [n] = await sql<{ total: number }[]>`select count(*)::int as total ${filteredClients(sql, q)}`;
    total = n!.total;
  }
  return { items: rows.map(({ total: _t, ...i }) => ({ ...i, period: q.filters.period })), total };
}

export interface ClientDetail extends ClientListItem {
  email: string | null;
  portfolios: { id: number; portfolioCode: string; strategy: { code: string; name: string; sebiCategory: string }; status: string; inceptionDate: string }[];
}

/** One client if visible to the caller (undefined otherwise: the caller cannot tell "absent" from "not yours"). */
export async function getClient(sql: Queryable, q: { scope: ClientScope; id: number; period: ClientFilters['period'] }): Promise<ClientDetail | undefined> {
  const query: ClientQuery = { scope: q.scope, seePii: false, filters: { period: q.period, returnMetric: 'twrr' } };
  const [row] = await sql<ClientDetail[]>`
    select ${listColumns(sql, 'twrr')}, c.email,
      coalesce((select json_agg(json_build_object('id', p.id, 'portfolioCode', p.portfolio_code, 'status', p.status, 'inceptionDate', p.inception_date::text,
                 'strategy', json_build_object('code', s.code, 'name', s.name, 'sebiCategory', s.sebi_category)) order by p.portfolio_code)
                from portfolios p join strategies s on s.id = p.strategy_id where p.client_id = c.id), '[]') as portfolios
    ${filteredClients(sql, query)} and c.id = ${q.id}`;
  return row ? { ...row, period: q.period } : undefined;
}

/** PAN shown to roles without PII permission: XXXXX1234X. */
export function maskPan(pan: string | null): string | null {
  return pan ? `XXXXX${pan.slice(5, 9)}X` : null;
}
