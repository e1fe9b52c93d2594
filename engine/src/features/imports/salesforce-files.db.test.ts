import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../db/testing/test-db.js';
import { runImport, type ImportDeps } from './run-import.js';
import { fixture, importDeps, importOkBook } from './test-helpers.js';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let deps: ImportDeps;

beforeAll(async () => {
  db = await createTestDatabase();
  deps = await importDeps(db);
  await importOkBook(deps);
});
afterAll(() => db?.close());

describe('Salesforce data from files (Data Loader / report exports)', () => {
  it('loads users, accounts and activities and reconciles them with the book in the same import', async () => {
    const users = await runImport(deps, { kind: 'salesforce-users', filePath: fixture('ok/salesforce_users.csv'), source: 'cli' });
    const accounts = await runImport(deps, { kind: 'salesforce-accounts', filePath: fixture('ok/salesforce_accounts.csv'), source: 'cli' });
    const activities = await runImport(deps, { kind: 'salesforce-activities', filePath: fixture('ok/salesforce_activities.csv'), source: 'cli' });
    expect([users.inserted, accounts.inserted, activities.inserted]).toEqual([3, 3, 2]);

    // RMs linked to Salesforce users by e-mail; clients to Accounts by client code, then by PAN.
    const rms = await db.sql`select rm_code, salesforce_user_id from relationship_managers order by rm_code`;
    expect(rms).toEqual([
      { rm_code: 'RM001', salesforce_user_id: '0055g00000ABCDEAA1' },
      { rm_code: 'RM002', salesforce_user_id: '0055g00000ABCDEAA2' },
      { rm_code: 'RM003', salesforce_user_id: '0055g00000ABCDEAA3' },
    ]);
    const clients = await db.sql`select client_code, salesforce_account_id from clients order by client_code`;
    expect(clients).toEqual([
      { client_code: 'C000101', salesforce_account_id: '0015g00000XYZAAA01' }, // by client code
      { client_code: 'C000102', salesforce_account_id: '0015g00000XYZAAA02' }, // by PAN
      { client_code: 'C000103', salesforce_account_id: null },
      { client_code: 'C000104', salesforce_account_id: null },
    ]);

    const items = await db.sql`select kind, subject_key from reconciliation_items where status = 'open' order by kind, subject_key`;
    const open = items.map((i) => `${i.kind} ${i.subject_key}`);
    expect(open).toEqual([
      'rm_mismatch C000102', // Meera Nair: Salesforce owner is RM002, our book says RM003
      'stale_data valuations:C000101', // linked clients whose latest valuation (2021) is older than staleAfterDays
      'stale_data valuations:C000102',
      'unmatched_client C000104', // active, no Account; C000103 is closed and not listed
      'unmatched_salesforce_account 0015g00000XYZAAA03', // a prospect with no book
    ]);

    const acts = await db.sql`select id, activity_type, activity_date::text, status, source from sf_activities order by id`;
    expect(acts).toEqual([
      { id: '00T5g00000TASK0001', activity_type: 'Task', activity_date: '2024-01-15', status: 'Completed', source: 'file' },
      { id: '00U5g00000EVNT0001', activity_type: 'Event', activity_date: '2024-02-20', status: null, source: 'file' },
    ]);
    const [acc] = await db.sql`select is_person_account, source, is_deleted from sf_accounts where id = '0015g00000XYZAAA01'`;
    expect(acc).toEqual({ is_person_account: true, source: 'file', is_deleted: false });
  });

  it('changes nothing when the same export is imported again', async () => {
    const again = await runImport(deps, { kind: 'salesforce-accounts', filePath: fixture('ok/salesforce_accounts.csv'), source: 'cli' });
    expect([again.inserted, again.updated, again.unchanged]).toEqual([0, 0, 3]);
  });
});
