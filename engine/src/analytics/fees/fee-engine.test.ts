import { describe, expect, it } from 'vitest';
import { simulateFees } from './fee-engine.js';
import { feeIllustration, withdrawalImpact } from './fee-illustration.js';
import { feePlan } from './fee-plan.js';

// Worked examples for the methodology page ("Fees and compliance"). Every example starts with ₹1,00,00,000 invested at
// the close of 31 Mar 2024, so financial years end 31 Mar 2025 (365 days), 31 Mar 2026 (365), 31 Mar 2027 (365).
// A path step { date, return } spreads its gross return evenly over its days; "return 0 to 30 Mar, +25% on 31 Mar"
// keeps the value flat all year and jumps on the last day, so the daily management-fee accrual is easy to add up.
// Fees are rounded to the paisa half-up; GST 18% on each fee, rounded to the paisa.
const START = '2024-03-31';
const CRORE = '10000000';

describe('simulateFees: worked examples', () => {
  it('a year with no flows: management fee on daily AUM, performance fee above an 8% hurdle, mark reset to the net value', () => {
    // Plan: 1.5% p.a. management fee charged annually; 20% of gains above an 8% p.a. hurdle over the high-water mark.
    // Management fee, accrued daily actual/365 on each day's closing value:
    //   364 days at 1,00,00,000 + 1 day (31 Mar) at 1,25,00,000
    //   = 0.015/365 × (1,00,00,000 × 364 + 1,25,00,000) = 1,49,589.04 + 513.70 = 1,50,102.74 (1,50,102.739726…)
    //   GST 18% = 27,018.49 (27,018.4932); value after = 1,25,00,000 − 1,77,121.23 = 1,23,22,878.77
    // Hurdle threshold = 1,00,00,000 × 1.08^(365/365) = 1,08,00,000
    //   performance fee = 20% × (1,23,22,878.77 − 1,08,00,000) = 20% × 15,22,878.77 = 3,04,575.75 (3,04,575.754)
    //   GST = 54,823.64 (54,823.635); net value = 1,23,22,878.77 − 3,59,399.39 = 1,19,63,479.38 = the new mark
    const r = simulateFees({
      plan: feePlan({
        managementFeeRate: '0.015',
        managementFeeFrequency: 'annual',
        performanceFeeRate: '0.2',
        hurdle: { kind: 'fixed', rate: '0.08' },
      }),
      start: START,
      capital: CRORE,
      path: [
        { date: '2025-03-30', return: 0 },
        { date: '2025-03-31', return: 0.25 },
      ],
    });
    expect(r.charges).toEqual([
      {
        date: '2025-03-31',
        kind: 'management',
        reason: 'scheduled',
        fee: '150102.74',
        gst: '27018.49',
      },
      {
        date: '2025-03-31',
        kind: 'performance',
        reason: 'scheduled',
        fee: '304575.75',
        gst: '54823.64',
      },
    ]);
    expect(r.crystallisations[0]).toMatchObject({
      value: '12322878.77',
      markBefore: '10000000.00',
      threshold: '10800000.00',
      markAfter: '11963479.38',
    });
    expect(r.final).toMatchObject({
      value: '11963479.38',
      mark: '11963479.38',
      grossIndex: '1.25',
      unitValue: '1.196347938',
    });
  });

  it('a contribution mid-period: AUM and mark rise by the amount; its hurdle runs from the day it arrives', () => {
    // ₹50,00,000 added at the start of 1 Oct 2024 (invested at the close of 30 Sep). 2% management fee annually,
    // 20% performance fee above a 10% hurdle. Flat, then +25% on 31 Mar 2025: 1,50,00,000 → 1,87,50,000.
    // Management fee = 0.02/365 × (1,00,00,000 × 183 days [1 Apr–30 Sep] + 1,50,00,000 × 181 [1 Oct–30 Mar] + 1,87,50,000 × 1)
    //   = 0.02/365 × 4,56,37,50,00,000 = 2,50,068.49 (2,50,068.4931…); GST 45,012.33 (45,012.3282)
    //   value = 1,87,50,000 − 2,95,080.82 = 1,84,54,919.18
    // Threshold = 1,00,00,000 × 1.10^(365/365) + 50,00,000 × 1.10^(182/365) [182 days 1 Oct–31 Mar]
    //   = 1,10,00,000 + 52,43,359.61 (52,43,359.6132…) = 1,62,43,359.61
    // Performance fee = 20% × (1,84,54,919.18 − 1,62,43,359.61) = 20% × 22,11,559.57 = 4,42,311.91; GST 79,616.14
    // New mark = 1,84,54,919.18 − 5,21,928.05 = 1,79,32,991.13
    const r = simulateFees({
      plan: feePlan({
        managementFeeRate: '0.02',
        managementFeeFrequency: 'annual',
        performanceFeeRate: '0.2',
        hurdle: { kind: 'fixed', rate: '0.10' },
      }),
      start: START,
      capital: CRORE,
      flows: [{ date: '2024-10-01', amount: '5000000' }],
      path: [
        { date: '2025-03-30', return: 0 },
        { date: '2025-03-31', return: 0.25 },
      ],
    });
    expect(r.charges.map((c) => [c.kind, c.fee, c.gst])).toEqual([
      ['management', '250068.49', '45012.33'],
      ['performance', '442311.91', '79616.14'],
    ]);
    expect(r.crystallisations[0]).toMatchObject({
      value: '18454919.18',
      markBefore: '15000000.00',
      threshold: '16243359.61',
      markAfter: '17932991.13',
    });
    expect(r.final.contributions).toBe('15000000.00');
  });

  it('a partial withdrawal scales the mark down by the fraction withdrawn and crystallises that fraction of the fee', () => {
    // 20% performance fee annually, no hurdle, no management fee; exit load 3% / 2% / 1%.
    // FY25: +20% → 1,20,00,000; fee 20% × 20,00,000 = 4,00,000 + GST 72,000 → value and mark 1,15,28,000.
    // +10% on 30 Jun 2025 → 1,26,80,800. Withdrawal of 25,36,160 at the start of 1 Jul 2025 = 20% of the value.
    //   fee on the withdrawn 20%: 20% × 20% × (1,26,80,800 − 1,15,28,000) = 0.2 × 0.2 × 11,52,800 = 46,112; GST 8,300.16
    //   exit load: invested 31 Mar 2024, redeemed at the close of 30 Jun 2025 = holding year 2 → 2% × 25,36,160 = 50,723.20;
    //   GST 9,130.18 (9,130.176). Paid out = 25,36,160 − 46,112 − 50,723.20 − 17,430.34 = 24,21,894.46
    //   mark scaled down by 20%: 1,15,28,000 × 0.8 = 92,22,400; value 1,01,44,640
    // FY26 end (flat): fee = 20% × (1,01,44,640 − 92,22,400) = 1,84,448; GST 33,200.64; mark = 99,26,991.36.
    // Check: 46,112 + 1,84,448 = 2,30,560 = 20% × 11,52,800, the fee without the withdrawal: nothing is charged twice.
    const r = simulateFees({
      plan: feePlan({
        performanceFeeRate: '0.2',
        exitLoad: ['0.03', '0.02', '0.01'],
      }),
      start: START,
      capital: CRORE,
      flows: [{ date: '2025-07-01', amount: '-2536160' }],
      path: [
        { date: '2025-03-30', return: 0 },
        { date: '2025-03-31', return: 0.2 },
        { date: '2025-06-29', return: 0 },
        { date: '2025-06-30', return: 0.1 },
        { date: '2026-03-31', return: 0 },
      ],
    });
    expect(r.withdrawals).toEqual([
      {
        date: '2025-07-01',
        amount: '2536160.00',
        valueBefore: '12680800.00',
        fraction: '0.2',
        full: false,
        managementFee: '0.00',
        operatingExpenses: '0.00',
        performanceFee: '46112.00',
        exitLoad: '50723.20',
        gst: '17430.34',
        tranches: [
          {
            contributed: '2024-03-31',
            holdingYear: 2,
            rate: '0.02',
            amount: '2536160.00',
            load: '50723.20',
          },
        ],
        netPayout: '2421894.46',
        valueAfter: '10144640.00',
        markAfter: '9222400.00',
      },
    ]);
    expect(r.crystallisations.map((c) => [c.date, c.reason, c.markBefore, c.fee, c.markAfter])).toEqual([
      ['2025-03-31', 'scheduled', '10000000.00', '400000.00', '11528000.00'],
      ['2025-07-01', 'withdrawal', '11528000.00', '46112.00', '9222400.00'],
      ['2026-03-31', 'scheduled', '9222400.00', '184448.00', '9926991.36'],
    ]);
    expect(r.final.value).toBe('9926991.36');
  });

  it('a loss year followed by recovery: no fee until the mark is passed, then only on the gain above it', () => {
    // 20% performance fee annually, no hurdle. Yearly gross returns +20%, −10%, +5%, +10%.
    // FY25: 1,20,00,000 → fee 4,00,000 + GST 72,000 → 1,15,28,000 (mark)
    // FY26: × 0.90 = 1,03,75,200 < mark → no fee, mark stays 1,15,28,000
    // FY27: × 1.05 = 1,08,93,960: a gain, but still below the mark → no fee
    // FY28 (366 days, 29 Feb 2028): × 1.10 = 1,19,83,356 → fee 20% × (1,19,83,356 − 1,15,28,000) = 20% × 4,55,356 = 91,071.20;
    //   GST 16,392.82 (16,392.816); value and new mark 1,18,75,891.98
    const ill = feeIllustration({
      plan: feePlan({ performanceFeeRate: '0.2' }),
      start: START,
      capital: CRORE,
      returns: [
        { to: '2025-03-31', grossReturn: 0.2 },
        { to: '2026-03-31', grossReturn: -0.1 },
        { to: '2027-03-31', grossReturn: 0.05 },
        { to: '2028-03-31', grossReturn: 0.1 },
      ],
    });
    expect(ill.years.map((y) => [y.to, y.closingValue, y.performanceFee, y.gst, y.highWaterMark])).toEqual([
      ['2025-03-31', '11528000.00', '400000.00', '72000.00', '11528000.00'],
      ['2026-03-31', '10375200.00', '0.00', '0.00', '11528000.00'],
      ['2027-03-31', '10893960.00', '0.00', '0.00', '11528000.00'],
      ['2028-03-31', '11875891.98', '91071.20', '16392.82', '11875891.98'],
    ]);
    // net return FY25 = 1,15,28,000 / 1,00,00,000 − 1 = 15.28%; FY26 −10% (no fee), FY27 +5%
    expect(ill.years.map((y) => y.netReturn).slice(0, 3)).toEqual([0.1528, -0.1, 0.05]);
    expect(ill.years[0]).toMatchObject({
      grossReturn: 0.2,
      grossGain: '2000000.00',
      totalCharges: '472000.00',
      openingValue: '10000000.00',
    });
    expect(ill.totals).toMatchObject({
      performanceFee: '491071.20',
      gst: '88392.82',
      totalCharges: '579464.02',
    });
  });

  it('a hurdle not met: gains above the mark but below the compounded hurdle carry no fee', () => {
    // 20% above a 10% p.a. hurdle compounded from the last crystallisation (here inception), annual.
    // FY25 +8%: 1,08,00,000 < threshold 1,00,00,000 × 1.10 = 1,10,00,000 → no fee, mark stays 1,00,00,000
    // FY26 +5%: 1,13,40,000 < 1,00,00,000 × 1.10^(730/365) = 1,21,00,000 → no fee although above the mark
    // FY27 +20%: 1,36,08,000 > 1,00,00,000 × 1.10^(1095/365) = 1,33,10,000 → fee 20% × 2,98,000 = 59,600; GST 10,728;
    //   value and new mark 1,35,37,672
    const ill = feeIllustration({
      plan: feePlan({
        performanceFeeRate: '0.2',
        hurdle: { kind: 'fixed', rate: '0.1' },
      }),
      start: START,
      capital: CRORE,
      returns: [
        { to: '2025-03-31', grossReturn: 0.08 },
        { to: '2026-03-31', grossReturn: 0.05 },
        { to: '2027-03-31', grossReturn: 0.2 },
      ],
    });
    expect(ill.years.map((y) => [y.closingValue, y.performanceFee, y.highWaterMark, y.hurdleThreshold])).toEqual([
      ['10800000.00', '0.00', '10000000.00', '11000000.00'],
      ['11340000.00', '0.00', '10000000.00', '12100000.00'],
      ['13537672.00', '59600.00', '13537672.00', '13537672.00'],
    ]);
    expect(ill.simulation.crystallisations.map((c) => c.threshold)).toEqual(['11000000.00', '12100000.00', '13310000.00']);
  });

  it('a full exit in year two: quarterly management fees, the accrued fee, the performance fee and a 2% exit load', () => {
    // 2% p.a. management fee charged quarterly (FY quarters), 20% performance fee annually, exit load 3% / 2% / 1%.
    // Flat value until 13 May 2025:
    //   Q1 (91 days) 1,00,00,000 × 0.02 × 91/365 = 49,863.01 + GST 8,975.34 → 99,41,161.65
    //   Q2 (92 days) 99,41,161.65 × 0.02 × 92/365 = 50,114.35 + GST 9,020.58 → 98,82,026.72
    //   Q3 (92 days) 98,82,026.72 × 0.02 × 92/365 = 49,816.24 + GST 8,966.92 → 98,23,243.56
    //   Q4 (90 days) 98,23,243.56 × 0.02 × 90/365 = 48,443.39 + GST 8,719.81 → 97,66,080.36 < mark 1,00,00,000: no performance fee
    // +5% on 14 May 2025 → 1,02,54,384.38 (1,02,54,384.378). Full exit at the start of 15 May 2025:
    //   accrued management fee = 0.02/365 × (97,66,080.36 × 43 days + 1,02,54,384.378 × 1) = 23,572.37; GST 4,243.03
    //   performance fee on the value net of it: 20% × (1,02,54,384.38 − 23,572.37 − 4,243.03 − 1,00,00,000)
    //     = 20% × 2,26,568.98 = 45,313.80; GST 8,156.48
    //   exit load: held from 31 Mar 2024 to the close of 14 May 2025 = year 2 → 2% × 1,02,54,384.38 = 2,05,087.69; GST 36,915.78
    //   paid out = 1,02,54,384.38 − 23,572.37 − 45,313.80 − 2,05,087.69 − (4,243.03 + 8,156.48 + 36,915.78) = 99,31,095.23
    const r = simulateFees({
      plan: feePlan({
        managementFeeRate: '0.02',
        performanceFeeRate: '0.2',
        exitLoad: ['0.03', '0.02', '0.01'],
      }),
      start: START,
      capital: CRORE,
      flows: [{ date: '2025-05-15', amount: '-99999999' }],
      path: [
        { date: '2025-05-13', return: 0 },
        { date: '2025-05-14', return: 0.05 },
      ],
      end: '2025-05-15',
    });
    expect(r.charges.filter((c) => c.reason === 'scheduled').map((c) => [c.date, c.fee, c.gst])).toEqual([
      ['2024-06-30', '49863.01', '8975.34'],
      ['2024-09-30', '50114.35', '9020.58'],
      ['2024-12-31', '49816.24', '8966.92'],
      ['2025-03-31', '48443.39', '8719.81'],
    ]);
    expect(r.crystallisations[0]).toMatchObject({
      date: '2025-03-31',
      value: '9766080.36',
      fee: '0.00',
      markAfter: '10000000.00',
    });
    expect(r.withdrawals[0]).toMatchObject({
      amount: '10254384.38',
      full: true,
      managementFee: '23572.37',
      performanceFee: '45313.80',
      exitLoad: '205087.69',
      gst: '49315.29',
      netPayout: '9931095.23',
      valueAfter: '0.00',
      markAfter: '0.00',
    });
    expect(r.final.value).toBe('0.00');
  });
});

describe('simulateFees: other rules', () => {
  it('exit loads are taken per contribution tranche, oldest first', () => {
    // 1 Cr at 31 Mar 2024, 50 L added 1 Jun 2025 (invested at the close of 31 May 2025). Flat. Redeem 1.2 Cr on 1 Jul 2025:
    //   first the 1 Cr tranche (year 2, 2%) = 2,00,000, then 20 L of the new tranche (year 1, 3%) = 60,000
    const r = simulateFees({
      plan: feePlan({ exitLoad: ['0.03', '0.02', '0.01'] }),
      start: START,
      capital: CRORE,
      flows: [
        { date: '2025-06-01', amount: '5000000' },
        { date: '2025-07-01', amount: '-12000000' },
      ],
      path: [{ date: '2025-07-01', return: 0 }],
    });
    expect(r.withdrawals[0]!.tranches).toEqual([
      {
        contributed: '2024-03-31',
        holdingYear: 2,
        rate: '0.02',
        amount: '10000000.00',
        load: '200000.00',
      },
      {
        contributed: '2025-06-01',
        holdingYear: 1,
        rate: '0.03',
        amount: '2000000.00',
        load: '60000.00',
      },
    ]);
    expect(r.withdrawals[0]).toMatchObject({
      exitLoad: '260000.00',
      gst: '46800.00',
      valueAfter: '3000000.00',
    });
  });

  it('a benchmark-linked hurdle grows the threshold with the benchmark', () => {
    // Portfolio +15%, benchmark +12%: fee 20% × (1,15,00,000 − 1,12,00,000) = 60,000; GST 10,800.
    const r = simulateFees({
      plan: feePlan({
        performanceFeeRate: '0.2',
        hurdle: { kind: 'benchmark' },
      }),
      start: START,
      capital: CRORE,
      path: [{ date: '2025-03-31', return: 0.15, benchmarkReturn: 0.12 }],
    });
    expect(r.crystallisations[0]).toMatchObject({
      threshold: '11200000.00',
      fee: '60000.00',
      gst: '10800.00',
      markAfter: '11429200.00',
    });
  });

  it('observed values: the fee follows the real path, and "if crystallised today" shows the accrual', () => {
    // 1% p.a. management fee, quarterly. Observed pre-fee values: 1,01,00,000 on 1 Apr, 1,02,00,000 on 5 Apr
    // (2–4 Apr keep 1,01,00,000). Accrued to 5 Apr = 0.01/365 × (1,01,00,000 × 4 + 1,02,00,000) = 1,386.30 (1,386.3013…)
    // 20% performance fee, no hurdle, if crystallised on 5 Apr: 20% × (1,02,00,000 − 1,386.30 − 249.53 − 1,00,00,000) = 39,672.83
    const r = simulateFees({
      plan: feePlan({ managementFeeRate: '0.01', performanceFeeRate: '0.2' }),
      start: START,
      capital: CRORE,
      path: [
        { date: '2024-04-01', value: '10100000' },
        { date: '2024-04-05', value: '10200000' },
      ],
    });
    expect(r.final.accruedManagementFee).toBe('1386.30');
    expect(r.ifCrystallisedNow).toMatchObject({
      managementFee: '1386.30',
      performanceFee: '39672.83',
      gst: '7390.64',
    });
    // GST = 249.53 + 7,141.11 (0.18 × 39,672.83 = 7,141.1094)
  });

  it('chargeOn last-valuation charges a quarter on its last business day, not on Sunday 30 Jun 2024', () => {
    // 1% p.a., value flat 1 Cr, valued daily to Fri 28 Jun and again Mon 1 Jul (after the fee: 99,71,227.40): Q1 covers 1 Apr–28 Jun = 89 days
    // = 0.01/365 × 1,00,00,000 × 89 = 24,383.56; 29–30 Jun accrue into the next quarter.
    const path = [
      { date: '2024-06-28', value: CRORE },
      { date: '2024-07-01', value: '9971227.40' },
    ];
    const r = simulateFees({ plan: feePlan({ managementFeeRate: '0.01' }), start: START, capital: CRORE, path, chargeOn: 'last-valuation' });
    expect(r.charges).toEqual([{ date: '2024-06-28', kind: 'management', reason: 'scheduled', fee: '24383.56', gst: '4389.04' }]);
    // 3 days (29 Jun–1 Jul) on 99,71,227.40 = 0.01/365 × 3 × 99,71,227.40 = 819.55
    expect(r.final.accruedManagementFee).toBe('819.55');
  });

  it('closeAt: a closure crystallises every fee at that close, charged that day (fees charged on closing)', () => {
    // ₹1 crore from 31 Mar 2024; 1.5% management fee (quarterly), 20% over an 8% hurdle (annual). The portfolio is
    // liquidated on Fri 10 May 2024 (value 1,10,00,000 after +10% that day) and closed: nothing waits for 30 Jun or 31 Mar.
    // Management fee accrued 1 Apr–10 May (40 days): 0.015/365 × (1,00,00,000 × 39 + 1,10,00,000) = 16,479.452… → 16,479.45
    //   GST 18% = 2,966.30 (2,966.301); value after it = 1,10,00,000 − 19,445.75 = 1,09,80,554.25
    // Threshold = 1,00,00,000 × 1.08^(40/365) = 1,00,84,697.54 (1,00,84,697.538…)
    //   performance fee = 20% × (1,09,80,554.25 − 1,00,84,697.54) = 1,79,171.34 (1,79,171.342…), GST 32,250.84 (32,250.841)
    //   paid out: 1,09,80,554.25 − 2,11,422.18 = 1,07,69,132.07
    const r = simulateFees({
      plan: feePlan({ managementFeeRate: '0.015', managementFeeFrequency: 'quarterly', performanceFeeRate: '0.2', hurdle: { kind: 'fixed', rate: '0.08' } }),
      start: START,
      capital: CRORE,
      path: [
        { date: '2024-05-09', return: 0 },
        { date: '2024-05-10', return: 0.1 },
      ],
      closeAt: '2024-05-10',
    });
    expect(r.charges).toEqual([
      { date: '2024-05-10', kind: 'management', reason: 'withdrawal', fee: '16479.45', gst: '2966.30' },
      { date: '2024-05-10', kind: 'performance', reason: 'withdrawal', fee: '179171.34', gst: '32250.84' },
    ]);
    expect(r.withdrawals[0]).toMatchObject({ date: '2024-05-11', full: true, amount: '11000000.00', netPayout: '10769132.07' });
    expect(r.crystallisations.at(-1)).toMatchObject({ date: '2024-05-10', value: '10980554.25', threshold: '10084697.54', fraction: '1' });
    expect(r.final).toMatchObject({ value: '0.00', mark: '0.00', accruedManagementFee: '0.00' });
  });

  it('observed values: fees crystallised by a withdrawal leave at that close, so the weekend after accrues without them', () => {
    // ₹1 crore from 31 Mar 2024, 1.5% management fee (quarterly), no performance fee; values observed (before the day's
    // fees, as hwm.ts reads them: the valuation plus the fees charged that day).
    // Accrued 1 Apr–9 May (39 days at 1,00,00,000): 0.015/365 × 39,00,00,00,000 = 16,027.3972…
    // Fri 10 May 2024: ₹20 lakh withdrawn, x = 20,00,000 / 1,00,00,000 = 0.2 → management fee 0.2 × 16,027.3972 = 3,205.48,
    //   GST 576.99 (576.986); the observed value (before fees) is 80,00,000, accruing 0.015/365 × 80,00,000 = 328.7671…;
    //   after the fees it is 80,00,000 − 3,782.47 = 79,96,217.53.
    // Sat 11 and Sun 12 May accrue at that close: 2 × 0.015/365 × 79,96,217.53 = 657.2233…
    // Mon 13 May observed 80,00,000 again: 328.7671…
    // Accrued at the close of 13 May: 16,027.3972 × 0.8 + 328.7671 + 657.2233 + 328.7671 = 12,821.9178 + 1,314.7575 = 14,136.68
    // (were the weekend measured on 80,00,000, the fees counted twice: 14,136.99)
    const r = simulateFees({
      plan: feePlan({ managementFeeRate: '0.015', managementFeeFrequency: 'quarterly', exitLoad: ['0.02', '0.01', '0'] }),
      start: START,
      capital: CRORE,
      path: [
        { date: '2024-05-09', value: '10000000' },
        { date: '2024-05-10', value: '8000000' },
        { date: '2024-05-13', value: '8000000' },
      ],
      flows: [{ date: '2024-05-10', amount: '-2000000' }],
    });
    expect(r.charges).toEqual([
      { date: '2024-05-10', kind: 'management', reason: 'withdrawal', fee: '3205.48', gst: '576.99' },
      // the exit load (2% in year one) is not a fee the value before fees adds back: it changes nothing here
      { date: '2024-05-10', kind: 'exit-load', reason: 'withdrawal', fee: '40000.00', gst: '7200.00' },
    ]);
    expect(r.final).toMatchObject({ date: '2024-05-13', value: '8000000.00', accruedManagementFee: '14136.68' });
  });

  it('rejects a path that goes backwards and a benchmark hurdle without benchmark returns', () => {
    expect(() =>
      simulateFees({
        plan: feePlan(),
        start: START,
        capital: CRORE,
        path: [{ date: '2024-03-31', return: 0 }],
      }),
    ).toThrow(/after the start/);
    expect(() =>
      simulateFees({
        plan: feePlan({
          performanceFeeRate: '0.2',
          hurdle: { kind: 'benchmark' },
        }),
        start: START,
        capital: CRORE,
        path: [{ date: '2025-03-31', return: 0.1 }],
      }),
    ).toThrow(/benchmarkReturn/);
  });
});

describe('withdrawalImpact', () => {
  it('prices a proposed redemption and says when less than ₹50 lakh would remain', () => {
    // 60 L invested, flat; redeem 15 L on 1 Oct 2024 (year 1, 3% = 45,000 + GST 8,100): 45 L would remain < 50 L.
    const impact = withdrawalImpact({
      plan: feePlan({ exitLoad: ['0.03', '0.02', '0.01'] }),
      start: START,
      capital: '6000000',
      returns: [{ to: '2025-03-31', grossReturn: 0 }],
      redemption: { date: '2024-10-01', amount: '1500000' },
    });
    expect(impact).toMatchObject({
      exitLoad: '45000.00',
      gst: '8100.00',
      netPayout: '1446900.00',
      remainingValue: '4500000.00',
      remainingBelowMinimum: true,
    });
  });

  it('takes the part of a path step before the redemption day', () => {
    // +21% over 730 days ⇒ 1.21^(365/730) = 1.10 by 31 Mar 2025: 1,10,00,000; the annual fee that day is
    // 20% × 10,00,000 = 2,00,000 + GST 36,000 → 1,07,64,000 = the mark. Redeeming everything at the start of 1 Apr 2025
    // measures that close: no further performance fee, no exit load configured → 1,07,64,000 paid out.
    const impact = withdrawalImpact({
      plan: feePlan({ performanceFeeRate: '0.2' }),
      start: START,
      capital: CRORE,
      returns: [{ to: '2026-03-31', grossReturn: 0.21 }],
      redemption: { date: '2025-04-01', amount: CRORE + '0' },
    });
    expect(impact).toMatchObject({
      full: true,
      valueBefore: '10764000.00',
      performanceFee: '0.00',
      remainingBelowMinimum: false,
      remainingValue: '0.00',
    });
    expect(impact.netPayout).toBe('10764000.00');
  });
});
