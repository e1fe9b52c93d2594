-- Report packs: runs, per-client items, and one row per report attached to Salesforce (the idempotency key).
create table report_runs (
  id integer generated always as identity primary key,
  trigger text not null check (trigger in ('schedule', 'manual')),
  report text not null default 'client',
  period_end date not null,
  scope jsonb not null default '{}',
  requested_by text,
  status text not null default 'running' check (status in ('running', 'succeeded', 'partial', 'failed')),
  total integer not null default 0,
  attached integer not null default 0,
  skipped integer not null default 0,
  failed integer not null default 0,
  error text,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
create index report_runs_started_idx on report_runs (started_at desc);

create table report_run_items (
  run_id integer not null references report_runs (id),
  client_id integer not null references clients (id),
  status text not null default 'pending' check (status in ('pending', 'attached', 'skipped', 'failed')),
  reason text,
  attempts integer not null default 0,
  content_version_id text,
  bytes integer,
  ms integer,
  error text,
  updated_at timestamptz not null default now(),
  primary key (run_id, client_id)
);

create table report_attachments (
  client_id integer not null references clients (id),
  report text not null,
  period_end date not null,
  salesforce_account_id text not null,
  content_version_id text not null,
  title text not null,
  run_id integer references report_runs (id),
  attached_at timestamptz not null default now(),
  primary key (client_id, report, period_end)
);
