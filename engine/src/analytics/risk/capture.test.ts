import { describe, expect, it } from 'vitest';
import { downCapture, upCapture } from './capture.js';
import { SAMPLE_BENCHMARK, SAMPLE_RETURNS } from './sample-returns.fixture.js';

describe('up / down capture', () => {
  it('up capture on the sample (numpy: annual return over b > 0 days, ratio)', () => {
    expect(upCapture(SAMPLE_RETURNS, SAMPLE_BENCHMARK)).toBeCloseTo(2.051449938271606, 10);
  });

  it('down capture on the sample (numpy: annual return over b < 0 days, ratio)', () => {
    expect(downCapture(SAMPLE_RETURNS, SAMPLE_BENCHMARK)).toBeCloseTo(1.037834779672954, 12);
  });

  it('down capture of one period with half the loss is the ratio of annualised losses', () => {
    // b = −2%, r = −1% over 1 of 252 periods: (0.99^252 − 1) / (0.98^252 − 1) (hand formula)
    expect(downCapture([-0.01], [-0.02])).toBeCloseTo((Math.pow(0.99, 252) - 1) / (Math.pow(0.98, 252) - 1), 14);
  });

  it('is null when the benchmark never fell', () => {
    expect(downCapture([0.01, 0.02], [0.01, 0.03])).toBeNull();
  });
});
