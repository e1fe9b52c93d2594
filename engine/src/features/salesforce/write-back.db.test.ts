import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { startFakeOrg, type FakeOrg, type FakeOrgOptions } from '../../connectors/salesforce/fake-org/index.js';
import type { FieldDef } from '../../connectors/salesforce/fake-org/schema.js';
import { createSalesforceConnection } from '../../connectors/salesforce/index.js';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAST_RETRY, configFor } from '../../connectors/salesforce/testing/fake-connect.js';
import { computeBook } from '../analytics/book-compute.js';
import { loadFixtureBook } from '../analytics/testing/book-fixture.js';
import { startSalesforceSyncJob } from '../../jobs/salesforce-sync.js';
import { refreshBus } from '../notifications/refresh-bus.js';
import { runSalesforceSync } from './salesforce-sync.js';
import { parseSalesforceSettings, type SalesforceSettingsInput } from './salesforce-settings.js';

// Our side: the analytics feature's demo-like fixture book (3 clients TC1–TC3, 5 portfolios TP1–TP5, daily business-day
// valuations 2023-01-02..2024-12-31, seed 42), its figures computed by computeBook — the stored numbers that
// book-compute.db.test.ts checks against the pure modules. Salesforce side: a fake org per test, driven by real jsforce.

const AS_OF = '2024-12-31';
const PAN = { TC1: 'AAAPK1111A', TC2: 'BBBPN2222B', TC3: 'CCCPS3333C' } as const;
type ClientCode = keyof typeof PAN;
const CLIENTS: ClientCode[] = ['TC1', 'TC2', 'TC3'];
const PORTFOLIOS = ['TP1', 'TP2', 'TP3', 'TP4', 'TP5'] as const;
const CLIENT_OF = { TP1: 'TC1', TP2: 'TC1', TP3: 'TC2', TP4: 'TC3', TP5: 'TC3' } as const;

// reported_return × 100 rounded to 2 decimals, from analytics_metrics of the fixture book as of 2024-12-31
// (e.g. TC1 YTD 0.1297071907… → 12.97). null: the entity did not live through the period (no row), e.g. 3Y for a
// book that starts in 2023, and YTD/1Y for TP4 (inception 2024-01-10).
const CLIENT_RETURNS: Record<ClientCode, Record<'MTD' | 'YTD' | '1Y' | '3Y', number | null>> = {
  TC1: { MTD: 0.89, YTD: 12.97, '1Y': 12.97, '3Y': null },
  TC2: { MTD: 1.67, YTD: 5.95, '1Y': 5.95, '3Y': null },
  TC3: { MTD: -1.25, YTD: 15.8, '1Y': 15.8, '3Y': null },
};
const PORTFOLIO_RETURNS: Record<(typeof PORTFOLIOS)[number], [number | null, number | null, number | null, number | null, number | null]> = {
  // MTD, QTD, YTD, 1Y, 3Y
  TP1: [2.99, -2.09, 13.24, 13.24, null],
  TP2: [-0.62, 2.31, 12.06, 12.06, null],
  TP3: [1.67, 11.69, 5.95, 5.95, null],
  TP4: [-0.96, 4.06, null, null, null],
  TP5: [-1.59, 12.19, 14.32, 14.32, null],
};

let t: TestApp;
let fake: FakeOrg | undefined;
let clock = Date.parse('2025-01-01T02:00:00.000Z');
let latestValue: Record<string, string>;
let ourAum: Record<ClientCode, string>;

beforeAll(async () => {
  t = await createTestApp(); // no SALESFORCE_* variables: the connector is off for the app
  await loadFixtureBook(t.db.sql);
  for (const c of CLIENTS) await t.db.sql`update clients set pan = ${PAN[c]} where client_code = ${c}`;
  await computeBook(t.db.sql, { full: true, kind: t.db.kind });
  const latest = await t.db.sql<{ portfolio_code: string; client_code: ClientCode; value: string }[]>`
    select p.portfolio_code, c.client_code, v.market_value::text as value
    from portfolios p join clients c on c.id = p.client_id
    join lateral (select market_value from valuations v where v.portfolio_id = p.id order by valuation_date desc limit 1) v on true`;
  latestValue = Object.fromEntries(latest.map((r) => [r.portfolio_code, r.value]));
  const sums = await t.db.sql<{ client_code: ClientCode; aum: string }[]>`
    select c.client_code, sum(v.market_value)::text as aum from clients c join portfolios p on p.client_id = c.id
    join lateral (select market_value from valuations v where v.portfolio_id = p.id order by valuation_date desc limit 1) v on true
    group by c.client_code`;
  ourAum = Object.fromEntries(sums.map((r) => [r.client_code, r.aum])) as Record<ClientCode, string>;
}, 60_000);
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await t.db.sql`truncate sf_users, sf_accounts, sf_contacts, sf_activities, sf_financial_accounts, sf_sync_stage, sync_watermarks, reconciliation_items, sf_write_back_state, sf_event_tasks`;
  await t.db.sql`delete from sync_runs`;
  await t.db.sql`update clients set salesforce_account_id = null`;
  await t.db.sql`update relationship_managers set salesforce_user_id = null`;
  clock = Date.parse('2025-01-01T02:00:00.000Z');
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const f = (name: string, type: FieldDef['type']): FieldDef => ({ name, type });
const KEY_FIELDS = [f('PMS_Client_Code__c', 'string'), f('PAN__c', 'string')];
const RETURN_FIELDS = [
  f('PMS_AUM__c', 'currency'),
  f('PMS_AUM_As_Of__c', 'date'),
  f('PMS_Return_MTD__c', 'percent'),
  f('PMS_Return_YTD__c', 'percent'),
  f('PMS_Return_1Y__c', 'percent'),
  f('PMS_Return_3Y__c', 'percent'),
  f('PMS_Returns_As_Of__c', 'date'),
];

async function startOrg(options: FakeOrgOptions = {}) {
  fake = await startFakeOrg({ now: () => clock, customFields: { Account: KEY_FIELDS }, ...options });
  const owner = fake.org.insert('User', { Username: 'rm.one@pms.example', Email: 'rm.one@pms.example', LastName: 'One', IsActive: true }).Id;
  return { fake, owner };
}

/** One business Account per client (client code + PAN) and a prospect. */
function seedAccounts(org: FakeOrg, owner: string): Record<ClientCode | 'prospect', string> {
  const ids = Object.fromEntries(CLIENTS.map((c) => [c, org.org.insert('Account', { Name: `Client ${c}`, OwnerId: owner, PMS_Client_Code__c: c, PAN__c: PAN[c] }).Id]));
  ids.prospect = org.org.insert('Account', { Name: 'Prospect', OwnerId: owner, PMS_Client_Code__c: 'ZZ1' }).Id;
  return ids as Record<ClientCode | 'prospect', string>;
}

function settings(writeBack: SalesforceSettingsInput['writeBack'], objects = ['User', 'Account']): SalesforceSettingsInput {
  return {
    fields: { clientCode: 'PMS_Client_Code__c', pan: 'PAN__c' },
    sync: { bulkPollMs: 5, objects: objects as never },
    reconciliation: { staleAfterDays: 100_000 },
    writeBack,
  };
}

async function sync(input: SalesforceSettingsInput) {
  clock += 3_600_000;
  const run = await runSalesforceSync(
    { db: t.db, settings: parseSalesforceSettings(input), retry: FAST_RETRY, connect: () => createSalesforceConnection(configFor(fake!, 'client-credentials')) },
    { trigger: 'test', asOf: AS_OF },
  );
  expect(run.error).toBeNull();
  expect(run.status).toBe('succeeded');
  return run;
}

const patches = (org: FakeOrg) => org.requests.filter((r) => r.method === 'PATCH' && r.pathname.endsWith('/composite/sobjects'));

describe('write-back of AUM and period returns (fake org, real jsforce)', () => {
  const accountWriteBack = {
    enabled: true,
    target: 'account' as const,
    accountFields: {
      aum: 'PMS_AUM__c',
      aumAsOf: 'PMS_AUM_As_Of__c',
      returns: { MTD: 'PMS_Return_MTD__c', QTD: 'PMS_Return_QTD__c', YTD: 'PMS_Return_YTD__c', '1Y': 'PMS_Return_1Y__c', '3Y': 'PMS_Return_3Y__c' },
      returnsAsOf: 'PMS_Returns_As_Of__c',
    },
  };

  it('writes AUM and SEBI returns (percent, null for a period without a figure) to Account fields; a second run writes nothing', async () => {
    const { fake, owner } = await startOrg({ customFields: { Account: [...KEY_FIELDS, ...RETURN_FIELDS] } });
    const ids = seedAccounts(fake, owner);
    const run = await sync(settings(accountWriteBack));
    expect(run.writeBack).toEqual({
      target: 'account',
      considered: 3,
      unchanged: 0,
      written: 3,
      failed: 0,
      deferred: 0,
      errors: [],
      skippedFields: ['Account.PMS_Return_QTD__c'], // mapped in the settings, absent from this org
      notes: [],
    });
    for (const c of CLIENTS) {
      const acc = fake.org.get('Account', ids[c])!;
      expect({
        aum: acc.PMS_AUM__c,
        aumAsOf: acc.PMS_AUM_As_Of__c,
        MTD: acc.PMS_Return_MTD__c,
        YTD: acc.PMS_Return_YTD__c,
        '1Y': acc.PMS_Return_1Y__c,
        '3Y': acc.PMS_Return_3Y__c,
        asOf: acc.PMS_Returns_As_Of__c,
      }).toEqual({ aum: Number(ourAum[c]), aumAsOf: AS_OF, ...CLIENT_RETURNS[c], asOf: AS_OF });
    }
    expect(fake.org.get('Account', ids.TC1)!.PMS_Return_3Y__c).toBeNull(); // not 0
    expect(fake.org.get('Account', ids.prospect)!.PMS_AUM__c).toBeNull();
    expect(patches(fake)).toHaveLength(1); // 3 Accounts in one collection call

    const stamp = fake.org.get('Account', ids.TC2)!.SystemModstamp;
    const again = await sync(settings(accountWriteBack));
    expect(again.writeBack).toMatchObject({ considered: 3, unchanged: 3, written: 0, failed: 0 });
    expect(patches(fake)).toHaveLength(1);
    expect(fake.org.get('Account', ids.TC2)!.SystemModstamp).toBe(stamp);

    // A revalued portfolio changes one client's figures: only that Account is written.
    const tc1Stamp = fake.org.get('Account', ids.TC1)!.SystemModstamp;
    const [tp3] = await t.db.sql<{ id: number }[]>`select id from portfolios where portfolio_code = 'TP3'`;
    await t.db.sql`update valuations set market_value = market_value * 1.02 where portfolio_id = ${tp3!.id} and valuation_date = ${AS_OF}`;
    try {
      await computeBook(t.db.sql, { kind: t.db.kind });
      const changed = await sync(settings(accountWriteBack));
      expect(changed.writeBack).toMatchObject({ considered: 3, unchanged: 2, written: 1 });
      const [m] = await t.db.sql<{ r: number }[]>`select reported_return as r from analytics_metrics where entity_type = 'client' and entity_id = (select id from clients where client_code = 'TC2') and period = 'MTD'`;
      expect(fake.org.get('Account', ids.TC2)!.PMS_Return_MTD__c).toBe(Number((m!.r * 100).toFixed(2)));
      expect(fake.org.get('Account', ids.TC2)!.PMS_Return_MTD__c).not.toBe(CLIENT_RETURNS.TC2.MTD);
      expect(fake.org.get('Account', ids.TC1)!.SystemModstamp).toBe(tc1Stamp);
    } finally {
      await t.db.sql`update valuations set market_value = market_value / 1.02 where portfolio_id = ${tp3!.id} and valuation_date = ${AS_OF}`;
      await computeBook(t.db.sql, { full: true, kind: t.db.kind });
    }
  });

  it('FSC managed package: balances and FinServ__Performance* fields on FinServ__FinancialAccount__c by SourceSystemId', async () => {
    const { fake, owner } = await startOrg({ fsc: 'managed' });
    const accounts = seedAccounts(fake, owner);
    const fa = Object.fromEntries(
      PORTFOLIOS.map((p) => [
        p,
        fake.org.insert('FinServ__FinancialAccount__c', { Name: p, FinServ__PrimaryOwner__c: accounts[CLIENT_OF[p]], FinServ__SourceSystemId__c: p, FinServ__Balance__c: 1 }).Id,
      ]),
    );
    const heldAway = fake.org.insert('FinServ__FinancialAccount__c', { Name: 'Held away', FinServ__SourceSystemId__c: 'OTHER-1', FinServ__Balance__c: 42 }).Id;
    const fsc = { enabled: true, target: 'fsc' as const };
    const run = await sync(settings(fsc, ['User', 'Account', 'FinancialAccount']));
    expect(run.writeBack).toMatchObject({ target: 'fsc', considered: 5, written: 5, failed: 0, skippedFields: [], notes: [] });
    for (const p of PORTFOLIOS) {
      const r = fake.org.get('FinServ__FinancialAccount__c', fa[p]!)!;
      expect([r.FinServ__Balance__c, r.FinServ__PerformanceMTD__c, r.FinServ__PerformanceQTD__c, r.FinServ__PerformanceYTD__c, r.FinServ__Performance1Yr__c, r.FinServ__Performance3Yr__c]).toEqual([
        Number(latestValue[p]),
        ...PORTFOLIO_RETURNS[p],
      ]);
    }
    expect(fake.org.get('FinServ__FinancialAccount__c', heldAway)).toMatchObject({ FinServ__Balance__c: 42, FinServ__PerformanceYTD__c: null });
    const again = await sync(settings(fsc, ['User', 'Account', 'FinancialAccount']));
    expect(again.writeBack).toMatchObject({ considered: 5, unchanged: 5, written: 0 });
  });

  it('FSC standard objects (API 62): CurrentValue only — the standard FinancialAccount has no performance fields unless mapped', async () => {
    const { fake, owner } = await startOrg({ fsc: 'standard', customFields: { Account: KEY_FIELDS, FinancialAccount: [f('PMS_Return_YTD__c', 'percent')] } });
    seedAccounts(fake, owner);
    const fa = Object.fromEntries(PORTFOLIOS.map((p) => [p, fake.org.insert('FinancialAccount', { Name: p, SourceSystemIdentifier: p, Status: 'Open' }).Id]));
    const objects = ['User', 'Account', 'FinancialAccount'];
    const run = await sync(settings({ enabled: true, target: 'fsc' }, objects));
    expect(run.writeBack).toMatchObject({
      considered: 5,
      written: 5,
      skippedFields: [],
      notes: ['FinancialAccount (standard FSC object) has no performance fields: only balances are written (map custom fields in writeBack.fscFields.standardPerformance)'],
    });
    expect(fake.requests.some((r) => r.apiVersion === '62.0' && r.pathname.endsWith('/sobjects/FinancialAccount/describe'))).toBe(true);
    for (const p of PORTFOLIOS) expect(fake.org.get('FinancialAccount', fa[p]!)).toMatchObject({ CurrentValue: Number(latestValue[p]), PMS_Return_YTD__c: null });

    // A custom percent field the firm added to the standard object, mapped per period.
    const mapped = await sync(settings({ enabled: true, target: 'fsc', fscFields: { standardPerformance: { YTD: 'PMS_Return_YTD__c' } } }, objects));
    expect(mapped.writeBack).toMatchObject({ considered: 5, written: 5, notes: [] });
    for (const p of PORTFOLIOS) expect(fake.org.get('FinancialAccount', fa[p]!)).toMatchObject({ CurrentValue: Number(latestValue[p]), PMS_Return_YTD__c: PORTFOLIO_RETURNS[p][2] });
  });

  it('Person Accounts: clients matched by PAN__pc get their AUM and returns', async () => {
    const { fake, owner } = await startOrg({ personAccounts: true, customFields: { Account: [...KEY_FIELDS, ...RETURN_FIELDS] } });
    const person = Object.fromEntries(
      CLIENTS.map((c) => [c, fake.org.insert('Account', { IsPersonAccount: true, FirstName: 'Client', LastName: c, OwnerId: owner, PAN__pc: PAN[c].toLowerCase() }).Id]),
    );
    const run = await sync(settings(accountWriteBack));
    expect(run.reconciliation).toMatchObject({ linkedByCode: 0, linkedByPan: 3 });
    const links = await t.db.sql`select client_code, salesforce_account_id from clients order by client_code`;
    expect(Object.fromEntries(links.map((l) => [l.client_code, l.salesforce_account_id]))).toEqual(person);
    const [stored] = await t.db.sql`select is_person_account, pan, name from sf_accounts where id = ${person.TC2!}`;
    expect(stored).toEqual({ is_person_account: true, pan: PAN.TC2, name: 'Client TC2' });
    expect(run.writeBack).toMatchObject({ considered: 3, written: 3 });
    for (const c of CLIENTS) {
      expect(fake.org.get('Account', person[c]!)).toMatchObject({ PMS_AUM__c: Number(ourAum[c]), PMS_Return_YTD__c: CLIENT_RETURNS[c].YTD, PMS_Return_3Y__c: null });
    }
  });
});

describe('event Tasks for the owning RM', () => {
  // Fixture figures as of 2024-12-31: current drawdown TC1 −2.36%, TC2 −4.71%, TC3 −1.63%; 1Y excess return TC1 +3.15,
  // TC2 −2.47, TC3 +6.86 pp; the one large capital outflow is TP3's full redemption of ₹72,05,213.60 on 2023-11-15.
  const tasks = { enabled: true, largeWithdrawalAmount: '5000000', lookbackDays: 500, drawdownPct: 2, benchmarkShortfallPct: 2 };

  it('one Task per event (drawdown beyond the threshold, benchmark shortfall, large withdrawal), never twice across runs', async () => {
    const { fake, owner } = await startOrg();
    const ids = seedAccounts(fake, owner);
    const run = await sync(settings({ tasks }));
    expect(run.writeBack).toMatchObject({ considered: 0, written: 0, tasks: { considered: 4, created: 4, failed: 0, byKind: { largeWithdrawal: 1, drawdown: 2, benchmarkShortfall: 1 } } });
    const created = fake.org
      .all('Task')
      .map((k) => ({ Subject: k.Subject, WhatId: k.WhatId, OwnerId: k.OwnerId, Priority: k.Priority, ActivityDate: k.ActivityDate }))
      .sort((a, b) => String(a.Subject).localeCompare(String(b.Subject)));
    const task = (Subject: string, client: ClientCode, Priority: string) => ({ Subject, WhatId: ids[client], OwnerId: owner, Priority, ActivityDate: AS_OF });
    expect(created).toEqual([
      task('PMS alert: 1Y return 2.47 pp below benchmark for TC2', 'TC2', 'Normal'),
      task('PMS alert: drawdown of 2.36% for TC1', 'TC1', 'High'),
      task('PMS alert: drawdown of 4.71% for TC2', 'TC2', 'High'),
      task('PMS alert: large withdrawal from TP3', 'TC2', 'High'),
    ]);
    const withdrawal = fake.org.all('Task').find((k) => String(k.Subject).includes('withdrawal'))!;
    expect(withdrawal.Description).toBe('Withdrawal of ₹7205213.60 on 2023-11-15 from portfolio TP3 (Client TC2).');
    const shortfall = fake.org.all('Task').find((k) => String(k.Subject).includes('benchmark'))!;
    expect(shortfall.Description).toMatch(/^Client TC2 \(TC2\): 1Y return 5\.95% against \d+\.\d\d% for the benchmark \(as of 2024-12-31\); threshold 2 pp\.$/);
    const keys = (await t.db.sql<{ event_key: string }[]>`select event_key from sf_event_tasks order by event_key`).map((r) => r.event_key);
    expect(keys).toEqual([
      'benchmark-shortfall:TC2:2024-12',
      expect.stringMatching(/^drawdown:TC1:20\d\d-\d\d-\d\d$/),
      expect.stringMatching(/^drawdown:TC2:20\d\d-\d\d-\d\d$/),
      expect.stringMatching(/^withdrawal:TP3:K\d+$/),
    ]);
    // The drawdown is measured from the client's last peak: the key's date is where log_growth reached peak_log_growth.
    const [peak] = await t.db.sql<{ d: string }[]>`
      select max(value_date)::text as d from analytics_series s
      where entity_type = 'client' and entity_id = (select id from clients where client_code = 'TC1')
        and log_growth >= (select peak_log_growth from analytics_series where entity_type = 'client' and entity_id = s.entity_id and value_date = ${AS_OF})`;
    expect(keys[1]).toBe(`drawdown:TC1:${peak!.d}`);

    const again = await sync(settings({ tasks }));
    expect(again.writeBack).toMatchObject({ tasks: { considered: 0, created: 0 } });
    expect(fake.org.all('Task')).toHaveLength(4);
  });

  it('thresholds decide: a stricter drawdown and no shortfall check create only the withdrawal Task', async () => {
    const { fake, owner } = await startOrg();
    seedAccounts(fake, owner);
    const run = await sync(settings({ tasks: { ...tasks, drawdownPct: 5, benchmarkShortfallPct: null } }));
    expect(run.writeBack).toMatchObject({ tasks: { created: 1, byKind: { largeWithdrawal: 1, drawdown: 0, benchmarkShortfall: 0 } } });
    expect(fake.org.all('Task').map((k) => k.Subject)).toEqual(['PMS alert: large withdrawal from TP3']);
  });
});

describe('API limits', () => {
  it('stops writing at the daily API-call reserve (Sforce-Limit-Info) and sends the rest on a later run', async () => {
    const { fake, owner } = await startOrg({ apiLimit: 1000, customFields: { Account: [...KEY_FIELDS, ...RETURN_FIELDS] } });
    const ids = seedAccounts(fake, owner);
    const tasks = { enabled: true, largeWithdrawalAmount: '5000000', lookbackDays: 500, drawdownPct: 2, benchmarkShortfallPct: 2 };
    const wb = { enabled: true, accountFields: { aum: 'PMS_AUM__c' }, apiCallsReserve: 999, tasks };
    const held = await sync(settings(wb));
    const used = fake.requests.filter((r) => r.authorized).length; // every authorised call counts against the limit
    expect(held.writeBack).toMatchObject({
      considered: 3,
      written: 0,
      deferred: 3,
      stopped: { code: 'API_CALLS_RESERVE', reserve: 999, remaining: 1000 - used },
      tasks: { considered: 4, created: 0, deferred: 4, stopped: { code: 'API_CALLS_RESERVE' } },
    });
    expect(patches(fake)).toHaveLength(0);
    expect(fake.org.all('Task')).toHaveLength(0);
    expect(fake.org.get('Account', ids.TC1)!.PMS_AUM__c).toBeNull();

    const rest = await sync(settings({ ...wb, apiCallsReserve: 900 }));
    expect(rest.writeBack).toMatchObject({ written: 3, deferred: 0, tasks: { created: 4, deferred: 0 } });
    expect(rest.writeBack!.stopped).toBeUndefined();
    expect(fake.org.get('Account', ids.TC1)!.PMS_AUM__c).toBe(Number(ourAum.TC1));
  });
});

describe('sync entry points', () => {
  it('POST /api/sync/salesforce answers 503 SALESFORCE_NOT_CONFIGURED without SALESFORCE_* variables, and no job is scheduled', async () => {
    const res = await t.app.request('/api/sync/salesforce?wait=true', { method: 'POST', headers: t.auth() });
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('SALESFORCE_NOT_CONFIGURED');
    const [n] = await t.db.sql`select count(*)::int as n from sync_runs`;
    expect(n!.n).toBe(0);
    expect(await startSalesforceSyncJob(t.deps)).toBeUndefined();
  });

  it('the nightly bree job runs an incremental sync (and write-back) in a worker thread against the org', async () => {
    const { fake, owner } = await startOrg({ customFields: { Account: [...KEY_FIELDS, ...RETURN_FIELDS] } });
    const ids = seedAccounts(fake, owner);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-job-'));
    const configFile = path.join(dir, 'salesforce.json');
    fs.writeFileSync(configFile, JSON.stringify(settings({ enabled: true, accountFields: { aum: 'PMS_AUM__c', returns: { YTD: 'PMS_Return_YTD__c' } } })));
    const env = { ...t.deps.env, SALESFORCE_INSTANCE_URL: fake.url, SALESFORCE_CLIENT_ID: FAKE_CLIENT_ID, SALESFORCE_CLIENT_SECRET: FAKE_CLIENT_SECRET, SALESFORCE_CONFIG_FILE: configFile };
    const jobDeps = { ...t.deps, env };
    const job = await startSalesforceSyncJob(jobDeps);
    expect(job).toBeDefined();
    try {
      await job!.runNow();
    } finally {
      await job!.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const runs = await t.db.sql`select mode, trigger, status, counts, write_back->>'written' as written from sync_runs`;
    expect(runs).toEqual([
      {
        mode: 'incremental',
        trigger: 'schedule',
        status: 'succeeded',
        counts: { User: { fetched: 2, upserted: 2, deleted: 0 }, Account: { fetched: 4, upserted: 4, deleted: 0 } }, // the integration user + RM One
        written: '3',
      },
    ]);
    const [linked] = await t.db.sql`select salesforce_account_id from clients where client_code = 'TC3'`;
    expect(linked!.salesforce_account_id).toBe(ids.TC3);
    expect(fake.org.get('Account', ids.TC3)).toMatchObject({ PMS_AUM__c: Number(ourAum.TC3), PMS_Return_YTD__c: CLIENT_RETURNS.TC3.YTD });
    expect(fake.logins).toHaveLength(2); // the worker's own connections: sync, then write-back
    // The worker publishes the data-refresh Platform Event itself, on the write-back's connection (no third login).
    expect(fake.org.all('PMS_Data_Refresh__e')).toEqual([expect.objectContaining({ Kind__c: 'sync', Scope__c: 'salesforce' })]);
    // …and the engine's own listeners (SSE, dashboard cache) hear of it, marked as already sent to Salesforce.
    expect(refreshBus(jobDeps).recent).toEqual([expect.objectContaining({ kind: 'sync', scope: 'salesforce', salesforcePublished: true })]);
  }, 30_000);
});
