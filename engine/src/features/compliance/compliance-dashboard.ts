import { MINIMUM_INVESTMENT, OPERATING_EXPENSE_CAP, nextChargeDate, planViolations, type PlanViolation } from '../../analytics/fees/index.js';
import { addDays } from '../../analytics/shared/iso-date.js';
import type { Queryable } from '../../db/client.js';
import { visibleClients, type ClientScope } from '../../lib/scope.js';
import { disclosureTable, type DisclosureRow } from './disclosure.js';
import { loadFeePlans } from './fee-plans.js';
import { hwmReport, listFeePortfolioIds, loadFeeData } from './hwm.js';
import { storedHwmSummary, type HwmSummary } from './hwm-status.js';

export interface ComplianceCheck {
  check: 'operating-expenses-above-cap' | 'fees-more-often-than-plan' | 'below-minimum-after-withdrawal' | 'exit-load-above-cap';
  portfolioId: number;
  portfolioCode: string;
  clientId: number;
  /** The period or date concerned (financial year `FY2024-25`, quarter end, withdrawal date). */
  at: string;
  detail: string;
}

/** Plan violations (planViolations) surfaced as checks. */
const PLAN_CHECK = {
  EXIT_LOAD_ABOVE_CAP: 'exit-load-above-cap',
  OPERATING_EXPENSES_ABOVE_CAP: 'operating-expenses-above-cap',
  PERFORMANCE_FEE_TOO_FREQUENT: 'fees-more-often-than-plan',
} as const;

/** Visible portfolios: the caller's scope applied to the client of every portfolio. */
function fp(sql: Queryable, scope: ClientScope) {
  return sql`fp as (select p.id, p.portfolio_code, p.client_id, p.status, p.inception_date, p.closed_date from portfolios p join clients c on c.id = p.client_id where ${visibleClients(sql, scope)})`;
}

/**
 * SEBI checks (circular SEBI/HO/IMD/DF1/CIR/P/2020/26; IMD/DF/13/2010; PM Regulations 2020):
 * - operating expenses (fee-classified other than MGF, PRF and STT) above 0.50% p.a. of average daily AUM in a financial year
 *   (the average weights each valuation by the days until the next, within the year; the cap is pro-rated to the days covered);
 * - management (MGF) or performance (PRF) fees charged on more than one date within one charge period of the portfolio's
 *   resolved fee plan (fee-plans.ts); charges on the day of a withdrawal or of the closure are not counted (a withdrawal
 *   crystallises fees pro rata);
 * - a withdrawal after which the portfolio is worth less than ₹50 lakh but more than nothing;
 * - fee plans above SEBI's limits: exit load above 3% / 2% / 1%, operating expenses above 0.50% p.a., a performance fee
 *   charged more often than quarterly (`at` = 'fee plan'; possible for imported or configured plans; the API refuses them).
 * Exit loads: Wealth Spectrum reports no exit-load transaction, so only plans are checked.
 */
export async function complianceChecks(sql: Queryable, p: { scope: ClientScope }): Promise<ComplianceCheck[]> {
  const opex = await sql<{ id: number; code: string; clientId: number; fy: number; expenses: string; avgAum: string; days: number }[]>`
    with ${fp(sql, p.scope)},
    v as (
      select v.portfolio_id, v.market_value as mv, extract(year from v.valuation_date - interval '3 months')::int as fy,
        least(coalesce(lead(v.valuation_date) over w, v.valuation_date + 1),
              make_date(extract(year from v.valuation_date - interval '3 months')::int + 1, 3, 31) + 1) - v.valuation_date as days
      from valuations v join fp on fp.id = v.portfolio_id
      window w as (partition by v.portfolio_id order by v.valuation_date)),
    aum as (select portfolio_id, fy, sum(mv * days) / nullif(sum(days), 0) as avg_aum, sum(days)::int as days from v group by 1, 2),
    ex as (
      select t.portfolio_id, extract(year from t.trade_date - interval '3 months')::int as fy, sum(abs(t.net_amount)) as amount
      from transactions t join fp on fp.id = t.portfolio_id
      where t.classification = 'fee' and t.type_code not in ('MGF', 'PRF', 'STT') group by 1, 2)
    select fp.id, fp.portfolio_code as code, fp.client_id as "clientId", ex.fy, ex.amount::text as expenses, round(aum.avg_aum, 2)::text as "avgAum", aum.days
    from ex join aum using (portfolio_id, fy) join fp on fp.id = ex.portfolio_id
    where aum.avg_aum > 0 and ex.amount > ${OPERATING_EXPENSE_CAP}::numeric * aum.avg_aum * aum.days / 365
    order by fp.id, ex.fy`;
  const plans = await loadFeePlans(sql, { scope: p.scope });
  const charges = await sql<{ id: number; inception: string; type: 'MGF' | 'PRF'; date: string }[]>`
    with ${fp(sql, p.scope)}
    select fp.id, fp.inception_date::text as inception, t.type_code as type, t.trade_date::text as date
    from transactions t join fp on fp.id = t.portfolio_id
    where t.classification = 'fee' and t.type_code in ('MGF', 'PRF') and t.trade_date is distinct from fp.closed_date
      and not exists (select 1 from external_flows f where f.portfolio_id = t.portfolio_id and f.flow_date = t.trade_date and f.amount < 0)
    group by 1, 2, 3, 4 order by 1, 3, 4`;
  const periods = new Map<string, { id: number; type: 'MGF' | 'PRF'; frequency: string; periodEnd: string; dates: number }>();
  for (const c of charges) {
    const plan = plans.get(c.id)?.plan;
    if (!plan) continue;
    const frequency = c.type === 'MGF' ? plan.managementFeeFrequency : plan.performanceFeeFrequency;
    // the plan period holding the charge: the first period end on or after its date (as hwm.ts reconciles)
    const periodEnd = nextChargeDate(frequency, plan.periodAnchor, addDays(c.inception, -1), addDays(c.date, -1));
    const key = `${c.id}|${c.type}|${periodEnd}`;
    const row = periods.get(key) ?? { id: c.id, type: c.type, frequency, periodEnd, dates: 0 };
    row.dates++;
    periods.set(key, row);
  }
  const frequent = [...periods.values()].filter((r) => r.dates > 1);
  const below = await sql<{ id: number; code: string; clientId: number; date: string; value: string }[]>`
    with ${fp(sql, p.scope)}
    select fp.id, fp.portfolio_code as code, fp.client_id as "clientId", f.flow_date::text as date, v.market_value::text as value
    from external_flows f join fp on fp.id = f.portfolio_id
    cross join lateral (select market_value from valuations v where v.portfolio_id = f.portfolio_id and v.valuation_date >= f.flow_date
                        order by v.valuation_date limit 1) v
    where f.amount < 0 and v.market_value > 0 and v.market_value < ${MINIMUM_INVESTMENT}::numeric
    order by fp.id, f.flow_date`;
  const fy = (y: number) => `FY${y}-${String((y + 1) % 100).padStart(2, '0')}`;
  return [
    ...opex.map((r) => ({
      check: 'operating-expenses-above-cap' as const,
      portfolioId: r.id,
      portfolioCode: r.code,
      clientId: r.clientId,
      at: fy(r.fy),
      detail: `Operating expenses ₹${r.expenses} over ${r.days} days on average daily AUM ₹${r.avgAum}: above 0.50% p.a.`,
    })),
    ...frequent.map((r) => {
      const plan = plans.get(r.id)!;
      return {
        check: 'fees-more-often-than-plan' as const,
        portfolioId: r.id,
        portfolioCode: plan.portfolioCode,
        clientId: plan.clientId,
        at: r.periodEnd,
        detail: `${r.type} charged on ${r.dates} dates in the ${r.frequency} period ending ${r.periodEnd} (plan: ${r.frequency}, from ${plan.sources[r.type === 'MGF' ? 'managementFeeFrequency' : 'performanceFeeFrequency']})`,
      };
    }),
    ...below.map((r) => ({
      check: 'below-minimum-after-withdrawal' as const,
      portfolioId: r.id,
      portfolioCode: r.code,
      clientId: r.clientId,
      at: r.date,
      detail: `Worth ₹${r.value} after the withdrawal: below the ₹50 lakh minimum`,
    })),
    ...[...plans.values()].flatMap((plan) =>
      planViolations(plan.plan)
        .filter((v): v is PlanViolation & { code: keyof typeof PLAN_CHECK } => v.code in PLAN_CHECK)
        .map((v) => ({
          check: PLAN_CHECK[v.code],
          portfolioId: plan.portfolioId,
          portfolioCode: plan.portfolioCode,
          clientId: plan.clientId,
          at: 'fee plan',
          detail: `${v.message} (fee plan, from ${plan.sources[v.field.replace(/\[\d\]$/, '') as keyof typeof plan.sources]})`,
        })),
    ),
  ];
}

export interface ComplianceDashboard {
  feeTotals: { financialYear: string; managementFees: string; performanceFees: string; operatingExpenses: string }[];
  /** From hwm_status (the whole book, replayed in the background after every data change) once it is filled; before that a sample replayed now. */
  highWaterMarks: HwmSummary;
  portfoliosBelowMinimum: { portfolioId: number; portfolioCode: string; clientId: number; value: string; asOf: string }[];
  checks: ComplianceCheck[];
  disclosure: DisclosureRow[];
}

/**
 * Everything the compliance view shows, under the caller's scope (disclosure excepted: it is firm-wide by rule).
 * High-water marks are replayed for at most `hwmLimit` portfolios (each replay walks the portfolio's whole life).
 */
export async function complianceDashboard(sql: Queryable, p: { scope: ClientScope; asOf?: string; hwmLimit?: number }): Promise<ComplianceDashboard> {
  const feeTotals = await sql<ComplianceDashboard['feeTotals']>`
    with ${fp(sql, p.scope)}
    select 'FY' || y::text || '-' || lpad(((y + 1) % 100)::text, 2, '0') as "financialYear",
      coalesce(sum(a) filter (where type_code = 'MGF'), 0)::text as "managementFees",
      coalesce(sum(a) filter (where type_code = 'PRF'), 0)::text as "performanceFees",
      coalesce(sum(a) filter (where type_code not in ('MGF', 'PRF', 'STT')), 0)::text as "operatingExpenses"
    from (select extract(year from t.trade_date - interval '3 months')::int as y, t.type_code, abs(t.net_amount) as a
          from transactions t join fp on fp.id = t.portfolio_id where t.classification = 'fee') x
    group by y order by y`;
  const below = await sql<ComplianceDashboard['portfoliosBelowMinimum']>`
    with ${fp(sql, p.scope)}
    select fp.id as "portfolioId", fp.portfolio_code as "portfolioCode", fp.client_id as "clientId", v.market_value::text as value, v.valuation_date::text as "asOf"
    from fp cross join lateral (select market_value, valuation_date from valuations v where v.portfolio_id = fp.id order by valuation_date desc limit 1) v
    where fp.status = 'Active' and v.market_value > 0 and v.market_value < ${MINIMUM_INVESTMENT}::numeric order by v.market_value`;
  const limit = p.hwmLimit ?? 50;
  const { ids, total } = await listFeePortfolioIds(sql, { scope: p.scope, withPerformanceFee: true, page: 1, pageSize: limit });
  const hwm = (await storedHwmSummary(sql, p.scope, total)) ?? (await sampledHwmSummary(sql, p.scope, ids, total));
  return {
    feeTotals,
    highWaterMarks: hwm,
    portfoliosBelowMinimum: below,
    checks: await complianceChecks(sql, { scope: p.scope }),
    disclosure: await disclosureTable(sql, { asOf: p.asOf }),
  };
}

async function sampledHwmSummary(sql: Queryable, scope: ClientScope, ids: number[], total: number): Promise<HwmSummary> {
  const reports = (await loadFeeData(sql, { scope, portfolioIds: ids })).map(hwmReport);
  return {
    portfoliosWithPerformanceFee: total,
    computed: reports.length,
    aboveMark: reports.filter((r) => r.distanceRatio !== null && r.distanceRatio > 0).length,
    belowMark: reports.filter((r) => r.distanceRatio !== null && r.distanceRatio <= 0).length,
    reconciliationDifferences: reports.reduce((n, r) => n + r.reconciliation.differences.length, 0),
  };
}
