import type { AppDeps } from '../../app-env.js';
import type { AnalyticsWorker } from '../analytics/analytics-worker.js';
import { salesforceContext } from '../salesforce/salesforce-context.js';
import { refreshBus, type RefreshBus } from './refresh-bus.js';
import { salesforcePublisher } from './salesforce-publisher.js';

/**
 * Wires data-refresh notifications: every successful import, and every analytics run that changed figures,
 * is published on the app's bus; with the Salesforce connector configured the bus also publishes the
 * PMS_Data_Refresh__e Platform Event. (Salesforce syncs publish through salesforceContext's onSynced.)
 */
export function registerNotifications(deps: AppDeps, opts: { analytics?: AnalyticsWorker } = {}): RefreshBus {
  const bus = refreshBus(deps);
  deps.onImported.push((run) =>
    bus.publish({
      kind: 'import',
      runId: String(run.id),
      asOf: run.finishedAt ?? new Date().toISOString(),
      scope: run.kind,
    }),
  );
  opts.analytics?.onCompleted.push((run) => {
    if (run.changed)
      bus.publish({
        kind: 'analytics',
        runId: String(run.runId),
        asOf: run.finishedAt,
        scope: 'book',
      });
  });
  const sf = salesforceContext(deps);
  if (sf) {
    bus.subscribe(salesforcePublisher({ connect: sf.connect, log: deps.log }));
    bus.publishesToSalesforce = true;
  }
  return bus;
}
