import type { Database } from './db/client.js';
import type { Env } from './env.js';
import type { ImportMapping } from './connectors/wealth-spectrum/mapping.js';
import type { Principal } from './features/auth/auth.middleware.js';
import type { Logger } from './lib/logger.js';
import type { Metrics } from './lib/metrics.js';
import type { ImportRun } from './features/imports/imports.queries.js';

/** Everything a request handler may use; built once at start (or per test). */
export interface AppDeps {
  db: Database;
  env: Env;
  mapping: ImportMapping;
  log: Logger;
  metrics: Metrics;
  version: string;
  /** Hooks run after each successful import (analytics recompute…). */
  onImported: ((run: ImportRun) => void)[];
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    principal: Principal;
    requestId: string;
  };
}
