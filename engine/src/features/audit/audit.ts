import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.js';
import type { Queryable } from '../../db/client.js';
import { clientIp } from '../../lib/request.js';

export interface AuditEntry {
  actor: string;
  actorRole?: string | null;
  ip?: string | null;
  action: string;
  resource?: string | null;
  clientIds?: number[];
  details?: Record<string, unknown>;
}

/** Appends to the audit trail (the table refuses updates and deletes). */
export async function audit(sql: Queryable, e: AuditEntry): Promise<void> {
  await sql`
    insert into audit_log (actor, actor_role, ip, action, resource, client_ids, details)
    values (${e.actor}, ${e.actorRole ?? null}, ${e.ip ?? null}, ${e.action}, ${e.resource ?? null},
            ${e.clientIds ?? null}, ${e.details ? sql.json(e.details as never) : null})`;
}

/** The caller's address: the socket's, or the first X-Forwarded-For hop when TRUST_PROXY is on. */
export function requestIp(c: Context<AppEnv>): string | null {
  if (c.var.deps.env.TRUST_PROXY) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  return clientIp(c.env);
}

/** Audits an action of the current request: who (principal and role), from where, which clients. */
export async function auditRequest(c: Context<AppEnv>, e: Omit<AuditEntry, 'actor' | 'actorRole' | 'ip'> & { actor?: string }): Promise<void> {
  const p = c.var.principal;
  await audit(c.var.deps.db.sql, {
    actor: e.actor ?? p?.id ?? 'anonymous',
    actorRole: p?.role ?? null,
    ip: requestIp(c),
    ...e,
    details: { requestId: c.var.requestId, ...(e.details ?? {}) },
  });
}

/** Audits a refused client-level read: the caller gets 404, the trail records whether the client exists. */
export async function auditClientDenied(c: Context<AppEnv>, clientIds: number[], route: string): Promise<void> {
  const sql = c.var.deps.db.sql;
  const existing = await sql<{ id: number }[]>`select id from clients where id = any(${clientIds}::int[])`;
  await auditRequest(c, { action: 'access.denied', resource: route, clientIds, details: { route, existing: existing.map((r) => r.id) } });
}
