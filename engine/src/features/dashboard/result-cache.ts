import type { AppDeps } from '../../app-env.js';
import type { ClientScope } from '../../lib/scope.js';
import { refreshBus } from '../notifications/refresh-bus.js';

/**
 * Short-lived results of read queries, keyed by everything that shapes them: the route, the caller's client scope
 * and PII permission, and the validated query. Single-flight: concurrent identical requests share one computation.
 * Emptied after every import; otherwise entries live `ttlMs` (the analytics worker finishes shortly after an import).
 * Only results are cached: authentication, scope checks and the audit entry happen on every request.
 */
export class ResultCache {
  private entries = new Map<string, { at: number; value: Promise<unknown> }>();
  constructor(
    readonly ttlMs: number,
    private maxEntries = 2000,
    private now: () => number = () => performance.now(),
  ) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return compute();
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value as Promise<T>;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = compute();
    this.entries.set(key, { at: now, value });
    value.catch(() => this.entries.delete(key)); // never cache a failure
    return value;
  }

  clear() {
    this.entries.clear();
  }
}

const caches = new WeakMap<AppDeps, ResultCache>();

/** The app's cache (one per deps), cleared after each import and each data-refresh notification. */
export function resultCache(deps: AppDeps): ResultCache {
  let cache = caches.get(deps);
  if (!cache) {
    const created = new ResultCache(deps.env.RESULT_CACHE_SECONDS * 1000);
    deps.onImported.push(() => created.clear());
    refreshBus(deps).subscribe(() => created.clear()); // also after a Salesforce sync or an analytics run that changed figures
    caches.set(deps, created);
    cache = created;
  }
  return cache;
}

export function cacheKey(route: string, scope: ClientScope, seePii: boolean, query: unknown): string {
  return JSON.stringify([route, scope.all ? 'all' : scope.rmIds, seePii, query]);
}
