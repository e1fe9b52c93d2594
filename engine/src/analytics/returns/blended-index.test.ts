import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../shared/analytics-error.js';
import { blendedIndexReturns } from './blended-index.js';

describe('blendedIndexReturns', () => {
  it('weights the component returns each day (daily rebalanced)', () => {
    // 60% equity: 100 → 102 (+2%); 40% debt: 200 → 199 (−0.5%). 0.6 × 0.02 + 0.4 × (−0.005) = 0.01 (hand)
    const returns = blendedIndexReturns({
      components: [
        { weight: 0.6, values: [{ date: '2024-01-01', value: '100' }, { date: '2024-01-02', value: '102' }] },
        { weight: 0.4, values: [{ date: '2024-01-01', value: '200' }, { date: '2024-01-02', value: '199' }] },
      ],
    });
    expect(returns).toHaveLength(1);
    expect(returns[0]?.date).toBe('2024-01-02');
    expect(returns[0]?.return).toBeCloseTo(0.01, 15);
  });

  it('uses only dates every component has; the next return spans the gap', () => {
    // Debt has no level on 2 Jan: 2 Jan is dropped; 3 Jan return is from 1 Jan.
    // 0.5 × (103/100 − 1) + 0.5 × (202/200 − 1) = 0.5 × 0.03 + 0.5 × 0.01 = 0.02 (hand)
    const returns = blendedIndexReturns({
      components: [
        {
          weight: 0.5,
          values: [
            { date: '2024-01-01', value: 100 },
            { date: '2024-01-02', value: 101 },
            { date: '2024-01-03', value: 103 },
          ],
        },
        {
          weight: 0.5,
          values: [
            { date: '2024-01-01', value: 200 },
            { date: '2024-01-03', value: 202 },
          ],
        },
      ],
    });
    expect(returns.map((r) => r.date)).toEqual(['2024-01-03']);
    expect(returns[0]?.return).toBeCloseTo(0.02, 15);
  });

  it('is empty without components', () => {
    expect(blendedIndexReturns({ components: [] })).toEqual([]);
  });

  it('rejects weights that do not sum to 1', () => {
    expect(() =>
      blendedIndexReturns({ components: [{ weight: 0.5, values: [] }, { weight: 0.4, values: [] }] }),
    ).toThrow(AnalyticsInputError);
  });
});
