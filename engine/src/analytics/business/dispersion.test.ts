import { describe, expect, it } from 'vitest';
import { dispersion } from './dispersion.js';

describe('dispersion', () => {
  it('high, low, median, equal- and asset-weighted std of client returns (numpy)', () => {
    // returns 10%, 12%, 8%, 15% with weights 100, 300, 100, 500:
    // np.average → 0.129; √np.average((r − m)², w) → 0.02385372088375312; np.std → 0.0258602010819715; median 0.11
    const result = dispersion([
      { clientId: 'A', return: 0.1, weight: '100' },
      { clientId: 'B', return: 0.12, weight: '300' },
      { clientId: 'C', return: 0.08, weight: '100' },
      { clientId: 'D', return: 0.15, weight: '500' },
    ]);
    expect(result.count).toBe(4);
    expect(result.high).toBe(0.15);
    expect(result.low).toBe(0.08);
    expect(result.median).toBeCloseTo(0.11, 15);
    expect(result.mean).toBeCloseTo(0.1125, 15);
    expect(result.assetWeightedMean).toBeCloseTo(0.129, 15);
    expect(result.assetWeightedStdDev).toBeCloseTo(0.02385372088375312, 15);
    expect(result.equalWeightedStdDev).toBeCloseTo(0.0258602010819715, 15);
  });

  it('a single client has zero dispersion', () => {
    expect(dispersion([{ return: 0.05, weight: 10 }])).toMatchObject({ count: 1, median: 0.05, equalWeightedStdDev: 0, assetWeightedStdDev: 0 });
  });

  it('asset-weighted figures are null when every weight is zero', () => {
    expect(dispersion([{ return: 0.05, weight: 0 }, { return: 0.07, weight: 0 }])).toMatchObject({ assetWeightedMean: null, assetWeightedStdDev: null });
  });

  it('is all null for no clients', () => {
    expect(dispersion([])).toEqual({
      count: 0,
      high: null,
      low: null,
      median: null,
      mean: null,
      equalWeightedStdDev: null,
      assetWeightedMean: null,
      assetWeightedStdDev: null,
    });
  });
});
