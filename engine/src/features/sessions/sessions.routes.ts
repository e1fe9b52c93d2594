import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../../app-env.js';
import { AppError } from '../../lib/errors.js';
import { ErrorBody, errorResponses, security } from '../../lib/openapi.js';
import { audit, auditRequest, requestIp } from '../audit/audit.js';
import { dummyHash, verifyPassword } from '../auth/password.js';
import { CSRF_COOKIE, SESSION_COOKIE, createSession, revokeSession } from './sessions.queries.js';

/** Consecutive failures before the account locks; each further failure doubles the lock (1, 2, 4 … 60 minutes). */
export const MAX_LOGIN_FAILURES = 5;

const UserSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    name: z.string(),
    role: z.enum(['admin', 'management', 'compliance', 'rm']),
    rmId: z.number().int().nullable(),
    salesforceUserId: z.string().nullable(),
  })
  .openapi('SessionUser');

const loginRoute = createRoute({
  method: 'post',
  path: '/api/auth/login',
  tags: ['Auth'],
  summary: 'Sign in to the stand-alone dashboard (sets the session cookie)',
  description: `Sets \`${SESSION_COOKIE}\` (HttpOnly, SameSite=Strict) and \`${CSRF_COOKIE}\` (readable by the page). Send the CSRF token back as \`X-CSRF-Token\` on every POST/PUT/PATCH/DELETE. After ${MAX_LOGIN_FAILURES} consecutive failures the account locks for 1 minute, doubling per further failure up to 60. No credentials needed.`,
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: z.object({ email: z.email().max(254), password: z.string().min(1).max(200) }) } },
    },
  },
  responses: {
    200: {
      description: 'Signed in',
      content: { 'application/json': { schema: z.object({ user: UserSchema, csrfToken: z.string(), expiresAt: z.string() }) } },
    },
    400: errorResponses[400],
    401: { description: 'Wrong e-mail or password', content: { 'application/json': { schema: ErrorBody } } },
    429: { description: 'Locked after repeated failures; Retry-After says for how long', content: { 'application/json': { schema: ErrorBody } } },
  },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  tags: ['Auth'],
  summary: 'Sign out: revokes the session and clears its cookies',
  security,
  responses: { 204: { description: 'Signed out' }, ...errorResponses },
});

const meRoute = createRoute({
  method: 'get',
  path: '/api/auth/me',
  tags: ['Auth'],
  summary: 'Who the caller is: user, role, scopes and which clients they see',
  security,
  responses: {
    200: {
      description: 'The caller',
      content: {
        'application/json': {
          schema: z.object({
            principal: z.string(),
            kind: z.enum(['api-key', 'session', 'acting-for']),
            role: z.string(),
            scopes: z.array(z.string()),
            user: UserSchema.nullable(),
            clientScope: z.object({ all: z.boolean(), rmIds: z.array(z.number().int()).optional() }),
            seePii: z.boolean(),
          }),
        },
      },
    },
    ...errorResponses,
  },
});

const invalid = () => new AppError(401, 'INVALID_CREDENTIALS', 'Wrong e-mail or password.');

function cookieOptions(c: Context<AppEnv>, maxAge: number) {
  return { path: '/', sameSite: 'Strict', secure: c.var.deps.env.NODE_ENV === 'production', maxAge } as const;
}

export const sessionRoutes = new OpenAPIHono<AppEnv>()
  .openapi(loginRoute, async (c) => {
    const { db, env } = c.var.deps;
    const { email, password } = c.req.valid('json');
    const ip = requestIp(c);
    const [u] = await db.sql<{ id: number; passwordHash: string | null; active: boolean; lockedFor: number | null }[]>`
      select id, password_hash as "passwordHash", active,
        case when locked_until > now() then ceil(extract(epoch from locked_until - now()))::int end as "lockedFor"
      from users where lower(email) = lower(${email})`;
    if (!u || !u.active || !u.passwordHash) {
      await verifyPassword(password, await dummyHash()); // same work as a real check: no e-mail oracle by timing
      await audit(db.sql, { actor: 'anonymous', ip, action: 'auth.login_failed', details: { email, reason: 'unknown' } });
      throw invalid();
    }
    if (u.lockedFor) {
      await audit(db.sql, { actor: `user:${u.id}`, ip, action: 'auth.login_locked', details: { retryAfterSeconds: u.lockedFor } });
      return c.json({ error: { code: 'LOGIN_LOCKED', message: 'Too many failed sign-ins; try again later.', details: { retryAfterSeconds: u.lockedFor } } }, 429, {
        'retry-after': String(u.lockedFor),
      });
    }
    if (!(await verifyPassword(password, u.passwordHash))) {
      const [f] = await db.sql<{ failed: number }[]>`
        update users set failed_logins = failed_logins + 1,
          locked_until = case when failed_logins + 1 >= ${MAX_LOGIN_FAILURES}
            then now() + least(power(2, failed_logins + 1 - ${MAX_LOGIN_FAILURES}), 60) * interval '1 minute' end
        where id = ${u.id} returning failed_logins as failed`;
      await audit(db.sql, { actor: `user:${u.id}`, ip, action: 'auth.login_failed', details: { reason: 'password', consecutive: f!.failed } });
      throw invalid();
    }
    const [user] = await db.sql<z.infer<typeof UserSchema>[]>`
      update users set failed_logins = 0, locked_until = null, last_login_at = now() where id = ${u.id}
      returning id, email, name, role, rm_id as "rmId", salesforce_user_id as "salesforceUserId"`;
    const s = await createSession(db.sql, { userId: u.id, ttlMinutes: env.SESSION_TTL_MINUTES, ip, userAgent: c.req.header('user-agent') ?? null });
    setCookie(c, SESSION_COOKIE, s.sessionId, { ...cookieOptions(c, env.SESSION_TTL_MINUTES * 60), httpOnly: true });
    setCookie(c, CSRF_COOKIE, s.csrfToken, cookieOptions(c, env.SESSION_TTL_MINUTES * 60));
    await audit(db.sql, { actor: `user:${u.id}`, actorRole: user!.role, ip, action: 'auth.login' });
    return c.json({ user: user!, csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString() }, 200);
  })
  .openapi(logoutRoute, async (c) => {
    const p = c.var.principal;
    if (p.sessionIdHash) await revokeSession(c.var.deps.db.sql, p.sessionIdHash);
    deleteCookie(c, SESSION_COOKIE, cookieOptions(c, 0));
    deleteCookie(c, CSRF_COOKIE, cookieOptions(c, 0));
    await auditRequest(c, { action: 'auth.logout' });
    return c.body(null, 204);
  })
  .openapi(meRoute, (c) => {
    const p = c.var.principal;
    return c.json(
      { principal: p.id, kind: p.kind, role: p.role, scopes: [...p.scopes].sort(), user: p.user, clientScope: p.clientScope, seePii: p.seePii },
      200,
    );
  });
