import { describe, expect, it } from 'vitest';
import { bucketOf, bucketsBetween } from './reporting-bucket.js';

describe('reporting buckets', () => {
  it('month', () => {
    expect(bucketOf('2024-02-10', 'month')).toEqual({ period: '2024-02', from: '2024-02-01', to: '2024-02-29' });
  });

  it('financial quarter: January–March is Q4 of the FY that started the previous April', () => {
    expect(bucketOf('2025-02-10', 'quarter')).toEqual({ period: 'FY2024-25 Q4', from: '2025-01-01', to: '2025-03-31' });
    expect(bucketOf('2024-04-01', 'quarter')).toEqual({ period: 'FY2024-25 Q1', from: '2024-04-01', to: '2024-06-30' });
  });

  it('financial year runs April–March', () => {
    expect(bucketOf('2024-03-31', 'year')).toEqual({ period: 'FY2023-24', from: '2023-04-01', to: '2024-03-31' });
    expect(bucketOf('1999-12-31', 'year').period).toBe('FY1999-00');
  });

  it('calendar quarter and year on request', () => {
    expect(bucketOf('2024-05-15', 'quarter', 'calendar')).toEqual({ period: '2024 Q2', from: '2024-04-01', to: '2024-06-30' });
    expect(bucketOf('2024-05-15', 'year', 'calendar')).toEqual({ period: '2024', from: '2024-01-01', to: '2024-12-31' });
  });

  it('lists consecutive buckets including empty ones', () => {
    expect(bucketsBetween('2024-02-20', '2024-08-01', 'quarter').map((b) => b.period)).toEqual(['FY2023-24 Q4', 'FY2024-25 Q1', 'FY2024-25 Q2']);
  });
});
