import type { Queryable } from '../../db/client.js';

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
