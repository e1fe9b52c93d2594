import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../shared/analytics-error.js';
import { churn, newClientsByMonth } from './client-counts.js';

describe('newClientsByMonth', () => {
  it('counts each client once in its earliest month, gaps as zero', () => {
    expect(
      newClientsByMonth([
        { clientId: 'A', onboardedOn: '2024-01-05' },
        { clientId: 'B', onboardedOn: '2024-01-20' },
        { clientId: 'A', onboardedOn: '2024-03-02' },
        { clientId: 'C', onboardedOn: '2024-03-31' },
      ]),
    ).toEqual([
      { month: '2024-01', count: 2 },
      { month: '2024-02', count: 0 },
      { month: '2024-03', count: 1 },
    ]);
  });

  it('is empty without clients', () => {
    expect(newClientsByMonth([])).toEqual([]);
  });
});

describe('churn', () => {
  const clients = [
    { clientId: 'A', onboardedOn: '2023-01-01', fullyRedeemedOn: null },
    { clientId: 'B', onboardedOn: '2023-06-01', fullyRedeemedOn: '2024-05-01' },
    { clientId: 'C', onboardedOn: '2024-02-01', fullyRedeemedOn: '2024-04-15' },
    { clientId: 'D', onboardedOn: '2024-06-01', fullyRedeemedOn: '2024-12-01' },
    { clientId: 'E', onboardedOn: '2023-01-01', fullyRedeemedOn: '2024-03-31' },
  ];

  it('FY2024-25: 2 of the 3 clients at 31 March 2024 fully redeemed (hand)', () => {
    // at start: A, B, C (E left on the base date itself); churned: B, C; D joined and left, outside the rate
    expect(churn(clients, '2024-03-31', '2025-03-31')).toEqual({
      from: '2024-03-31',
      to: '2025-03-31',
      clientsAtStart: 3,
      churned: 2,
      rate: 2 / 3,
      joinedAndLeft: 1,
    });
  });

  it('is undefined (null) with no clients at the start', () => {
    expect(churn([], '2024-03-31', '2025-03-31').rate).toBeNull();
  });

  it('rejects a redemption before onboarding', () => {
    expect(() => churn([{ clientId: 'X', onboardedOn: '2024-02-01', fullyRedeemedOn: '2024-01-01' }], '2024-01-01', '2024-12-31')).toThrow(
      AnalyticsInputError,
    );
  });
});
