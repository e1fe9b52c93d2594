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

/**
 * Group commit for request audit entries: entries arriving while a batch is being written go into the next batch,
 * one multi-row INSERT (one commit) each. A request still waits until its own entry is committed, so nothing is
 * answered unaudited; under load the database sees a few commits per second instead of one per request.
 */
export class AuditBatcher {
  private queue: { e: AuditEntry & { at: string }; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private running = false;
  constructor(private sql: Queryable) {}

  write(e: AuditEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ e: { ...e, at: new Date().toISOString() }, resolve, reject });
      if (!this.running) void this.run();
    });
  }

  private async run() {
    this.running = true;
    while (this.queue.length) {
      const batch = this.queue.splice(0, 1000);
      try {
        const rows = batch.map(({ e }) => ({
          at: e.at, actor: e.actor, actor_role: e.actorRole ?? null, ip: e.ip ?? null, action: e.action,
          resource: e.resource ?? null, client_ids: e.clientIds ?? null, details: e.details ?? null,
        }));
        await this.sql`
          insert into audit_log (at, actor, actor_role, ip, action, resource, client_ids, details)
          select at, actor, actor_role, ip, action, resource, client_ids, details
          from jsonb_to_recordset(${this.sql.json(rows as never)}::jsonb)
            as x(at timestamptz, actor text, actor_role text, ip text, action text, resource text, client_ids int[], details jsonb)
          order by at`;
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    this.running = false;
  }
}

const batchers = new WeakMap<object, AuditBatcher>();
function batcherFor(c: Context<AppEnv>): AuditBatcher {
  const deps = c.var.deps;
  let b = batchers.get(deps);
  if (!b) batchers.set(deps, (b = new AuditBatcher(deps.db.sql)));
  return b;
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
  await batcherFor(c).write({
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
