import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../shared/analytics-error.js';
import { compositeTwrr } from './composite-twrr.js';

describe('compositeTwrr', () => {
  it('pools values and flows per day (asset-weighted), carrying a missing value forward', () => {
    // A: 100 → 110 → 121. B: funded with 100 on 2 Jan, valued 100; no valuation on 3 Jan (carried forward: 100).
    // Pooled: 100; 210 with flow 100 → (210 − 100 − 100) / (100 + 100) = 0.05; 221 → 11 / 210.
    // Composite = 1.05 × 221/210 − 1 = 0.105 (hand-computed)
    const result = compositeTwrr([
      {
        valuations: [
          { date: '2024-01-01', value: '100' },
          { date: '2024-01-02', value: '110' },
          { date: '2024-01-03', value: '121' },
        ],
      },
      { valuations: [{ date: '2024-01-02', value: '100' }], flows: [{ date: '2024-01-02', amount: '100' }] },
    ]);
    expect(result.pooledValuations).toEqual([
      { date: '2024-01-01', value: '100' },
      { date: '2024-01-02', value: '210' },
      { date: '2024-01-03', value: '221' },
    ]);
    expect(result.pooledFlows).toEqual([{ date: '2024-01-02', amount: '100' }]);
    expect(result.subperiods.map((s) => s.return)).toEqual([0.05, 11 / 210]);
    expect(result.twrr).toBeCloseTo(0.105, 15);
  });

  it('attaches a flow to the next valuation of its own portfolio before pooling', () => {
    // B's Saturday flow (6 Jan) goes to B's next valuation, 8 Jan, even though A is valued on 7 Jan.
    const result = compositeTwrr([
      {
        valuations: [
          { date: '2024-01-05', value: '100' },
          { date: '2024-01-07', value: '100' },
          { date: '2024-01-08', value: '100' },
        ],
      },
      {
        valuations: [
          { date: '2024-01-05', value: '100' },
          { date: '2024-01-08', value: '150' },
        ],
        flows: [{ date: '2024-01-06', amount: '50' }],
      },
    ]);
    expect(result.pooledFlows).toEqual([{ date: '2024-01-08', amount: '50' }]);
    expect(result.twrr).toBeCloseTo(0, 15);
  });

  it('keeps money sums exact (decimal strings)', () => {
    const result = compositeTwrr([
      { valuations: [{ date: '2024-01-01', value: '0.1' }] },
      { valuations: [{ date: '2024-01-01', value: '0.2' }] },
    ]);
    expect(result.pooledValuations).toEqual([{ date: '2024-01-01', value: '0.3' }]);
  });

  it('handles a portfolio that closes: its outflow and final 0 valuation leave the composite', () => {
    // A: 100 → 100 → 100. B: 100 → 110, then redeemed in full (−110 at the start of 3 Jan), valued 0.
    // Pooled: 200 → 210 (+5%) → 100 with flow −110: (100 − 210 + 110) / (210 − 110) = 0 → composite 5% (hand)
    const result = compositeTwrr([
      {
        valuations: [
          { date: '2024-01-01', value: '100' },
          { date: '2024-01-02', value: '100' },
          { date: '2024-01-03', value: '100' },
        ],
      },
      {
        valuations: [
          { date: '2024-01-01', value: '100' },
          { date: '2024-01-02', value: '110' },
          { date: '2024-01-03', value: '0' },
        ],
        flows: [{ date: '2024-01-03', amount: '-110' }],
      },
    ]);
    expect(result.subperiods.map((s) => s.return)).toEqual([0.05, 0]);
    expect(result.twrr).toBeCloseTo(0.05, 15);
  });

  it('rejects duplicate valuation dates within a portfolio', () => {
    expect(() =>
      compositeTwrr([
        {
          valuations: [
            { date: '2024-01-01', value: '1' },
            { date: '2024-01-01', value: '2' },
          ],
        },
      ]),
    ).toThrow(AnalyticsInputError);
  });

  it('is undefined (null) with no portfolios', () => {
    expect(compositeTwrr([]).twrr).toBeNull();
  });
});
