import type { AppDeps } from '../../app-env.js';
import { createSalesforceConnection } from '../../connectors/salesforce/index.js';
import { refreshBus } from '../notifications/refresh-bus.js';
import { salesforcePublisher } from '../notifications/salesforce-publisher.js';
import type { SyncContext } from './salesforce-sync.js';
import { loadSalesforceSettings, salesforceConnectionConfig } from './salesforce-settings.js';

/** Builds the sync context from the app's dependencies (env + config), or null when the connector is off. */
export function salesforceContext(deps: Pick<AppDeps, 'db' | 'env' | 'log'>): SyncContext | null {
  const config = salesforceConnectionConfig(deps.env);
  if (!config) return null;
  const connect = () => createSalesforceConnection(config);
  return {
    db: deps.db,
    settings: loadSalesforceSettings(deps.env),
    connect,
    log: deps.log,
    onSynced: async (run, conn) => {
      const event = {
        kind: 'sync' as const,
        runId: String(run.id),
        asOf: run.finishedAt ?? new Date().toISOString(),
        scope: 'salesforce',
      };
      const bus = refreshBus(deps);
      // The engine's bus (SSE, dashboard cache, and the Salesforce publisher: see registerNotifications). A sync job's
      // worker thread has no publisher on its bus, so it publishes the Platform Event itself before it exits.
      bus.publish(event);
      if (!bus.publishesToSalesforce) await salesforcePublisher({ connect: conn ? async () => conn : connect, log: deps.log })(event);
    },
  };
}
