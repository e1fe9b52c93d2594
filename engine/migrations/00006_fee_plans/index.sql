-- Fee plans (issue #7). A portfolio's plan is resolved field by field (docs/methodology.md "Fee plans"):
--   1. its fee_plans row (set through the API or imported from Wealth Spectrum): every field, one source;
--   2. config/fee-plans.json, a portfolio override by portfolio code, then its strategy's default (fee_plan_config);
--   3. the portfolio master's rates (portfolios.management_fee_rate, performance_fee_rate, hurdle_rate);
--   4. built-in defaults (quarterly management fee, annual performance fee, FY periods, no exit load, GST 18%).
-- No SEBI caps are CHECK constraints here: a plan above a cap (an imported exit load of 4%, operating expenses
-- of 0.75%) must be storable so the compliance check can flag it; the API refuses such plans itself (422).
create table fee_plans (
  portfolio_id integer primary key references portfolios (id) on delete cascade,
  management_fee_rate numeric(9, 6) not null check (management_fee_rate between 0 and 1),
  management_fee_frequency text not null check (management_fee_frequency in ('monthly', 'quarterly', 'half-yearly', 'annual')),
  performance_fee_rate numeric(9, 6) not null check (performance_fee_rate between 0 and 1),
  -- 'monthly' is accepted so an imported plan that breaks SEBI's "not more often than quarterly" can be flagged
  performance_fee_frequency text not null check (performance_fee_frequency in ('monthly', 'quarterly', 'half-yearly', 'annual')),
  hurdle_kind text not null check (hurdle_kind in ('none', 'fixed', 'benchmark')),
  hurdle_rate numeric(9, 6) check (hurdle_rate between 0 and 1),
  exit_load_y1 numeric(9, 6) not null check (exit_load_y1 between 0 and 1),
  exit_load_y2 numeric(9, 6) not null check (exit_load_y2 between 0 and 1),
  exit_load_y3 numeric(9, 6) not null check (exit_load_y3 between 0 and 1),
  operating_expense_rate numeric(9, 6) not null check (operating_expense_rate between 0 and 1),
  gst_rate numeric(9, 6) not null check (gst_rate between 0 and 1),
  period_anchor text not null check (period_anchor in ('financial-year', 'inception')),
  -- 'config' is never written today: config/fee-plans.json lives in fee_plan_config and is resolved at read time
  source text not null check (source in ('config', 'api', 'import')),
  updated_at timestamptz not null default now(),
  -- the principal id (`user:5`, `key:3`) or the import run (`import:12`)
  updated_by text not null,
  check ((hurdle_kind = 'fixed') = (hurdle_rate is not null))
);

-- config/fee-plans.json, replaced as a whole at every start (reference-data sync): partial plans as JSON with
-- rates as decimal strings, per strategy code and per portfolio code (a code not yet imported simply matches nothing).
create table fee_plan_config (
  level text not null check (level in ('strategy', 'portfolio')),
  code text not null,
  plan jsonb not null,
  primary key (level, code)
);
