import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../shared/analytics-error.js';
import { dailyTwrr } from './daily-twrr.js';

// A portfolio funded with ₹10,00,000 on 1 Apr 2024 that gains 1% on day 2 and receives ₹5,00,000 on day 3.
const inceptionCase = {
  valuations: [
    { date: '2024-04-01', value: '1000000.00' },
    { date: '2024-04-02', value: '1010000.00' },
    { date: '2024-04-03', value: '1520000.00' },
  ],
  flows: [
    { date: '2024-04-01', amount: '1000000.00' },
    { date: '2024-04-03', amount: '500000.00' },
  ],
};

describe('dailyTwrr', () => {
  it('of a flow-free series is the value ratio minus one', () => {
    // 100 → 110 → 99: r = +10%, −10%; 1.1 × 0.9 − 1 = −0.01 (hand-computed)
    const result = dailyTwrr({
      valuations: [
        { date: '2024-01-01', value: '100' },
        { date: '2024-01-02', value: '110' },
        { date: '2024-01-03', value: '99' },
      ],
    });
    expect(result.subperiods).toEqual([
      { date: '2024-01-02', return: 0.1 },
      { date: '2024-01-03', return: -0.1 },
    ]);
    expect(result.twrr).toBeCloseTo(-0.01, 15);
    expect(result.from).toBe('2024-01-01');
    expect(result.to).toBe('2024-01-03');
    expect(result.days).toBe(2);
    expect(result.annualized).toBeNull();
  });

  it('starts an inception series from zero with start-of-day flows (w = 1)', () => {
    // day 1: (10,00,000 − 0 − 10,00,000) / (0 + 10,00,000) = 0
    // day 2: 10,000 / 10,00,000 = 0.01
    // day 3: (15,20,000 − 10,10,000 − 5,00,000) / (10,10,000 + 5,00,000) = 10,000 / 15,10,000 = 0.006622516556291391
    // TWRR = 1.01 × 1.006622516556291391 − 1 = 0.016688741721854417 (python3 float arithmetic)
    const result = dailyTwrr(inceptionCase);
    expect(result.subperiods.map((s) => s.return)).toEqual([0, 0.01, 0.006622516556291391]);
    expect(result.twrr).toBeCloseTo(0.016688741721854417, 15);
    expect(result.from).toBe('2024-03-31'); // the close before inception, value 0
    expect(result.days).toBe(3);
    expect(result.skippedDates).toEqual([]);
  });

  it('with end-of-day flows (w = 0) skips the inception day, whose denominator is 0', () => {
    // day 2: 0.01; day 3: 10,000 / 10,10,000; 1.01 × (1 + 10,000/10,10,000) = 1.01 + 0.01 = 1.02 (hand-computed)
    const result = dailyTwrr({ ...inceptionCase, flowTiming: 'end' });
    expect(result.skippedDates).toEqual(['2024-04-01']);
    expect(result.subperiods.map((s) => s.return)).toEqual([0.01, 0.009900990099009901]);
    expect(result.twrr).toBeCloseTo(0.02, 15);
    expect(result.from).toBe('2024-04-01');
    expect(result.days).toBe(2);
  });

  it('accepts a numeric flow weight', () => {
    // w = 0.5. day 1: 0 / 5,00,000 = 0; day 3: 10,000 / (10,10,000 + 2,50,000) = 0.007936507936507936
    // TWRR = 1.01 × 1.007936507936507936 − 1 = 0.01801587301587304 (python3)
    const result = dailyTwrr({ ...inceptionCase, flowTiming: 0.5 });
    expect(result.subperiods.map((s) => s.return)).toEqual([0, 0.01, 0.007936507936507936]);
    expect(result.twrr).toBeCloseTo(0.01801587301587304, 15);
  });

  it('skips sub-periods after a full redemption until money comes back', () => {
    // 100 → 110 (+10%); day 3: −110 out at the start, value 0: denominator 110 − 110 = 0 → skipped;
    // day 4: 0 → 0, denominator 0 → skipped; day 5: +200 in, value 210: 10 / 200 = 5%.
    // TWRR = 1.1 × 1.05 − 1 = 0.155 (hand-computed)
    const result = dailyTwrr({
      valuations: [
        { date: '2024-01-01', value: '100' },
        { date: '2024-01-02', value: '110' },
        { date: '2024-01-03', value: '0' },
        { date: '2024-01-04', value: '0' },
        { date: '2024-01-05', value: '210' },
      ],
      flows: [
        { date: '2024-01-03', amount: '-110' },
        { date: '2024-01-05', amount: '200' },
      ],
    });
    expect(result.skippedDates).toEqual(['2024-01-03', '2024-01-04']);
    expect(result.subperiods.map((s) => s.date)).toEqual(['2024-01-02', '2024-01-05']);
    expect(result.twrr).toBeCloseTo(0.155, 15);
  });

  it('attaches a flow on a non-valuation date to the next valuation date', () => {
    // Saturday 6 Jan flow of 50 is valued on Monday 8 Jan: (160 − 100 − 50) / (100 + 50) = 10/150
    const result = dailyTwrr({
      valuations: [
        { date: '2024-01-05', value: '100' },
        { date: '2024-01-08', value: '160' },
      ],
      flows: [{ date: '2024-01-06', amount: 50 }],
    });
    expect(result.subperiods).toEqual([{ date: '2024-01-08', return: 10 / 150 }]);
  });

  it('returns flows after the last valuation as unattached', () => {
    const late = { date: '2024-01-09', amount: '75' };
    const result = dailyTwrr({
      valuations: [
        { date: '2024-01-05', value: '100' },
        { date: '2024-01-08', value: '105' },
      ],
      flows: [late],
    });
    expect(result.unattachedFlows).toEqual([late]);
    expect(result.twrr).toBeCloseTo(0.05, 15);
  });

  it('sorts unsorted valuations and sums same-day flows', () => {
    // flows 30 + 20 on day 2: (160 − 100 − 50) / 150
    const result = dailyTwrr({
      valuations: [
        { date: '2024-01-02', value: '160' },
        { date: '2024-01-01', value: '100' },
      ],
      flows: [
        { date: '2024-01-02', amount: '30' },
        { date: '2024-01-02', amount: '20' },
      ],
    });
    expect(result.subperiods).toEqual([{ date: '2024-01-02', return: 10 / 150 }]);
  });

  it('annualises a period of one year or more', () => {
    // 2023-01-01 → 2025-01-01 is 731 days; 100 → 121: 1.21^(365/731) − 1 = 0.09985658773828732 (python3)
    const result = dailyTwrr({
      valuations: [
        { date: '2023-01-01', value: '100' },
        { date: '2024-01-01', value: '110' },
        { date: '2025-01-01', value: '121' },
      ],
    });
    expect(result.days).toBe(731);
    expect(result.twrr).toBeCloseTo(0.21, 14);
    expect(result.annualized).toBeCloseTo(0.09985658773828732, 14);
  });

  it('is undefined (null) for an empty series', () => {
    expect(dailyTwrr({ valuations: [] })).toMatchObject({ twrr: null, annualized: null, days: 0, from: null });
  });

  it('is undefined (null) for a single valuation without a flow', () => {
    expect(dailyTwrr({ valuations: [{ date: '2024-01-01', value: '100' }] })).toMatchObject({
      twrr: null,
      days: 0,
      subperiods: [],
    });
  });

  it('rejects duplicate valuation dates', () => {
    expect(() =>
      dailyTwrr({
        valuations: [
          { date: '2024-01-01', value: '100' },
          { date: '2024-01-01', value: '101' },
        ],
      }),
    ).toThrow(AnalyticsInputError);
  });

  it('rejects a flow timing outside [0, 1]', () => {
    expect(() => dailyTwrr({ valuations: [], flowTiming: 1.5 })).toThrow(AnalyticsInputError);
  });

  it('property: without flows, TWRR = V_last / V_first − 1', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 100, max: 1000, noNaN: true }), { minLength: 2, maxLength: 60 }), (values) => {
        const valuations = values.map((value, i) => ({ date: dayAfter('2020-01-01', i), value }));
        const result = dailyTwrr({ valuations });
        const growth = (values[values.length - 1] as number) / (values[0] as number);
        // compare growth factors relatively: each chained step carries ~1e-16 rounding (values kept within 10× of
        // each other: a near-total daily loss makes 1 + r lose digits by cancellation)
        expect(Math.abs((1 + (result.twrr as number)) / growth - 1)).toBeLessThanOrEqual(1e-12);
      }),
    );
  });
});

function dayAfter(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
