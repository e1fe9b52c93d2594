-- Book-wide high-water-mark status (issue #7): one row per portfolio with a performance fee, replayed in the
-- background after imports, syncs, analytics runs and fee-plan changes (engine/src/features/compliance/hwm-status.ts),
-- so the compliance view counts the whole book instead of replaying portfolios on each request. A cache: rebuilt
-- from valuations, fee transactions and fee plans at any time; `computed_at` says how fresh it is.
create table hwm_status (
  portfolio_id integer primary key references portfolios (id) on delete cascade,
  as_of date,
  value numeric(22, 2),
  high_water_mark numeric(22, 2),
  hurdle_threshold numeric(22, 2),
  distance numeric(22, 2),
  distance_ratio double precision,
  performance_fee_if_crystallised numeric(22, 2), -- performance fee (before GST) if crystallised at as_of
  next_performance_charge date,
  reconciliation_differences integer not null,
  computed_at timestamptz not null default now()
);
