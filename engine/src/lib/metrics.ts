import client from 'prom-client';

/** Prometheus metrics of one engine; a registry per app so tests do not share counters. */
export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new client.Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    importRows: new client.Counter({
      name: 'import_rows_total',
      help: 'Rows read by imports, by kind and outcome',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
    importFailures: new client.Counter({
      name: 'import_failures_total',
      help: 'Rejected or failed imports, by kind and error code',
      labelNames: ['kind', 'code'] as const,
      registers: [registry],
    }),
    jobRuns: new client.Counter({
      name: 'job_runs_total',
      help: 'Scheduled job runs, by job and outcome',
      labelNames: ['job', 'outcome'] as const,
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
