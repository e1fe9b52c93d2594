import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../env.js';
import { fillTemplate, lastMonthEnd, loadReportSettings, nthWorkingDay, parseReportSettings } from './reports-settings.js';

describe('report pack schedule', () => {
  it('finds the n-th working day, skipping weekends and holidays', () => {
    // December 2025 starts on a Monday: 1, 2, 3, 4, 5 → the 5th working day is Fri 5 Dec.
    expect(nthWorkingDay('2025-12-17', 5, [])).toBe('2025-12-05');
    // February 2026 starts on a Sunday: Mon 2 … Fri 6 → 6 Feb; with 3 Feb a holiday → Mon 9 Feb.
    expect(nthWorkingDay('2026-02-01', 5, [])).toBe('2026-02-06');
    expect(nthWorkingDay('2026-02-01', 5, ['2026-02-03'])).toBe('2026-02-09');
    expect(nthWorkingDay('2026-02-01', 1, [])).toBe('2026-02-02');
  });

  it('reports on the last month-end and fills titles', () => {
    expect(lastMonthEnd('2025-12-05')).toBe('2025-11-30');
    expect(lastMonthEnd('2024-03-07')).toBe('2024-02-29');
    expect(fillTemplate('Performance Report {month} – {clientName} ({clientCode})', { periodEnd: '2025-11-30', clientName: 'Asha Mehta', clientCode: 'WS0001' })).toBe(
      'Performance Report Nov 2025 – Asha Mehta (WS0001)',
    );
  });

  it('reads config/reports.json and rejects a bad one', () => {
    const s = loadReportSettings({ CONFIG_DIR: path.join(ROOT_DIR, 'config') });
    expect(s.pack.workingDay).toBe(5);
    expect(() => parseReportSettings({ pack: { workingDay: 0 } })).toThrow(/pack.workingDay/);
  });
});
