import { describe, expect, it } from 'vitest';
import { parseFeePlansConfig, resolveFeePlan } from './fee-plans.js';

const row = {
  portfolioId: 1,
  portfolioCode: 'WS1',
  clientId: 1,
  strategy: 'LCE',
  pMgf: '0.015000',
  pPrf: '0.200000',
  pHurdle: '0.080000',
  configPortfolio: null,
  configStrategy: null,
  storedSource: null,
  updatedAt: null,
  updatedBy: null,
  mgfRate: null,
  mgfFreq: null,
  prfRate: null,
  prfFreq: null,
  hurdleKind: null,
  hurdleRate: null,
  exit1: null,
  exit2: null,
  exit3: null,
  opex: null,
  gst: null,
  anchor: null,
};

describe('config/fee-plans.json', () => {
  it('accepts partial plans per strategy and portfolio, refuses floats, unknown fields and monthly typos', () => {
    expect(parseFeePlansConfig({ strategies: { LCE: { exitLoad: ['0.03', '0.02', '0.01'] } } })).toEqual({ strategies: { LCE: { exitLoad: ['0.03', '0.02', '0.01'] } }, portfolios: {} });
    expect(() => parseFeePlansConfig({ strategies: { LCE: { managementFeeRate: 0.02 } } })).toThrow(/strategies\.LCE\.managementFeeRate/);
    expect(() => parseFeePlansConfig({ strategies: { LCE: { upfrontFee: '0.01' } } })).toThrow(/invalid/);
    expect(() => parseFeePlansConfig({ portfolios: { WS1: { performanceFeeFrequency: 'fortnightly' } } })).toThrow(/performanceFeeFrequency/);
  });
});

describe('resolveFeePlan: field by field', () => {
  it('config portfolio override → config strategy default → portfolio master → default', () => {
    const r = resolveFeePlan({
      ...row,
      configPortfolio: { managementFeeFrequency: 'monthly' },
      configStrategy: { managementFeeFrequency: 'annual', hurdle: { kind: 'fixed' }, gstRate: '0.12' },
    });
    expect(r.plan).toMatchObject({ managementFeeRate: '0.015', managementFeeFrequency: 'monthly', hurdle: { kind: 'fixed', rate: '0.08' }, gstRate: '0.12', exitLoad: ['0', '0', '0'] });
    expect(r.sources).toMatchObject({ managementFeeRate: 'portfolio', managementFeeFrequency: 'config-portfolio', hurdle: 'config-strategy', gstRate: 'config-strategy', exitLoad: 'default' });
  });

  it('a stored plan wins whole, with one source', () => {
    const r = resolveFeePlan({
      ...row,
      configPortfolio: { managementFeeFrequency: 'monthly' },
      storedSource: 'api',
      updatedAt: '2026-01-01T00:00:00Z',
      updatedBy: 'user:1',
      mgfRate: '0.010000',
      mgfFreq: 'quarterly',
      prfRate: '0.000000',
      prfFreq: 'annual',
      hurdleKind: 'none',
      exit1: '0.030000',
      exit2: '0.020000',
      exit3: '0.010000',
      opex: '0.000000',
      gst: '0.180000',
      anchor: 'inception',
    });
    expect(r.plan).toEqual({
      managementFeeRate: '0.01',
      managementFeeFrequency: 'quarterly',
      performanceFeeRate: '0',
      performanceFeeFrequency: 'annual',
      hurdle: { kind: 'none' },
      exitLoad: ['0.03', '0.02', '0.01'],
      operatingExpenseRate: '0',
      gstRate: '0.18',
      periodAnchor: 'inception',
    });
    expect(new Set(Object.values(r.sources))).toEqual(new Set(['api']));
  });
});
