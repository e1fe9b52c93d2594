import { describe, expect, it } from 'vitest';
import { netFlows } from './net-flows.js';

const flows = [
  { date: '2024-04-10', amount: '100.10' },
  { date: '2024-04-20', amount: '-30.05' },
  { date: '2024-06-05', amount: '0.1' },
  { date: '2024-06-06', amount: '0.2' },
];

describe('netFlows', () => {
  it('per month, exact decimals, empty months listed with zeros', () => {
    expect(netFlows(flows, 'month')).toEqual([
      { period: '2024-04', from: '2024-04-01', to: '2024-04-30', inflows: '100.1', outflows: '30.05', net: '70.05' },
      { period: '2024-05', from: '2024-05-01', to: '2024-05-31', inflows: '0', outflows: '0', net: '0' },
      { period: '2024-06', from: '2024-06-01', to: '2024-06-30', inflows: '0.3', outflows: '0', net: '0.3' },
    ]);
  });

  it('per Indian financial quarter', () => {
    expect(netFlows(flows, 'quarter')).toEqual([
      { period: 'FY2024-25 Q1', from: '2024-04-01', to: '2024-06-30', inflows: '100.4', outflows: '30.05', net: '70.35' },
    ]);
  });

  it('per calendar year on request', () => {
    expect(netFlows(flows, 'year', 'calendar')).toMatchObject([{ period: '2024', net: '70.35' }]);
  });

  it('is empty without flows', () => {
    expect(netFlows([], 'month')).toEqual([]);
  });
});
