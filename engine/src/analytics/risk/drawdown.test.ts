import { describe, expect, it } from 'vitest';
import { maxDrawdown } from './drawdown.js';
import { SAMPLE_RETURNS } from './sample-returns.fixture.js';

describe('maxDrawdown', () => {
  it('finds peak, trough and recovery on the sample series', () => {
    // wealth (numpy cumprod, null as 0): … 1.0126146 (i=6) → 0.98729924 (i=7, −2.5%) … 1.01915289 (i=11, recovered)
    const dates = SAMPLE_RETURNS.map((_, i) => `2024-01-${String(i + 1).padStart(2, '0')}`);
    const result = maxDrawdown(SAMPLE_RETURNS, dates);
    expect(result?.value).toBeCloseTo(-0.025, 14);
    expect(result).toMatchObject({
      peakIndex: 6,
      troughIndex: 7,
      recoveryIndex: 11,
      peakDate: '2024-01-07',
      troughDate: '2024-01-08',
      recoveryDate: '2024-01-12',
    });
  });

  it('counts a first-day loss against the starting wealth of 1', () => {
    // wealth 1 → 0.9 → 0.945 → 1.0017: −10%, peak before the first return, recovered on the third day (numpy)
    const result = maxDrawdown([-0.1, 0.05, 0.06]);
    expect(result?.value).toBeCloseTo(-0.1, 15);
    expect(result).toMatchObject({ peakIndex: -1, troughIndex: 0, recoveryIndex: 2, peakDate: null });
  });

  it('reports an unrecovered drawdown with a null recovery', () => {
    // 1 → 1.1 → 0.88 → 0.968: −20% from the 1.1 peak, not recovered (hand)
    const result = maxDrawdown([0.1, -0.2, 0.1]);
    expect(result?.value).toBeCloseTo(-0.2, 15);
    expect(result).toMatchObject({ peakIndex: 0, troughIndex: 1, recoveryIndex: null });
  });

  it('is 0 for a series that never falls', () => {
    expect(maxDrawdown([0.01, 0, 0.02])).toMatchObject({ value: 0, peakIndex: null, troughIndex: null });
  });

  it('is null for an empty or all-null series', () => {
    expect(maxDrawdown([])).toBeNull();
    expect(maxDrawdown([null, null])).toBeNull();
  });
});
