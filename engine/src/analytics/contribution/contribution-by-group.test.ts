import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../shared/analytics-error.js';
import { contributionByGroup, type ContributionInput } from './contribution-by-group.js';

// April 2024 for a ₹1 crore portfolio:
//   INFY (Equity/IT):        start 40,00,000 → end 42,00,000, no trades                → gain 2,00,000
//   HDFCBANK (Equity/Banks): start 30,00,000 → end 36,50,000, bought 5,00,000, div 20,000 → gain 1,70,000
//   GSEC (Debt):             start 30,00,000 → end 20,10,000, sold 10,00,000, coupon 15,000 → gain 25,000
//   TCS (Equity/IT):         bought 3,00,000 on 10 Apr, sold 3,10,000 on 20 Apr          → gain 10,000
const input: ContributionInput = {
  startDate: '2024-03-31',
  endDate: '2024-04-30',
  startHoldings: [
    { securityId: 'INE009A01021', marketValue: '4000000', assetClass: 'Equity', sector: 'IT' },
    { securityId: 'INE040A01034', marketValue: '3000000', assetClass: 'Equity', sector: 'Banks' },
    { securityId: 'IN0020230085', marketValue: '3000000', assetClass: 'Debt', sector: 'Sovereign' },
  ],
  endHoldings: [
    { securityId: 'INE009A01021', marketValue: '4200000', assetClass: 'Equity', sector: 'IT' },
    { securityId: 'INE040A01034', marketValue: '3650000', assetClass: 'Equity', sector: 'Banks' },
    { securityId: 'IN0020230085', marketValue: '2010000', assetClass: 'Debt', sector: 'Sovereign' },
  ],
  transactions: [
    { date: '2024-04-05', securityId: 'INE040A01034', kind: 'purchase', amount: '500000' },
    { date: '2024-04-12', securityId: 'INE040A01034', kind: 'income', amount: '20000' },
    { date: '2024-04-05', securityId: 'IN0020230085', kind: 'sale', amount: '1000000' },
    { date: '2024-04-15', securityId: 'IN0020230085', kind: 'income', amount: '15000' },
    { date: '2024-04-10', securityId: 'INE467B01029', kind: 'purchase', amount: '300000', assetClass: 'Equity', sector: 'IT' },
    { date: '2024-04-20', securityId: 'INE467B01029', kind: 'sale', amount: '310000', assetClass: 'Equity', sector: 'IT' },
  ],
  groupBy: 'asset_class',
};

describe('contributionByGroup', () => {
  it('by asset class: gain over the start value (hand-computed)', () => {
    // Equity: 2,00,000 + 1,70,000 + 10,000 = 3,80,000 / 1,00,00,000 = 0.038; Debt: 25,000 / 1 Cr = 0.0025
    const result = contributionByGroup(input);
    expect(result.denominator).toBe('10000000');
    expect(result.groups).toEqual([
      { group: 'Debt', startValue: '3000000', endValue: '2010000', purchases: '0', sales: '1000000', income: '15000', gain: '25000', contribution: 0.0025 },
      { group: 'Equity', startValue: '7000000', endValue: '7850000', purchases: '800000', sales: '310000', income: '20000', gain: '380000', contribution: 0.038 },
    ]);
    expect(result.total).toBeCloseTo(0.0405, 15);
  });

  it('by sector, a security traded in and out takes its group from the transaction', () => {
    // IT: INFY 2,00,000 + TCS 10,000 = 2,10,000 → 0.021 (hand)
    const result = contributionByGroup({ ...input, groupBy: 'sector' });
    expect(result.groups.map((g) => [g.group, g.contribution])).toEqual([
      ['Banks', 0.017],
      ['IT', 0.021],
      ['Sovereign', 0.0025],
    ]);
  });

  it('weights external flows into the denominator (Modified Dietz)', () => {
    // ₹30,00,000 added on 10 Apr: w = (30 − 10)/30 → denominator 1 Cr + 20,00,000 = 1,20,00,000;
    // Debt 25,000 / 1.2 Cr = 0.0020833333333333333 (hand)
    const result = contributionByGroup({ ...input, externalFlows: [{ date: '2024-04-10', amount: '3000000' }] });
    expect(result.denominator).toBe('12000000');
    expect(result.groups[0]?.contribution).toBeCloseTo(25000 / 12000000, 15);
  });

  it('puts holdings without the grouping field under Unclassified', () => {
    const result = contributionByGroup({
      ...input,
      startHoldings: [{ securityId: 'X', marketValue: '100' }],
      endHoldings: [{ securityId: 'X', marketValue: '110' }],
      transactions: [],
    });
    expect(result.groups).toMatchObject([{ group: 'Unclassified', gain: '10', contribution: 0.1 }]);
  });

  it('is undefined (null) when the portfolio started empty and nothing came in', () => {
    const result = contributionByGroup({ ...input, startHoldings: [], endHoldings: [], transactions: [] });
    expect(result).toEqual({ denominator: '0', groups: [], total: null });
  });

  it('rejects a negative transaction amount', () => {
    expect(() =>
      contributionByGroup({ ...input, transactions: [{ date: '2024-04-05', securityId: 'X', kind: 'sale', amount: '-5' }] }),
    ).toThrow(AnalyticsInputError);
  });
});
