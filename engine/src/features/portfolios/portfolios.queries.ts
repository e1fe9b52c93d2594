import type { Queryable } from '../../db/client.js';

/** Period figures of one entity from analytics_metrics (engine/src/features/analytics/README.md). */
export async function periodMetrics(sql: Queryable, entityType: string, entityIds: number[]) {
  return sql`
    select m.entity_id as "entityId", m.period, m.as_of::text as "asOf", m.from_date::text as "fromDate", m.to_date::text as "toDate", m.days,
      m.twrr, m.twrr_annualized as "twrrAnnualized", m.reported_return as "reportedReturn", m.xirr,
      b.code as "benchmarkCode", m.benchmark_return as "benchmarkReturn", m.benchmark_reported as "benchmarkReported", m.excess_return as "excessReturn",
      m.observations, m.annual_volatility as "annualVolatility", m.sharpe, m.sortino, m.downside_risk as "downsideRisk", m.beta, m.alpha,
      m.tracking_error as "trackingError", m.information_ratio as "informationRatio", m.max_drawdown as "maxDrawdown",
      m.opening_value::text as "openingValue", m.closing_value::text as "closingValue", m.net_flows::text as "netFlows", m.method
    from analytics_metrics m left join benchmarks b on b.id = m.benchmark_id
    where m.entity_type = ${entityType} and m.entity_id = any(${entityIds}::int[])
    order by m.entity_id, array_position(array['MTD','QTD','YTD','FYTD','1M','3M','6M','1Y','2Y','3Y','5Y','SI'], m.period)`;
}

/**
 * Everything the portfolio page needs for one (already authorised) client: each portfolio's value, allocation from its
 * latest holdings snapshot, period returns and risk vs its benchmark, flows, fees and recent transactions.
 */
export async function clientPortfolios(sql: Queryable, clientId: number, p: { recentTransactions: number; topHoldings: number }) {
  const portfolios = await sql<{ id: number; portfolioCode: string; status: string; inceptionDate: string; closedDate: string | null; strategy: { code: string; name: string; sebiCategory: string }; benchmark: { code: string; name: string } | null; value: string | null; cash: string | null; valueAsOf: string | null; managementFeeRate: string | null; performanceFeeRate: string | null; hurdleRate: string | null }[]>`
    select p.id, p.portfolio_code as "portfolioCode", p.status, p.inception_date::text as "inceptionDate", p.closed_date::text as "closedDate",
      json_build_object('code', s.code, 'name', s.name, 'sebiCategory', s.sebi_category) as strategy,
      case when b.id is null then null else json_build_object('code', b.code, 'name', b.name) end as benchmark,
      v.market_value::text as value, v.cash_balance::text as cash, v.valuation_date::text as "valueAsOf",
      p.management_fee_rate::text as "managementFeeRate", p.performance_fee_rate::text as "performanceFeeRate", p.hurdle_rate::text as "hurdleRate"
    from portfolios p join strategies s on s.id = p.strategy_id left join benchmarks b on b.id = s.benchmark_id
    left join lateral (select market_value, cash_balance, valuation_date from valuations v where v.portfolio_id = p.id order by valuation_date desc limit 1) v on true
    where p.client_id = ${clientId} order by p.portfolio_code`;
  const ids = portfolios.map((x) => x.id);
  if (!ids.length) return [];
  const [holdings, metrics, flows, fees, txns] = await Promise.all([
    sql<{ portfolioId: number; asOf: string; securityKey: string; isin: string | null; name: string; assetClass: string | null; sector: string | null; quantity: string; marketValue: string; weight: number }[]>`
      select h.portfolio_id as "portfolioId", h.as_of_date::text as "asOf", s.security_key as "securityKey", s.isin, s.name,
        s.asset_class as "assetClass", s.sector, h.quantity::text as quantity, h.market_value::text as "marketValue",
        (h.market_value / nullif(sum(h.market_value) over (partition by h.portfolio_id), 0))::float8 as weight
      from holdings h join securities s on s.id = h.security_id
      where h.portfolio_id = any(${ids}::int[])
        and h.as_of_date = (select max(as_of_date) from holdings x where x.portfolio_id = h.portfolio_id)
      order by h.portfolio_id, h.market_value desc`,
    periodMetrics(sql, 'portfolio', ids),
    sql<{ portfolioId: number; inflows: string; outflows: string; net: string; last12mNet: string }[]>`
      select portfolio_id as "portfolioId",
        coalesce(sum(amount) filter (where amount > 0), 0)::text as inflows, coalesce(-sum(amount) filter (where amount < 0), 0)::text as outflows,
        coalesce(sum(amount), 0)::text as net, coalesce(sum(amount) filter (where flow_date > current_date - 365), 0)::text as "last12mNet"
      from external_flows where portfolio_id = any(${ids}::int[]) group by portfolio_id`,
    sql<{ portfolioId: number; typeCode: string; amount: string; count: number }[]>`
      select portfolio_id as "portfolioId", type_code as "typeCode", sum(abs(net_amount))::text as amount, count(*)::int as count
      from transactions where portfolio_id = any(${ids}::int[]) and classification = 'fee'
      group by portfolio_id, type_code order by portfolio_id, type_code`,
    sql<{ portfolioId: number }[]>`
      select * from (
        select t.portfolio_id as "portfolioId", t.trade_date::text as "tradeDate", t.type_code as "typeCode", t.classification,
          t.description, s.name as security, t.quantity::text as quantity, t.rate::text as rate, t.net_amount::text as "netAmount",
          row_number() over (partition by t.portfolio_id order by t.trade_date desc, t.id desc) as rn
        from transactions t left join securities s on s.id = t.security_id
        where t.portfolio_id = any(${ids}::int[])) x
      where rn <= ${p.recentTransactions} order by "portfolioId", "tradeDate" desc`,
  ]);
  return portfolios.map((pf) => {
    const h = holdings.filter((x) => x.portfolioId === pf.id);
    const m = metrics.filter((x) => x.entityId === pf.id);
    return {
      ...pf,
      allocation: {
        asOf: h[0]?.asOf ?? null,
        byAssetClass: group(h, (x) => x.assetClass ?? 'Unclassified'),
        bySector: group(h, (x) => x.sector ?? 'Unclassified'),
        topHoldings: h.slice(0, p.topHoldings).map(({ portfolioId: _p, asOf: _a, ...x }) => x),
      },
      returns: m.map(({ entityId: _e, ...x }) => pick(x, ['period', 'asOf', 'fromDate', 'toDate', 'days', 'twrr', 'twrrAnnualized', 'reportedReturn', 'xirr', 'benchmarkCode', 'benchmarkReturn', 'benchmarkReported', 'excessReturn'])),
      risk: riskOf(m.find((x) => x.period === 'SI') ?? null, m.find((x) => x.period === '1Y') ?? null),
      flows: flows.find((x) => x.portfolioId === pf.id) ?? { inflows: '0', outflows: '0', net: '0', last12mNet: '0' },
      fees: fees.filter((x) => x.portfolioId === pf.id).map(({ portfolioId: _p, ...x }) => x),
      recentTransactions: txns.filter((x) => x.portfolioId === pf.id).map(({ portfolioId: _p, rn: _r, ...x }: Record<string, unknown>) => x),
    };
  });
}

function pick(o: Record<string, unknown>, keys: string[]) {
  return Object.fromEntries(keys.map((k) => [k, o[k] ?? null]));
}

const RISK_KEYS = ['observations', 'annualVolatility', 'sharpe', 'sortino', 'downsideRisk', 'beta', 'alpha', 'trackingError', 'informationRatio'];
/** Risk statistics over the 1Y period and since inception (max drawdown is kept for SI only). */
function riskOf(si: Record<string, unknown> | null, oneYear: Record<string, unknown> | null) {
  return {
    sinceInception: si ? { ...pick(si, RISK_KEYS), maxDrawdown: si.maxDrawdown ?? null } : null,
    oneYear: oneYear ? pick(oneYear, RISK_KEYS) : null,
  };
}

/** Weights by group, with the group's value (decimal strings summed in SQL would need another query: the weights are doubles). */
function group<T extends { weight: number; marketValue: string }>(rows: T[], key: (r: T) => string) {
  const m = new Map<string, { weight: number; holdings: number }>();
  for (const r of rows) {
    const g = m.get(key(r)) ?? { weight: 0, holdings: 0 };
    g.weight += r.weight ?? 0;
    g.holdings += 1;
    m.set(key(r), g);
  }
  return [...m].map(([name, g]) => ({ name, weight: g.weight, holdings: g.holdings })).sort((a, b) => b.weight - a.weight);
}

/** Salesforce Tasks/Events on the client's Account, when the Salesforce sync (sf_activities) is installed and has run. */
export async function communicationLog(sql: Queryable, salesforceAccountId: string | null, limit = 20) {
  if (!salesforceAccountId) return null;
  const [t] = await sql<{ ok: boolean }[]>`select to_regclass('sf_activities') is not null as ok`;
  if (!t!.ok) return null;
  return sql`
    select id, activity_type as "activityType", subject, activity_date::text as "activityDate", status, type
    from sf_activities where what_id = ${salesforceAccountId} and not is_deleted
    order by activity_date desc nulls last, id limit ${limit}`;
}
