import { afterEach, describe, expect, it } from 'vitest';
import { bulkQuery, describeOrg, queryAll, queryPages, soqlDateTime, type FlatRecord } from './query.js';
import { createSalesforceConnection } from './connection.js';
import { startFakeOrg, type FakeOrg, type FakeOrgOptions } from './fake-org/index.js';
import { FAST_RETRY, configFor, connectTo, testKeys } from './testing/fake-connect.js';
import type { RetryInfo } from './retry.js';

let fake: FakeOrg | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function orgWithAccounts(count: number, options: FakeOrgOptions = {}) {
  fake = await startFakeOrg(options);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const code = `WS${String(i).padStart(5, '0')}`;
    ids.push(fake.org.insert('Account', { Name: `Client ${code}`, PMS_Client_Code__c: code, PAN__c: i % 10 === 0 ? null : `ABCDE${String(i).padStart(4, '0')}F` }).Id);
  }
  return { fake, ids };
}

function expectEachIdOnce(records: FlatRecord[], ids: string[]) {
  const got = records.map((r) => r.Id as string);
  expect(new Set(got).size).toBe(got.length);
  expect([...got].sort()).toEqual([...ids].sort());
}

const queryRequests = (f: FakeOrg) => f.requests.filter((r) => /\/(query|queryAll)(\/|\?)/.test(r.url));

describe('queryAll over REST', () => {
  it('pages 4,500 Accounts in batches of 2,000: 3 pages, every Id once, relationship fields flattened', async () => {
    const { fake, ids } = await orgWithAccounts(4500);
    const conn = await connectTo(fake);
    const pages: number[] = [];
    for await (const page of queryPages(conn, 'SELECT Id, Name, PMS_Client_Code__c, PAN__c, Owner.Username FROM Account')) {
      pages.push(page.records.length);
      expect(page.totalSize).toBe(4500);
    }
    expect(pages).toEqual([2000, 2000, 500]);

    const { records, via } = await queryAll(conn, 'SELECT Id, Name, PMS_Client_Code__c, PAN__c, Owner.Username FROM Account');
    expect(via).toBe('rest');
    expectEachIdOnce(records, ids);
    expect(records[0]).toEqual({ Id: ids[0], Name: 'Client WS00000', PMS_Client_Code__c: 'WS00000', PAN__c: null, 'Owner.Username': 'integration@pms.example' });
    expect(records[4499]).toMatchObject({ Id: ids[4499], PMS_Client_Code__c: 'WS04499', PAN__c: 'ABCDE4499F' });
  });

  it('honours a smaller batch size and goes past the 10,000 records where jsforce autoFetch stops', async () => {
    const { fake, ids } = await orgWithAccounts(10_500);
    const conn = await connectTo(fake);
    const capped = await conn.query('SELECT Id FROM Account', { autoFetch: true });
    expect(capped.records).toHaveLength(10_000); // jsforce's silent default maxFetch

    const { records } = await queryAll(conn, 'SELECT Id FROM Account');
    expectEachIdOnce(records, ids);

    fake.requests.length = 0;
    const small = await queryAll(conn, 'SELECT Id FROM Account WHERE PAN__c = null', { batchSize: 500 });
    expect(small.records).toHaveLength(1050);
    expect(queryRequests(fake)).toHaveLength(3);
  });

  it('incremental query on SystemModstamp returns only records changed since the watermark', async () => {
    let clock = Date.parse('2025-04-01T09:00:00.000Z');
    const { fake } = await orgWithAccounts(50, { now: () => clock });
    const conn = await connectTo(fake);
    const all = (await queryAll(conn, 'SELECT Id, SystemModstamp FROM Account')).records;
    const watermark = all.map((r) => r.SystemModstamp as string).sort().at(-1)!;
    expect(watermark).toBe('2025-04-01T09:00:00.000+0000');

    clock += 60_000;
    const changed = [all[3]!.Id, all[17]!.Id, all[42]!.Id] as string[];
    for (const id of changed) fake.org.update('Account', id, { PAN__c: 'ZZZZZ9999Z' });
    const added = fake.org.insert('Account', { Name: 'New Client', PMS_Client_Code__c: 'WS99999' }).Id;
    clock += 60_000;
    fake.org.delete('Account', all[5]!.Id as string);

    const since = await queryAll(conn, `SELECT Id, PAN__c, SystemModstamp FROM Account WHERE SystemModstamp > ${soqlDateTime(watermark)} ORDER BY SystemModstamp`);
    expect(since.records.map((r) => r.Id)).toEqual([...changed, added]);
    expect(since.records[0]).toMatchObject({ PAN__c: 'ZZZZZ9999Z', SystemModstamp: '2025-04-01T09:01:00.000+0000' });

    const withDeleted = await queryAll(conn, `SELECT Id, IsDeleted FROM Account WHERE SystemModstamp > ${soqlDateTime(watermark)} ORDER BY SystemModstamp`, { includeDeleted: true });
    expect(withDeleted.records.at(-1)).toEqual({ Id: all[5]!.Id, IsDeleted: true });

    // Salesforce's own datetime output is not a valid SOQL literal: soqlDateTime exists for that.
    await expect(queryAll(conn, `SELECT Id FROM Account WHERE SystemModstamp > ${watermark}`)).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
  });

  it('an expired session in the middle of paging re-authenticates and carries on', async () => {
    const { fake, ids } = await orgWithAccounts(4500);
    const conn = await connectTo(fake, 'password-oauth');
    const records: FlatRecord[] = [];
    for await (const page of queryPages(conn, 'SELECT Id FROM Account')) {
      records.push(...page.records);
      if (page.index === 0) fake.expireSessions();
    }
    expectEachIdOnce(records, ids);
    expect(fake.logins).toHaveLength(2);
    expect(queryRequests(fake).map((r) => r.status)).toEqual([200, 401, 200, 200]);
  });

  it('the same with a JWT connection and an injected 401 on the second page', async () => {
    const { fake, ids } = await orgWithAccounts(4500, { auth: { jwtPublicKey: testKeys().publicKey } });
    const conn = await createSalesforceConnection(configFor(fake, 'jwt'));
    fake.faults.inject({ kind: 'invalid-session', path: '/query/01g', skip: 0 });
    const { records } = await queryAll(conn, 'SELECT Id FROM Account');
    expectEachIdOnce(records, ids);
    expect(fake.logins.map((l) => l.grant)).toEqual(['jwt', 'jwt']);
  });

  it('REQUEST_LIMIT_EXCEEDED on a page is retried with backoff and paging resumes at that page', async () => {
    const { fake, ids } = await orgWithAccounts(4500);
    const conn = await connectTo(fake);
    fake.faults.inject({ kind: 'request-limit', path: '/query/01g', skip: 1 });
    const retries: RetryInfo[] = [];
    const { records } = await queryAll(conn, 'SELECT Id FROM Account', { retry: { ...FAST_RETRY, onRetry: (r) => retries.push(r) } });
    expectEachIdOnce(records, ids);
    expect(retries.map((r) => r.reason)).toEqual(['REQUEST_LIMIT_EXCEEDED']);
    expect(queryRequests(fake).map((r) => r.status)).toEqual([200, 200, 403, 200]);
  });

  it('without retries REQUEST_LIMIT_EXCEEDED surfaces as a jsforce error carrying the errorCode', async () => {
    const { fake } = await orgWithAccounts(10);
    const conn = await connectTo(fake);
    fake.faults.inject({ kind: 'request-limit', path: '/query' });
    await expect(queryAll(conn, 'SELECT Id FROM Account', { retry: { retries: 0 } })).rejects.toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED' });
  });

  it('a dropped connection on a GET is retried by the jsforce transport', async () => {
    const { fake, ids } = await orgWithAccounts(2500);
    const conn = await connectTo(fake);
    fake.faults.inject({ kind: 'drop', path: '/query/01g' });
    const { records } = await queryAll(conn, 'SELECT Id FROM Account');
    expectEachIdOnce(records, ids);
    expect(queryRequests(fake).map((r) => r.status)).toEqual([200, 'dropped', 200]);
  });

  it('does not retry a bad query', async () => {
    const { fake } = await orgWithAccounts(1);
    const conn = await connectTo(fake);
    const retries: RetryInfo[] = [];
    await expect(queryAll(conn, 'SELECT Id, Nope__c FROM Account', { retry: { ...FAST_RETRY, onRetry: (r) => retries.push(r) } })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    expect(retries).toEqual([]);
  });
});

describe('bulkQuery (Bulk API 2.0)', () => {
  const bulkOptions = { pollIntervalMs: 5, pageSize: 1000, retry: FAST_RETRY };
  const resultRequests = (f: FakeOrg) => f.requests.filter((r) => r.pathname.endsWith('/results'));

  it('follows Sforce-Locator across result pages and parses the CSV (nulls, quotes, commas)', async () => {
    const { fake, ids } = await orgWithAccounts(2500);
    fake.org.update('Account', ids[7]!, { Name: 'Shah, "Anand" & Sons' });
    const conn = await connectTo(fake);
    const records = await bulkQuery(conn, 'SELECT Id, Name, PAN__c, Owner.Username FROM Account', bulkOptions);
    expectEachIdOnce(records, ids);
    expect(records[7]).toEqual({ Id: ids[7], Name: 'Shah, "Anand" & Sons', PAN__c: 'ABCDE0007F', 'Owner.Username': 'integration@pms.example' });
    expect(records[0]!.PAN__c).toBeNull();
    const pages = resultRequests(fake);
    expect(pages.map((r) => new URL(r.url, fake.url).searchParams.get('locator'))).toEqual([null, expect.any(String), expect.any(String)]);
    expect(fake.requests.filter((r) => r.method === 'DELETE' && r.pathname.includes('/jobs/query/'))).toHaveLength(1);
  });

  it('a 401 in the middle of the download re-authenticates and the result is complete and duplicate-free', async () => {
    const { fake, ids } = await orgWithAccounts(2500);
    const conn = await connectTo(fake);
    fake.faults.inject({ kind: 'invalid-session', path: '/results', skip: 1 });
    const records = await bulkQuery(conn, 'SELECT Id, Name FROM Account', bulkOptions);
    expectEachIdOnce(records, ids);
    expect(resultRequests(fake).map((r) => r.status)).toEqual([200, 401, 200, 200]);
    expect(fake.logins).toHaveLength(2);
  });

  it('a failure mid-download that is not absorbed restarts the whole query with a new job', async () => {
    const { fake, ids } = await orgWithAccounts(2500);
    const conn = await connectTo(fake);
    fake.faults.inject({ kind: 'request-limit', path: '/results', skip: 1 });
    const retries: RetryInfo[] = [];
    const records = await bulkQuery(conn, 'SELECT Id, Name FROM Account', { ...bulkOptions, retry: { ...FAST_RETRY, onRetry: (r) => retries.push(r) } });
    expectEachIdOnce(records, ids);
    expect(retries.map((r) => r.reason)).toEqual(['REQUEST_LIMIT_EXCEEDED']);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.pathname.endsWith('/jobs/query'))).toHaveLength(2);
    expect(resultRequests(fake).map((r) => r.status)).toEqual([200, 403, 200, 200, 200]);
  });

  it('a dropped POST creating the job (jsforce does not retry POSTs) is retried by bulkQuery', async () => {
    const { fake, ids } = await orgWithAccounts(30);
    const conn = await connectTo(fake);
    fake.faults.inject({ kind: 'drop', path: '/jobs/query', method: 'POST' });
    const retries: RetryInfo[] = [];
    const records = await bulkQuery(conn, 'SELECT Id FROM Account', { ...bulkOptions, retry: { ...FAST_RETRY, onRetry: (r) => retries.push(r) } });
    expectEachIdOnce(records, ids);
    expect(retries).toHaveLength(1);
    expect(retries[0]!.reason).toMatch(/ECONNRESET|socket hang up/);
  });

  it('includes deleted records with includeDeleted, and queryAll switches to bulk above bulkThreshold', async () => {
    const { fake, ids } = await orgWithAccounts(2500);
    fake.org.delete('Account', ids[0]!);
    const conn = await connectTo(fake);
    const live = await bulkQuery(conn, 'SELECT Id FROM Account', bulkOptions);
    const everything = await bulkQuery(conn, 'SELECT Id, IsDeleted FROM Account', { ...bulkOptions, includeDeleted: true });
    expect(live).toHaveLength(2499);
    expect(everything.find((r) => r.Id === ids[0])).toEqual({ Id: ids[0], IsDeleted: 'true' });

    const viaBulk = await queryAll(conn, 'SELECT Id FROM Account', { bulkThreshold: 2000, bulk: bulkOptions });
    expect(viaBulk.via).toBe('bulk');
    expectEachIdOnce(viaBulk.records, ids.slice(1));
    const viaRest = await queryAll(conn, 'SELECT Id FROM Account', { bulkThreshold: 5000 });
    expect(viaRest.via).toBe('rest');
  });
});

describe('describeOrg', () => {
  it.each([
    [{ fsc: 'managed', personAccounts: true }, '62.0', { hasFsc: 'managed', personAccounts: true }],
    [{ fsc: 'standard', personAccounts: false }, '62.0', { hasFsc: 'standard', personAccounts: false }],
    [{ fsc: 'standard', personAccounts: true }, '60.0', { hasFsc: false, personAccounts: true }],
    [{}, '62.0', { hasFsc: false, personAccounts: false }],
  ] as const)('org %o at API %s → %o', async (orgOptions, apiVersion, expected) => {
    fake = await startFakeOrg(orgOptions);
    const conn = await createSalesforceConnection({ ...configFor(fake, 'client-credentials'), apiVersion });
    expect(await describeOrg(conn)).toEqual(expected);
  });

  it('FSC managed fields are queryable only where the package is installed', async () => {
    fake = await startFakeOrg({ fsc: 'managed' });
    const account = fake.org.insert('Account', { Name: 'Iyer HUF', FinServ__RiskTolerance__c: 'Moderate' });
    fake.org.insert('FinServ__FinancialAccount__c', { Name: 'PMS Growth', FinServ__PrimaryOwner__c: account.Id, FinServ__Balance__c: 12500000 });
    const conn = await connectTo(fake);
    const { records } = await queryAll(conn, 'SELECT Name, FinServ__Balance__c, FinServ__PrimaryOwner__r.FinServ__RiskTolerance__c FROM FinServ__FinancialAccount__c');
    expect(records).toEqual([{ Name: 'PMS Growth', FinServ__Balance__c: 12500000, 'FinServ__PrimaryOwner__r.FinServ__RiskTolerance__c': 'Moderate' }]);

    const plain = await startFakeOrg();
    try {
      const plainConn = await connectTo(plain);
      await expect(queryAll(plainConn, 'SELECT Id FROM FinServ__FinancialAccount__c')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    } finally {
      await plain.close();
    }
  });
});
