import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.js';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors.js';
import { findApiKey, type Scope } from './api-keys.js';

export interface Principal {
  /** Stable id for logs and the audit trail, e.g. `key:3`. */
  id: string;
  kind: 'api-key';
  scopes: Set<Scope>;
  userId: number | null;
}

/** Every /api route: `Authorization: Bearer <key>`. */
export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new UnauthorizedError('Send Authorization: Bearer <api key>');
  const key = await findApiKey(c.var.deps.db.sql, match[1]!);
  if (!key) throw new UnauthorizedError('Unknown or revoked API key');
  c.set('principal', { id: `key:${key.id}`, kind: 'api-key', scopes: new Set(key.scopes), userId: key.userId });
  await next();
});

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
