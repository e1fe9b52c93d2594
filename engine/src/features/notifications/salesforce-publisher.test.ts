import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOrg, type FakeOrg } from '../../connectors/salesforce/fake-org/index.js';
import { FAST_RETRY, configFor, connectTo } from '../../connectors/salesforce/testing/fake-connect.js';
import { createSalesforceConnection } from '../../connectors/salesforce/index.js';
import { publishRefreshEvent, salesforcePublisher } from './salesforce-publisher.js';
import type { DataRefreshEvent } from './refresh-bus.js';

let fake: FakeOrg | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const EVENT: DataRefreshEvent = {
  kind: 'import',
  runId: '42',
  asOf: '2025-12-31T10:15:00.000Z',
  scope: 'transactions',
};

describe('PMS_Data_Refresh__e publisher (real jsforce against the fake org)', () => {
  it('inserts one Platform Event with the kind, run id, as-of and scope', async () => {
    fake = await startFakeOrg();
    const conn = await connectTo(fake);
    const id = await publishRefreshEvent(conn, EVENT, FAST_RETRY);
    const events = fake.org.all('PMS_Data_Refresh__e');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      Id: id,
      Kind__c: 'import',
      Run_Id__c: '42',
      As_Of__c: '2025-12-31T10:15:00.000Z',
      Scope__c: 'transactions',
    });
    const post = fake.requests.filter((r) => r.method === 'POST' && r.pathname.endsWith('/sobjects/PMS_Data_Refresh__e'));
    expect(post).toHaveLength(1);
    expect(post[0]!.status).toBe(201);
  });

  it('as a bus listener: skips an event already sent by a sync worker, publishes the next one', async () => {
    fake = await startFakeOrg();
    const org = fake;
    const publish = salesforcePublisher({ connect: () => createSalesforceConnection(configFor(org, 'client-credentials')), retry: FAST_RETRY });
    await publish({ ...EVENT, kind: 'sync', scope: 'salesforce', salesforcePublished: true });
    expect(org.org.all('PMS_Data_Refresh__e')).toHaveLength(0);
    await publish(EVENT);
    expect(org.org.all('PMS_Data_Refresh__e')).toEqual([expect.objectContaining({ Kind__c: 'import' })]);
    expect(publish.published).toBe(1);
  });

  it('as a bus listener: logs and counts a failure instead of throwing, then reconnects for the next event', async () => {
    fake = await startFakeOrg();
    const org = fake;
    const warnings: unknown[] = [];
    const log = {
      info: () => {},
      warn: (o: unknown) => warnings.push(o),
    } as never;
    let connects = 0;
    const publish = salesforcePublisher({
      connect: () => {
        connects++;
        return createSalesforceConnection(configFor(org, 'client-credentials'));
      },
      log,
      retry: { retries: 0 },
    });
    org.faults.inject({
      kind: 'unavailable',
      path: '/sobjects/PMS_Data_Refresh__e',
      times: 1,
    });
    await expect(publish(EVENT)).resolves.toBeUndefined();
    expect(publish.failed).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(org.org.all('PMS_Data_Refresh__e')).toHaveLength(0);

    await publish({ ...EVENT, kind: 'analytics', runId: '7', scope: 'book' });
    expect(publish.published).toBe(1);
    expect(connects).toBe(2); // the failed connection was dropped
    expect(org.org.all('PMS_Data_Refresh__e').map((e) => [e.Kind__c, e.Run_Id__c])).toEqual([['analytics', '7']]);
  });
});
