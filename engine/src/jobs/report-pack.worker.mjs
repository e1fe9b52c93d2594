// Bree runs jobs in worker threads, which do not inherit tsx: register it, then run the TypeScript job.
import { register } from 'tsx/esm/api';

register();
await import('./report-pack.job.ts');
