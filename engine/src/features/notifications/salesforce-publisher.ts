import type { Connection } from '@jsforce/jsforce-node';
import { withRetry, type RetryOptions } from '../../connectors/salesforce/index.js';
import type { Logger } from '../../lib/logger.js';
import type { DataRefreshEvent, RefreshListener } from './refresh-bus.js';

/** The Platform Event (force-app/main/default/objects/PMS_Data_Refresh__e) Lightning components subscribe to. */
export const REFRESH_EVENT_OBJECT = 'PMS_Data_Refresh__e';

/** The event's fields as the org defines them (Scope__c is a long text area; run id as text). */
export function refreshEventFields(event: DataRefreshEvent): Record<string, string> {
  return {
    Kind__c: event.kind,
    Run_Id__c: event.runId,
    As_Of__c: event.asOf,
    Scope__c: event.scope.slice(0, 32_000),
  };
}

/** Publishes one PMS_Data_Refresh__e (a REST insert of the event). Throws when Salesforce refuses it. */
export async function publishRefreshEvent(conn: Connection, event: DataRefreshEvent, retry?: RetryOptions): Promise<string> {
  // A dropped POST is not retried by jsforce; withRetry retries transient faults (limits, unavailable, expired session).
  const result = await withRetry(() => conn.sobject(REFRESH_EVENT_OBJECT).create(refreshEventFields(event)), retry);
  if (!result.success) {
    const errors = (result as { errors?: { message?: string }[] }).errors ?? [];
    throw new Error(`Salesforce refused ${REFRESH_EVENT_OBJECT}: ${errors.map((e) => e.message).join('; ') || 'no reason given'}`);
  }
  return result.id;
}

/**
 * A bus listener that publishes every refresh to Salesforce. The connection is opened once and reused; a
 * failure is logged and drops the cached connection (the next event reconnects). It never throws.
 */
export function salesforcePublisher(opts: { connect: () => Promise<Connection>; log?: Logger; retry?: RetryOptions }): RefreshListener & { published: number; failed: number } {
  let conn: Promise<Connection> | null = null;
  const listener = async (event: DataRefreshEvent) => {
    if (event.salesforcePublished) return;
    try {
      conn ??= opts.connect();
      const id = await publishRefreshEvent(await conn, event, opts.retry);
      listener.published++;
      opts.log?.info(
        {
          event: 'refresh',
          kind: event.kind,
          runId: event.runId,
          platformEventId: id,
        },
        'PMS_Data_Refresh__e published',
      );
    } catch (err) {
      conn = null;
      listener.failed++;
      opts.log?.warn(
        { event: 'refresh', kind: event.kind, runId: event.runId, err },
        'PMS_Data_Refresh__e could not be published; dashboards in Salesforce refresh on their next load',
      );
    }
  };
  listener.published = 0;
  listener.failed = 0;
  return listener;
}
