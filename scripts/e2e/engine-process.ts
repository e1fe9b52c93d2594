import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Builds the stand-alone dashboard when engine/public/build is missing (~20 s). */
export function ensureUiBuilt() {
  if (fs.existsSync(path.join(ROOT, 'engine/public/build/main.js'))) return;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/rollup/dist/bin/rollup'), '-c', 'rollup.config.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the UI build failed');
}

export interface RunningEngine {
  base: string;
  key: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts the real engine on a free port with a fresh data directory and waits until the demo book is in. */
export async function startEngine(): Promise<RunningEngine> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-e2e-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const key = `e2e-bootstrap-${Math.random().toString(36).slice(2)}-key`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'engine/src/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PMS_DEMO: 'on', PMS_BOOTSTRAP_API_KEY: key, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  // The demo import (~25-50 s) and then the full analytics precompute (minutes on 2 shared cores):
  // dashboards block on the single embedded-database session until both are done.
  const deadline = Date.now() + 900_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the engine exited:\n${output.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`the engine did not load the demo book in time:\n${output.slice(-3000)}`);
    try {
      const r = await fetch(`${base}/api/analytics/status`, { headers: { authorization: `Bearer ${key}` } });
      const s = r.ok ? ((await r.json()) as { queue: { dirtyPortfolios: number }; worker: { running: unknown; pending: boolean }; stored: { metricRows: number } }) : undefined;
      if (s && s.stored.metricRows > 0 && s.worker.running === null && !s.worker.pending && s.queue.dirtyPortfolios === 0) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return {
    base,
    key,
    dataDir,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
