import { describe, expect, it } from 'vitest';
import { accruedReturn, compoundReturns, dayOfYear, daysInYear, lastAnnouncedRate, yearReturn, type JhtMovement } from './jht-return.js';

// Figures by hand: return = floor(Σ end-of-day balance × rate_bp / (10000 × days in year)); a movement on day d of a
// year of D days counts for D − d + 1 days.
describe('JHT return, daily balance method', () => {
  it('counts days: 365 in 2027, 366 in 2028; 2 July 2027 is day 183, 29 February 2028 day 60', () => {
    expect([daysInYear(2027), daysInYear(2028), daysInYear(2100), daysInYear(2000)]).toEqual([365, 366, 365, 366]);
    expect([dayOfYear('2027-01-01'), dayOfYear('2027-07-02'), dayOfYear('2027-12-31'), dayOfYear('2028-02-29')]).toEqual([1, 183, 365, 60]);
  });

  const cases: { name: string; year: number; opening: number; movements: JhtMovement[]; rateBp: number | null; expected: number | null }[] = [
    {
      // 100000×365 + 50000×183 + 20000×1 = 45,670,000; × 725 / 3,650,000 = 9071.4
      name: 'contributions on several days',
      year: 2027,
      opening: 0,
      movements: [
        { date: '2027-07-02', amount: 50_000 },
        { date: '2027-01-01', amount: 100_000 },
        { date: '2027-12-31', amount: 20_000 },
      ],
      rateBp: 725,
      expected: 9071,
    },
    {
      // 1,000,000×365 − 400,000×183 = 291,800,000; × 725 / 3,650,000 = 57,960.3
      name: 'a withdrawal mid-year',
      year: 2027,
      opening: 1_000_000,
      movements: [{ date: '2027-07-02', amount: -400_000 }],
      rateBp: 725,
      expected: 57_960,
    },
    {
      // 1,000,000×366 + 100,000×307 = 396,700,000; × 725 / 3,660,000 = 78,581.3
      name: 'a leap year (2028, 366 days), paid on 29 February',
      year: 2028,
      opening: 1_000_000,
      movements: [{ date: '2028-02-29', amount: 100_000 }],
      rateBp: 725,
      expected: 78_581,
    },
    { name: 'no movements, opening balance only: 500,000 × 7.25%', year: 2027, opening: 500_000, movements: [], rateBp: 725, expected: 36_250 },
    { name: 'no movements, empty account', year: 2027, opening: 0, movements: [], rateBp: 725, expected: 0 },
    { name: 'rate not announced: wait', year: 2027, opening: 1_000_000, movements: [], rateBp: null, expected: null },
  ];
  it.each(cases)('$name → $expected', (c) => {
    expect(yearReturn({ year: c.year, openingBalance: c.opening, movements: c.movements, rateBp: c.rateBp })).toBe(c.expected);
  });

  it('three years compounding: each return joins the next opening balance (dated 31 December)', () => {
    // 2026: 1,000,000 × 7.00% = 70,000; 2027: 1,070,000 × 7.25% = 77,575; 2028 (366 days): 1,147,575 × 6.50% = 74,592.4
    const rates = new Map([[2026, 700], [2027, 725], [2028, 650]]);
    expect(compoundReturns([{ date: '2026-01-01', amount: 1_000_000 }], rates, 2026, 2028)).toEqual([
      { year: 2026, amount: 70_000 },
      { year: 2027, amount: 77_575 },
      { year: 2028, amount: 74_592 },
    ]);
  });

  it('a missing rate stops the compounding at that year (later years wait too)', () => {
    const rates = new Map([[2026, 700], [2028, 650]]);
    expect(compoundReturns([{ date: '2026-01-01', amount: 1_000_000 }], rates, 2026, 2028)).toEqual([{ year: 2026, amount: 70_000 }]);
  });

  it('accrues the current year to a given day at the last announced rate', () => {
    const rates = new Map([[2025, 650], [2026, 725]]);
    expect(lastAnnouncedRate(rates)).toBe(725);
    expect(lastAnnouncedRate(new Map())).toBeNull();
    // 1,000,000 × 90 days (to 31 March) × 725 / 3,650,000 = 17,876.7
    const base = { year: 2027, openingBalance: 1_000_000, movements: [{ date: '2027-06-01', amount: 500_000 }], lastRateBp: 725 };
    expect(accruedReturn({ ...base, through: '2027-03-31' })).toBe(17_876);
    expect(accruedReturn({ ...base, through: '2026-12-31' })).toBe(0);
    expect(accruedReturn({ ...base, lastRateBp: null, through: '2027-03-31' })).toBe(0);
    // through the whole year equals the year's return at that rate
    expect(accruedReturn({ ...base, through: '2027-12-31' })).toBe(yearReturn({ ...base, rateBp: 725 }));
  });
});
