import type { Queryable } from '../../db/client.js';
import type { PrincipalUser } from '../auth/principal.js';

export interface SavedView {
  id: number;
  ownerUserId: number;
  name: string;
  page: string;
  filters: Record<string, unknown>;
  sort: { sort: string; order: 'asc' | 'desc' } | null;
  columns: string[];
  visibility: 'private' | 'team';
  createdAt: Date;
}

const columns = (sql: Queryable) => sql`
  v.id, v.owner_user_id as "ownerUserId", v.name, v.page, v.filters, v.sort, v.columns, v.visibility, v.created_at as "createdAt"`;

/**
 * Views the reader may open: their own, and `team` views of a colleague in the same team. A team is the subtree of
 * the owner's manager (the owner's own subtree when they have none), over relationship_managers.manager_id;
 * users without an RM link (management, compliance, admin) form one head-office team.
 */
function readable(sql: Queryable, reader: PrincipalUser) {
  return sql`(v.owner_user_id = ${reader.id} or (v.visibility = 'team' and exists (
    select 1 from users o left join relationship_managers orm on orm.id = o.rm_id
    where o.id = v.owner_user_id and (
      (o.rm_id is null and ${reader.rmId}::int is null)
      or ${reader.rmId}::int in (
        with recursive team(id, path) as (
          select coalesce(orm.manager_id, orm.id), array[coalesce(orm.manager_id, orm.id)]
          union all
          select r.id, t.path || r.id from relationship_managers r join team t on r.manager_id = t.id where not r.id = any(t.path)
        ) select id from team)))))`;
}

export async function insertView(sql: Queryable, v: Omit<SavedView, 'id' | 'createdAt'>): Promise<SavedView> {
  const [row] = await sql<SavedView[]>`
    insert into saved_views as v (owner_user_id, name, page, filters, sort, columns, visibility)
    values (${v.ownerUserId}, ${v.name}, ${v.page}, ${sql.json(v.filters as never)}, ${v.sort ? sql.json(v.sort as never) : null}, ${v.columns}, ${v.visibility})
    returning ${columns(sql)}`;
  return row!;
}

export async function listViews(sql: Queryable, reader: PrincipalUser): Promise<SavedView[]> {
  return sql<SavedView[]>`select ${columns(sql)} from saved_views v where ${readable(sql, reader)} order by v.name, v.id`;
}

export async function getView(sql: Queryable, reader: PrincipalUser, id: number): Promise<SavedView | undefined> {
  const [row] = await sql<SavedView[]>`select ${columns(sql)} from saved_views v where v.id = ${id} and ${readable(sql, reader)}`;
  return row;
}

/** Deletes the reader's own view; false when it is not theirs or does not exist. */
export async function deleteView(sql: Queryable, owner: PrincipalUser, id: number): Promise<boolean> {
  const rows = await sql`delete from saved_views where id = ${id} and owner_user_id = ${owner.id} returning id`;
  return rows.length > 0;
}
