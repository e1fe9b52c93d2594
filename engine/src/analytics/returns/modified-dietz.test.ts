import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../shared/analytics-error.js';
import { modifiedDietz } from './modified-dietz.js';

describe('modifiedDietz', () => {
  it('weights a mid-period inflow by the days it was invested', () => {
    // CD = 30 days (1→31 Jan), ₹1,00,000 in on 11 Jan: D = 10, w = 20/30.
    // (11,50,000 − 10,00,000 − 1,00,000) / (10,00,000 + 1,00,000 × 2/3) = 50,000 / 10,66,666.67 = 0.046875 (hand)
    const r = modifiedDietz({
      bmv: '1000000',
      emv: '1150000',
      flows: [{ date: '2024-01-11', amount: '100000' }],
      startDate: '2024-01-01',
      endDate: '2024-01-31',
    });
    expect(r).toBeCloseTo(0.046875, 15);
  });

  it('gives a flow on the start date full weight and one on the end date none', () => {
    // (1300 − 1000 − 200 + 50) / (1000 + 200 × 1 − 50 × 0) = 150 / 1200 = 0.125 (hand)
    const r = modifiedDietz({
      bmv: 1000,
      emv: 1300,
      flows: [
        { date: '2024-01-01', amount: 200 },
        { date: '2024-01-31', amount: -50 },
      ],
      startDate: '2024-01-01',
      endDate: '2024-01-31',
    });
    expect(r).toBeCloseTo(0.125, 15);
  });

  it('without flows is EMV / BMV − 1', () => {
    expect(modifiedDietz({ bmv: '200', emv: '230', flows: [], startDate: '2024-01-01', endDate: '2024-03-31' })).toBeCloseTo(
      0.15,
      15,
    );
  });

  it('is null when nothing was invested (denominator 0)', () => {
    expect(modifiedDietz({ bmv: '0', emv: '0', flows: [], startDate: '2024-01-01', endDate: '2024-01-31' })).toBeNull();
  });

  it('rejects a flow outside the period', () => {
    expect(() =>
      modifiedDietz({
        bmv: '100',
        emv: '100',
        flows: [{ date: '2024-02-01', amount: '1' }],
        startDate: '2024-01-01',
        endDate: '2024-01-31',
      }),
    ).toThrow(AnalyticsInputError);
  });

  it('rejects an empty or reversed period', () => {
    expect(() => modifiedDietz({ bmv: '1', emv: '1', flows: [], startDate: '2024-01-31', endDate: '2024-01-31' })).toThrow(
      AnalyticsInputError,
    );
  });
});
