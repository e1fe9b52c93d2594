import type { Queryable } from '../db/client.js';

/**
 * Which clients a caller may see. `all` for management, compliance, admin and service keys without a user;
 * otherwise the clients whose RM is one of `rmIds` (an RM's own id plus, for a manager, every RM below them).
 */
export type ClientScope = { all: true } | { all: false; rmIds: number[] };

export const ALL_CLIENTS: ClientScope = { all: true };

/**
 * The one visible-client predicate: `<alias>.rm_id` within the caller's RM subtree, or `true` for firm-wide callers.
 * Every client-level query (lists, details, search, portfolios, performance, dashboards, views, exports) puts it
 * in its WHERE clause against the `clients` row it reads, e.g. sql`… from clients c where ${visibleClients(sql, scope)}`.
 */
export function visibleClients(sql: Queryable, scope: ClientScope, alias = 'c') {
  if (scope.all) return sql`true`;
  // An empty list matches nothing: a user without an RM link sees no clients.
  return sql`${sql(alias)}.rm_id = any(${scope.rmIds}::int[])`;
}

/** True when the client exists and is inside the caller's scope (the caller cannot tell the two apart). */
export async function isClientVisible(sql: Queryable, scope: ClientScope, clientId: number): Promise<boolean> {
  const rows = await sql`select 1 from clients c where c.id = ${clientId} and ${visibleClients(sql, scope)}`;
  return rows.length > 0;
}

/** The RM and everyone below them in the relationship_managers.manager_id hierarchy (recursive, cycle-safe). */
export async function rmSubtree(sql: Queryable, rmId: number): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    with recursive tree(id, path) as (
      select id, array[id] from relationship_managers where id = ${rmId}
      union all
      select r.id, t.path || r.id from relationship_managers r join tree t on r.manager_id = t.id
      where not r.id = any(t.path)
    )
    select distinct id from tree order by id`;
  return rows.map((r) => r.id);
}
