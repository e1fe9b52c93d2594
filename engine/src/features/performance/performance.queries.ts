import type { Queryable } from '../../db/client.js';

export const GRAINS = ['daily', 'monthly', 'quarterly', 'yearly'] as const;
export type Grain = (typeof GRAINS)[number];

function bucket(sql: Queryable, grain: Grain) {
  if (grain === 'daily') return sql`value_date`;
  if (grain === 'monthly') return sql`date_trunc('month', value_date)`;
  if (grain === 'quarterly') return sql`date_trunc('quarter', value_date)`;
  return sql`date_trunc('year', value_date)`;
}

export interface SeriesPoint {
  date: string;
  value: string;
  netFlow: string;
  cumulativeReturn: number;
  benchmarkCumulativeReturn: number | null;
}

/**
 * An entity's growth vs its benchmark from the close of `from` to `to`, one point per grain bucket (its last
 * valuation date) plus the base date: cumulative TWRR = exp(lg_t − lg_base) − 1 (analytics README), the benchmark's
 * from its daily returns chained over the same dates. `netFlow` is the bucket's sum of flows.
 */
export async function entitySeries(sql: Queryable, p: { entityType: string; entityId: number; from: string; to: string; grain: Grain }): Promise<SeriesPoint[]> {
  return sql<SeriesPoint[]>`
    with s as (
      select value_date, value, net_flow, log_growth,
        sum(ln(1 + coalesce(benchmark_return, 0))) over (order by value_date) as b_lg,
        count(benchmark_return) over (order by value_date) as b_n,
        ${bucket(sql, p.grain)} as bucket
      from analytics_series
      where entity_type = ${p.entityType} and entity_id = ${p.entityId}
        and value_date >= (select coalesce(max(value_date), ${p.from}::date) from analytics_series
                           where entity_type = ${p.entityType} and entity_id = ${p.entityId} and value_date <= ${p.from}::date)
        and value_date <= ${p.to}::date
    ), base as (select * from s order by value_date limit 1),
    flows as (select bucket, sum(net_flow) as net_flow from s where value_date > (select value_date from base) group by bucket),
    points as (
      select * from base
      union all
      select * from (select distinct on (bucket) * from s where value_date > (select value_date from base) order by bucket, value_date desc) last_per_bucket
    )
    select pt.value_date::text as date, pt.value::text as value,
      coalesce(case when pt.value_date = b.value_date then 0 else f.net_flow end, 0)::text as "netFlow",
      exp(pt.log_growth - b.log_growth) - 1 as "cumulativeReturn",
      case when pt.b_n > b.b_n or pt.value_date = b.value_date then exp(pt.b_lg - b.b_lg) - 1 end as "benchmarkCumulativeReturn"
    from points pt cross join base b left join flows f on f.bucket = pt.bucket
    order by pt.value_date`;
}

/** The entity's last valuation date and first date in the series (for period ranges), or undefined without a series. */
export async function seriesBounds(sql: Queryable, entityType: string, entityId: number) {
  const [row] = await sql<{ first: string | null; last: string | null }[]>`
    select min(value_date)::text as first, max(value_date)::text as last from analytics_series where entity_type = ${entityType} and entity_id = ${entityId}`;
  return row?.last ? { first: row.first!, last: row.last } : undefined;
}

/** Chart-ready form: labels + one dataset per line. */
export function toChart(points: SeriesPoint[], benchmarkLabel: string | null) {
  return {
    labels: points.map((p) => p.date),
    datasets: [
      { label: 'Portfolio (TWRR, cumulative)', data: points.map((p) => p.cumulativeReturn) },
      { label: benchmarkLabel ? `${benchmarkLabel} (cumulative)` : 'Benchmark (cumulative)', data: points.map((p) => p.benchmarkCumulativeReturn) },
    ],
  };
}
