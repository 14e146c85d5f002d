import { describe, expect, it } from 'vitest';
import { coveredAt, coverStartFor, firstBillStartMonth, type SettledMonth } from './cover-start.js';

const at = (iso: string) => new Date(iso);

describe('firstBillStartMonth', () => {
  it('is the current month (WIB) until the last 24 hours of it, then the next month', () => {
    expect(firstBillStartMonth(at('2026-11-29T16:59:59+07:00'))).toBe('2026-11');
    expect(firstBillStartMonth(at('2026-11-30T00:00:00+07:00'))).toBe('2026-11'); // exactly 24 h before: not less
    expect(firstBillStartMonth(at('2026-11-30T00:00:01+07:00'))).toBe('2026-12');
    expect(firstBillStartMonth(at('2026-11-30T23:59:59+07:00'))).toBe('2026-12');
    expect(firstBillStartMonth(at('2026-12-31T10:00:00+07:00'))).toBe('2027-01');
    expect(firstBillStartMonth(at('2026-11-30T16:59:59Z'))).toBe('2026-12'); // 23:59:59 WIB, still 30 November in WIB
    expect(firstBillStartMonth(at('2026-12-01T00:00:00+07:00'))).toBe('2026-12');
  });
});

describe('coverStartFor / coveredAt', () => {
  const months: SettledMonth[] = [
    { month: '2026-11', settledAt: at('2026-11-22T10:00:00+07:00') }, // joined mid-month
    { month: '2026-12', settledAt: at('2026-12-03T08:00:00+07:00') },
    // a gap (2027-01 … 2027-04 unpaid), then a reactivation mid-May
    { month: '2027-05', settledAt: at('2027-05-10T09:30:00+07:00') },
    { month: '2027-06', settledAt: at('2027-05-10T09:30:00+07:00') },
    // a first bill paid on 31 July for August (the month's last day): cover from 1 August
    { month: '2027-08', settledAt: at('2027-07-31T12:00:00+07:00') },
  ];

  it('is the settlement instant of the run\'s first month, or the start of that month when it was paid in advance', () => {
    expect(coverStartFor(months, '2026-12')?.toISOString()).toBe(at('2026-11-22T10:00:00+07:00').toISOString());
    expect(coverStartFor(months, '2027-06')?.toISOString()).toBe(at('2027-05-10T09:30:00+07:00').toISOString());
    expect(coverStartFor(months, '2027-08')?.toISOString()).toBe(at('2027-08-01T00:00:00+07:00').toISOString());
    expect(coverStartFor(months, '2027-01')).toBeNull();
  });

  it('covered at an instant only from the start of that unbroken cover', () => {
    expect(coveredAt(months, at('2026-11-22T09:59:59+07:00'))).toEqual({ covered: false, month: '2026-11' });
    expect(coveredAt(months, at('2026-11-22T10:00:00+07:00'))).toEqual({ covered: true, month: '2026-11' });
    expect(coveredAt(months, at('2026-12-31T23:00:00+07:00'))).toEqual({ covered: true, month: '2026-12' });
    expect(coveredAt(months, at('2027-02-14T12:00:00+07:00'))).toEqual({ covered: false, month: '2027-02' });
    expect(coveredAt(months, at('2027-05-01T12:00:00+07:00'))).toEqual({ covered: false, month: '2027-05' });
    expect(coveredAt(months, at('2027-05-10T09:30:00+07:00'))).toEqual({ covered: true, month: '2027-05' });
    expect(coveredAt(months, at('2027-07-31T23:59:59+07:00'))).toEqual({ covered: false, month: '2027-07' });
    expect(coveredAt(months, at('2027-08-01T00:00:00+07:00'))).toEqual({ covered: true, month: '2027-08' });
  });
});
