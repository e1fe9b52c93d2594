import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from './analytics-error.js';
import { addMonths, daysBetween, fromDayNumber, toDayNumber } from './iso-date.js';

describe('iso-date', () => {
  it('numbers days from 1970-01-01', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('2000-03-01')).toBe(11017); // python3: (date(2000,3,1)-date(1970,1,1)).days
    expect(fromDayNumber(11017)).toBe('2000-03-01');
  });

  it('round-trips every day across leap years', () => {
    for (let d = toDayNumber('1899-12-25'); d < toDayNumber('2101-01-05'); d += 1) {
      expect(toDayNumber(fromDayNumber(d))).toBe(d);
    }
  });

  it('counts calendar days', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2023-02-28', '2023-03-01')).toBe(1);
  });

  it('rejects impossible or malformed dates', () => {
    expect(() => toDayNumber('2023-02-29')).toThrow(AnalyticsInputError);
    expect(() => toDayNumber('2023-1-05')).toThrow(AnalyticsInputError);
    expect(() => toDayNumber('05/01/2023')).toThrow(AnalyticsInputError);
  });

  it('adds months with clipping, and month-end to month-end on request', () => {
    expect(addMonths('2024-05-31', -3)).toBe('2024-02-29');
    expect(addMonths('2024-04-30', -1)).toBe('2024-03-30');
    expect(addMonths('2024-04-30', -1, true)).toBe('2024-03-31');
    expect(addMonths('2024-01-15', 13)).toBe('2025-02-15');
  });
});
