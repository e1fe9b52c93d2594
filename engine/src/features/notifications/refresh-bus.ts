/**
 * Data-refresh notifications: after an import, a Salesforce sync or an analytics run that changed figures, the
 * engine tells whoever listens that the dashboards are stale. In process the listeners are the SSE stream
 * (GET /api/events, the stand-alone dashboard) and the Salesforce publisher (the PMS_Data_Refresh__e Platform
 * Event, which Lightning components receive through lightning/empApi). An event carries no client data.
 */
import type { Logger } from '../../lib/logger.js';

export type RefreshKind = 'import' | 'sync' | 'analytics';

export interface DataRefreshEvent {
  kind: RefreshKind;
  /** The run that changed data: import_runs.id, sync_runs.id or analytics_runs.id, as text. */
  runId: string;
  /** When the run finished (ISO 8601). */
  asOf: string;
  /** What changed, in words a client can ignore: `transactions` (import kind), `salesforce`, `book`. */
  scope: string;
  /** Already sent as PMS_Data_Refresh__e (a sync in the job's worker thread publishes its own); the publisher skips it. */
  salesforcePublished?: boolean;
}

export type RefreshListener = (event: DataRefreshEvent) => void | Promise<void>;

/** A small in-process event bus: publish never throws and never waits for its listeners. */
export class RefreshBus {
  private readonly listeners = new Set<RefreshListener>();
  private readonly closers = new Set<() => void>();
  private closed = false;
  /** Set when a listener publishes every event to Salesforce (registerNotifications with the connector on). */
  publishesToSalesforce = false;
  /** The last events published, newest last (for tests and diagnostics). */
  readonly recent: DataRefreshEvent[] = [];

  constructor(private readonly log?: Logger) {}

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: RefreshListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells every listener; a failing listener is logged, never the publisher's problem. */
  publish(event: DataRefreshEvent): void {
    if (this.closed) return;
    this.recent.push(event);
    if (this.recent.length > 20) this.recent.shift();
    this.log?.debug({ event: 'refresh', ...event }, 'data refresh published');
    for (const listener of this.listeners) {
      try {
        const pending = listener(event);
        if (pending && typeof pending.then === 'function') {
          pending.then(undefined, (err: unknown) => this.log?.warn({ event: 'refresh', kind: event.kind, err }, 'a data-refresh listener failed'));
        }
      } catch (err) {
        this.log?.warn({ event: 'refresh', kind: event.kind, err }, 'a data-refresh listener failed');
      }
    }
  }

  /** Registers something to end when the bus closes (an open SSE stream); returns the function that unregisters it. */
  onClose(closer: () => void): () => void {
    if (this.closed) {
      closer();
      return () => {};
    }
    this.closers.add(closer);
    return () => this.closers.delete(closer);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Stops publishing and ends every open stream (shutdown: server.close() waits for open connections). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const closer of [...this.closers]) closer();
    this.closers.clear();
    this.listeners.clear();
  }
}

const buses = new WeakMap<object, RefreshBus>();

/** The app's bus (one per AppDeps, like the analytics worker). */
export function refreshBus(deps: { log?: Logger }): RefreshBus {
  let bus = buses.get(deps);
  if (!bus) buses.set(deps, (bus = new RefreshBus(deps.log)));
  return bus;
}
