-- Daily series packed per entity and month: one row holds a month of an entity's days (arrays indexed by the day of
-- the month) and its running state before the month (the checkpoint), so a full build writes ~20× fewer rows and a new
-- day rewrites one row per entity. `analytics_series` becomes a view with the columns it had as a table: readers are
-- unchanged; the running sums of a day are the checkpoint plus the month's days up to it. Derived data (UNLOGGED),
-- rebuilt by the worker: the next run finds the store uncomputed and does a full build.

drop table analytics_series;
truncate analytics_entities, analytics_metrics, analytics_group_members;

create unlogged table analytics_series_months (
  entity_type text not null,
  entity_id integer not null,
  month date not null,                    -- the first day of the month
  -- The state after the entity's last row before this month (its first month: no date, zeros).
  c_date date,
  c_value bigint not null,                -- paise
  c_log_growth double precision not null,
  c_n integer not null,
  c_s_r double precision not null,
  c_s_r2 double precision not null,
  c_s_dn2 double precision not null,
  c_pn integer not null,
  c_s_pr double precision not null,
  c_s_pr2 double precision not null,
  c_s_b double precision not null,
  c_s_b2 double precision not null,
  c_s_rb double precision not null,
  c_peak_log_growth double precision not null,
  c_max_drawdown double precision not null,
  -- Element d (1-based) is day d of the month, up to the month's last row; null value = no row that day.
  value bigint[] not null,                -- end-of-day value, paise
  net_flow bigint[] not null,             -- paise; null = no flow
  daily_return double precision[] not null,
  log_growth double precision[] not null,
  primary key (entity_type, entity_id, month)
);

-- Each entity's non-zero flows (the XIRR cash flows of its periods), without unpacking its months.
create unlogged table analytics_flows (
  entity_type text not null,
  entity_id integer not null,
  value_date date not null,
  amount numeric(22, 2) not null,
  primary key (entity_type, entity_id, value_date)
);

-- One row per entity per valuation date, as before. Filters on entity_type and entity_id reach the packed table's index.
create view analytics_series as
select entity_type, entity_id, value_date, value, value_delta, net_flow, daily_return, log_growth, benchmark_return,
       n, s_r, s_r2, s_dn2, pn, s_pr, s_pr2, s_b, s_b2, s_rb, peak_log_growth,
       least(c_max_drawdown, min(exp(greatest(log_growth - peak_log_growth, -700)) - 1) over w) as max_drawdown
from (
  select d.*,
         ((d.v - coalesce(lag(d.v) over w, d.c_value))::numeric / 100)::numeric(22, 2) as value_delta,
         (d.c_n + count(d.daily_return) over w)::integer as n,
         d.c_s_r + coalesce(sum(d.daily_return) over w, 0) as s_r,
         d.c_s_r2 + coalesce(sum(d.daily_return * d.daily_return) over w, 0) as s_r2,
         d.c_s_dn2 + coalesce(sum(case when d.daily_return < 0 then d.daily_return * d.daily_return else 0 end) over w, 0) as s_dn2,
         (d.c_pn + count(d.daily_return * d.benchmark_return) over w)::integer as pn,
         d.c_s_pr + coalesce(sum(case when d.benchmark_return is not null then d.daily_return end) over w, 0) as s_pr,
         d.c_s_pr2 + coalesce(sum(case when d.benchmark_return is not null then d.daily_return * d.daily_return end) over w, 0) as s_pr2,
         d.c_s_b + coalesce(sum(case when d.daily_return is not null then d.benchmark_return end) over w, 0) as s_b,
         d.c_s_b2 + coalesce(sum(case when d.daily_return is not null then d.benchmark_return * d.benchmark_return end) over w, 0) as s_b2,
         d.c_s_rb + coalesce(sum(d.daily_return * d.benchmark_return) over w, 0) as s_rb,
         greatest(d.c_peak_log_growth, max(d.log_growth) over w) as peak_log_growth
  from (
    select m.entity_type, m.entity_id, m.month, u.slot, m.month + (u.slot::integer - 1) as value_date, u.v,
           (u.v::numeric / 100)::numeric(22, 2) as value, (coalesce(u.f, 0)::numeric / 100)::numeric(22, 2) as net_flow,
           u.r as daily_return, u.lg as log_growth, bs.daily_return as benchmark_return,
           m.c_value, m.c_n, m.c_s_r, m.c_s_r2, m.c_s_dn2, m.c_pn, m.c_s_pr, m.c_s_pr2, m.c_s_b, m.c_s_b2, m.c_s_rb,
           m.c_peak_log_growth, m.c_max_drawdown
    from analytics_series_months m
    cross join lateral unnest(m.value, m.net_flow, m.daily_return, m.log_growth) with ordinality as u(v, f, r, lg, slot)
    left join analytics_entities e on e.entity_type = m.entity_type and e.entity_id = m.entity_id
    left join benchmark_series bs on bs.benchmark_id = e.benchmark_id and bs.value_date = m.month + (u.slot::integer - 1)
    where u.v is not null
  ) d
  window w as (partition by d.entity_type, d.entity_id, d.month order by d.slot)
) x
window w as (partition by x.entity_type, x.entity_id, x.month order by x.slot);
