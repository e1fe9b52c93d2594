import { describe, expect, it } from 'vitest';
import { AnalyticsWorker } from './analytics-worker.js';

/** The worker with its database run replaced by a recorder, to test the scheduling alone. */
function recordingWorker() {
  const worker = new AnalyticsWorker({ db: {} as never, log: {} as never });
  const runs: string[] = [];
  const w = worker as unknown as { runOnce(trigger: string, full: boolean): Promise<void>; drain(): Promise<void> };
  w.runOnce = async (trigger) => {
    runs.push(trigger);
  };
  return { worker, runs, internals: w };
}

describe('analytics worker scheduling', () => {
  it('coalesces requests made while a run is queued into one run', async () => {
    const { worker, runs } = recordingWorker();
    worker.request('import:1');
    worker.request('import:2');
    await worker.idle();
    expect(runs).toEqual(['import:1,import:2']);
  });

  it('does not lose a request that lands after the queue looked empty but before the loop ended', async () => {
    const { worker, runs, internals } = recordingWorker();
    const drain = internals.drain.bind(worker);
    let once = true;
    internals.drain = async () => {
      await drain();
      if (once) {
        once = false;
        worker.request('import:8:valuations'); // exactly the window the demo book's last import hit
      }
    };
    worker.request('import:7:holdings');
    await worker.idle();
    expect(runs).toEqual(['import:7:holdings', 'import:8:valuations']);
    expect(worker.state.pending).toBeNull();
  });
});
