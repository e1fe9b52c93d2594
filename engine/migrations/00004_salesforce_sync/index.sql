-- Salesforce sync: CRM records in tables of their own (never overwriting our client master),
-- sync runs with per-object watermarks, a generic staging area (a run is applied all at once),
-- reconciliation items whose resolutions outlive the next sync, and write-back bookkeeping.

create table sf_users (
  id text primary key,                         -- Salesforce Id (18 chars)
  username text,
  name text,
  email text,
  title text,
  is_active boolean,
  manager_id text,                             -- User.ManagerId (hierarchy)
  rm_code text,                                -- configured User field holding our RM code, if any
  system_modstamp timestamptz,
  is_deleted boolean not null default false,
  source text not null default 'api' check (source in ('api', 'file')),
  synced_at timestamptz not null default now()
);

create table sf_accounts (
  id text primary key,
  name text,
  owner_id text,                               -- the RM (User Id)
  client_code text,                            -- configured field, e.g. PMS_Client_Code__c
  pan text,                                    -- configured field, or the Person Account __pc field
  risk_profile text,
  is_person_account boolean not null default false,
  person_email text,
  city text,
  aum numeric(20, 2),                          -- configured Account AUM field, when there is one
  aum_as_of date,
  system_modstamp timestamptz,
  is_deleted boolean not null default false,
  source text not null default 'api' check (source in ('api', 'file')),
  synced_at timestamptz not null default now()
);
create index sf_accounts_client_code_idx on sf_accounts (client_code);
create index sf_accounts_pan_idx on sf_accounts (pan);

create table sf_contacts (
  id text primary key,
  account_id text,
  name text,
  email text,
  phone text,
  owner_id text,
  system_modstamp timestamptz,
  is_deleted boolean not null default false,
  source text not null default 'api' check (source in ('api', 'file')),
  synced_at timestamptz not null default now()
);

-- Communication log: Task and Event.
create table sf_activities (
  id text primary key,
  activity_type text not null check (activity_type in ('Task', 'Event')),
  subject text,
  activity_date date,
  status text,
  type text,
  who_id text,
  what_id text,
  owner_id text,
  start_at timestamptz,
  end_at timestamptz,
  system_modstamp timestamptz,
  is_deleted boolean not null default false,
  source text not null default 'api' check (source in ('api', 'file')),
  synced_at timestamptz not null default now()
);
create index sf_activities_what_idx on sf_activities (what_id);

-- FSC financial accounts (managed FinServ__FinancialAccount__c or standard FinancialAccount).
create table sf_financial_accounts (
  id text primary key,
  sobject text not null,
  name text,
  account_number text,
  primary_owner_id text,                       -- Account Id (managed package only)
  source_system_id text,                       -- our portfolio code when the org keeps it
  balance numeric(20, 2),
  owner_id text,
  system_modstamp timestamptz,
  is_deleted boolean not null default false,
  synced_at timestamptz not null default now()
);

create table sync_runs (
  id integer generated always as identity primary key,
  connector text not null default 'salesforce',
  mode text not null check (mode in ('incremental', 'full')),
  trigger text not null,                       -- schedule | api | cli | bench | test
  actor text,
  status text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
  via jsonb,                                   -- per object: rest | bulk
  counts jsonb,                                -- per object: fetched, upserted, deleted
  reconciliation jsonb,
  write_back jsonb,
  error jsonb,
  heartbeat_at timestamptz not null default now(),
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
create index sync_runs_started_idx on sync_runs (connector, started_at desc);
-- At most one running sync per connector, whichever engine instance started it.
create unique index sync_runs_one_running on sync_runs (connector) where status = 'running';

create table sync_watermarks (
  connector text not null,
  object text not null,
  watermark timestamptz not null,
  run_id integer references sync_runs (id),
  updated_at timestamptz not null default now(),
  primary key (connector, object)
);

-- Pages of a running sync, applied to the sf_* tables in one transaction at its end.
create table sf_sync_stage (
  run_id integer not null references sync_runs (id) on delete cascade,
  object text not null,
  sf_id text not null,
  system_modstamp timestamptz,
  is_deleted boolean not null default false,
  data jsonb not null
);
create index sf_sync_stage_run_idx on sf_sync_stage (run_id, object);

create table reconciliation_items (
  id integer generated always as identity primary key,
  kind text not null check (kind in ('unmatched_salesforce_account', 'unmatched_client', 'rm_mismatch', 'aum_difference', 'stale_data')),
  subject_key text not null,                   -- what the item is about: an Account Id, a client code…
  client_id integer references clients (id),
  salesforce_account_id text,
  details jsonb not null default '{}'::jsonb,
  -- open: needs a person; linked/ignored: resolved by a person (kept while the condition lasts);
  -- cleared: the condition disappeared by itself (reopened if it comes back).
  status text not null default 'open' check (status in ('open', 'linked', 'ignored', 'cleared')),
  resolution_reason text,
  resolved_by text,
  resolved_at timestamptz,
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  last_run_id integer references sync_runs (id),
  unique (kind, subject_key)
);
create index reconciliation_items_status_idx on reconciliation_items (status, kind);

-- Write-back: what was last written per record, so unchanged values are not sent again.
create table sf_write_back_state (
  sobject text not null,
  record_id text not null,
  payload_hash text not null,
  payload jsonb not null,
  written_at timestamptz not null default now(),
  primary key (sobject, record_id)
);

-- Tasks created for RMs on events (one per event key, never twice).
create table sf_event_tasks (
  event_key text primary key,
  task_id text,
  account_id text not null,
  owner_id text,
  subject text not null,
  created_at timestamptz not null default now()
);
