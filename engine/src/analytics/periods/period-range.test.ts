import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from '../shared/analytics-error.js';
import { periodRange } from './period-range.js';

const OLD = '2015-06-01'; // an inception long before every as-of date below

describe('periodRange', () => {
  it('MTD runs from the previous month end', () => {
    expect(periodRange('MTD', '2024-05-15', OLD)).toEqual({ period: 'MTD', from: '2024-04-30', to: '2024-05-15', days: 15, complete: true });
  });

  it('QTD runs from the previous calendar quarter end', () => {
    expect(periodRange('QTD', '2024-05-15', OLD)?.from).toBe('2024-03-31');
    expect(periodRange('QTD', '2024-03-31', OLD)?.from).toBe('2023-12-31');
  });

  it('YTD runs from 31 December of the previous year', () => {
    expect(periodRange('YTD', '2024-05-15', OLD)?.from).toBe('2023-12-31');
  });

  it('FYTD runs from 31 March (Indian financial year from 1 April)', () => {
    expect(periodRange('FYTD', '2024-05-15', OLD)?.from).toBe('2024-03-31');
    expect(periodRange('FYTD', '2024-02-10', OLD)?.from).toBe('2023-03-31');
    expect(periodRange('FYTD', '2024-04-01', OLD)).toMatchObject({ from: '2024-03-31', days: 1 });
  });

  it('1M keeps the day of month', () => {
    expect(periodRange('1M', '2024-03-15', OLD)?.from).toBe('2024-02-15');
  });

  it('1M from a month end ends on the previous month end', () => {
    expect(periodRange('1M', '2024-04-30', OLD)?.from).toBe('2024-03-31');
    expect(periodRange('1M', '2024-03-31', OLD)?.from).toBe('2024-02-29');
  });

  it('clips a day that does not exist in the target month', () => {
    expect(periodRange('1M', '2024-03-30', OLD)?.from).toBe('2024-02-29');
  });

  it('3M from 31 May ends on the last day of February', () => {
    expect(periodRange('3M', '2024-05-31', OLD)?.from).toBe('2024-02-29');
    expect(periodRange('3M', '2023-05-31', OLD)?.from).toBe('2023-02-28');
  });

  it('6M and 1Y, 2Y, 3Y, 5Y go back whole months', () => {
    expect(periodRange('6M', '2024-08-31', OLD)?.from).toBe('2024-02-29');
    expect(periodRange('2Y', '2024-06-15', OLD)?.from).toBe('2022-06-15');
    expect(periodRange('3Y', '2024-06-15', OLD)?.from).toBe('2021-06-15');
    expect(periodRange('5Y', '2024-06-15', OLD)?.from).toBe('2019-06-15');
  });

  it('1Y from 29 Feb 2024 starts 28 Feb 2023 (366 days)', () => {
    expect(periodRange('1Y', '2024-02-29', OLD)).toMatchObject({ from: '2023-02-28', days: 366 });
  });

  it('SI starts the day before inception', () => {
    expect(periodRange('SI', '2024-03-31', '2023-04-01')).toEqual({ period: 'SI', from: '2023-03-31', to: '2024-03-31', days: 366, complete: true });
  });

  it('1Y is complete for a portfolio exactly one year old', () => {
    expect(periodRange('1Y', '2024-03-31', '2023-04-01')).toMatchObject({ from: '2023-03-31', complete: true });
  });

  it('3Y of a two-year-old portfolio is clipped to inception and incomplete', () => {
    expect(periodRange('3Y', '2024-06-15', '2022-06-16')).toEqual({
      period: '3Y',
      from: '2022-06-15',
      to: '2024-06-15',
      days: 731,
      complete: false,
    });
  });

  it('a custom range is taken as given', () => {
    expect(periodRange({ from: '2024-01-10', to: '2024-02-10' }, '2024-06-30', OLD)).toEqual({
      period: 'CUSTOM',
      from: '2024-01-10',
      to: '2024-02-10',
      days: 31,
      complete: true,
    });
  });

  it('rejects a custom range that ends before it starts', () => {
    expect(() => periodRange({ from: '2024-02-10', to: '2024-01-10' }, '2024-06-30', OLD)).toThrow(AnalyticsInputError);
  });

  it('is null when the as-of date is before inception', () => {
    expect(periodRange('SI', '2024-01-01', '2024-01-02')).toBeNull();
  });
});
