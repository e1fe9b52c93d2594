/**
 * Pure performance and business calculators (no I/O). Conventions: docs/methodology.md.
 * Dates are ISO 'YYYY-MM-DD' strings; money comes in as decimal strings and money totals go out as decimal strings;
 * returns and ratios are doubles; an undefined statistic is null.
 */
export { AnalyticsInputError } from './shared/analytics-error.js';
export type { Money } from './shared/money.js';

// returns
export { annualize, DAYS_PER_YEAR, type AnnualizedReturn } from './returns/annualize.js';
export { chainLink } from './returns/chain-link.js';
export {
  dailyTwrr,
  flowWeight,
  type DailyTwrrInput,
  type DailyTwrrResult,
  type FlowTiming,
  type SubperiodReturn,
  type Valuation,
} from './returns/daily-twrr.js';
export type { CashFlow } from './returns/flow-alignment.js';
export { modifiedDietz, type ModifiedDietzInput } from './returns/modified-dietz.js';
export { compositeTwrr, type CompositeMember, type CompositeTwrrResult } from './returns/composite-twrr.js';
export { blendedIndexReturns, type BlendComponent } from './returns/blended-index.js';

// xirr
export { xirr, xirrOfDays, xnpv, XirrError, type DatedAmount, type XirrErrorCode } from './xirr/xirr.js';

// periods
export {
  NAMED_PERIODS,
  periodRange,
  type CustomPeriod,
  type NamedPeriod,
  type Period,
  type PeriodRange,
} from './periods/period-range.js';
export { periodReturn, type PeriodReturn, type PeriodReturnInput } from './periods/period-return.js';

// risk
export type { ReturnSeries } from './risk/series.js';
export {
  annualReturn,
  annualVolatility,
  calmarRatio,
  cumulativeReturn,
  downsideRisk,
  sharpeRatio,
  sortinoRatio,
  TRADING_DAYS_PER_YEAR,
} from './risk/return-ratios.js';
export { maxDrawdown, type MaxDrawdown } from './risk/drawdown.js';
export { alpha, beta, correlation, informationRatio, rSquared, trackingError } from './risk/benchmark-relative.js';
export { downCapture, upCapture } from './risk/capture.js';
export { conditionalValueAtRisk, parametricValueAtRisk, percentile, valueAtRisk } from './risk/value-at-risk.js';
export { inverseNormalCdf } from './risk/inverse-normal.js';
export { bestMonth, hitRate, monthlyReturns, worstMonth, type DatedReturn, type MonthlyReturn } from './risk/monthly-returns.js';
export { riskFreePerDay } from './risk/risk-free.js';
export { returnsStats, type ReturnsStats, type ReturnsStatsInput } from './risk/returns-stats.js';

// contribution
export {
  contributionByGroup,
  type ContributionGrouping,
  type ContributionInput,
  type ContributionResult,
  type GroupContribution,
  type HoldingSnapshot,
  type SecurityTransaction,
} from './contribution/contribution-by-group.js';

// business
export { bucketOf, bucketsBetween, type Grain, type ReportingBucket, type YearBasis } from './business/reporting-bucket.js';
export { aumTrend, type AumPoint, type PortfolioValuation } from './business/aum-trend.js';
export { netFlows, type NetFlowRow } from './business/net-flows.js';
export { churn, newClientsByMonth, type ChurnResult, type ClientLifetime, type ClientOnboarding } from './business/client-counts.js';
export { turnover, type Trade, type TurnoverResult } from './business/turnover.js';
export { dispersion, type ClientReturn, type Dispersion } from './business/dispersion.js';
