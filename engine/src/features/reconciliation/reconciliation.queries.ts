import type { Queryable } from '../../db/client.js';
import { AppError, NotFoundError } from '../../lib/errors.js';

export const ITEM_KINDS = ['unmatched_salesforce_account', 'unmatched_client', 'rm_mismatch', 'aum_difference', 'stale_data'] as const;
export const ITEM_STATUSES = ['open', 'linked', 'ignored', 'cleared'] as const;

export interface ReconciliationItem {
  id: number;
  kind: (typeof ITEM_KINDS)[number];
  subjectKey: string;
  clientId: number | null;
  clientCode: string | null;
  salesforceAccountId: string | null;
  details: Record<string, unknown>;
  status: (typeof ITEM_STATUSES)[number];
  resolutionReason: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
}

const ts = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const COLUMNS = `r.id, r.kind, r.subject_key as "subjectKey", r.client_id as "clientId", c.client_code as "clientCode",
  r.salesforce_account_id as "salesforceAccountId", r.details, r.status, r.resolution_reason as "resolutionReason",
  r.resolved_by as "resolvedBy", ${ts('r.resolved_at')} as "resolvedAt", ${ts('r.first_seen_at')} as "firstSeenAt", ${ts('r.last_seen_at')} as "lastSeenAt"`;

export async function listReconciliationItems(
  sql: Queryable,
  p: { status: (typeof ITEM_STATUSES)[number] | 'all'; kind?: (typeof ITEM_KINDS)[number]; limit: number; offset: number },
): Promise<{ items: ReconciliationItem[]; total: number; byKind: Record<string, number> }> {
  const where = `where ($1::text = 'all' or r.status = $1) and ($2::text is null or r.kind = $2)`;
  const params = [p.status, p.kind ?? null];
  const items = await sql.unsafe<ReconciliationItem[]>(
    `select ${COLUMNS} from reconciliation_items r left join clients c on c.id = r.client_id ${where} order by r.kind, r.subject_key limit $3 offset $4`,
    [...params, p.limit, p.offset],
  );
  const counts = await sql.unsafe<{ kind: string; n: number }[]>(`select r.kind, count(*)::int as n from reconciliation_items r ${where} group by r.kind`, params);
  return { items, total: counts.reduce((s, r) => s + r.n, 0), byKind: Object.fromEntries(counts.map((r) => [r.kind, r.n])) };
}

export async function getReconciliationItem(sql: Queryable, id: number): Promise<ReconciliationItem | undefined> {
  const [row] = await sql.unsafe<ReconciliationItem[]>(`select ${COLUMNS} from reconciliation_items r left join clients c on c.id = r.client_id where r.id = $1`, [id]);
  return row;
}

export type Resolution = { action: 'ignore'; reason: string } | { action: 'link'; clientCode?: string; salesforceAccountId?: string; reason?: string };

/**
 * Resolve an item. `ignore` keeps it ignored for as long as the condition lasts. `link` joins an
 * unmatched Account and an unmatched client (clients.salesforce_account_id); the counterpart item
 * is marked linked too, and from the next sync the pair is matched by that link.
 */
export async function resolveItem(sql: Queryable, p: { id: number; resolution: Resolution; actor: string }): Promise<ReconciliationItem> {
  const [item] = await sql<{ id: number; kind: string; subject_key: string; status: string }[]>`
    select id, kind, subject_key, status from reconciliation_items where id = ${p.id} for update`;
  if (!item) throw new NotFoundError('Reconciliation item');
  const r = p.resolution;
  if (r.action === 'ignore') {
    await sql`
      update reconciliation_items set status = 'ignored', resolution_reason = ${r.reason}, resolved_by = ${p.actor}, resolved_at = now()
      where id = ${p.id}`;
    return (await getReconciliationItem(sql, p.id))!;
  }
  let accountId: string;
  let clientCode: string;
  if (item.kind === 'unmatched_salesforce_account') {
    if (!r.clientCode) throw new AppError(400, 'BAD_REQUEST', 'Linking a Salesforce Account needs "clientCode"');
    accountId = item.subject_key;
    clientCode = r.clientCode.trim().toUpperCase();
  } else if (item.kind === 'unmatched_client') {
    if (!r.salesforceAccountId) throw new AppError(400, 'BAD_REQUEST', 'Linking a client needs "salesforceAccountId"');
    accountId = r.salesforceAccountId.trim();
    clientCode = item.subject_key;
  } else {
    throw new AppError(400, 'NOT_LINKABLE', `A ${item.kind} item can only be ignored; fix the data at its source otherwise`);
  }
  const [account] = await sql<{ id: string }[]>`select id from sf_accounts where id = ${accountId} and not is_deleted`;
  if (!account) throw new AppError(404, 'NOT_FOUND', `No live Salesforce Account ${accountId} has been synced`);
  const [client] = await sql<{ id: number; salesforce_account_id: string | null }[]>`select id, salesforce_account_id from clients where client_code = ${clientCode}`;
  if (!client) throw new AppError(404, 'NOT_FOUND', `No client ${clientCode}`);
  const [taken] = await sql<{ client_code: string }[]>`select client_code from clients where salesforce_account_id = ${accountId} and id <> ${client.id}`;
  if (taken) throw new AppError(409, 'ALREADY_LINKED', `Account ${accountId} is already linked to client ${taken.client_code}`);
  if (client.salesforce_account_id && client.salesforce_account_id !== accountId) {
    const [live] = await sql`select 1 from sf_accounts where id = ${client.salesforce_account_id} and not is_deleted`;
    if (live) throw new AppError(409, 'ALREADY_LINKED', `Client ${clientCode} is already linked to Account ${client.salesforce_account_id}`);
  }
  await sql`update clients set salesforce_account_id = ${accountId} where id = ${client.id}`;
  const reason = r.reason ?? `linked ${clientCode} ↔ ${accountId}`;
  await sql`
    update reconciliation_items set status = 'linked', resolution_reason = ${reason}, resolved_by = ${p.actor}, resolved_at = now(),
      client_id = ${client.id}, salesforce_account_id = ${accountId}
    where (kind = 'unmatched_salesforce_account' and subject_key = ${accountId}) or (kind = 'unmatched_client' and subject_key = ${clientCode})`;
  return (await getReconciliationItem(sql, p.id))!;
}
