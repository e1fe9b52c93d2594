import type { Queryable } from '../../db/client.js';
import { ALL_CLIENTS, rmSubtree, type ClientScope } from '../../lib/scope.js';
import type { Scope } from './api-keys.js';
import { FIRM_WIDE_ROLES, PII_ROLES, type Role } from './roles.js';

export interface PrincipalUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  rmId: number | null;
  salesforceUserId: string | null;
}

export interface Principal {
  /** Stable id for logs and the audit trail: `key:3`, `user:5`, or `user:5 via key:3` (acting for a user). */
  id: string;
  kind: 'api-key' | 'session' | 'acting-for';
  scopes: Set<Scope>;
  userId: number | null;
  /** The person behind the request; null for a service key (batch job). */
  user: PrincipalUser | null;
  /** The user's role, or `service` for a key without a user. */
  role: Role | 'service';
  /** The clients this caller may see: every client-level query applies it. */
  clientScope: ClientScope;
  /** May see PAN unmasked (admin and compliance users; service keys with the admin scope). */
  seePii: boolean;
  keyId: number | null;
  /** SHA-256 of the session id for cookie sessions (logout revokes it). */
  sessionIdHash?: string;
}

export async function findActiveUser(sql: Queryable, where: { id: number } | { salesforceUserId: string }): Promise<PrincipalUser | undefined> {
  const cond = 'id' in where ? sql`id = ${where.id}` : sql`salesforce_user_id = ${where.salesforceUserId}`;
  const [row] = await sql<PrincipalUser[]>`
    select id, email, name, role, rm_id as "rmId", salesforce_user_id as "salesforceUserId"
    from users where ${cond} and active`;
  return row;
}

/** The clients a user may see: firm-wide roles all; an RM their own RM subtree (none without an RM link). */
export async function clientScopeOf(sql: Queryable, user: PrincipalUser): Promise<ClientScope> {
  if (FIRM_WIDE_ROLES.has(user.role)) return ALL_CLIENTS;
  if (user.rmId == null) return { all: false, rmIds: [] };
  return { all: false, rmIds: await rmSubtree(sql, user.rmId) };
}

export async function userPrincipal(
  sql: Queryable,
  user: PrincipalUser,
  p: { id: string; kind: Principal['kind']; scopes: Set<Scope>; keyId: number | null; sessionIdHash?: string },
): Promise<Principal> {
  return {
    ...p,
    userId: user.id,
    user,
    role: user.role,
    clientScope: await clientScopeOf(sql, user),
    seePii: PII_ROLES.has(user.role),
  };
}

/** A key without a user: a batch job. It sees every client (its scopes limit what it may do); PAN only with `admin`. */
export function servicePrincipal(keyId: number, scopes: Scope[]): Principal {
  return {
    id: `key:${keyId}`,
    kind: 'api-key',
    scopes: new Set(scopes),
    userId: null,
    user: null,
    role: 'service',
    clientScope: ALL_CLIENTS,
    seePii: scopes.includes('admin'),
    keyId,
  };
}
