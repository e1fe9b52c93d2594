-- Identity, browser sessions, saved views, and audit-trail indexes (issue 4).
-- Plain SQL valid on PostgreSQL 15 and PGlite (PostgreSQL 18).

-- Users: login bookkeeping for the stand-alone dashboard (lockout after repeated failures).
alter table users add column failed_logins integer not null default 0;
alter table users add column locked_until timestamptz;
alter table users add column last_login_at timestamptz;
alter table users add column updated_at timestamptz not null default now();
-- An RM user must be linked to the RM whose book they see.
alter table users add constraint users_rm_needs_rm_id check (role <> 'rm' or rm_id is not null);
create index users_rm_idx on users (rm_id);

-- Browser sessions. Only the SHA-256 of the session id and of the CSRF token are stored:
-- a copy of this table does not let anyone sign in.
create table sessions (
  id_hash text primary key,
  user_id integer not null references users (id),
  csrf_hash text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_seen_at timestamptz not null default now(),
  revoked_at timestamptz,
  ip text,
  user_agent text
);
create index sessions_user_idx on sessions (user_id);

-- Saved dashboard views: filters are stored, never results; they are re-applied under the reader's scope.
create table saved_views (
  id integer generated always as identity primary key,
  owner_user_id integer not null references users (id),
  name text not null check (length(name) between 1 and 120),
  page text not null,
  filters jsonb not null default '{}'::jsonb,
  sort jsonb,
  columns text[] not null default '{}',
  visibility text not null default 'private' check (visibility in ('private', 'team')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index saved_views_owner_idx on saved_views (owner_user_id);

-- Filters of GET /api/audit.
create index audit_log_actor_idx on audit_log (actor, at desc);
create index audit_log_action_idx on audit_log (action, at desc);
create index audit_log_client_ids_idx on audit_log using gin (client_ids);

-- Searches and filters of GET /api/clients.
create index clients_onboarding_idx on clients (onboarding_date);
create index clients_name_lower_idx on clients (lower(name));

-- Append-only audit trail: the triggers of 00001 refuse UPDATE/DELETE/TRUNCATE for everyone. Privileges add a second
-- wall where they can: nobody gets them through PUBLIC, and when the migrating role is not a superuser (superusers skip
-- privilege checks) it gives up its own. The complete setup (a separate owner role and an application role with
-- INSERT/SELECT only) is in docs/security.md.
revoke update, delete, truncate on audit_log from public;
do $$
begin
  if not (select rolsuper from pg_roles where rolname = current_user) then
    execute format('revoke update, delete, truncate on audit_log from %I', current_user);
  end if;
end $$;
