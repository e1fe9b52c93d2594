import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromDayNumber, toDayNumber } from '../shared/iso-date.js';
import { xirr, xirrOfDays, xnpv, XirrError, type DatedAmount } from './xirr.js';

// Microsoft's documented XIRR example (support.microsoft.com, "XIRR function"): Excel shows 37.34%.
// Root to full precision by scipy.optimize.brentq on the same actual/365 NPV: 0.37336253351883153.
const excelExample: DatedAmount[] = [
  { date: '2008-01-01', amount: -10000 },
  { date: '2008-03-01', amount: 2750 },
  { date: '2008-10-30', amount: 4250 },
  { date: '2009-02-15', amount: 3250 },
  { date: '2009-04-01', amount: 2750 },
];

function expectXirrError(fn: () => unknown, code: XirrError['code']): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(XirrError);
    expect((error as XirrError).code).toBe(code);
    return;
  }
  throw new Error('expected an XirrError');
}

describe('xirrOfDays', () => {
  it('is xirr on the same flows given as day numbers (sorted or not, same-day flows netted)', () => {
    const days = excelExample.map((c) => toDayNumber(c.date));
    const amounts = excelExample.map((c) => Number(c.amount));
    expect(xirrOfDays(days, amounts)).toBe(xirr(excelExample));
    expect(xirrOfDays([days[3]!, days[0]!, days[1]!, days[1]!, days[4]!, days[2]!], [3250, -10000, 2000, 750, 2750, 4250])).toBe(xirr(excelExample));
    expect(() => xirrOfDays([days[0]!, days[0]!], [-1, 2])).toThrow(XirrError);
    expect(() => xirrOfDays([days[0]!, days[1]!], [-1, Number.NaN])).toThrow(/Non-finite/);
  });
});

describe('xirr', () => {
  it("matches Excel's documented example (0.373362535)", () => {
    // Excel stops at its 0.000001% tolerance, so its printed 0.373362535 agrees with the exact root to ~1.5e-9.
    expect(xirr(excelExample)).toBeCloseTo(0.373362535, 8);
    expect(xirr(excelExample)).toBeCloseTo(0.37336253351883153, 12);
  });

  it('accepts decimal-string amounts, unsorted dates and same-day flows', () => {
    // The Excel example shuffled, with the 2,750 on 2008-03-01 split into two same-day flows.
    const flows: DatedAmount[] = [
      { date: '2009-04-01', amount: '2750.00' },
      { date: '2008-03-01', amount: '1000.00' },
      { date: '2008-10-30', amount: '4250.00' },
      { date: '2008-01-01', amount: '-10000.00' },
      { date: '2008-03-01', amount: '1750.00' },
      { date: '2009-02-15', amount: '3250.00' },
    ];
    expect(xirr(flows)).toBeCloseTo(0.37336253351883153, 12);
  });

  it('solves a monthly SIP valued at year end', () => {
    // −10,000 on the 1st of each month of 2024, 1,30,000 on 2025-01-01 → 0.15655169608971617 (scipy brentq)
    const flows: DatedAmount[] = [];
    for (let m = 1; m <= 12; m++) flows.push({ date: `2024-${String(m).padStart(2, '0')}-01`, amount: '-10000' });
    flows.push({ date: '2025-01-01', amount: '130000' });
    expect(xirr(flows)).toBeCloseTo(0.15655169608971617, 12);
  });

  it('solves a very large rate (+999,900%)', () => {
    // −1 then +10,001 exactly 365 days later: (1 + r) = 10,001 → r = 10,000 (hand)
    expect(xirr([{ date: '2023-01-01', amount: -1 }, { date: '2024-01-01', amount: 10001 }])).toBeCloseTo(10000, 6);
  });

  it('solves a rate near −100% (Newton leaves the domain, bracketing finds it)', () => {
    // −10,00,000 then +1 after 365 days: 1 + r = 1e-6 → r = −0.999999 (hand)
    const r = xirr([{ date: '2023-01-01', amount: -1_000_000 }, { date: '2024-01-01', amount: 1 }]);
    expect(r).toBeCloseTo(-0.999999, 12);
  });

  it('returns the root nearest the guess when there are two', () => {
    // −100, +230, −132 one year apart: 100y² − 230y + 132 = 0 → 1 + r = 1.1 or 1.2 (hand)
    const flows: DatedAmount[] = [
      { date: '2021-01-01', amount: -100 },
      { date: '2022-01-01', amount: 230 },
      { date: '2023-01-01', amount: -132 },
    ];
    expect(xirr(flows)).toBeCloseTo(0.1, 10);
    expect(xirr(flows, 0.3)).toBeCloseTo(0.2, 10);
  });

  it('throws NO_SOLUTION when no rate zeroes the NPV', () => {
    // −1 + 0.1·y − y² < 0 for every y = (1 + r)^−1 > 0 (hand)
    expectXirrError(
      () =>
        xirr([
          { date: '2021-01-01', amount: -1 },
          { date: '2022-01-01', amount: 0.1 },
          { date: '2023-01-01', amount: -1 },
        ]),
      'NO_SOLUTION',
    );
  });

  it('throws INVALID_CASHFLOWS when all flows have the same sign', () => {
    expectXirrError(() => xirr([{ date: '2021-01-01', amount: 100 }, { date: '2022-01-01', amount: 5 }]), 'INVALID_CASHFLOWS');
  });

  it('throws INVALID_CASHFLOWS for fewer than two distinct dates', () => {
    expectXirrError(() => xirr([{ date: '2021-01-01', amount: -100 }, { date: '2021-01-01', amount: 105 }]), 'INVALID_CASHFLOWS');
  });

  it('throws INVALID_CASHFLOWS when same-day netting leaves one sign', () => {
    expectXirrError(
      () =>
        xirr([
          { date: '2021-01-01', amount: -100 },
          { date: '2021-01-01', amount: 100 },
          { date: '2022-01-01', amount: 50 },
        ]),
      'INVALID_CASHFLOWS',
    );
  });

  it('throws INVALID_CASHFLOWS for a non-numeric amount', () => {
    expectXirrError(() => xirr([{ date: '2021-01-01', amount: 'n.a.' }, { date: '2022-01-01', amount: 5 }]), 'INVALID_CASHFLOWS');
  });

  it('throws INVALID_CASHFLOWS for an empty list', () => {
    expectXirrError(() => xirr([]), 'INVALID_CASHFLOWS');
  });

  it('property: the NPV at the returned rate is zero', () => {
    const scenario = fc
      .record({
        invested: fc.double({ min: 1e4, max: 1e8, noNaN: true }),
        span: fc.integer({ min: 365, max: 30 * 365 }),
        finalMultiple: fc.double({ min: 0.001, max: 1000, noNaN: true }),
        middle: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), fraction: fc.double({ min: -0.01, max: 0.01, noNaN: true }) }), {
          maxLength: 40,
        }),
      })
      .map(({ invested, span, finalMultiple, middle }) => {
        const flows: DatedAmount[] = [{ date: dayAfter('2000-01-01', 0), amount: -invested }];
        for (const m of middle) flows.push({ date: dayAfter('2000-01-01', 1 + Math.floor(m.at * (span - 181))), amount: m.fraction * invested });
        flows.push({ date: dayAfter('2000-01-01', span), amount: finalMultiple * invested });
        return flows;
      });
    fc.assert(
      fc.property(scenario, (flows) => {
        const r = xirr(flows);
        // |NPV| relative to the sum of the absolute discounted flows
        const scale = flows.reduce((s, f) => s + Math.abs(Number(f.amount)) * Math.pow(1 + r, -daysSince2000(f.date) / 365), 0);
        expect(Math.abs(xnpv(r, flows))).toBeLessThanOrEqual(1e-9 * scale);
      }),
    );
  });

  it('solves 1,000 problems of 500 flows each well under a second', () => {
    const problems: DatedAmount[][] = [];
    for (let p = 0; p < 1000; p++) {
      const flows: DatedAmount[] = [];
      for (let i = 0; i < 499; i++) flows.push({ date: dayAfter('2005-01-01', i * 7), amount: (-1000 - ((p * 31 + i * 17) % 500)).toFixed(2) });
      flows.push({ date: dayAfter('2005-01-01', 499 * 7 + 30), amount: (800000 + p * 1000).toFixed(2) });
      problems.push(flows);
    }
    const started = performance.now();
    let checksum = 0;
    for (const flows of problems) checksum += xirr(flows);
    const elapsed = performance.now() - started;
    expect(Number.isFinite(checksum)).toBe(true);
    expect(elapsed).toBeLessThan(1000);
  });
});

function dayAfter(date: string, n: number): string {
  return fromDayNumber(toDayNumber(date) + n);
}

function daysSince2000(date: string): number {
  return toDayNumber(date) - toDayNumber('2000-01-01');
}
