-- Precomputed analytics: daily return series and period metric snapshots for portfolios and their
-- aggregates, benchmark series, the incremental work queue and back-office reported performance.
-- Derived data: everything here except reported_performance can be rebuilt by POST /api/analytics/recompute.
-- The derived tables are UNLOGGED (no WAL: bulk rebuilds write several times faster); after a crash PostgreSQL
-- empties them and the engine rebuilds them at start (the worker's first run sees no entities but valuations).
-- See engine/src/features/analytics/README.md for semantics. Plain SQL for PostgreSQL 15 and PGlite.

-- Portfolios whose valuations or flows changed since their series was last computed, from which date.
-- Filled by statement triggers on valuations, capital_flows and transactions (any write path), emptied by the worker.
create table analytics_dirty (
  portfolio_id integer primary key references portfolios (id) on delete cascade,
  from_date date not null,
  marked_at timestamptz not null default now()
);

-- Indices whose values changed, from which date: their benchmarks' series and the entities compared with them are stale.
create table analytics_index_dirty (
  index_code text primary key,
  from_date date not null,
  marked_at timestamptz not null default now()
);

create function analytics_mark_dirty() returns trigger language plpgsql as $$
begin
  if tg_table_name = 'valuations' then
    if tg_op in ('INSERT', 'UPDATE') then
      insert into analytics_dirty (portfolio_id, from_date)
        select portfolio_id, min(valuation_date) from new_rows group by portfolio_id
        on conflict (portfolio_id) do update set from_date = least(analytics_dirty.from_date, excluded.from_date), marked_at = now();
    end if;
    if tg_op in ('DELETE', 'UPDATE') then
      insert into analytics_dirty (portfolio_id, from_date)
        select portfolio_id, min(valuation_date) from old_rows group by portfolio_id
        on conflict (portfolio_id) do update set from_date = least(analytics_dirty.from_date, excluded.from_date), marked_at = now();
    end if;
  elsif tg_table_name = 'capital_flows' then
    -- A portfolio's first capital-register row switches its flow source from the transaction feed: recompute it all.
    if tg_op in ('INSERT', 'UPDATE') then
      insert into analytics_dirty (portfolio_id, from_date)
        select n.portfolio_id,
               case when exists (select 1 from capital_flows c where c.portfolio_id = n.portfolio_id
                                   and not exists (select 1 from new_rows x where x.id = c.id))
                    then min(n.flow_date) else '1900-01-01'::date end
        from new_rows n group by n.portfolio_id
        on conflict (portfolio_id) do update set from_date = least(analytics_dirty.from_date, excluded.from_date), marked_at = now();
    end if;
    if tg_op in ('DELETE', 'UPDATE') then
      insert into analytics_dirty (portfolio_id, from_date)
        select portfolio_id, '1900-01-01'::date from old_rows group by portfolio_id
        on conflict (portfolio_id) do update set from_date = least(analytics_dirty.from_date, excluded.from_date), marked_at = now();
    end if;
  elsif tg_table_name = 'transactions' then
    if tg_op in ('INSERT', 'UPDATE') then
      insert into analytics_dirty (portfolio_id, from_date)
        select portfolio_id, min(trade_date) from new_rows where classification in ('flow_in', 'flow_out') group by portfolio_id
        on conflict (portfolio_id) do update set from_date = least(analytics_dirty.from_date, excluded.from_date), marked_at = now();
    end if;
    if tg_op in ('DELETE', 'UPDATE') then
      insert into analytics_dirty (portfolio_id, from_date)
        select portfolio_id, min(trade_date) from old_rows where classification in ('flow_in', 'flow_out') group by portfolio_id
        on conflict (portfolio_id) do update set from_date = least(analytics_dirty.from_date, excluded.from_date), marked_at = now();
    end if;
  elsif tg_table_name = 'index_values' then
    if tg_op in ('INSERT', 'UPDATE') then
      insert into analytics_index_dirty (index_code, from_date)
        select index_code, min(value_date) from new_rows group by index_code
        on conflict (index_code) do update set from_date = least(analytics_index_dirty.from_date, excluded.from_date), marked_at = now();
    end if;
    if tg_op in ('DELETE', 'UPDATE') then
      insert into analytics_index_dirty (index_code, from_date)
        select index_code, min(value_date) from old_rows group by index_code
        on conflict (index_code) do update set from_date = least(analytics_index_dirty.from_date, excluded.from_date), marked_at = now();
    end if;
  end if;
  return null;
end $$;

create trigger valuations_analytics_ins after insert on valuations referencing new table as new_rows
  for each statement execute function analytics_mark_dirty();
create trigger valuations_analytics_upd after update on valuations referencing old table as old_rows new table as new_rows
  for each statement execute function analytics_mark_dirty();
create trigger valuations_analytics_del after delete on valuations referencing old table as old_rows
  for each statement execute function analytics_mark_dirty();
create trigger capital_flows_analytics_ins after insert on capital_flows referencing new table as new_rows
  for each statement execute function analytics_mark_dirty();
create trigger capital_flows_analytics_upd after update on capital_flows referencing old table as old_rows new table as new_rows
  for each statement execute function analytics_mark_dirty();
create trigger capital_flows_analytics_del after delete on capital_flows referencing old table as old_rows
  for each statement execute function analytics_mark_dirty();
create trigger transactions_analytics_ins after insert on transactions referencing new table as new_rows
  for each statement execute function analytics_mark_dirty();
create trigger transactions_analytics_upd after update on transactions referencing old table as old_rows new table as new_rows
  for each statement execute function analytics_mark_dirty();
create trigger transactions_analytics_del after delete on transactions referencing old table as old_rows
  for each statement execute function analytics_mark_dirty();
create trigger index_values_analytics_ins after insert on index_values referencing new table as new_rows
  for each statement execute function analytics_mark_dirty();
create trigger index_values_analytics_upd after update on index_values referencing old table as old_rows new table as new_rows
  for each statement execute function analytics_mark_dirty();
create trigger index_values_analytics_del after delete on index_values referencing old table as old_rows
  for each statement execute function analytics_mark_dirty();

-- Daily benchmark returns (blended, daily rebalanced: blendedIndexReturns) and their cumulative log growth.
create unlogged table benchmark_series (
  benchmark_id integer not null references benchmarks (id) on delete cascade,
  value_date date not null,
  daily_return double precision,
  log_growth double precision not null,
  primary key (benchmark_id, value_date)
);

-- Which members make up each aggregate at the last compute (a change of membership recomputes the group).
-- client ← portfolios; strategy ← portfolios; rm ← clients; team ← rm (the RM and everyone reporting to them); firm ← strategies.
create unlogged table analytics_group_members (
  entity_type text not null check (entity_type in ('client', 'rm', 'team', 'strategy', 'firm')),
  entity_id integer not null,
  member_type text not null,
  member_id integer not null,
  primary key (entity_type, entity_id, member_type, member_id)
);

-- Every entity with a series: its benchmark, inception (for period completeness) and as-of date.
create unlogged table analytics_entities (
  entity_type text not null check (entity_type in ('portfolio', 'client', 'rm', 'team', 'strategy', 'firm')),
  entity_id integer not null,
  benchmark_id integer references benchmarks (id),
  inception_date date,
  first_date date,
  as_of date,
  last_value numeric(22, 2),
  method text not null,
  computed_at timestamptz not null default now(),
  primary key (entity_type, entity_id)
);

-- One row per entity per valuation date: the daily return series and running sums for O(1) period statistics.
-- entity_type: portfolio | client | rm | team | strategy | firm (firm: entity_id 0).
create unlogged table analytics_series (
  entity_type text not null,
  entity_id integer not null,
  value_date date not null,
  value numeric(22, 2) not null,          -- end-of-day value (aggregates: pooled, last known value carried forward)
  value_delta numeric(22, 2) not null,    -- value − previous value (pooling aggregates)
  net_flow numeric(22, 2) not null,       -- external flows attached to this date (+ in, − out)
  daily_return double precision,          -- (V − V₋₁ − CF) / (V₋₁ + w·CF); null when the denominator ≤ 0
  log_growth double precision not null,   -- Σ ln(1 + r) since inception: growth index = exp(log_growth)
  benchmark_return double precision,      -- the entity's benchmark return on this date (null when missing)
  n integer not null,                     -- running count of present returns
  s_r double precision not null,          -- running Σ r
  s_r2 double precision not null,         -- running Σ r²
  s_dn2 double precision not null,        -- running Σ min(r, 0)²
  pn integer not null,                    -- running count of (r, b) pairs
  s_pr double precision not null,         -- running Σ r over pairs
  s_pr2 double precision not null,        -- running Σ r² over pairs
  s_b double precision not null,          -- running Σ b over pairs
  s_b2 double precision not null,         -- running Σ b² over pairs
  s_rb double precision not null,         -- running Σ r·b over pairs
  peak_log_growth double precision not null, -- running max of log_growth (0 = the start)
  max_drawdown double precision not null,    -- running min of exp(log_growth − peak) − 1 since inception
  primary key (entity_type, entity_id, value_date)
);
-- Flow dates for XIRR without reading every row.
create index analytics_series_flows_idx on analytics_series (entity_type, entity_id, value_date) where net_flow <> 0;

-- Metric snapshot per entity and standard period, as of the entity's last valuation date.
create unlogged table analytics_metrics (
  entity_type text not null,
  entity_id integer not null,
  period text not null check (period in ('MTD', 'QTD', 'YTD', 'FYTD', '1M', '3M', '6M', '1Y', '2Y', '3Y', '5Y', 'SI')),
  as_of date not null,
  from_date date not null,
  to_date date not null,
  days integer not null,
  twrr double precision,                  -- absolute over the period
  twrr_annualized double precision,       -- (1+twrr)^(365/days) − 1 when days ≥ 365, else null
  reported_return double precision,       -- SEBI figure: twrr under a year, twrr_annualized from a year
  xirr double precision,
  benchmark_id integer,
  benchmark_return double precision,      -- same period, absolute
  benchmark_annualized double precision,
  benchmark_reported double precision,
  excess_return double precision,         -- reported_return − benchmark_reported
  observations integer,
  annual_volatility double precision,
  sharpe double precision,
  sortino double precision,
  downside_risk double precision,
  beta double precision,
  alpha double precision,
  tracking_error double precision,
  information_ratio double precision,
  max_drawdown double precision,          -- SI only
  risk_free_annual double precision,
  opening_value numeric(22, 2),
  closing_value numeric(22, 2),
  net_flows numeric(22, 2),
  method text not null,
  computed_at timestamptz not null default now(),
  primary key (entity_type, entity_id, period)
);
create index analytics_metrics_period_idx on analytics_metrics (entity_type, period);

-- Worker runs (observability: GET /api/analytics/status).
create table analytics_runs (
  id integer generated always as identity primary key,
  trigger text not null,
  mode text not null check (mode in ('incremental', 'full')),
  status text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
  portfolios integer not null default 0,
  groups integer not null default 0,
  series_rows integer not null default 0,
  metric_rows integer not null default 0,
  phases_ms jsonb,
  error text,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);

-- Back-office reported performance (Wealth Spectrum fact sheet / performance report), import kind 'reported-performance'.
create table reported_performance (
  id bigint generated always as identity primary key,
  portfolio_id integer not null references portfolios (id),
  period text not null,                   -- a named period (MTD…SI) or 'CUSTOM'
  from_date date,                         -- base date for CUSTOM (null for named periods: derived from to_date)
  to_date date not null,
  period_key text not null,               -- period, or 'CUSTOM:<from_date>' (the natural key with portfolio and to_date)
  reported_twrr double precision not null,
  reported_benchmark_twrr double precision,
  import_run_id integer references import_runs (id),
  unique (portfolio_id, to_date, period_key)
);
