import type { AppDeps } from '../../app-env.js';
import { createSalesforceConnection } from '../../connectors/salesforce/index.js';
import { salesforceConnectionConfig } from '../salesforce/salesforce-settings.js';
import { brandingOf } from './branding-cache.js';
import type { PackContext } from './report-pack.js';
import { loadReportSettings } from './reports-settings.js';

/** The pack's context from the engine's dependencies, or null when the Salesforce connector is off. */
export function packContext(deps: Pick<AppDeps, 'db' | 'env' | 'log'>): PackContext | null {
  const config = salesforceConnectionConfig(deps.env);
  if (!config) return null;
  return {
    sql: deps.db.sql,
    connect: () => createSalesforceConnection(config),
    branding: brandingOf(deps),
    settings: loadReportSettings(deps.env),
    log: deps.log,
  };
}
