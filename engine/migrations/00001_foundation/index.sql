-- Foundation data model. Money is NUMERIC everywhere; dates are DATE; codes from the back office are TEXT.
-- Written for PostgreSQL 15 (production, CI) and PGlite (PostgreSQL 18 in WebAssembly) alike.

create table relationship_managers (
  id integer generated always as identity primary key,
  rm_code text not null unique,
  name text not null,
  email text,
  manager_id integer references relationship_managers (id),
  city text,
  salesforce_user_id text unique,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (manager_id is null or manager_id <> id)
);

create table clients (
  id integer generated always as identity primary key,
  client_code text not null unique,
  name text not null,
  pan text check (pan is null or pan ~ '^[A-Z]{5}[0-9]{4}[A-Z]$'),
  rm_id integer references relationship_managers (id),
  risk_profile text,
  city text,
  state text,
  email text,
  onboarding_date date not null,
  status text not null default 'Active' check (status in ('Active', 'Closed')),
  salesforce_account_id text unique,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index clients_rm_idx on clients (rm_id);
create index clients_pan_idx on clients (pan);

create table indices (
  code text primary key,
  name text not null,
  index_type text not null default 'total-return'
);

create table index_values (
  index_code text not null references indices (code),
  value_date date not null,
  value numeric(20, 6) not null check (value > 0),
  primary key (index_code, value_date)
);

create table benchmarks (
  id integer generated always as identity primary key,
  code text not null unique,
  name text not null,
  sebi_category text check (sebi_category in ('Equity', 'Debt', 'Hybrid', 'Multi Asset'))
);

-- A benchmark is one index (weight 1) or a blend of indices rebalanced daily.
create table benchmark_components (
  benchmark_id integer not null references benchmarks (id) on delete cascade,
  index_code text not null references indices (code),
  weight numeric(9, 6) not null check (weight > 0 and weight <= 1),
  primary key (benchmark_id, index_code)
);

create table strategies (
  id integer generated always as identity primary key,
  code text not null unique,
  name text not null,
  sebi_category text not null check (sebi_category in ('Equity', 'Debt', 'Hybrid', 'Multi Asset')),
  benchmark_id integer references benchmarks (id),
  inception_date date
);

create table portfolios (
  id integer generated always as identity primary key,
  portfolio_code text not null unique,
  client_id integer not null references clients (id),
  strategy_id integer not null references strategies (id),
  inception_date date not null,
  status text not null default 'Active' check (status in ('Active', 'Closed')),
  closed_date date,
  management_fee_rate numeric(9, 6),
  performance_fee_rate numeric(9, 6),
  hurdle_rate numeric(9, 6),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index portfolios_client_idx on portfolios (client_id);
create index portfolios_strategy_idx on portfolios (strategy_id);

-- security_key is the ISIN when known, otherwise 'NAME:' || upper(name), so unkeyed rows still dedupe.
create table securities (
  id integer generated always as identity primary key,
  security_key text not null unique,
  isin text unique check (isin is null or isin ~ '^[A-Z]{2}[A-Z0-9]{9}[0-9]$'),
  name text not null,
  asset_class text,
  sector text
);

create table import_runs (
  id integer generated always as identity primary key,
  kind text not null,
  file_name text not null,
  file_sha256 text,
  file_bytes bigint,
  format text,
  source text not null default 'api',
  actor text,
  status text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
  rows_total integer not null default 0,
  inserted integer not null default 0,
  updated integer not null default 0,
  unchanged integer not null default 0,
  error jsonb,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
create index import_runs_started_idx on import_runs (started_at desc);

-- The Wealth Spectrum transaction feed, with our classification of each type code.
create table transactions (
  id bigint generated always as identity primary key,
  portfolio_id integer not null references portfolios (id),
  source_key text not null,
  trade_date date not null,
  settlement_date date,
  type_code text not null,
  classification text not null check (classification in ('flow_in', 'flow_out', 'trade', 'income', 'fee', 'internal')),
  description text,
  security_id integer references securities (id),
  quantity numeric(20, 6),
  rate numeric(20, 6),
  net_amount numeric(20, 2) not null,
  brokerage numeric(20, 2),
  stt numeric(20, 2),
  service_tax numeric(20, 2),
  total_fees numeric(20, 2),
  reference text,
  memo text,
  import_run_id integer references import_runs (id),
  unique (portfolio_id, source_key)
);
create index transactions_portfolio_date_idx on transactions (portfolio_id, trade_date);

-- External flows (corpus in/out) from the Capital Register; amount is signed: + in, − out.
create table capital_flows (
  id bigint generated always as identity primary key,
  portfolio_id integer not null references portfolios (id),
  source_key text not null,
  flow_date date not null,
  type_code text not null,
  amount numeric(20, 2) not null,
  mode text not null default 'Cash' check (mode in ('Cash', 'Securities')),
  reference text,
  remarks text,
  import_run_id integer references import_runs (id),
  unique (portfolio_id, source_key)
);
create index capital_flows_portfolio_date_idx on capital_flows (portfolio_id, flow_date);

-- The flows returns are computed from: the Capital Register where a portfolio has one,
-- otherwise the flow-classified rows of the transaction feed. Never both (no double counting).
create view external_flows as
  select portfolio_id, flow_date, amount, type_code, 'capital-register' as source
  from capital_flows
  union all
  select t.portfolio_id, t.trade_date, case when t.classification = 'flow_in' then abs(t.net_amount) else -abs(t.net_amount) end,
         t.type_code, 'transactions'
  from transactions t
  where t.classification in ('flow_in', 'flow_out')
    and not exists (select 1 from capital_flows c where c.portfolio_id = t.portfolio_id);

create table holdings (
  portfolio_id integer not null references portfolios (id),
  as_of_date date not null,
  security_id integer not null references securities (id),
  quantity numeric(20, 6) not null,
  avg_cost numeric(20, 6),
  market_price numeric(20, 6),
  market_value numeric(20, 2) not null,
  import_run_id integer references import_runs (id),
  primary key (portfolio_id, as_of_date, security_id)
);

create table valuations (
  portfolio_id integer not null references portfolios (id),
  valuation_date date not null,
  market_value numeric(20, 2) not null,
  cash_balance numeric(20, 2),
  import_run_id integer references import_runs (id),
  primary key (portfolio_id, valuation_date)
);

-- 91-day T-bill yield (annual, decimal: 0.065 = 6.5%) in force from valid_from until the next row.
create table risk_free_rates (
  valid_from date primary key,
  annual_yield numeric(9, 6) not null,
  source text
);
insert into risk_free_rates (valid_from, annual_yield, source) values ('1990-01-01', 0.065, 'default constant (DOMAIN.md section 5)');

create table users (
  id integer generated always as identity primary key,
  email text not null unique,
  name text not null,
  role text not null check (role in ('admin', 'management', 'compliance', 'rm')),
  rm_id integer references relationship_managers (id),
  salesforce_user_id text unique,
  password_hash text,
  active boolean not null default true,
  created_at timestamptz not null default now()
);

create table api_keys (
  id integer generated always as identity primary key,
  name text not null,
  key_hash text not null unique,
  key_prefix text not null,
  scopes text[] not null,
  user_id integer references users (id),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

-- Append-only: the application never updates or deletes rows (enforced by trigger).
create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor text not null,
  actor_role text,
  ip text,
  action text not null,
  resource text,
  client_ids integer[],
  details jsonb
);
create index audit_log_at_idx on audit_log (at desc);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();
