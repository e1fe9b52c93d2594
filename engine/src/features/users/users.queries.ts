import type { Queryable } from '../../db/client.js';
import type { PrincipalUser } from '../auth/principal.js';
import type { Role } from '../auth/roles.js';

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  rmId: number | null;
  salesforceUserId: string | null;
  passwordHash: string | null;
}

export interface UserRow extends PrincipalUser {
  active: boolean;
  createdAt: Date;
}

const columns = (sql: Queryable) =>
  sql`id, email, name, role, rm_id as "rmId", salesforce_user_id as "salesforceUserId", active, created_at as "createdAt"`;

/** Inserts a user; undefined when the e-mail or Salesforce user Id is taken. */
export async function insertUser(sql: Queryable, u: NewUser): Promise<UserRow | undefined> {
  const [row] = await sql<UserRow[]>`
    insert into users (email, name, role, rm_id, salesforce_user_id, password_hash)
    values (${u.email.toLowerCase()}, ${u.name}, ${u.role}, ${u.rmId}, ${u.salesforceUserId}, ${u.passwordHash})
    on conflict do nothing
    returning ${columns(sql)}`;
  return row;
}

export async function listUsers(sql: Queryable): Promise<UserRow[]> {
  return sql<UserRow[]>`select ${columns(sql)} from users order by id`;
}

export async function rmIdByCode(sql: Queryable, rmCode: string): Promise<number | undefined> {
  const [row] = await sql<{ id: number }[]>`select id from relationship_managers where rm_code = ${rmCode}`;
  return row?.id;
}
