import { afterEach, describe, expect, it } from 'vitest';
import { contentVersionMultipart, updateRecords, uploadContentVersion } from './dml.js';
import { queryAll } from './query.js';
import { startFakeOrg, type FakeOrg } from './fake-org/index.js';
import { FAST_RETRY, connectTo } from './testing/fake-connect.js';

let fake: FakeOrg | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function orgWithFinancialAccounts(count: number) {
  let clock = Date.parse('2025-03-31T18:30:00.000Z');
  fake = await startFakeOrg({ fsc: 'managed', now: () => clock });
  const owner = fake.org.insert('Account', { Name: 'Kapoor Family Trust' });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(fake.org.insert('FinServ__FinancialAccount__c', { Name: `PMS ${i}`, FinServ__PrimaryOwner__c: owner.Id, FinServ__SourceSystemId__c: `WS${i}` }).Id);
  }
  clock += 3_600_000;
  return { fake, ids };
}

const compositeCalls = (f: FakeOrg) => f.requests.filter((r) => r.pathname.endsWith('/composite/sobjects'));

describe('updateRecords (sObject Collections)', () => {
  it('writes back performance fields on 200 records in one composite call, bumping SystemModstamp', async () => {
    const { fake, ids } = await orgWithFinancialAccounts(200);
    const conn = await connectTo(fake);
    const results = await updateRecords(
      conn,
      'FinServ__FinancialAccount__c',
      ids.map((Id, i) => ({ Id, FinServ__PerformanceYTD__c: i / 100, FinServ__Balance__c: 1_000_000 + i })),
    );
    expect(results).toHaveLength(200);
    expect(results.every((r, i) => r.success && r.id === ids[i])).toBe(true);
    expect(compositeCalls(fake)).toHaveLength(1);
    expect(compositeCalls(fake)[0]!.method).toBe('PATCH');
    const { records } = await queryAll(conn, 'SELECT Id, FinServ__PerformanceYTD__c, FinServ__Balance__c, SystemModstamp FROM FinServ__FinancialAccount__c');
    expect(records[199]).toEqual({ Id: ids[199], FinServ__PerformanceYTD__c: 1.99, FinServ__Balance__c: 1_000_199, SystemModstamp: '2025-03-31T19:30:00.000+0000' });
  });

  it('splits 450 records into calls of 200, 200 and 50 and returns per-record failures in input order', async () => {
    const { fake, ids } = await orgWithFinancialAccounts(450);
    fake.org.delete('FinServ__FinancialAccount__c', ids[300]!);
    const conn = await connectTo(fake);
    const results = await updateRecords(conn, 'FinServ__FinancialAccount__c', ids.map((Id) => ({ Id, FinServ__PerformanceMTD__c: 0.5 })));
    expect(compositeCalls(fake)).toHaveLength(3);
    expect(results.filter((r) => !r.success)).toEqual([{ id: ids[300], success: false, errors: [{ errorCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] }]);
  });

  it('re-sends only the records that hit UNABLE_TO_LOCK_ROW', async () => {
    const { fake, ids } = await orgWithFinancialAccounts(20);
    fake.org.lockRecords([ids[3]!, ids[11]!]);
    const conn = await connectTo(fake);
    const results = await updateRecords(conn, 'FinServ__FinancialAccount__c', ids.map((Id) => ({ Id, FinServ__Performance1Yr__c: 12.5 })), { lockRetryDelayMs: 1 });
    expect(results.every((r) => r.success)).toBe(true);
    expect(compositeCalls(fake).map((r) => r.bodyBytes < 1000)).toEqual([false, true]);
    expect(fake.org.get('FinServ__FinancialAccount__c', ids[11]!)!.FinServ__Performance1Yr__c).toBe(12.5);
  });

  it('allOrNone rolls every record back when one fails', async () => {
    const { fake, ids } = await orgWithFinancialAccounts(5);
    const conn = await connectTo(fake);
    const results = await updateRecords(conn, 'FinServ__FinancialAccount__c', [
      ...ids.slice(0, 4).map((Id) => ({ Id, FinServ__Balance__c: 1 })),
      { Id: ids[4]!, No_Such_Field__c: 1 },
    ], { allOrNone: true });
    expect(results.map((r) => r.errors[0]?.errorCode)).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'INVALID_FIELD',
    ]);
    expect(fake.org.get('FinServ__FinancialAccount__c', ids[0]!)!.FinServ__Balance__c).toBeNull();
  });

  it('retries a REQUEST_LIMIT_EXCEEDED on the collection call', async () => {
    const { fake, ids } = await orgWithFinancialAccounts(3);
    const conn = await connectTo(fake);
    fake.faults.inject({ kind: 'request-limit', path: '/composite/sobjects' });
    const results = await updateRecords(conn, 'FinServ__FinancialAccount__c', ids.map((Id) => ({ Id, FinServ__Balance__c: 7 })), { retry: FAST_RETRY });
    expect(results.every((r) => r.success)).toBe(true);
    expect(compositeCalls(fake).map((r) => r.status)).toEqual([403, 200]);
  });
});

describe('transient failures on a PATCH (which the jsforce transport never retries)', () => {
  it('503 and a call-level UNABLE_TO_LOCK_ROW are retried by withRetry', async () => {
    const { fake, ids } = await orgWithFinancialAccounts(3);
    const conn = await connectTo(fake);
    fake.faults.inject({ kind: 'unavailable', path: '/composite/sobjects' });
    fake.faults.inject({ kind: 'lock-row', path: '/composite/sobjects' });
    const reasons: string[] = [];
    const results = await updateRecords(conn, 'FinServ__FinancialAccount__c', ids.map((Id) => ({ Id, FinServ__Balance__c: 9 })), {
      retry: { ...FAST_RETRY, onRetry: (r) => reasons.push(r.reason) },
    });
    expect(results.every((r) => r.success)).toBe(true);
    expect(reasons).toEqual(['SERVER_UNAVAILABLE', 'UNABLE_TO_LOCK_ROW']);
    expect(compositeCalls(fake).map((r) => r.status)).toEqual([503, 400, 200]);
  });
});

describe('uploadContentVersion', () => {
  // Every byte value, so any text re-encoding of the binary part would show.
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\n%%EOF\n')]);

  it('stores the file with its title, FirstPublishLocationId and exact bytes', async () => {
    fake = await startFakeOrg();
    const account = fake.org.insert('Account', { Name: 'Rao Family', PMS_Client_Code__c: 'WS0042' });
    const conn = await connectTo(fake, 'password-soap');
    const { id } = await uploadContentVersion(conn, {
      title: 'Quarterly statement Q4 FY2024-25',
      pathOnClient: 'WS0042-Q4-FY2024-25.pdf',
      firstPublishLocationId: account.Id,
      data: pdf,
      contentType: 'application/pdf',
    });
    const file = fake.org.files.get(id)!;
    expect(file.title).toBe('Quarterly statement Q4 FY2024-25');
    expect(file.firstPublishLocationId).toBe(account.Id);
    expect(file.pathOnClient).toBe('WS0042-Q4-FY2024-25.pdf');
    expect(file.bytes.equals(pdf)).toBe(true);
    expect(file.upload).toEqual({ kind: 'multipart', jsonPartName: 'entity_content', binaryPartName: 'VersionData', filename: 'WS0042-Q4-FY2024-25.pdf', contentType: 'application/pdf' });

    const { records } = await queryAll(conn, `SELECT Id, Title, ContentSize, FileExtension, ContentDocumentId FROM ContentVersion WHERE FirstPublishLocationId = '${account.Id}'`);
    expect(records).toEqual([{ Id: id, Title: 'Quarterly statement Q4 FY2024-25', ContentSize: pdf.length, FileExtension: 'pdf', ContentDocumentId: expect.stringMatching(/^069/) }]);
  });

  it('re-sends the same body after renewing an expired session', async () => {
    fake = await startFakeOrg();
    const account = fake.org.insert('Account', { Name: 'Rao Family' });
    const conn = await connectTo(fake, 'password-oauth');
    fake.expireSessions();
    const { id } = await uploadContentVersion(conn, { title: 'Statement', pathOnClient: 's.pdf', firstPublishLocationId: account.Id, data: pdf });
    expect(fake.org.files.get(id)!.bytes.equals(pdf)).toBe(true);
    expect(fake.requests.filter((r) => r.pathname.endsWith('/sobjects/ContentVersion')).map((r) => r.status)).toEqual([401, 201]);
  });

  it('does not retry a dropped upload (it may have been stored) but does retry REQUEST_LIMIT_EXCEEDED', async () => {
    fake = await startFakeOrg();
    const account = fake.org.insert('Account', { Name: 'Rao Family' });
    const conn = await connectTo(fake);
    fake.faults.inject({ kind: 'drop', path: '/sobjects/ContentVersion', method: 'POST' });
    const upload = { title: 'Statement', pathOnClient: 's.pdf', firstPublishLocationId: account.Id, data: pdf, retry: FAST_RETRY };
    await expect(uploadContentVersion(conn, upload)).rejects.toThrow(/ECONNRESET|socket hang up/);

    fake.faults.inject({ kind: 'request-limit', path: '/sobjects/ContentVersion', method: 'POST' });
    const { id } = await uploadContentVersion(conn, upload);
    expect(fake.org.files.size).toBe(1);
    expect(fake.org.files.has(id)).toBe(true);
  });

  it('rejects a FirstPublishLocationId that does not exist with a Salesforce error', async () => {
    fake = await startFakeOrg();
    const conn = await connectTo(fake);
    await expect(
      uploadContentVersion(conn, { title: 'x', pathOnClient: 'x.pdf', firstPublishLocationId: '001000000000000AAA', data: pdf }),
    ).rejects.toMatchObject({ errorCode: 'INVALID_CROSS_REFERENCE_KEY' });
  });

  it('builds a multipart body whose binary part is byte-exact', () => {
    const { body, contentType } = contentVersionMultipart({ title: 't', pathOnClient: 'a"b.pdf', firstPublishLocationId: '001', data: pdf });
    const boundary = /boundary=(.+)$/.exec(contentType)![1]!;
    expect(body.includes(pdf)).toBe(true);
    expect(body.toString('latin1')).toContain('filename="a_b.pdf"');
    expect(body.toString('latin1').endsWith(`--${boundary}--\r\n`)).toBe(true);
  });
});
