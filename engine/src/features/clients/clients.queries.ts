import type { Queryable } from '../../db/client.js';

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
}

export async function listClients(sql: Queryable, p: { page: number; pageSize: number }): Promise<{ items: ClientListItem[]; total: number }> {
  const items = await sql<ClientListItem[]>`
    select c.id, c.client_code as "clientCode", c.name, c.pan,
      case when rm.id is null then null else json_build_object('id', rm.id, 'code', rm.rm_code, 'name', rm.name) end as rm,
      c.risk_profile as "riskProfile", c.city, c.state, c.status, c.onboarding_date::text as "onboardingDate",
      c.salesforce_account_id as "salesforceAccountId",
      coalesce(a.portfolios, 0)::int as "portfolioCount", coalesce(a.aum, 0)::text as aum, a.as_of::text as "aumAsOf"
    from clients c
    left join relationship_managers rm on rm.id = c.rm_id
    left join lateral (
      select count(*) as portfolios, sum(v.market_value) as aum, max(v.valuation_date) as as_of
      from portfolios p
      left join lateral (select market_value, valuation_date from valuations v where v.portfolio_id = p.id order by valuation_date desc limit 1) v on true
      where p.client_id = c.id
    ) a on true
    order by c.name, c.id
    limit ${p.pageSize} offset ${(p.page - 1) * p.pageSize}`;
  const [count] = await sql<{ total: number }[]>`select count(*)::int as total from clients`;
  return { items, total: count!.total };
}

/** PAN shown to roles without PII permission: XXXXX1234X. */
export function maskPan(pan: string | null): string | null {
  return pan ? `XXXXX${pan.slice(5, 9)}X` : null;
}
