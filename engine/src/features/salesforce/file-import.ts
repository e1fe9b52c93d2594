import type { KindHandler } from '../imports/import-kinds.js';
import { mergeRows } from '../imports/merge-rows.js';
import { reconcile } from '../reconciliation/reconcile.js';
import { loadSalesforceSettings } from './salesforce-settings.js';
import { reconcileOptions } from './salesforce-sync.js';

/**
 * Salesforce data from files (a report or Data Loader CSV), for firms that cannot grant API access:
 * the same `sf_*` tables the API sync fills (source 'file'), and reconciliation rerun in the same
 * transaction, so the queue always reflects what was imported.
 */
const common = (table: string, extra: { col: string; expr: string; field?: string }[]) =>
  (stg: string, _runId: number, present: Set<string>) => ({
    table,
    key: ['id'],
    columns: [
      { col: 'id', expr: 's.id' },
      ...extra,
      { col: 'is_deleted', expr: 'false' },
      { col: 'source', expr: "'file'" },
      { col: 'synced_at', expr: 'now()', compare: false },
    ],
    from: `${stg} s`,
    present,
  });

const bool = (field: string) => `(s.${field})::boolean`;

async function mergeAndReconcile(
  tx: Parameters<KindHandler['merge']>[0],
  spec: ReturnType<ReturnType<typeof common>>,
  ctx: Parameters<KindHandler['merge']>[4],
) {
  const counts = await mergeRows(tx, spec);
  await reconcile(tx, reconcileOptions(loadSalesforceSettings(ctx.env), null));
  return counts;
}

const users = common('sf_users', [
  { col: 'name', expr: 's.name', field: 'name' },
  { col: 'username', expr: 's.username', field: 'username' },
  { col: 'email', expr: 's.email', field: 'email' },
  { col: 'title', expr: 's.title', field: 'title' },
  { col: 'is_active', expr: bool('is_active'), field: 'is_active' },
  { col: 'manager_id', expr: 's.manager_id', field: 'manager_id' },
  { col: 'rm_code', expr: 's.rm_code', field: 'rm_code' },
]);

const accounts = common('sf_accounts', [
  { col: 'name', expr: 's.name', field: 'name' },
  { col: 'owner_id', expr: 's.owner_id', field: 'owner_id' },
  { col: 'client_code', expr: 's.client_code', field: 'client_code' },
  { col: 'pan', expr: 's.pan', field: 'pan' },
  { col: 'risk_profile', expr: 's.risk_profile', field: 'risk_profile' },
  { col: 'is_person_account', expr: `coalesce(${bool('is_person_account')}, false)`, field: 'is_person_account' },
  { col: 'person_email', expr: 's.person_email', field: 'person_email' },
  { col: 'city', expr: 's.city', field: 'city' },
  { col: 'aum', expr: 's.aum::numeric', field: 'aum' },
  { col: 'aum_as_of', expr: 's.aum_as_of::date', field: 'aum_as_of' },
]);

const activities = common('sf_activities', [
  { col: 'activity_type', expr: 's.activity_type' },
  { col: 'subject', expr: 's.subject', field: 'subject' },
  { col: 'activity_date', expr: 's.activity_date::date', field: 'activity_date' },
  { col: 'status', expr: 's.status', field: 'status' },
  { col: 'type', expr: 's.type', field: 'type' },
  { col: 'who_id', expr: 's.who_id', field: 'who_id' },
  { col: 'what_id', expr: 's.what_id', field: 'what_id' },
  { col: 'owner_id', expr: 's.owner_id', field: 'owner_id' },
]);

/** Salesforce key prefixes: 00T is a Task, 00U an Event. */
const ACTIVITY_PREFIX: Record<string, 'Task' | 'Event'> = { '00T': 'Task', '00U': 'Event' };

export const SALESFORCE_FILE_KINDS: Record<'salesforce-users' | 'salesforce-accounts' | 'salesforce-activities', KindHandler> = {
  'salesforce-users': {
    derived: [],
    merge: (tx, stg, runId, present, ctx) => mergeAndReconcile(tx, users(stg, runId, present), ctx),
  },
  'salesforce-accounts': {
    derived: [],
    merge: (tx, stg, runId, present, ctx) => mergeAndReconcile(tx, accounts(stg, runId, present), ctx),
  },
  'salesforce-activities': {
    derived: [],
    derive(r) {
      if (!r.activity_type) {
        const type = ACTIVITY_PREFIX[r.id!.slice(0, 3)];
        if (!type) return { field: 'id', message: 'not a Task (00T…) or Event (00U…) Id; add an "Activity Type" column' };
        r.activity_type = type;
      }
      return undefined;
    },
    merge: (tx, stg, runId, present) => mergeRows(tx, activities(stg, runId, new Set([...present, 'activity_type']))),
  },
};
