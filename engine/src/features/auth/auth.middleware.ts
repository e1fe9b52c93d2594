import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.js';
import { AppError, ForbiddenError, UnauthorizedError } from '../../lib/errors.js';
import { auditRequest } from '../audit/audit.js';
import { CSRF_HEADER, SESSION_COOKIE, csrfMatches, findSession } from '../sessions/sessions.queries.js';
import { findApiKey, type Scope } from './api-keys.js';
import { findActiveUser, servicePrincipal, userPrincipal, type Principal } from './principal.js';
import { ROLE_SCOPES, effectiveScopes } from './roles.js';

export type { Principal } from './principal.js';

/** Header naming the Salesforce user an `act-for-user` key acts for (set by Apex from UserInfo.getUserId()). */
export const ACTING_USER_HEADER = 'x-acting-user-sf-id';
/** /api paths served without credentials. */
export const PUBLIC_API_PATHS: ReadonlySet<string> = new Set(['/api/auth/login']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/**
 * Every /api route. Credentials, in order: `Authorization: Bearer <api key>` (batch jobs; with
 * `X-Acting-User-Sf-Id` and the act-for-user scope, Salesforce acting for one of our users), else the
 * `pms_session` cookie of the stand-alone dashboard (unsafe methods also need `X-CSRF-Token`).
 */
export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  if (PUBLIC_API_PATHS.has(c.req.path)) return next();
  const sql = c.var.deps.db.sql;
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedError('Send Authorization: Bearer <api key>');
    const key = await findApiKey(sql, match[1]!);
    if (!key) throw new UnauthorizedError('Unknown or revoked API key');
    c.set('principal', await keyPrincipal(c, key));
    return next();
  }
  const sessionId = getCookie(c, SESSION_COOKIE);
  if (sessionId === undefined) throw new UnauthorizedError('Send Authorization: Bearer <api key>, or sign in');
  const session = sessionId.length <= 100 ? await findSession(sql, sessionId) : undefined;
  if (!session) throw new AppError(401, 'SESSION_INVALID', 'The session is unknown, expired or signed out; sign in again.');
  const principal = await userPrincipal(sql, session.user, {
    id: `user:${session.user.id}`,
    kind: 'session',
    scopes: new Set(ROLE_SCOPES[session.user.role]),
    keyId: null,
    sessionIdHash: session.idHash,
  });
  c.set('principal', principal);
  if (!SAFE_METHODS.has(c.req.method) && !csrfMatches(c.req.header(CSRF_HEADER), session.csrfHash)) {
    await auditRequest(c, { action: 'auth.csrf_rejected', resource: c.req.path, details: { method: c.req.method } });
    throw new AppError(403, 'CSRF_FAILED', `Send the ${CSRF_HEADER} header with the token given at sign-in.`);
  }
  return next();
});

async function keyPrincipal(c: Parameters<typeof requireAuth>[0], key: { id: number; scopes: Scope[]; userId: number | null }): Promise<Principal> {
  const sql = c.var.deps.db.sql;
  const acting = c.req.header(ACTING_USER_HEADER);
  if (acting !== undefined) {
    const service = servicePrincipal(key.id, key.scopes);
    const deny = async (reason: string, message: string) => {
      // Attributed to the key: the acting claim is what failed.
      c.set('principal', service);
      await auditRequest(c, { action: 'auth.acting_for_denied', resource: c.req.path, details: { reason, salesforceUserId: acting.slice(0, 40) } });
      return new ForbiddenError(message);
    };
    if (!key.scopes.includes('act-for-user') && !key.scopes.includes('admin')) throw await deny('scope', 'This key may not act for users (needs the "act-for-user" scope)');
    if (!SALESFORCE_ID.test(acting)) throw await deny('malformed', `${ACTING_USER_HEADER} must be a 15- or 18-character Salesforce Id`);
    const user = await findActiveUser(sql, { salesforceUserId: acting });
    if (!user) throw await deny('unknown-user', 'No active user has this Salesforce user Id');
    // The user's role decides what they may do and see; the key only vouches for who they are.
    return userPrincipal(sql, user, { id: `user:${user.id} via key:${key.id}`, kind: 'acting-for', scopes: new Set(ROLE_SCOPES[user.role]), keyId: key.id });
  }
  if (key.userId == null) return servicePrincipal(key.id, key.scopes);
  const user = await findActiveUser(sql, { id: key.userId });
  if (!user) throw new UnauthorizedError('The user of this API key is deactivated');
  return userPrincipal(sql, user, { id: `user:${user.id} via key:${key.id}`, kind: 'api-key', scopes: effectiveScopes(key.scopes, user.role), keyId: key.id });
}

/** The caller needs one of `scopes` (admin holds every scope). */
export function requireScope(...scopes: Scope[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const p = c.var.principal;
    if (!p) throw new UnauthorizedError();
    if (!p.scopes.has('admin') && !scopes.some((s) => p.scopes.has(s))) {
      throw new ForbiddenError(`This needs the ${scopes.map((s) => `"${s}"`).join(' or ')} scope`);
    }
    await next();
  });
}
