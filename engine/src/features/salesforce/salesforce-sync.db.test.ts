import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../db/testing/test-db.js';
import type { Database } from '../../db/client.js';
import { startFakeOrg, type FakeOrg } from '../../connectors/salesforce/fake-org/index.js';
import { createSalesforceConnection } from '../../connectors/salesforce/index.js';
import { FAST_RETRY, configFor } from '../../connectors/salesforce/testing/fake-connect.js';
import { runSalesforceSync, type SyncContext } from './salesforce-sync.js';
import { parseSalesforceSettings, type SalesforceSettingsInput } from './salesforce-settings.js';
import { SCENARIO_ACCOUNT_FIELDS, SCENARIO_AS_OF, scenarioSettings, seedOrg, seedOurBook, type Scenario } from './testing/scenario.js';
import { SyncAlreadyRunningError } from '../sync/sync-runs.queries.js';

let db: Database;
let fake: FakeOrg | undefined;
let clock = Date.parse('2025-12-01T10:00:00.000Z');

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A clean slate on both sides: the Salesforce tables and our book (the database is shared by this file's tests). */
async function resetDb() {
  await db.sql`truncate sf_users, sf_accounts, sf_contacts, sf_activities, sf_financial_accounts, sf_sync_stage, sync_watermarks, reconciliation_items, sf_write_back_state, sf_event_tasks`;
  await db.sql`delete from sync_runs`;
  await db.sql`delete from valuations`;
  await db.sql`delete from portfolios`;
  await db.sql`delete from clients`;
  await db.sql`delete from relationship_managers`;
}

function context(settings: SalesforceSettingsInput = scenarioSettings, kind: Parameters<typeof configFor>[1] = 'client-credentials'): SyncContext & { logins: string[] } {
  const logins: string[] = [];
  return {
    db,
    settings: parseSalesforceSettings(settings),
    retry: FAST_RETRY,
    connect: () => createSalesforceConnection(configFor(fake!, kind), { onLogin: (e) => logins.push(e.reason) }),
    logins,
  };
}

async function setup(size = { clients: 200, tasks: 450, events: 20 }, fsc: 'managed' | 'standard' | false = false): Promise<Scenario> {
  await resetDb();
  clock = Date.parse('2025-12-01T10:00:00.000Z');
  fake = await startFakeOrg({ now: () => clock, fsc, customFields: { Account: SCENARIO_ACCOUNT_FIELDS } });
  const scenario = seedOrg(fake, size);
  await seedOurBook(db.sql, size);
  return scenario;
}

const openItems = async () =>
  (await db.sql<{ kind: string; subject_key: string }[]>`select kind, subject_key from reconciliation_items where status = 'open' order by kind, subject_key`).map((r) => ({
    kind: r.kind,
    subjectKey: r.subject_key,
  }));
const noOverlap = { ...scenarioSettings, sync: { ...scenarioSettings.sync, overlapSeconds: 0 } };
const sortItems = (items: { kind: string; subjectKey: string }[]) => [...items].sort((a, b) => a.kind.localeCompare(b.kind) || a.subjectKey.localeCompare(b.subjectKey));
const queryUrls = (f: FakeOrg) => f.requests.filter((r) => /\/(query|queryAll)(\/|\?)/.test(r.url)).map((r) => decodeURIComponent(r.url));

describe('Salesforce sync against the fake org (real jsforce)', () => {
  it('first run pulls every object, links clients and RMs, and queues exactly the planted mismatches', async () => {
    const s = await setup();
    const run = await runSalesforceSync(context(), { mode: 'incremental', trigger: 'test', asOf: SCENARIO_AS_OF });
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    // 200 clients: 4 planted without an Account → 196 Accounts, plus ceil(200/150) = 2 prospects.
    expect(run.counts).toEqual({
      User: { fetched: 12, upserted: 12, deleted: 0 }, // 10 RMs + nobody + the integration user
      Account: { fetched: 198, upserted: 198, deleted: 0 },
      Contact: { fetched: 0, upserted: 0, deleted: 0 },
      Task: { fetched: 450, upserted: 450, deleted: 0 },
      Event: { fetched: 20, upserted: 20, deleted: 0 },
    });
    expect(run.via).toEqual({ User: 'rest', Account: 'rest', Contact: 'rest', Task: 'rest', Event: 'rest' });
    expect(await openItems()).toEqual(sortItems(s.expected));
    expect(s.expected.filter((e) => e.kind === 'rm_mismatch')).toHaveLength(4);
    expect(run.reconciliation).toMatchObject({ rmsLinked: 10, linkedByCode: 192, linkedByPan: 4 });

    const [acc] = await db.sql`select name, owner_id, client_code, pan, aum::text, aum_as_of::text, is_deleted from sf_accounts where id = ${s.accountIds[0]!}`;
    expect(acc).toEqual({ name: 'Client 0', owner_id: s.userIds[0], client_code: 'WS000000', pan: 'ABCDE0000A', aum: '5000000.25', aum_as_of: SCENARIO_AS_OF, is_deleted: false });
    const [linked] = await db.sql`select salesforce_account_id from clients where client_code = 'WS000051'`; // k = 1: linked by PAN
    expect(linked!.salesforce_account_id).toBe(s.accountOfClient[51]);
    const [rm] = await db.sql`select salesforce_user_id from relationship_managers where rm_code = 'RM03'`;
    expect(rm!.salesforce_user_id).toBe(s.userIds[2]);
    const [ev] = await db.sql`select activity_type, start_at::text, activity_date::text from sf_activities where activity_type = 'Event' limit 1`;
    expect(ev).toEqual({ activity_type: 'Event', start_at: '2025-11-20 05:30:00+00', activity_date: '2025-11-20' });
    const [tasks] = await db.sql`select count(*)::int as n, count(*) filter (where status = 'Completed')::int as done from sf_activities where activity_type = 'Task'`;
    expect(tasks).toEqual({ n: 450, done: 150 });
    const [detail] = await db.sql`select details from reconciliation_items where kind = 'aum_difference' and subject_key = 'WS000004'`;
    // ours 5,004,000.25; Salesforce 5,004,000.25 × 1.01 + 50,000 = 5,104,040.25 (rounded to paise)
    expect(detail!.details).toMatchObject({ ourAum: '5004000.25', salesforceAum: '5104040.25', difference: '100040.00', salesforceAumSource: 'account' });
  });

  it('second run is incremental: only changed records (and the one at each previous watermark) are fetched', async () => {
    const s = await setup();
    // No overlap window here, so the re-read is exactly the records stamped at the previous watermark (the query uses >=).
    const ctx = context(noOverlap);
    await runSalesforceSync(ctx, { trigger: 'test', asOf: SCENARIO_AS_OF });
    const before = new Map((await db.sql<{ object: string; watermark: Date }[]>`select object, watermark from sync_watermarks`).map((w) => [w.object, w.watermark.toISOString()]));
    fake!.requests.length = 0;
    clock += 3_600_000;
    fake!.org.update('Account', s.accountOfClient[10]!, { Name: 'Renamed Client 10' });
    fake!.org.update('Account', s.accountOfClient[3]!, { OwnerId: s.userIds[3]! }); // fixes the planted RM mismatch of WS000003
    fake!.org.delete('Account', s.accountOfClient[20]!);
    const newTask = fake!.org.insert('Task', { Subject: 'Follow-up', WhatId: s.accountIds[0]!, OwnerId: s.userIds[0]!, ActivityDate: '2025-12-01' }).Id;
    fake!.org.delete('Task', s.taskIds[7]!);

    const run = await runSalesforceSync(ctx, { trigger: 'test', asOf: SCENARIO_AS_OF });
    expect(run.status).toBe('succeeded');
    expect(run.counts).toEqual({
      User: { fetched: 1, upserted: 0, deleted: 0 }, // the integration user, stamped at the watermark
      Account: { fetched: 4, upserted: 3, deleted: 0 }, // 3 changed + the last seeded (prospect) at the watermark
      Contact: { fetched: 0, upserted: 0, deleted: 0 },
      Task: { fetched: 3, upserted: 2, deleted: 0 }, // 1 new + 1 deleted + the last seeded
      Event: { fetched: 1, upserted: 0, deleted: 0 },
    });
    const urls = queryUrls(fake!);
    expect(urls).toHaveLength(5); // one page per object; Contact has no watermark yet, so it is read whole
    expect(urls).toContainEqual(expect.stringMatching(/\/query\?q=SELECT .* FROM Contact$/));
    for (const object of ['User', 'Account', 'Task', 'Event']) {
      expect(urls).toContainEqual(expect.stringMatching(new RegExp(`/queryAll\\?q=SELECT .* FROM ${object} WHERE SystemModstamp >= ${before.get(object)!.replace(/[.]/g, '\\.')}$`)));
    }
    const rows = await db.sql`select id, name, is_deleted from sf_accounts where id in ${db.sql([s.accountOfClient[10]!, s.accountOfClient[20]!])} order by name`;
    expect(rows.map((r) => [r.id, r.name, r.is_deleted])).toEqual([
      [s.accountOfClient[20], 'Client 20', true],
      [s.accountOfClient[10], 'Renamed Client 10', false],
    ]);
    const tasks = await db.sql`select id, is_deleted from sf_activities where id in ${db.sql([newTask, s.taskIds[7]!])} order by id`;
    expect(Object.fromEntries(tasks.map((t) => [t.id, t.is_deleted]))).toEqual({ [newTask]: false, [s.taskIds[7]!]: true });
    const wm = await db.sql`select object, watermark from sync_watermarks order by object`;
    expect(wm.map((w) => [w.object, (w.watermark as Date).toISOString()])).toEqual([
      ['Account', '2025-12-01T11:00:00.000Z'],
      ['Event', before.get('Event')],
      ['Task', '2025-12-01T11:00:00.000Z'],
      ['User', before.get('User')],
    ]); // no Contact watermark: the org has no Contacts
    // WS000003's mismatch is gone (cleared); the deleted Account 20 makes client WS000020 unmatched.
    const expected = sortItems([...s.expected.filter((e) => !(e.kind === 'rm_mismatch' && e.subjectKey === 'WS000003')), { kind: 'unmatched_client', subjectKey: 'WS000020' }]);
    expect(await openItems()).toEqual(expected);
    const [cleared] = await db.sql`select status from reconciliation_items where kind = 'rm_mismatch' and subject_key = 'WS000003'`;
    expect(cleared!.status).toBe('cleared');
  });

  it('a failed run (limits exhausted mid-read) applies nothing and the next run picks up every change', async () => {
    const s = await setup();
    const ctx = context(noOverlap);
    await runSalesforceSync(ctx, { trigger: 'test', asOf: SCENARIO_AS_OF });
    clock += 3_600_000;
    fake!.org.update('Account', s.accountOfClient[10]!, { Name: 'Renamed Client 10' });
    fake!.org.insert('Task', { Subject: 'Follow-up', WhatId: s.accountIds[0]!, OwnerId: s.userIds[0]!, ActivityDate: '2025-12-01' });
    fake!.faults.inject({ kind: 'request-limit', path: 'FROM%20Task', times: 50 }); // every retry of the Task read
    const failed = await runSalesforceSync(ctx, { trigger: 'test', asOf: SCENARIO_AS_OF });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'REQUEST_LIMIT_EXCEEDED' });
    expect(failed.counts).toMatchObject({ Account: { fetched: 2, upserted: 0 } }); // 1 changed + 1 at the watermark: read, not applied
    const [acc] = await db.sql`select name from sf_accounts where id = ${s.accountOfClient[10]!}`;
    expect(acc!.name).toBe('Client 10');
    const [stage] = await db.sql`select count(*)::int as n from sf_sync_stage`;
    expect(stage!.n).toBe(0);
    const [wm] = await db.sql`select watermark from sync_watermarks where object = 'Account'`;
    expect((wm!.watermark as Date).toISOString()).toBe('2025-06-01T03:28:00.000Z'); // the last seeded Account: 11 Users then 198 Accounts one minute apart → SEED_BASE + 208 min

    fake!.faults.clear();
    const ok = await runSalesforceSync(ctx, { trigger: 'test', asOf: SCENARIO_AS_OF });
    expect(ok.status).toBe('succeeded');
    expect(ok.counts).toMatchObject({ Account: { fetched: 2, upserted: 1 }, Task: { fetched: 2, upserted: 1 } });
    const [acc2] = await db.sql`select name from sf_accounts where id = ${s.accountOfClient[10]!}`;
    expect(acc2!.name).toBe('Renamed Client 10');
  });

  it('pages REST queries, re-authenticates on an expired session mid-paging, retries a dropped page and a limit error', async () => {
    await setup({ clients: 50, tasks: 450, events: 0 });
    const ctx = context({ ...scenarioSettings, sync: { ...scenarioSettings.sync, pageSize: 200 } });
    fake!.faults.inject({ kind: 'invalid-session', path: /\/query\/[^?]+-400/ }); // third page of the Task read
    fake!.faults.inject({ kind: 'drop', path: /\/query\/[^?]+-200/ }); // second page of the Task read (Users and Accounts fit one page)
    fake!.faults.inject({ kind: 'request-limit', path: 'FROM%20Event' });
    const run = await runSalesforceSync(ctx, { trigger: 'test', asOf: SCENARIO_AS_OF });
    expect(run.status).toBe('succeeded');
    expect(run.counts).toMatchObject({ Task: { fetched: 450, upserted: 450 } });
    const taskPages = fake!.requests.filter((r) => r.url.includes('/query/') || r.url.includes('FROM%20Task'));
    expect(taskPages.map((r) => r.fault ?? r.status)).toEqual([200, 'drop', 200, 'invalid-session', 200]);
    expect(ctx.logins).toEqual(['initial', 'refresh']);
    const [n] = await db.sql`select count(distinct id)::int as n from sf_activities where activity_type = 'Task'`;
    expect(n!.n).toBe(450);
  });

  it('switches to Bulk API 2.0 above the threshold (string values typed by our casts)', async () => {
    const s = await setup({ clients: 50, tasks: 450, events: 0 });
    const run = await runSalesforceSync(context({ ...scenarioSettings, sync: { ...scenarioSettings.sync, bulkThreshold: 100 } }), { trigger: 'test', asOf: SCENARIO_AS_OF });
    expect(run.status).toBe('succeeded');
    expect(run.via).toMatchObject({ Task: 'bulk', Account: 'rest', User: 'rest' });
    expect(fake!.requests.filter((r) => r.method === 'POST' && r.pathname.endsWith('/jobs/query'))).toHaveLength(1);
    const [t] = await db.sql`select subject, activity_date::text, is_deleted, status from sf_activities where id = ${s.taskIds[3]!}`;
    expect(t).toEqual({ subject: 'Review call 3', activity_date: '2025-11-15', is_deleted: false, status: 'Completed' });
    expect(await openItems()).toEqual(sortItems(s.expected));
  });

  it('fails with the auth error and leaves earlier data alone when the login is refused', async () => {
    await setup({ clients: 50, tasks: 10, events: 0 });
    await runSalesforceSync(context(), { trigger: 'test', asOf: SCENARIO_AS_OF });
    const ctx = context();
    ctx.connect = () => createSalesforceConnection({ instanceUrl: fake!.url, auth: { kind: 'client-credentials', clientId: 'fake-client-id', clientSecret: 'wrong-secret' } });
    const run = await runSalesforceSync(ctx, { trigger: 'test' });
    expect(run.status).toBe('failed');
    expect(run.error!.code).toBe('SALESFORCE_AUTH');
    expect(run.error!.message).not.toContain('wrong-secret');
    const [n] = await db.sql`select count(*)::int as n from sf_accounts`;
    expect(n!.n).toBe(50); // 49 clients with an Account (client 2 has none) + 1 prospect
  });

  it('full resync marks Accounts hard-deleted in Salesforce (absent from the read) as deleted', async () => {
    const s = await setup({ clients: 50, tasks: 10, events: 0 });
    const ctx = context();
    await runSalesforceSync(ctx, { trigger: 'test', asOf: SCENARIO_AS_OF });
    fake!.org.delete('Account', s.accountIds[6]!); // a full read uses /query, which leaves deleted records out
    const run = await runSalesforceSync(ctx, { mode: 'full', trigger: 'test', asOf: SCENARIO_AS_OF });
    expect(run.status).toBe('succeeded');
    expect(run.counts).toMatchObject({ Account: { fetched: 49, deleted: 1 } });
    expect(queryUrls(fake!).filter((u) => u.includes('FROM Account')).at(-1)).toContain('/query?q=SELECT');
  });

  it('one run at a time: a second sync is refused while the first holds the slot', async () => {
    await setup({ clients: 20, tasks: 10, events: 0 });
    const ctx = context();
    const first = runSalesforceSync(ctx, { trigger: 'test', asOf: SCENARIO_AS_OF });
    await new Promise((r) => setTimeout(r, 5));
    await expect(runSalesforceSync(ctx, { trigger: 'test' })).rejects.toBeInstanceOf(SyncAlreadyRunningError);
    expect((await first).status).toBe('succeeded');
  });

  it('a run left "running" by a crash is marked interrupted and the next run resumes from the watermarks', async () => {
    const s = await setup({ clients: 20, tasks: 10, events: 0 });
    const ctx = context(noOverlap);
    await runSalesforceSync(ctx, { trigger: 'test', asOf: SCENARIO_AS_OF });
    const [crashed] = await db.sql<{ id: number }[]>`
      insert into sync_runs (mode, trigger, heartbeat_at) values ('incremental', 'schedule', now() - interval '1 hour') returning id`;
    await db.sql`insert into sf_sync_stage (run_id, object, sf_id, data) values (${crashed!.id}, 'Account', 'x', '{}')`;
    clock += 3_600_000;
    fake!.org.update('Account', s.accountIds[1]!, { Name: 'Changed' });
    const run = await runSalesforceSync(ctx, { trigger: 'test', asOf: SCENARIO_AS_OF });
    expect(run.status).toBe('succeeded');
    expect(run.counts).toMatchObject({ Account: { fetched: 2, upserted: 1 }, Task: { fetched: 1, upserted: 0 } }); // changed + the record at each watermark
    const [old] = await db.sql`select status, error->>'code' as code from sync_runs where id = ${crashed!.id}`;
    expect(old).toEqual({ status: 'failed', code: 'INTERRUPTED' });
    const [stage] = await db.sql`select count(*)::int as n from sf_sync_stage`;
    expect(stage!.n).toBe(0);
  });
});
