import crypto from 'node:crypto';
import type { Queryable } from '../../db/client.js';
import type { PrincipalUser } from '../auth/principal.js';

export const SESSION_COOKIE = 'pms_session';
export const CSRF_COOKIE = 'pms_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export const sha256 = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');
const token = () => crypto.randomBytes(32).toString('base64url');

/** Starts a session: the id and CSRF token go to the browser, only their hashes are stored. */
export async function createSession(
  sql: Queryable,
  p: { userId: number; ttlMinutes: number; ip: string | null; userAgent: string | null },
): Promise<{ sessionId: string; csrfToken: string; expiresAt: Date }> {
  const sessionId = token();
  const csrfToken = token();
  const [row] = await sql<{ expiresAt: Date }[]>`
    insert into sessions (id_hash, user_id, csrf_hash, expires_at, ip, user_agent)
    values (${sha256(sessionId)}, ${p.userId}, ${sha256(csrfToken)}, now() + make_interval(mins => ${p.ttlMinutes}), ${p.ip}, ${p.userAgent?.slice(0, 300) ?? null})
    returning expires_at as "expiresAt"`;
  return { sessionId, csrfToken, expiresAt: row!.expiresAt };
}

export interface ActiveSession {
  idHash: string;
  csrfHash: string;
  user: PrincipalUser;
}

/** The live session for a cookie value: not revoked, not expired, its user active. */
export async function findSession(sql: Queryable, sessionId: string): Promise<ActiveSession | undefined> {
  const [row] = await sql<(PrincipalUser & { idHash: string; csrfHash: string; stale: boolean })[]>`
    select s.id_hash as "idHash", s.csrf_hash as "csrfHash", s.last_seen_at < now() - interval '1 minute' as stale,
      u.id, u.email, u.name, u.role, u.rm_id as "rmId", u.salesforce_user_id as "salesforceUserId"
    from sessions s join users u on u.id = s.user_id
    where s.id_hash = ${sha256(sessionId)} and s.revoked_at is null and s.expires_at > now() and u.active`;
  if (!row) return undefined;
  // last_seen_at at most once a minute: one write per active browser, not per request.
  if (row.stale) await sql`update sessions set last_seen_at = now() where id_hash = ${row.idHash}`;
  const { idHash, csrfHash, stale: _stale, ...user } = row;
  return { idHash, csrfHash, user };
}

export async function revokeSession(sql: Queryable, idHash: string): Promise<void> {
  await sql`update sessions set revoked_at = now() where id_hash = ${idHash} and revoked_at is null`;
}

/** Constant-time comparison of a presented CSRF token with the session's stored hash. */
export function csrfMatches(presented: string | undefined, csrfHash: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(sha256(presented), 'hex');
  const b = Buffer.from(csrfHash, 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
