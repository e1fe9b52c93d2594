/** Builds the sync context from the app's dependencies (env + config), or null when the connector is off. */
import type { AppDeps } from '../../app-env.js';
import { createSalesforceConnection } from '../../connectors/salesforce/index.js';
import type { SyncContext } from './salesforce-sync.js';
import { loadSalesforceSettings, salesforceConnectionConfig } from './salesforce-settings.js';

export function salesforceContext(deps: Pick<AppDeps, 'db' | 'env' | 'log'>): SyncContext | null {
  const config = salesforceConnectionConfig(deps.env);
  if (!config) return null;
  return {
    db: deps.db,
    settings: loadSalesforceSettings(deps.env),
    connect: () => createSalesforceConnection(config),
    log: deps.log,
  };
}
