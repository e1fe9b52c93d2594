-- A client with a single portfolio has that portfolio's series and figures to the last bit (the same values, flows,
-- benchmark and inception). A third of the book's clients are such twins: their months and metric rows were stored
-- twice and rewritten twice every day. Now they are stored once, under the portfolio; the client's entity row names the
-- portfolio (twin_of) and two views read the twin's rows through to it:
--   analytics_months  = analytics_series_months (the stored months) + the twins' months;
--   analytics_metrics = analytics_metrics_stored (the stored snapshots) + the twins' snapshots.
-- Readers use the views (analytics_series now unpacks analytics_months); the engine writes the stored tables.
-- Derived data: emptied here, rebuilt by the next run (a full build).

drop view analytics_series;
truncate analytics_series_months, analytics_entities, analytics_metrics, analytics_group_members, analytics_flows;

alter table analytics_entities add column twin_of integer;
comment on column analytics_entities.twin_of is 'client with a single portfolio: that portfolio (its months and metrics are read through, not stored)';

create view analytics_months as
select m.entity_type, m.entity_id, m.month, m.c_date, m.c_value, m.c_log_growth, m.c_n, m.c_s_r, m.c_s_r2, m.c_s_dn2, m.c_pn, m.c_s_pr, m.c_s_pr2, m.c_s_b, m.c_s_b2, m.c_s_rb, m.c_peak_log_growth, m.c_max_drawdown, m.value, m.net_flow from analytics_series_months m
union all
select 'client'::text, e.entity_id, m.month, m.c_date, m.c_value, m.c_log_growth, m.c_n, m.c_s_r, m.c_s_r2, m.c_s_dn2, m.c_pn, m.c_s_pr, m.c_s_pr2, m.c_s_b, m.c_s_b2, m.c_s_rb, m.c_peak_log_growth, m.c_max_drawdown, m.value, m.net_flow
from analytics_entities e
join analytics_series_months m on m.entity_type = 'portfolio' and m.entity_id = e.twin_of
where e.entity_type = 'client' and e.twin_of is not null;

alter table analytics_metrics rename to analytics_metrics_stored;
-- Every reader filters on entity_type and entity_id (the primary key); the (entity_type, period) index cost an insert per
-- metric row, 200 k a day, for a few background scans.
drop index analytics_metrics_period_idx;
-- The method of each snapshot: its text once (analytics_methods), a number per row (the text was half of every
-- row's bytes: 50 MB a day through COPY).
create table analytics_methods (id integer generated always as identity primary key, method text not null unique);
alter table analytics_metrics_stored drop column method;
alter table analytics_metrics_stored add column method_id integer not null;

create view analytics_metrics as
select s.entity_type, s.entity_id, s.period, s.as_of, s.from_date, s.to_date, s.days, s.twrr, s.twrr_annualized, s.reported_return, s.xirr, s.benchmark_id, s.benchmark_return, s.benchmark_annualized, s.benchmark_reported, s.excess_return, s.observations, s.annual_volatility, s.sharpe, s.sortino, s.downside_risk, s.beta, s.alpha, s.tracking_error, s.information_ratio, s.max_drawdown, s.risk_free_annual, s.opening_value, s.closing_value, s.net_flows, mt.method, s.computed_at
from analytics_metrics_stored s join analytics_methods mt on mt.id = s.method_id
union all
select 'client'::text, e.entity_id, s.period, s.as_of, s.from_date, s.to_date, s.days, s.twrr, s.twrr_annualized, s.reported_return, s.xirr, s.benchmark_id, s.benchmark_return, s.benchmark_annualized, s.benchmark_reported, s.excess_return, s.observations, s.annual_volatility, s.sharpe, s.sortino, s.downside_risk, s.beta, s.alpha, s.tracking_error, s.information_ratio, s.max_drawdown, s.risk_free_annual, s.opening_value, s.closing_value, s.net_flows, mt.method, s.computed_at
from analytics_entities e
join analytics_metrics_stored s on s.entity_type = 'portfolio' and s.entity_id = e.twin_of
join analytics_methods mt on mt.id = s.method_id
where e.entity_type = 'client' and e.twin_of is not null;

-- As in 00009, over every entity's months (twins included).
create view analytics_series as
select entity_type, entity_id, value_date, value, value_delta, net_flow, daily_return, log_growth, benchmark_return,
       n, s_r, s_r2, s_dn2, pn, s_pr, s_pr2, s_b, s_b2, s_rb, peak_log_growth,
       least(c_max_drawdown, min(exp(greatest(log_growth - peak_log_growth, -700)) - 1) over w) as max_drawdown
from (
  select g.*, greatest(g.c_peak_log_growth, max(g.log_growth) over w) as peak_log_growth
  from (
    select r.*,
           r.c_log_growth + coalesce(sum(ln(greatest(1 + r.daily_return, 1e-300))) over w, 0) as log_growth,
           (r.c_n + count(r.daily_return) over w)::integer as n,
           r.c_s_r + coalesce(sum(r.daily_return) over w, 0) as s_r,
           r.c_s_r2 + coalesce(sum(r.daily_return * r.daily_return) over w, 0) as s_r2,
           r.c_s_dn2 + coalesce(sum(case when r.daily_return < 0 then r.daily_return * r.daily_return else 0 end) over w, 0) as s_dn2,
           (r.c_pn + count(r.daily_return * r.benchmark_return) over w)::integer as pn,
           r.c_s_pr + coalesce(sum(case when r.benchmark_return is not null then r.daily_return end) over w, 0) as s_pr,
           r.c_s_pr2 + coalesce(sum(case when r.benchmark_return is not null then r.daily_return * r.daily_return end) over w, 0) as s_pr2,
           r.c_s_b + coalesce(sum(case when r.daily_return is not null then r.benchmark_return end) over w, 0) as s_b,
           r.c_s_b2 + coalesce(sum(case when r.daily_return is not null then r.benchmark_return * r.benchmark_return end) over w, 0) as s_b2,
           r.c_s_rb + coalesce(sum(r.daily_return * r.benchmark_return) over w, 0) as s_rb
    from (
      select p.*, ((p.v - p.prev)::numeric / 100)::numeric(22, 2) as value_delta,
             case when p.prev::float8 / 100 + p.f::float8 / 100 > 0
                  then (p.v::float8 / 100 - p.prev::float8 / 100 - p.f::float8 / 100) / (p.prev::float8 / 100 + p.f::float8 / 100) end as daily_return
      from (
        select d.*, coalesce(lag(d.v) over w, d.c_value) as prev
        from (
          select m.entity_type, m.entity_id, m.month, u.slot, m.month + (u.slot::integer - 1) as value_date, u.v, coalesce(u.f, 0) as f,
                 (u.v::numeric / 100)::numeric(22, 2) as value, (coalesce(u.f, 0)::numeric / 100)::numeric(22, 2) as net_flow,
                 bs.daily_return as benchmark_return,
                 m.c_value, m.c_log_growth, m.c_n, m.c_s_r, m.c_s_r2, m.c_s_dn2, m.c_pn, m.c_s_pr, m.c_s_pr2, m.c_s_b, m.c_s_b2, m.c_s_rb,
                 m.c_peak_log_growth, m.c_max_drawdown
          from analytics_months m
          cross join lateral unnest(m.value, m.net_flow) with ordinality as u(v, f, slot)
          left join analytics_entities e on e.entity_type = m.entity_type and e.entity_id = m.entity_id
          left join benchmark_series bs on bs.benchmark_id = e.benchmark_id and bs.value_date = m.month + (u.slot::integer - 1)
          where u.v is not null
        ) d
        window w as (partition by d.entity_type, d.entity_id, d.month order by d.slot)
      ) p
    ) r
    window w as (partition by r.entity_type, r.entity_id, r.month order by r.slot)
  ) g
  window w as (partition by g.entity_type, g.entity_id, g.month order by g.slot)
) x
window w as (partition by x.entity_type, x.entity_id, x.month order by x.slot);
