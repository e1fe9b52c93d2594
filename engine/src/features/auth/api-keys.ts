import crypto from 'node:crypto';
import type { Queryable } from '../../db/client.js';

export const SCOPES = ['admin', 'read', 'imports', 'analytics', 'reports', 'sync', 'act-for-user', 'audit', 'users'] as const;
export type Scope = (typeof SCOPES)[number];

/** API keys are long random secrets, so a fast hash is enough; only the hash is stored. */
export function hashApiKey(key: string): string {
  return crypto.createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateApiKey(): string {
  return `pmsk_${crypto.randomBytes(32).toString('base64url')}`;
}

export interface ApiKeyRecord {
  id: number;
  name: string;
  scopes: Scope[];
  userId: number | null;
}

/**
 * The live key for a secret. last_used_at is written at most once a minute per key: one row updated by every request
 * would serialise concurrent requests of the same key on its row lock.
 */
export async function findApiKey(sql: Queryable, key: string): Promise<ApiKeyRecord | undefined> {
  const [row] = await sql<(ApiKeyRecord & { stale: boolean })[]>`
    select id, name, scopes, user_id as "userId", (last_used_at is null or last_used_at < now() - interval '1 minute') as stale
    from api_keys where key_hash = ${hashApiKey(key)} and revoked_at is null`;
  if (!row) return undefined;
  if (row.stale) await sql`update api_keys set last_used_at = now() where id = ${row.id}`;
  const { stale: _s, ...record } = row;
  return record;
}

export async function createApiKey(sql: Queryable, p: { name: string; scopes: Scope[]; key?: string; userId?: number }): Promise<{ id: number; key: string }> {
  const key = p.key ?? generateApiKey();
  const [row] = await sql<{ id: number }[]>`
    insert into api_keys (name, key_hash, key_prefix, scopes, user_id)
    values (${p.name}, ${hashApiKey(key)}, ${key.slice(0, 9)}, ${p.scopes}, ${p.userId ?? null})
    on conflict (key_hash) do update set revoked_at = null, scopes = excluded.scopes
    returning id`;
  return { id: row!.id, key };
}

export async function hasActiveAdminKey(sql: Queryable): Promise<boolean> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from api_keys where 'admin' = any(scopes) and revoked_at is null`;
  return row!.n > 0;
}
